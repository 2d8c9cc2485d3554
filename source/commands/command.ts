/** The record every subcommand is: its usage and help lines, and the function that runs it. */

import type {CommandContext, ExitCode} from './context.js';

/** One subcommand. */
export type Command = {
	/** The name typed after `edgenet`. */
	readonly name: string;
	/** Other spellings that run the same command (compared case-insensitively). */
	readonly aliases?: readonly string[];
	/** The synopsis line after `edgenet`. */
	readonly usage: string;
	/** What the command is for, in one line. */
	readonly summary: string;
	/** Option lines for `--help`. */
	readonly options: ReadonlyArray<readonly [string, string]>;
	/** Runs the command with the arguments after its name; throws UsageError for a call it cannot take. */
	readonly run: (args: readonly string[], context: CommandContext) => ExitCode | Promise<ExitCode>;
};

/** The `--store` line every command's help ends with. */
export const storeOption = ['--store <dir>', 'the store directory (default: $EDGENET_STORE, else the per-user config directory)'] as const;
