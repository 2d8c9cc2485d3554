/**
 * The shapes shared by the parts of an open store: what it holds, what a watcher is told, the options
 * of a transaction, and the one record of a process's connection and of what it last read.
 */

import type {DatabaseSync} from 'node:sqlite';
import type {Device} from '../domain/device.js';
import type {RouteProblem} from '../domain/route-audit.js';
import type {RouteIds} from './route-rows.js';

/** What the store holds: the device, the revision every committed change raises, and the stored rows the rules refuse. */
export type StoreState = {
	readonly revision: number;
	readonly device: Device;
	/** Stored routes that break a route rule: kept out of `device`, so no lookup, export or `live apply` uses them. */
	readonly problems: readonly RouteProblem[];
};

/** What a watcher of the store is told: the new state, or why the store cannot be read now. */
export type StoreEvent = {readonly ok: true; readonly state: StoreState} | {readonly ok: false; readonly message: string};

/** Options of a transaction. */
export type UpdateOptions = {
	/** Called once if another process is writing the store and the transaction has to wait for it. */
	readonly onWait?: () => void;
};

/** What this process last read: the state and the revision of each table it came from. */
export type Cache = {readonly state: StoreState; readonly tables: ReadonlyMap<string, number>};

/**
 * One process's open store: the connection (replaced when another file is put at the store's path), the
 * row id of every route it read, and what it last read. The store's parts share it and keep it current.
 */
export type Connection = {
	readonly dir: string;
	readonly file: string;
	database: DatabaseSync;
	/** The file's device and inode when it was opened. */
	identity: string;
	/** Whether the database has the triggers that keep the record of the last route check honest. */
	checksRecorded: boolean;
	/** Whether the store may be written; a connection on one that may only be read is read-only, and a change is refused with the reason. */
	writable: boolean;
	/** Whether the file is read as one nobody changes (a store that may only be read, with no write-ahead log): it is opened again when written. */
	immutable: boolean;
	/** How many files this connection has been opened on (see `DeviceStore.generation`). */
	generation: number;
	readonly ids: RouteIds;
	cache: Cache | undefined;
	/** Set when a read checked the routes anew: the result is recorded in the store when it can be, so the next process need not. */
	unrecorded: {readonly revision: number; readonly problems: readonly RouteProblem[]} | undefined;
};
