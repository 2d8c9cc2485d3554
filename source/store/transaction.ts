/**
 * The one path of every change: take the write lock (waiting for another writer, and saying so once),
 * read what changed, write, raise the revision with the record of the route check, and commit. A change
 * that fails changes nothing, and a success is reported only after the commit.
 */

import type {Device} from '../domain/device.js';
import {auditRoutes, type RouteProblem} from '../domain/route-audit.js';
import type {RouteLookup} from '../domain/route-context.js';
import {stayedBusy, whileBusy} from './busy.js';
import {recordCheck} from './check-record.js';
import {ensureCurrentFile} from './connection.js';
import {refresh} from './refresh.js';
import type {DataTable} from './schema.js';
import type {Connection, StoreState, UpdateOptions} from './state.js';
import {sqliteCode, sqliteCodes, StoreError, toStoreError} from './store-error.js';
import {writeRevision} from './write-rows.js';

/** Takes the write lock (`BEGIN IMMEDIATE`), waiting while another process writes, and saying so once. */
function begin(connection: Connection, options: UpdateOptions): Promise<void> {
	return whileBusy(connection.database, 'BEGIN IMMEDIATE', () => stayedBusy(connection.file), options.onWait);
}

/**
 * Commits, waiting while readers of a database not yet in WAL mode hold it (a busy COMMIT stays open and
 * may be tried again); gives up after the same wait as a transaction's start, with SQLite's own error.
 */
function commit(connection: Connection): Promise<void> {
	return whileBusy(connection.database, 'COMMIT', error => error as Error);
}

/**
 * Runs a write transaction: what `write` returns is committed, or nothing is. `write` may roll back
 * itself when it has nothing to change. With `routesOnDemand`, routes the store knows keep the rules are
 * not read, and `write` gets a lookup instead (see `refresh`).
 */
export async function transact<R>(connection: Connection, options: UpdateOptions, write: (current: StoreState, lookup: RouteLookup | undefined) => R, routesOnDemand = false): Promise<R> {
	const {file} = connection;
	try {
		ensureCurrentFile(connection, 'write', options.onWait);
		await begin(connection, options);
	} catch (error) {
		throw toStoreError(error, file, 'write');
	}
	const {database} = connection;
	const before = connection.cache;
	let seen: StoreState | undefined;
	try {
		const refreshed = refresh(connection, routesOnDemand);
		seen = refreshed.state;
		const result = write(seen, refreshed.lookup);
		if (database.isTransaction) {
			await commit(connection);
		}
		return result;
	} catch (error) {
		connection.cache = before;
		if (database.isTransaction) {
			database.exec('ROLLBACK');
		}
		const hidden = seen?.problems ?? [];
		if (sqliteCode(error) === sqliteCodes.constraint && hidden.length > 0 && /routes\./.test(error instanceof Error ? error.message : '')) {
			throw new StoreError(
				`Nothing was changed: the store holds a route that breaks the route rules in the same place (${hidden.map(problem => problem.name).join(', ')}; \`edgenet status\` says why). Remove it first with \`edgenet route remove --interface … --destination …\`, written as it is there.`,
			);
		}
		throw toStoreError(error, file, 'write');
	}
}

/** Raises the revision for the tables a change wrote, and records the check of the routes at it. Call inside `transact`. */
export function commitRevision(connection: Connection, current: StoreState, name: string, changed: readonly DataTable[], problems: readonly RouteProblem[]): number {
	const revision = current.revision + 1;
	writeRevision(connection.database, name, revision, changed);
	recordCheck(connection.database, revision, problems, connection.ids);
	connection.unrecorded = undefined;
	return revision;
}

/** Records a changed device (its rows already written) inside `transact` and keeps the cache in step; returns the new revision. */
export function commitDevice(connection: Connection, current: StoreState, device: Device, changed: readonly DataTable[]): number {
	// A domain operation checks the routes it writes; only a change of what the rules read (ports, cluster, VMs) can make others break them.
	const rulesChanged = changed.some(table => table === 'ports' || table === 'cluster' || table === 'vms');
	const audit = rulesChanged ? auditRoutes(device) : {valid: device.routes, problems: current.problems};
	const revision = commitRevision(connection, current, device.name, changed, audit.problems);
	const tables = new Map(connection.cache?.tables ?? []);
	for (const table of changed) {
		tables.set(table, revision);
	}
	connection.cache = {state: {revision, device: audit.valid === device.routes ? device : {...device, routes: audit.valid}, problems: audit.problems}, tables};
	return revision;
}
