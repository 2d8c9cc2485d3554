/** The record every subcommand is: its usage and help lines, and the function that runs it. */

import type {CommandContext, ExitCode} from './context.js';

/** What a help text is made of: `edgenet <usage>`, what it is for, its options and the rules its values keep. */
export type HelpTopic = {
	/** The name typed after `edgenet` (or after the command, for a subcommand). */
	readonly name: string;
	/** The synopsis line after `edgenet`. */
	readonly usage: string;
	/** What it is for, in a line or two. */
	readonly summary: string;
	/** Option lines for `--help`. */
	readonly options: ReadonlyArray<readonly [string, string]>;
	/** What the values must be, a sentence each: the help's Rules section. */
	readonly rules?: readonly string[];
};

/** One command. */
export type Command = HelpTopic & {
	/** Other spellings that run the same command (compared case-insensitively). */
	readonly aliases?: readonly string[];
	/** The subcommands with help of their own: `edgenet route add --help`. */
	readonly subcommands?: readonly HelpTopic[];
	/** Runs the command with the arguments after its name; throws UsageError for a call it cannot take. */
	readonly run: (args: readonly string[], context: CommandContext) => ExitCode | Promise<ExitCode>;
};

/** The `--store` line every command's help ends with. */
export const storeOption = ['--store <dir>', 'the store directory (default: $EDGENET_STORE, else the per-user config directory)'] as const;

/** The help of a command, or of its subcommand when `args` start with one: `edgenet route add --help`. */
export function helpTopic(command: Command, args: readonly string[]): HelpTopic {
	const [first] = args;
	return command.subcommands?.find(subcommand => subcommand.name === first) ?? command;
}
