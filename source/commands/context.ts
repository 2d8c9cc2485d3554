/**
 * What a non-interactive command is given by the composition root: its arguments, output streams
 * and the store, opened only when the command asks for it.
 */

import type {Device} from '../domain/device.js';
import {plural} from '../domain/plural.js';
import type {DeviceStore, UpdateOptions} from '../store/store.js';
import {sanitize} from '../view-models/sanitize.js';
import {waitingForStoreNotice} from '../view-models/store-notices.js';

/** Exit codes of every command: done, refused (nothing changed), usage error. */
export const exitCodes = {ok: 0, refused: 1, usage: 2} as const;

/** The exit code a command ends with. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The environment a command runs in. */
export type CommandContext = {
	/** Writes to standard output. */
	readonly out: (text: string) => void;
	/** Writes to standard error. */
	readonly err: (text: string) => void;
	/** Opens the store chosen by --store / EDGENET_STORE / the default; throws StoreError. */
	readonly openStore: () => DeviceStore;
	/** Replaces the whole device in one transaction, keeping a copy of the store as it was; throws StoreError. */
	readonly replaceDevice: (device: Device, options: UpdateOptions) => Promise<{readonly path: string; readonly backup: string | undefined}>;
	/** Prepares the store directory for every member of a Unix group; throws StoreError. */
	readonly shareStore: (group: string) => {readonly dir: string; readonly file: string; readonly created: boolean};
	/** Reads an input file, or standard input for `-`; throws UsageError when it cannot. */
	readonly readInput: (source: string) => string;
	/** Whether an error is a failure the store reports (StoreError): its message is for the user, and the command exits 1. */
	readonly isStoreError: (error: unknown) => error is Error;
};

/** A mistake in how a command was called: shown with the usage, exit code 2. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/** Tells the user once that a transaction waits for another edgenet to release the store. */
export function waitingForLock(context: Pick<CommandContext, 'err'>): () => void {
	return () => {
		context.err(`edgenet: ${waitingForStoreNotice}\n`);
	};
}

/** Tells on standard error that the store holds routes the rules refuse, which the command leaves out. */
export function warnStoreProblems(context: CommandContext, problems: readonly {readonly name: string}[]): void {
	if (problems.length > 0) {
		context.err(`edgenet: the store holds ${plural(problems.length, 'route that breaks', 'routes that break')} the route rules, left out here (${problems.map(problem => sanitize(problem.name)).join(', ')}); \`edgenet status\` says why.\n`);
	}
}

/** Opens the store and reads the device, telling of stored routes the rules refuse (which the device leaves out). */
export function readDevice(context: CommandContext): Device {
	const {device, problems} = context.openStore().read();
	warnStoreProblems(context, problems);
	return device;
}
