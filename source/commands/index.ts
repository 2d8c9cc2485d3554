/**
 * The non-interactive commands. Each is a record with its usage and a run function; `edgenet --help`
 * and `edgenet <command> --help` are generated from these records.
 */

import {resetToDemo} from '../store/store.js';
import {type CommandContext, type ExitCode, exitCodes, UsageError} from './context.js';
import {parseCommandArgs} from './parse.js';
import {formatStatusText, statusDocument} from './status.js';

/** One subcommand. */
export type Command = {
	readonly name: string;
	/** Other spellings that run the same command (compared case-insensitively). */
	readonly aliases?: readonly string[];
	/** The synopsis line after `edgenet`. */
	readonly usage: string;
	/** What the command is for, in one line. */
	readonly summary: string;
	/** Option lines for `--help`. */
	readonly options: ReadonlyArray<readonly [string, string]>;
	readonly run: (args: readonly string[], context: CommandContext) => ExitCode;
};

const storeOption = ['--store <dir>', 'the store directory (default: $EDGENET_STORE, else the per-user config directory)'] as const;

const statusCommand: Command = {
	name: 'status',
	usage: 'status [--json]',
	summary: 'print every layer of the device: ports, switches, VMs, pods, services, DNS, routes',
	options: [['--json', 'one JSON document instead of text tables'], storeOption],
	run(args, context) {
		const {values} = parseCommandArgs(args, {json: {type: 'boolean'}});
		const store = context.openStore();
		const {device} = store.read();
		context.out(values.json ? `${JSON.stringify(statusDocument(device), undefined, 2)}\n` : formatStatusText(device, store.path));
		return exitCodes.ok;
	},
};

const resetCommand: Command = {
	name: 'reset',
	usage: 'reset --demo',
	summary: 'write the embedded demo device to the store (a copy of the old file is kept)',
	options: [['--demo', 'required: say which device to write'], storeOption],
	run(args, context) {
		const {values} = parseCommandArgs(args, {demo: {type: 'boolean'}});
		if (!values.demo) {
			throw new UsageError('reset needs --demo: it replaces the whole store with the demo device');
		}
		const result = resetToDemo(context.storeDir);
		context.out(`Wrote the demo device to ${result.path}.\n`);
		if (result.backup) {
			context.out(`The previous file is kept as ${result.backup}.\n`);
		}
		return exitCodes.ok;
	},
};

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [statusCommand, resetCommand];

/** Finds a command by name or alias, ignoring case. */
export function findCommand(name: string): Command | undefined {
	const wanted = name.toLowerCase();
	return commands.find(command => command.name === wanted || command.aliases?.some(alias => alias.toLowerCase() === wanted));
}

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
		'Usage: edgenet [--store <dir>] [--read-only]        open the dashboard (at a terminal)',
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
