/**
 * The device store: the one module that touches the device's data. One SQLite database, `device.db`, per
 * store directory (WAL mode, foreign keys on), a table per layer of the device model. Every change is one
 * `BEGIN IMMEDIATE … COMMIT` that reads what it needs, applies a domain operation and writes only the
 * rows that changed; a success is reported only after the commit.
 *
 * This file is the store's public face (what `cli.tsx` and the commands import) and composes its parts:
 * `connection.ts` (opening; `files.ts`, `permissions.ts` and `store-error.ts` check the files and word the
 * faults), `create.ts` (a new database), `refresh.ts` (reading what changed), `transaction.ts` (the
 * commit path), `check-record.ts` (the record of the route check), `watch.ts` (live refresh), and the
 * rows of each table in `read-rows.ts`, `route-rows.ts` and `write-rows.ts`.
 */

import fs from 'node:fs';
import {createDemoDevice} from '../domain/demo.js';
import type {Device} from '../domain/device.js';
import type {RouteProblem} from '../domain/route-audit.js';
import type {RouteLookup} from '../domain/route-context.js';
import {applyRouteEdit, type RouteEdit} from '../domain/routes.js';
import {connect, openConnection} from './connection.js';
import {createStore} from './create.js';
import {createExclusive, ensureDirectory, refuseLink} from './files.js';
import {companionSuffixes, storeFilePath, timestamp} from './location.js';
import {modesOf, storeModes} from './permissions.js';
import {readStore} from './refresh.js';
import {writeRouteEdit} from './route-rows.js';
import type {Connection, StoreEvent, StoreState, UpdateOptions} from './state.js';
import {StoreError, toStoreError} from './store-error.js';
import {commitDevice, commitRevision, transact} from './transaction.js';
import {dataVersion, watchStore} from './watch.js';
import {writeChanges} from './write-rows.js';

/** What cli.tsx and the commands import from the store, defined in its parts. */
export {resolveStoreDir, storeFilePath} from './location.js';
export type {StoreEvent, StoreState, UpdateOptions} from './state.js';
export {StoreError} from './store-error.js';

/** A store directory opened for reading and writing. */
export type DeviceStore = {
	/** The database file. */
	readonly path: string;
	readonly dir: string;
	/** Whether opening it wrote the demo device (or migrated a `device.json`) because there was no database yet. */
	readonly created: boolean;
	/** The old JSON file's new name, when opening migrated it. */
	readonly migratedFrom: string | undefined;
	/**
	 * Counts the files this store has been opened on: it grows when the database at the store's path is
	 * replaced by another one, whose revisions say nothing about this one's.
	 */
	readonly generation: number;
	/** Whether this user may change the store (not a read-only mount, not another user's store it may only read); a change to one that may not is refused. */
	readonly writable: boolean;
	/** Reads the store as it is now (only what changed since the last read). Throws StoreError. */
	read(): StoreState;
	/**
	 * A transaction: waits for the store's write lock, reads the device as it is now, applies the change and
	 * writes what it returns: the one route row of an `edit`, or what a returned device changed (nothing
	 * when it returns neither). The change also gets the current revision and, when the store has not read
	 * the routes (it knows they keep the rules), a lookup that answers the rules' questions about them
	 * without reading them all; a change that reads `device.routes` instead gets them all. Resolves after
	 * the commit; rejects with StoreError, having changed nothing.
	 */
	update<T extends {readonly device?: Device; readonly edit?: RouteEdit}>(
		apply: (device: Device, revision: number, routes: RouteLookup | undefined) => T,
		options?: UpdateOptions,
	): Promise<T & {readonly revision: number}>;
	/**
	 * Replaces the whole device in one transaction with the device `apply` makes of the current one, keeping
	 * a copy of the database as it was (its path is `backup`). A device that keeps the current routes
	 * leaves the stored routes, those that break the rules included, as they are. When `apply` returns no
	 * device, nothing is written and no copy is kept.
	 */
	replace<T extends {readonly device?: Device}>(
		apply: (device: Device) => T,
		options?: UpdateOptions & {readonly now?: Date},
	): Promise<T & {readonly revision: number; readonly backup: string | undefined}>;
	/** Removes a stored route that breaks the route rules (which no domain operation sees), by its key as written; returns it, or nothing when there is none. */
	removeRefusedRoute(key: {readonly interface: string; readonly destinationPrefix: string}): Promise<RouteProblem | undefined>;
	/** Calls the listener when anyone changes the store, or when it can no longer be read (and again when it can). Returns a function that stops watching. */
	watch(listener: (event: StoreEvent) => void): () => void;
	/** Closes the database. */
	close(): void;
};

/** Whether a stored route has the key as a person typed it (the interface in any case). */
function isKeyOf(route: Device['routes'][number], key: {readonly interface: string; readonly destinationPrefix: string}): boolean {
	return route.interface.trim().toLowerCase() === key.interface.trim().toLowerCase() && route.destinationPrefix.trim() === key.destinationPrefix.trim();
}

/**
 * Opens the store in a directory (creating it, 0700, when missing). With no database yet the demo device
 * is written, or an old `device.json` migrated. A database of an older schema is upgraded when the store
 * can be written (`onWait` is told if that waits for another writer), and read as it is when it cannot.
 * A database that is damaged, from a newer edgenet or not an edgenet store is refused with a StoreError
 * and left byte-identical.
 */
export function openStore(dir: string, now = new Date(), options: UpdateOptions = {}): DeviceStore {
	const file = storeFilePath(dir);
	let created = false;
	let migratedFrom: string | undefined;
	try {
		refuseLink(file);
		if (!fs.existsSync(file)) {
			ensureDirectory(dir, storeModes.personal.directory);
			({created, migratedFrom} = createStore(dir, file, now));
		}
	} catch (error) {
		throw toStoreError(error, file, 'write');
	}
	const connection: Connection = {dir, file, ...connect(dir, file, 'read', options.onWait), generation: 0, ids: new WeakMap(), cache: undefined, unrecorded: undefined};
	const read = () => readStore(connection);

	return {
		path: file,
		dir,
		created,
		migratedFrom,
		get writable() {
			return connection.writable;
		},
		get generation() {
			return connection.generation;
		},
		read,
		async update(apply, options = {}) {
			return transact(
				connection,
				options,
				(current, lookup) => {
					const {database, ids} = connection;
					const result = apply(current.device, current.revision, lookup);
					if (!result.edit && !result.device) {
						database.exec('ROLLBACK');
						return {...result, revision: current.revision};
					}
					let revision: number;
					if (result.edit) {
						writeRouteEdit(database, result.edit, ids);
						// With a lookup the routes were not read, so there is no device to keep in step.
						revision = lookup
							? commitRevision(connection, current, current.device.name, ['routes'], current.problems)
							: commitDevice(connection, current, applyRouteEdit(current.device, result.edit), ['routes']);
					} else {
						revision = commitDevice(connection, current, result.device!, writeChanges(database, current.device, result.device!, ids));
					}
					if (lookup) {
						// Routes not read (or read apart from the cache): the next read reads them in a transaction of its own.
						connection.cache = undefined;
					}
					return {...result, revision};
				},
				true,
			);
		},
		async replace(apply, options = {}) {
			const backup = `${file}.bak-${timestamp(options.now ?? new Date())}`;
			let copied = false;
			try {
				return await transact(connection, options, current => {
					const result = apply(current.device);
					const {device} = result;
					if (device === undefined) {
						return {...result, revision: current.revision, backup: undefined};
					}
					// The write lock is held and nothing is written yet: a second connection copies exactly what is committed now.
					createExclusive(backup, modesOf(dir).file);
					copied = true;
					const copier = openConnection(file);
					try {
						copier.prepare('VACUUM INTO ?').run(backup);
					} catch (error) {
						fs.rmSync(backup, {force: true});
						throw error;
					} finally {
						copier.close();
					}
					// A device that keeps the current routes (an import of pods and services) writes only the layers it changed, so stored
					// routes that break the rules, which `device.routes` never holds, stay for `status` to report. Any other is written whole.
					const before = device.routes === current.device.routes ? current.device : undefined;
					const changed = writeChanges(connection.database, before, device, connection.ids);
					return {...result, revision: commitDevice(connection, current, device, changed), backup};
				});
			} catch (error) {
				// Nothing was replaced, so there is nothing to keep a copy of.
				if (copied) {
					fs.rmSync(backup, {force: true});
				}
				throw error;
			}
		},
		async removeRefusedRoute(key) {
			// Routes on demand: a store whose record says no route breaks the rules has nothing to remove, and reads none.
			return transact(
				connection,
				{},
				current => {
					const {database, ids} = connection;
					const problem = current.problems.find(candidate => isKeyOf(candidate.route, key));
					const id = problem ? ids.get(problem.route) : undefined;
					if (!problem || id === undefined) {
						database.exec('ROLLBACK');
						return undefined;
					}
					database.prepare('DELETE FROM routes WHERE id = ?').run(id);
					const problems = current.problems.filter(candidate => candidate !== problem);
					const revision = commitRevision(connection, current, current.device.name, ['routes'], problems);
					connection.cache = {state: {...current, revision, problems}, tables: new Map([...(connection.cache?.tables ?? []), ['routes', revision]])};
					return problem;
				},
				true,
			);
		},
		watch(listener) {
			return watchStore({file, read, dataVersion: () => dataVersion(connection.database), generation: () => connection.generation}, listener);
		},
		close() {
			connection.database.close();
		},
	};
}

/** Moves a store file that cannot be opened aside (with SQLite's companions), so a new one can take its place; returns the copy's path. */
function moveAside(file: string, now: Date): string | undefined {
	if (!fs.existsSync(file)) {
		return undefined;
	}
	const backup = `${file}.bak-${timestamp(now)}`;
	fs.renameSync(file, backup);
	for (const suffix of companionSuffixes) {
		if (fs.existsSync(`${file}${suffix}`)) {
			fs.renameSync(`${file}${suffix}`, `${backup}${suffix}`);
		}
	}
	return backup;
}

/**
 * Replaces the device in a store directory, whatever it holds now: in one transaction, keeping a copy of
 * the database as `device.db.bak-<time>`. A database that cannot be opened is moved aside under that name
 * instead, and a new one made. Returns the copy's path, if there was anything to keep.
 */
export async function replaceStore(dir: string, device: Device, now = new Date(), options: UpdateOptions = {}): Promise<{readonly path: string; readonly backup: string | undefined}> {
	const file = storeFilePath(dir);
	let store: DeviceStore;
	let backup: string | undefined;
	try {
		store = openStore(dir, now, options);
	} catch (error) {
		if (!(error instanceof StoreError) || !error.damaged) {
			throw error;
		}
		try {
			backup = moveAside(file, now);
			store = openStore(dir, now, options);
		} catch (retry) {
			throw toStoreError(retry, file, 'write');
		}
	}
	try {
		if (store.created) {
			// A new store holds only what opening it wrote just now (the demo device, or a migrated device.json kept as it was): nothing older to keep.
			await store.update(() => ({device}), options);
			return {path: file, backup};
		}
		const result = await store.replace(() => ({device}), {...options, now});
		return {path: file, backup: backup ?? result.backup};
	} finally {
		store.close();
	}
}

/** Writes the demo device to the store, whatever it holds now, keeping a copy of what was there. */
export async function resetToDemo(dir: string, now = new Date(), options: UpdateOptions = {}): Promise<{readonly path: string; readonly backup: string | undefined}> {
	return replaceStore(dir, createDemoDevice(), now, options);
}
