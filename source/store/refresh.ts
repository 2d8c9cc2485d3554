/**
 * Reading the store: only the tables that changed since this process last read them, the big lists when
 * first used, and the routes checked by the rules (or by the store's record of their last check).
 */

import {type Device, heldAddresses, type Pod, type Service} from '../domain/device.js';
import type {RouteLookup} from '../domain/route-context.js';
import {checkedWithoutProblems, checkRoutes, recordCheck} from './check-record.js';
import {ensureCurrentFile} from './connection.js';
import {readCluster, readInternalSwitch, readName, readPodAddresses, readPods, readPorts, readServiceAddresses, readServices, readTableRevisions, readVms} from './read-rows.js';
import {readRoutes, routeLookup} from './route-rows.js';
import type {DataTable} from './schema.js';
import type {Connection, StoreState} from './state.js';
import {StoreError, toStoreError} from './store-error.js';

/**
 * A list read from the database when first used: the first frame of a large device need not read 20,000
 * pods. Until it is read, `addresses` (when given) answers the domain's `heldAddresses` by reading only the
 * address columns; once read, the items answer it.
 */
function lazyList<T extends object>(load: () => T[], addresses?: () => readonly string[]): T[] {
	let items: T[] | undefined;
	const target = (): T[] => (items ??= load());
	return new Proxy([] as T[], {
		get(_shell, property) {
			if (property === heldAddresses) {
				return items ? undefined : addresses;
			}
			const list = target();
			const value = Reflect.get(list, property, list) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(list) : value;
		},
		has: (_shell, property) => Reflect.has(target(), property),
		ownKeys: () => Reflect.ownKeys(target()),
		getOwnPropertyDescriptor(_shell, property) {
			const descriptor = Reflect.getOwnPropertyDescriptor(target(), property);
			return descriptor && property !== 'length' ? {...descriptor, configurable: true} : descriptor;
		},
		set: () => false,
		defineProperty: () => false,
		deleteProperty: () => false,
	});
}

/**
 * Reads the tables that changed since the cache was filled. Call inside a transaction. For a change
 * (`routesOnDemand`), routes the store has checked already are not read: the state's routes load when
 * first asked for, and the lookup answers the rules' questions from the table's indexes. Such a state is
 * not cached (its routes may never be read).
 */
export function refresh(connection: Connection, routesOnDemand = false): {readonly state: StoreState; readonly lookup?: RouteLookup} {
	const {database, file, ids, cache} = connection;
	const head = readName(database);
	if (!head) {
		throw new StoreError(`The store file ${file} has no device row. It was left unchanged. Restore a backup with \`edgenet import device FILE\`.`, {damaged: true});
	}
	if (cache && cache.state.revision === head.revision) {
		return {state: cache.state};
	}
	const tables = readTableRevisions(database);
	const stale = (table: DataTable) => !cache || cache.tables.get(table) !== tables.get(table);
	const old = cache?.state.device;
	const ports = old && !stale('ports') ? old.ports : readPorts(database);
	const internalSwitch = old && !stale('switches') ? old.internalSwitch : readInternalSwitch(database);
	const cluster = old && !stale('cluster') ? old.cluster : readCluster(database);
	const vms = old && !stale('vms') ? old.vms : readVms(database);
	// A list loaded later reads through the connection the store has then, as every other read does.
	const pods = old && !stale('pods') ? old.pods : lazyList<Pod>(() => readPods(connection.database), () => readPodAddresses(connection.database));
	const services = old && !stale('services') ? old.services : lazyList<Service>(() => readServices(connection.database), () => readServiceAddresses(connection.database));
	const routesChanged = !old || stale('routes') || stale('ports') || stale('cluster') || stale('vms');
	let {problems} = cache?.state ?? {problems: []};
	let routes = old?.routes ?? [];
	if (routesOnDemand && (!old || stale('routes')) && checkedWithoutProblems(connection, head.revision)) {
		routes = lazyList(() => readRoutes(connection.database, ids));
		const device: Device = {name: head.name, ports, internalSwitch, cluster, vms, pods, services, routes};
		return {state: {revision: head.revision, device, problems: []}, lookup: routeLookup(database, ids)};
	}
	if (routesChanged) {
		const stored = old && !stale('routes') ? [...old.routes, ...problems.map(problem => problem.route)].sort((a, b) => (ids.get(a) ?? 0) - (ids.get(b) ?? 0)) : readRoutes(database, ids);
		const audit = checkRoutes(connection, head.revision, {name: head.name, ports, internalSwitch, cluster, vms, pods: [], services: [], routes: stored});
		routes = audit.valid;
		problems = audit.problems;
	}
	const device: Device = {name: head.name, ports, internalSwitch, cluster, vms, pods, services, routes};
	connection.cache = {state: {revision: head.revision, device, problems}, tables};
	return {state: connection.cache.state};
}

/** Reads the store as it is now, in a read transaction of its own (only what changed since the last read). Throws StoreError. */
export function readStore(connection: Connection): StoreState {
	// A write of this store's own is waiting to commit: what it read is the state until then.
	if (connection.database.isTransaction && connection.cache) {
		return connection.cache.state;
	}
	let state: StoreState;
	try {
		ensureCurrentFile(connection, 'read');
		const {database} = connection;
		database.exec('BEGIN');
		try {
			({state} = refresh(connection));
		} finally {
			database.exec('COMMIT');
		}
	} catch (error) {
		throw toStoreError(error, connection.file, 'read');
	}
	recordLater(connection);
	return state;
}

/** Records a check a read made, if the store can be written at once and has not changed since; a reader never waits or fails for it. */
function recordLater(connection: Connection): void {
	const {database, ids, unrecorded: pending} = connection;
	connection.unrecorded = undefined;
	if (!pending || !connection.checksRecorded || !connection.writable) {
		return;
	}
	try {
		database.exec('BEGIN IMMEDIATE');
		try {
			if (readName(database)?.revision === pending.revision) {
				recordCheck(database, pending.revision, pending.problems, ids);
			}
		} finally {
			database.exec('COMMIT');
		}
	} catch {
		if (database.isTransaction) {
			database.exec('ROLLBACK');
		}
	}
}
