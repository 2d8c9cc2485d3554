/**
 * The help texts, generated from the command records: `edgenet --help` and `edgenet <command> --help`,
 * laid out for an 80-column terminal.
 */

import {displayWidth, wrapIndented, wrapText} from '../view-models/text-table.js';
import type {HelpTopic} from './command.js';
import {commands} from './registry.js';

/** The width every help text fits. */
const helpWidth = 80;

/** The widest term beside which a description starts; a longer term has a line (or more) of its own. */
const termColumn = 24;

/** Paragraph text wrapped to the help width. */
const paragraph = (text: string) => wrapText(text, helpWidth);

/**
 * Terms and their descriptions in two columns: each description starts two spaces after the widest
 * term (at most `termColumn`) and wraps under that column; a term too wide for it stands on its own lines.
 */
function formatEntries(entries: ReadonlyArray<readonly [string, string]>): string[] {
	const indent = '  ';
	const width = Math.min(termColumn, Math.max(...entries.map(([term]) => displayWidth(term))));
	const column = indent.length + width + 2;
	const lines: string[] = [];
	for (const [term, description] of entries) {
		const text = wrapText(description, helpWidth - column);
		if (displayWidth(term) <= width) {
			lines.push(`${indent}${term}${' '.repeat(width - displayWidth(term) + 2)}${text[0]}`, ...text.slice(1).map(line => ' '.repeat(column) + line));
		} else {
			lines.push(...wrapIndented(term, helpWidth, indent).map((line, index) => (index === 0 ? line : `    ${line.trimStart()}`)), ...text.map(line => ' '.repeat(column) + line));
		}
	}
	return lines;
}

/** `edgenet <command> --help` and `edgenet <command> <subcommand> --help`: usage, summary, options, and the rules when there are any. */
export function formatCommandHelp(topic: HelpTopic): string {
	const rules = topic.rules ?? [];
	return [
		...wrapIndented(`edgenet ${topic.usage}`, helpWidth, 'Usage: '),
		'',
		...paragraph(topic.summary),
		'',
		'Options:',
		...formatEntries([...topic.options, ['--help', 'show this help']]),
		...(rules.length > 0 ? ['', 'Rules:', ...rules.flatMap(rule => wrapIndented(rule, helpWidth, '  - '))] : []),
		'',
	].join('\n');
}

/** The options of edgenet without a command: the dashboard's. */
const dashboardOptions: ReadonlyArray<readonly [string, string]> = [
	['--read-only', 'show the device and change nothing: the keys that change routes leave the footer'],
	['--live', "add a KERNEL column to the routes pane, comparing the routes with this VM's kernel, and A to make it match"],
	['--netns <name>', 'with --live: the routing table of a network namespace'],
	['--vm master|worker', 'with --live: which VM this is (default worker)'],
];

/** `edgenet --help`. */
export function formatGeneralHelp(): string {
	return [
		'Usage: edgenet [--store <dir>] [dashboard options]',
		'       edgenet <command> [options] [--store <dir>]',
		'',
		...paragraph('Terminal dashboard for the Kubernetes networking of an edge appliance. Without a terminal, `edgenet` prints `edgenet status` and exits.'),
		'',
		'Dashboard options:',
		...formatEntries(dashboardOptions),
		'',
		'Commands:',
		...formatEntries(commands.map(command => [command.usage, command.summary])),
		'',
		...paragraph('Every command takes --store <dir> and --help. Exit codes: 0 done, 1 refused (nothing changed), 2 usage error.'),
		...paragraph('The store directory is --store, else $EDGENET_STORE, else the per-user config directory.'),
		'',
	].join('\n');
}
