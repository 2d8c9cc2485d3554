/** The help texts, generated from the command records: `edgenet --help` and `edgenet <command> --help`. */

import type {Command} from './command.js';
import {commands} from './registry.js';

/** `edgenet <command> --help`. */
export function formatCommandHelp(command: Command): string {
	const width = Math.max(...command.options.map(([flag]) => flag.length));
	return [
		`Usage: edgenet ${command.usage}`,
		'',
		command.summary,
		'',
		'Options:',
		...command.options.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
		`  ${'--help'.padEnd(width)}  show this help`,
		'',
	].join('\n');
}

/** `edgenet --help`. */
export function formatGeneralHelp(): string {
	const width = Math.max(...commands.map(command => command.usage.length));
	return [
		'Usage: edgenet [--store <dir>] [--read-only] [--live [--netns <name>] [--vm master|worker]]   the dashboard',
		'       edgenet <command> [options] [--store <dir>]',
		'',
		'Terminal dashboard for the Kubernetes networking of an edge appliance.',
		'Without a terminal, `edgenet` prints `edgenet status` and exits.',
		'',
		'Commands:',
		...commands.map(command => `  ${command.usage.padEnd(width)}  ${command.summary}`),
		'',
		'Every command takes --store <dir> and --help. Exit codes: 0 done, 1 refused (nothing changed), 2 usage error.',
		`The store directory is --store, else $EDGENET_STORE, else the per-user config directory.`,
		'',
	].join('\n');
}
