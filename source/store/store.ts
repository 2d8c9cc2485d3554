/**
 * The device store: the one module that touches the device's data. One SQLite database, `device.db`, per
 * store directory (WAL mode, foreign keys on), a table per layer of the device model. Every change is one
 * `BEGIN IMMEDIATE … COMMIT` that reads what it needs, applies a domain operation and writes only the
 * rows that changed; a success is reported only after the commit.
 */

import fs from 'node:fs';
import path from 'node:path';
import type {DatabaseSync} from 'node:sqlite';
import envPaths from 'env-paths';
import {createDemoDevice} from '../domain/demo.js';
import type {Device, Pod, Service} from '../domain/device.js';
import type {RouteLookup} from '../domain/route-context.js';
import {applyRouteEdit, type RouteEdit} from '../domain/routes.js';
import {parseDeviceDocumentText} from '../domain/device-document.js';
import {auditRoutes, nameOf, type RouteAudit, type RouteProblem, routeRulesVersion} from '../domain/route-audit.js';
import {
	checkAccess,
	checkDatabaseHeader,
	createExclusive,
	ensureDirectory,
	modesOf,
	openConnection,
	refuseLink,
	sqliteCode,
	sqliteCodes,
	StoreError,
	storeModes,
	tightenMode,
	toStoreError,
} from './database.js';
import {
	readCluster,
	readInternalSwitch,
	readName,
	readPods,
	readPorts,
	readRoutes,
	readServices,
	readTableRevisions,
	readVms,
	type RouteIds,
	routeLookup,
	writeChanges,
	writeRevision,
	writeRouteEdit,
} from './rows.js';
import {checkTriggers, createStatements, currentSchemaVersion, type DataTable, dataTables, tableColumns} from './schema.js';

export {StoreError} from './database.js';

/** What the store holds: the device, the revision every committed change raises, and the stored rows the rules refuse. */
export type StoreState = {
	readonly revision: number;
	readonly device: Device;
	/** Stored routes that break a route rule: kept out of `device`, so no lookup, export or `live apply` uses them. */
	readonly problems: readonly RouteProblem[];
};

/** The database's name inside a store directory. */
export const storeFileName = 'device.db';

/** The JSON file of edgenet 0.1, migrated on first open. */
export const legacyFileName = 'device.json';

/** The environment variable that names a store directory. */
export const storeEnvironmentVariable = 'EDGENET_STORE';

/** The per-user config directory for edgenet (on Linux `~/.config/edgenet`, or under `$XDG_CONFIG_HOME`). */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
	const xdg = env['XDG_CONFIG_HOME'];
	return process.platform === 'linux' && xdg && path.isAbsolute(xdg) ? path.join(xdg, 'edgenet') : envPaths('edgenet', {suffix: ''}).config;
}

/** The store directory: `--store`, else `EDGENET_STORE`, else the per-user default. */
export function resolveStoreDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
	const chosen = option ?? (env[storeEnvironmentVariable] || undefined);
	return path.resolve(chosen ?? defaultStoreDir(env));
}

/** The path of the database in a store directory. */
export function storeFilePath(dir: string): string {
	return path.join(dir, storeFileName);
}

/** The files SQLite keeps beside the database. */
const companionSuffixes = ['-wal', '-shm'] as const;

/** What a watcher of the store is told: the new state, or why the store cannot be read now. */
export type StoreEvent = {readonly ok: true; readonly state: StoreState} | {readonly ok: false; readonly message: string};

/** Options of a transaction. */
export type UpdateOptions = {
	/** Called once if another process is writing the store and the transaction has to wait for it. */
	readonly onWait?: () => void;
};

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
	/** Replaces the whole device in one transaction, keeping a copy of the database as it was; returns the copy's path. */
	replace(device: Device, options?: UpdateOptions & {readonly now?: Date}): Promise<{readonly revision: number; readonly backup: string}>;
	/** Removes a stored route that breaks the route rules (which no domain operation sees), by its key as written; returns it, or nothing when there is none. */
	removeRefusedRoute(key: {readonly interface: string; readonly destinationPrefix: string}): Promise<RouteProblem | undefined>;
	/** Calls the listener when anyone changes the store, or when it can no longer be read (and again when it can). Returns a function that stops watching. */
	watch(listener: (event: StoreEvent) => void): () => void;
	/** Closes the database. */
	close(): void;
};

/** How long a transaction waits for another writer before giving up. */
export const busyWaitMs = 15_000;

/** How often an open dashboard looks for commits of other sessions (`PRAGMA data_version`). */
const pollMs = 250;

const sleep = (ms: number) =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

/** Whether a stored route has the key as a person typed it (the interface in any case). */
function isKeyOf(route: Device['routes'][number], key: {readonly interface: string; readonly destinationPrefix: string}): boolean {
	return route.interface.trim().toLowerCase() === key.interface.trim().toLowerCase() && route.destinationPrefix.trim() === key.destinationPrefix.trim();
}

/** Connections whose file was removed or replaced: kept open for good, since closing one would delete the WAL now beside another database. */
const abandoned: DatabaseSync[] = [];

const timestamp = (now: Date) => now.toISOString().replaceAll(':', '-');

/** Schema and data of a new database, in one transaction. */
function createSchema(database: DatabaseSync, device: Device, revision: number): void {
	database.exec('BEGIN IMMEDIATE');
	try {
		for (const statement of createStatements) {
			database.exec(statement);
		}
		const ids: RouteIds = new WeakMap();
		const changed = writeChanges(database, undefined, device, ids);
		writeRevision(database, device.name, revision, changed);
		recordCheck(database, revision, auditRoutes(device).problems, ids);
		database.exec(`PRAGMA user_version = ${currentSchemaVersion}`);
		database.exec('COMMIT');
	} catch (error) {
		if (database.isTransaction) {
			database.exec('ROLLBACK');
		}
		throw error;
	}
}

/** Why an old `device.json` cannot be migrated, or the device and revision it holds. */
function readLegacyFile(file: string): {readonly device: Device; readonly revision: number} {
	let text: string;
	try {
		const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
		try {
			text = fs.readFileSync(fd, 'utf8');
		} finally {
			fs.closeSync(fd);
		}
	} catch (error) {
		throw toStoreError(error, file, 'read');
	}
	const fix = `It was left unchanged and nothing was migrated. Repair it by hand, or move it away to start from the demo device.`;
	const parsed = parseDeviceDocumentText(text);
	if (!parsed.ok) {
		throw new StoreError(`Cannot migrate the store file ${file} to the database: ${parsed.error}. ${fix}`);
	}
	const audit = auditRoutes(parsed.device);
	if (audit.problems.length > 0) {
		throw new StoreError(`Cannot migrate the store file ${file} to the database: ${audit.problems.map(problem => `${problem.name}: ${problem.reason}`).join('; ')}. ${fix}`);
	}
	return {device: parsed.device, revision: (parsed.revision ?? 0) + 1};
}

/**
 * Creates `device.db` when there is none: built whole under a private name, then linked into place, so
 * no process ever sees a half-made database and of several starting together exactly one wins. A
 * `device.json` of edgenet 0.1 is migrated (and renamed, never deleted); otherwise the demo device is written.
 */
function createStore(dir: string, file: string, now: Date): {readonly created: boolean; readonly migratedFrom: string | undefined} {
	const legacy = path.join(dir, legacyFileName);
	refuseLink(legacy);
	const source = fs.existsSync(legacy) ? readLegacyFile(legacy) : {device: createDemoDevice(), revision: 0};
	const modes = modesOf(dir);
	// node:crypto is loaded here, on the rare path that needs it, not by every command.
	const {randomBytes} = process.getBuiltinModule('node:crypto');
	const staging = `${file}.new-${randomBytes(8).toString('hex')}`;
	createExclusive(staging, modes.file);
	try {
		const database = openConnection(staging);
		try {
			createSchema(database, source.device, source.revision);
			// In WAL mode from the start, so no opener has to switch it while others read.
			database.exec('PRAGMA journal_mode = WAL');
		} finally {
			database.close();
		}
		// A WAL left without its database would be replayed into the new one: keep it aside instead.
		for (const suffix of companionSuffixes) {
			const companion = `${file}${suffix}`;
			if (!fs.existsSync(file) && fs.existsSync(companion)) {
				fs.renameSync(companion, `${companion}.orphan-${timestamp(now)}`);
			}
		}
		try {
			fs.linkSync(staging, file);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
				return {created: false, migratedFrom: undefined};
			}
			throw error;
		}
	} finally {
		for (const leftover of [staging, `${staging}-journal`, `${staging}-wal`, `${staging}-shm`]) {
			fs.rmSync(leftover, {force: true});
		}
	}
	if (source.device !== undefined && fs.existsSync(legacy)) {
		const migrated = `${legacy}.migrated-${timestamp(now)}`;
		try {
			fs.renameSync(legacy, migrated);
			return {created: true, migratedFrom: migrated};
		} catch {
			// Another process migrating the same file renamed it first.
		}
	}
	return {created: true, migratedFrom: undefined};
}

/**
 * Refuses a database this edgenet must not write: newer, or not shaped as edgenet makes it. Writes nothing.
 * Returns whether the triggers that keep the record of the last route check honest are all there.
 */
function checkSchema(database: DatabaseSync, file: string): boolean {
	const version = Number((database.prepare('PRAGMA user_version').get() as {user_version: number}).user_version);
	if (version > currentSchemaVersion) {
		throw new StoreError(
			`The store file ${file} was written by a newer edgenet (database schema ${version}; this edgenet reads schema ${currentSchemaVersion}). Upgrade edgenet to open it; the file was left unchanged.`,
		);
	}
	const tables = new Set((database.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as Array<{name: string}>).map(row => row.name));
	if (version === 0 && tables.size === 0) {
		throw new StoreError(`The store file ${file} is an empty SQLite database, not an edgenet store. It was left unchanged. Move it away to start again from the demo device.`, {damaged: true});
	}
	for (const [table, columns] of Object.entries(tableColumns)) {
		if (!tables.has(table)) {
			throw new StoreError(`The store file ${file} has no table "${table}", so it is not a whole edgenet store. It was left unchanged. Restore a backup with \`edgenet import device FILE\`, or move it away to start again from the demo device.`, {damaged: true});
		}
		const present = new Set((database.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{name: string}>).map(row => row.name));
		const absent = columns.filter(column => !present.has(column));
		if (absent.length > 0) {
			throw new StoreError(`The store file ${file}: table "${table}" has no column ${absent.map(column => `"${column}"`).join(', ')}. It was left unchanged. Restore a backup with \`edgenet import device FILE\`.`, {damaged: true});
		}
	}
	const triggers = new Set((database.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger'`).all() as Array<{name: string}>).map(row => row.name));
	return checkTriggers.every(trigger => triggers.has(trigger.name));
}

/** Opens a connection on an existing database after checking the file, its header and its schema; sets WAL mode. */
function connect(dir: string, file: string, action: 'read' | 'write' = 'read'): {readonly database: DatabaseSync; readonly identity: string; readonly checksRecorded: boolean} {
	for (const candidate of [file, ...companionSuffixes.map(suffix => `${file}${suffix}`)]) {
		refuseLink(candidate);
	}
	checkAccess(dir, file, action);
	checkDatabaseHeader(file);
	const modes = modesOf(dir);
	for (const candidate of [file, ...companionSuffixes.map(suffix => `${file}${suffix}`)]) {
		tightenMode(candidate, modes);
	}
	let database: DatabaseSync | undefined;
	try {
		database = openConnection(file);
		const checksRecorded = checkSchema(database, file);
		const mode = (database.prepare('PRAGMA journal_mode').get() as {journal_mode: string}).journal_mode;
		if (mode !== 'wal') {
			try {
				database.exec('PRAGMA journal_mode = WAL');
			} catch (error) {
				// Another process reading at this moment: the store works in its present mode, and the next opener switches it.
				if (sqliteCode(error) !== sqliteCodes.busy && sqliteCode(error) !== sqliteCodes.locked) {
					throw error;
				}
			}
		}
		database.exec('PRAGMA synchronous = FULL');
		return {database, identity: identityOf(file) ?? '', checksRecorded};
	} catch (error) {
		database?.close();
		throw toStoreError(error, file, action);
	}
}

/** The file's device and inode: another value means the file was replaced. */
function identityOf(file: string): string | undefined {
	try {
		const stats = fs.statSync(file);
		return `${stats.dev}:${stats.ino}`;
	} catch {
		return undefined;
	}
}

/** A list read from the database when first used: the first frame of a large device need not read 20,000 pods. */
function lazyList<T extends object>(load: () => T[]): T[] {
	let items: T[] | undefined;
	const target = (): T[] => (items ??= load());
	return new Proxy([] as T[], {
		get(_shell, property) {
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

/** What this process last read: the state and the revision of each table it came from. */
type Cache = {readonly state: StoreState; readonly tables: ReadonlyMap<string, number>};

/**
 * Opens the store in a directory (creating it, 0700, when missing). With no database yet the demo device
 * is written, or an old `device.json` migrated. A database that is damaged, from a newer edgenet or not
 * an edgenet store is refused with a StoreError and left byte-identical.
 */
export function openStore(dir: string, now = new Date()): DeviceStore {
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
	let {database, identity, checksRecorded} = connect(dir, file);
	let generation = 0;
	const ids: RouteIds = new WeakMap();
	let cache: Cache | undefined;
	/** Set when a read checked the routes anew: the result is recorded in the store when it can be, so the next process need not. */
	let unrecorded: {readonly revision: number; readonly problems: readonly RouteProblem[]} | undefined;

	/** The route rules applied to the stored routes, or what the store recorded of their last check when that record still holds. */
	const checkRoutes = (revision: number, device: Device): RouteAudit => {
		const record = readCheckRecord(database);
		if (checksRecorded && record.revision === revision && record.rules === routeRulesVersion) {
			const reasons = record.problems;
			if (reasons.size === 0) {
				return {valid: device.routes, problems: []};
			}
			const valid = device.routes.filter(route => !reasons.has(ids.get(route) ?? -1));
			const problems = device.routes
				.filter(route => reasons.has(ids.get(route) ?? -1))
				.map(route => ({route, name: nameOf(route), reason: reasons.get(ids.get(route)!)!}));
			return {valid, problems};
		}
		const audit = auditRoutes(device);
		unrecorded = {revision, problems: audit.problems};
		return audit;
	};

	/** Whether the store's record of the last route check holds now and found every stored route within the rules. */
	const checkedWithoutProblems = (revision: number): boolean => {
		if (!checksRecorded) {
			return false;
		}
		const record = readCheckRecord(database);
		return record.revision === revision && record.rules === routeRulesVersion && record.problems.size === 0;
	};

	/**
	 * Reads the tables that changed since the cache was filled. Call inside a transaction. For a change
	 * (`routesOnDemand`), routes the store has checked already are not read: the state's routes load when
	 * first asked for, and the lookup answers the rules' questions from the table's indexes. Such a state is
	 * not cached (its routes may never be read).
	 */
	const refresh = (routesOnDemand = false): {readonly state: StoreState; readonly lookup?: RouteLookup} => {
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
		const pods = old && !stale('pods') ? old.pods : lazyList<Pod>(() => readPods(database));
		const services = old && !stale('services') ? old.services : lazyList<Service>(() => readServices(database));
		const routesChanged = !old || stale('routes') || stale('ports') || stale('cluster') || stale('vms');
		let {problems} = cache?.state ?? {problems: []};
		let routes = old?.routes ?? [];
		if (routesOnDemand && (!old || stale('routes')) && checkedWithoutProblems(head.revision)) {
			routes = lazyList(() => readRoutes(database, ids));
			const device: Device = {name: head.name, ports, internalSwitch, cluster, vms, pods, services, routes};
			return {state: {revision: head.revision, device, problems: []}, lookup: routeLookup(database, ids)};
		}
		if (routesChanged) {
			const stored = old && !stale('routes') ? [...old.routes, ...problems.map(problem => problem.route)].sort((a, b) => (ids.get(a) ?? 0) - (ids.get(b) ?? 0)) : readRoutes(database, ids);
			const audit = checkRoutes(head.revision, {name: head.name, ports, internalSwitch, cluster, vms, pods: [], services: [], routes: stored});
			routes = audit.valid;
			problems = audit.problems;
		}
		const device: Device = {name: head.name, ports, internalSwitch, cluster, vms, pods, services, routes};
		cache = {state: {revision: head.revision, device, problems}, tables};
		return {state: cache.state};
	};

	/** Makes sure the connection is still on the file at the store's path; reopens on a file put there since. */
	const ensureCurrentFile = (action: 'read' | 'write') => {
		const now = identityOf(file);
		if (now === identity) {
			return;
		}
		if (now === undefined) {
			throw new StoreError(`The store file ${file} was removed. Nothing was ${action === 'write' ? 'saved' : 'read'}. Restore a backup with \`edgenet import device FILE --store ${dir}\`, or restart edgenet to start again from the demo device.`);
		}
		const next = connect(dir, file, action);
		abandoned.push(database);
		({database, identity, checksRecorded} = next);
		cache = undefined;
		generation++;
	};

	const read = (): StoreState => {
		// A write of this store's own is waiting to commit: what it read is the state until then.
		if (database.isTransaction && cache) {
			return cache.state;
		}
		let state: StoreState;
		try {
			ensureCurrentFile('read');
			database.exec('BEGIN');
			try {
				({state} = refresh());
			} finally {
				database.exec('COMMIT');
			}
		} catch (error) {
			throw toStoreError(error, file, 'read');
		}
		recordLater();
		return state;
	};

	/** Records a check a read made, if the store can be written at once and has not changed since; a reader never waits or fails for it. */
	const recordLater = () => {
		const pending = unrecorded;
		unrecorded = undefined;
		if (!pending || !checksRecorded) {
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
	};

	/** Takes the write lock (`BEGIN IMMEDIATE`), waiting while another process writes, and saying so once. */
	const begin = async (options: UpdateOptions) => {
		const deadline = Date.now() + busyWaitMs;
		let pause = 5;
		let told = false;
		for (;;) {
			try {
				database.exec('BEGIN IMMEDIATE');
				return;
			} catch (error) {
				const code = sqliteCode(error);
				if (code !== sqliteCodes.busy && code !== sqliteCodes.locked) {
					throw error;
				}
			}
			if (Date.now() > deadline) {
				throw new StoreError(
					`The store ${file} stayed busy for ${busyWaitMs / 1000} s: another edgenet is holding it in a transaction (perhaps a stopped one: look for a suspended edgenet with \`jobs\` or \`ps\`). Nothing was changed. Try again.`,
				);
			}
			if (!told) {
				told = true;
				options.onWait?.();
			}
			await sleep(pause + Math.random() * pause);
			pause = Math.min(pause * 2, 100);
		}
	};

	/** Runs a write transaction: what `write` returns is committed, or nothing is. */
	const transact = async <R>(options: UpdateOptions, write: (current: StoreState, lookup: RouteLookup | undefined) => R, routesOnDemand = false): Promise<R> => {
		try {
			ensureCurrentFile('write');
			await begin(options);
		} catch (error) {
			throw toStoreError(error, file, 'write');
		}
		const before = cache;
		let seen: StoreState | undefined;
		try {
			const refreshed = refresh(routesOnDemand);
			seen = refreshed.state;
			const result = write(seen, refreshed.lookup);
			if (database.isTransaction) {
				await commit();
			}
			return result;
		} catch (error) {
			cache = before;
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
	};

	/**
	 * Commits, waiting while readers of a database not yet in WAL mode hold it (a busy COMMIT stays open and
	 * may be tried again); gives up after the same wait as a transaction's start.
	 */
	const commit = async () => {
		const deadline = Date.now() + busyWaitMs;
		for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
			try {
				database.exec('COMMIT');
				return;
			} catch (error) {
				const code = sqliteCode(error);
				if ((code !== sqliteCodes.busy && code !== sqliteCodes.locked) || Date.now() > deadline) {
					throw error;
				}
			}
			await sleep(pause + Math.random() * pause);
		}
	};

	/** Raises the revision for the tables a change wrote, and records the check of the routes at it. */
	const commitRevision = (current: StoreState, name: string, changed: readonly DataTable[], problems: readonly RouteProblem[]): number => {
		const revision = current.revision + 1;
		writeRevision(database, name, revision, changed);
		recordCheck(database, revision, problems, ids);
		unrecorded = undefined;
		return revision;
	};

	/** Writes a changed device inside a transaction and keeps the cache in step; returns the new revision. */
	const commitDevice = (current: StoreState, device: Device, changed: readonly DataTable[]): number => {
		// A domain operation checks the routes it writes; only a change of what the rules read (ports, cluster, VMs) can make others break them.
		const rulesChanged = changed.some(table => table === 'ports' || table === 'cluster' || table === 'vms');
		const audit = rulesChanged ? auditRoutes(device) : {valid: device.routes, problems: current.problems};
		const revision = commitRevision(current, device.name, changed, audit.problems);
		const tables = new Map(cache?.tables ?? []);
		for (const table of changed) {
			tables.set(table, revision);
		}
		cache = {state: {revision, device: audit.valid === device.routes ? device : {...device, routes: audit.valid}, problems: audit.problems}, tables};
		return revision;
	};

	return {
		path: file,
		dir,
		created,
		migratedFrom,
		get generation() {
			return generation;
		},
		read,
		async update(apply, options = {}) {
			return transact(
				options,
				(current, lookup) => {
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
							? commitRevision(current, current.device.name, ['routes'], current.problems)
							: commitDevice(current, applyRouteEdit(current.device, result.edit), ['routes']);
					} else {
						revision = commitDevice(current, result.device!, writeChanges(database, current.device, result.device!, ids));
					}
					if (lookup) {
						// Routes not read (or read apart from the cache): the next read reads them in a transaction of its own.
						cache = undefined;
					}
					return {...result, revision};
				},
				true,
			);
		},
		async replace(device, options = {}) {
			const backup = `${file}.bak-${timestamp(options.now ?? new Date())}`;
			let copied = false;
			try {
				return await transact(options, current => {
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
					const changed = writeChanges(database, undefined, device, ids);
					return {revision: commitDevice(current, device, changed.length > 0 ? [...dataTables] : changed), backup};
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
			return transact({}, current => {
				const problem = current.problems.find(candidate => isKeyOf(candidate.route, key));
				const id = problem ? ids.get(problem.route) : undefined;
				if (!problem || id === undefined) {
					database.exec('ROLLBACK');
					return undefined;
				}
				database.prepare('DELETE FROM routes WHERE id = ?').run(id);
				const problems = current.problems.filter(candidate => candidate !== problem);
				const revision = commitRevision(current, current.device.name, ['routes'], problems);
				cache = {state: {...current, revision, problems}, tables: new Map([...(cache?.tables ?? []), ['routes', revision]])};
				return problem;
			}, true);
		},
		watch(listener) {
			return watchStore({file, read, dataVersion: () => dataVersion(database)}, listener);
		},
		close() {
			database.close();
		},
	};
}

/** What the store recorded of the last check of its routes: at which revision, by which rules, and each refused route's reason by row. */
function readCheckRecord(database: DatabaseSync): {readonly revision: number | null; readonly rules: number | null; readonly problems: ReadonlyMap<number, string>} {
	const row = database.prepare('SELECT checked_revision, checked_rules FROM device WHERE id = 1').get() as {checked_revision: number | null; checked_rules: number | null} | undefined;
	if (!row || row.checked_revision === null) {
		return {revision: null, rules: null, problems: new Map()};
	}
	const problems = new Map((database.prepare('SELECT route_id, reason FROM route_problems').all() as Array<{route_id: number; reason: string}>).map(entry => [Number(entry.route_id), String(entry.reason)]));
	return {revision: Number(row.checked_revision), rules: row.checked_rules === null ? null : Number(row.checked_rules), problems};
}

/** Records the check of the routes at a revision. Call inside a write transaction, after the rows are written. */
function recordCheck(database: DatabaseSync, revision: number, problems: readonly RouteProblem[], ids: RouteIds): void {
	database.exec('DELETE FROM route_problems');
	const insert = database.prepare('INSERT OR REPLACE INTO route_problems (route_id, reason) VALUES (?, ?)');
	for (const problem of problems) {
		const id = ids.get(problem.route);
		if (id !== undefined) {
			insert.run(id, problem.reason);
		}
	}
	database.prepare('UPDATE device SET checked_revision = ?, checked_rules = ? WHERE id = 1').run(revision, routeRulesVersion);
}

function dataVersion(database: DatabaseSync): number {
	return Number((database.prepare('PRAGMA data_version').get() as {data_version: number}).data_version);
}

/**
 * Watches the store: polls `PRAGMA data_version` (which changes only when another connection commits)
 * and the file's presence, and looks at once when the directory changes. Tells the listener of each
 * commit by another session, of the store becoming unreadable, and of it becoming readable again.
 */
function watchStore(store: {readonly file: string; readonly read: () => StoreState; readonly dataVersion: () => number}, listener: (event: StoreEvent) => void): () => void {
	let lastVersion: number | undefined;
	let lastIdentity = identityOf(store.file);
	let failing: string | undefined;
	let timer: NodeJS.Timeout | undefined;
	const check = () => {
		timer = undefined;
		try {
			const identity = identityOf(store.file);
			const state = store.read();
			const version = store.dataVersion();
			if (failing !== undefined || version !== lastVersion || identity !== lastIdentity) {
				lastVersion = version;
				lastIdentity = identity;
				failing = undefined;
				listener({ok: true, state});
			}
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (message !== failing) {
				failing = message;
				listener({ok: false, message});
			}
		}
	};
	const poll = setInterval(check, pollMs);
	poll.unref();
	let watcher: fs.FSWatcher | undefined;
	try {
		watcher = fs.watch(path.dirname(store.file), {persistent: false}, () => {
			clearTimeout(timer);
			timer = setTimeout(check, 30);
		});
		watcher.on('error', () => undefined);
	} catch {
		// Polling alone still sees every change within a second.
	}
	// A change made between the caller's last read and the watcher's start would go unseen: look once now.
	timer = setTimeout(check, 0);
	return () => {
		clearTimeout(timer);
		clearInterval(poll);
		watcher?.close();
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
		store = openStore(dir, now);
	} catch (error) {
		if (!(error instanceof StoreError) || !error.damaged) {
			throw error;
		}
		try {
			backup = moveAside(file, now);
			store = openStore(dir, now);
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
		const result = await store.replace(device, {...options, now});
		return {path: file, backup: backup ?? result.backup};
	} finally {
		store.close();
	}
}

/** Writes the demo device to the store, whatever it holds now, keeping a copy of what was there. */
export async function resetToDemo(dir: string, now = new Date(), options: UpdateOptions = {}): Promise<{readonly path: string; readonly backup: string | undefined}> {
	return replaceStore(dir, createDemoDevice(), now, options);
}
