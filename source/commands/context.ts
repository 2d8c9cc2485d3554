/**
 * What a non-interactive command is given by the composition root: its arguments, output streams
 * and the store, opened only when the command asks for it.
 */

import type {DeviceStore} from '../store/store.js';

/** Exit codes of every command: done, refused (nothing changed), usage error. */
export const exitCodes = {ok: 0, refused: 1, usage: 2} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The environment a command runs in. */
export type CommandContext = {
	/** Writes to standard output. */
	readonly out: (text: string) => void;
	/** Writes to standard error. */
	readonly err: (text: string) => void;
	/** Opens the store chosen by --store / EDGENET_STORE / the default; throws StoreError. */
	readonly openStore: () => DeviceStore;
	/** The store directory, for messages. */
	readonly storeDir: string;
	/** Reads an input file, or standard input for `-`; throws UsageError when it cannot. */
	readonly readInput: (source: string) => string;
};

/** A mistake in how a command was called: shown with the usage, exit code 2. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/** Tells the user once that a transaction waits for another edgenet to release the store. */
export function waitingForLock(context: CommandContext): () => void {
	return () => {
		context.err('edgenet: waiting for the store lock…\n');
	};
}
