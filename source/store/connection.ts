/**
 * Connecting to a store's database: the file, its companions, its header and its schema checked before
 * SQLite writes anything, WAL mode set, an older schema upgraded (or, in a store that cannot be written,
 * read as it is), and a connection that follows a file put at the store's path.
 */

import fs from 'node:fs';
import {pathToFileURL} from 'node:url';
import {DatabaseSync} from 'node:sqlite';
import {checkAccess, checkDatabaseHeader, refuseLink} from './files.js';
import {companionSuffixes} from './location.js';
import {modesOf, tightenMode} from './permissions.js';
import {newerSchema, readAsCurrent, schemaVersionOf, upgradeSchema} from './migrate.js';
import {checkTriggers, columnsAdded, currentSchemaVersion, oldestSchemaVersion, type TableName, tableColumns} from './schema.js';
import type {Connection} from './state.js';
import {isBusy, StoreError, toStoreError} from './store-error.js';

/** How long one attempt at SQLite's locks may block before the store's own wait (with its notice) takes over. */
const busySliceMs = 50;

/**
 * Opens a SQLite connection with the store's settings: foreign keys on, short busy waits, full syncs. A
 * store that cannot be written is opened read-only; `immutable` reads its file as one nobody changes (see `connect`).
 */
export function openConnection(file: string, options: {readonly readOnly?: boolean; readonly immutable?: boolean} = {}): DatabaseSync {
	let location: string | URL = file;
	if (options.immutable) {
		location = pathToFileURL(file);
		location.searchParams.set('immutable', '1');
	}
	return new DatabaseSync(location, {timeout: busySliceMs, enableForeignKeyConstraints: true, readOnly: options.readOnly ?? false});
}

/** Connections whose file was removed or replaced: kept open for good, since closing one would delete the WAL now beside another database. */
const abandoned: DatabaseSync[] = [];

/**
 * Refuses a database this edgenet must not read: newer, older than any it knows, or not shaped as edgenet
 * makes it (for its schema). Writes nothing. Returns its schema version, and whether the triggers that
 * keep the record of the last route check honest are all there.
 */
function checkSchema(database: DatabaseSync, file: string): {readonly version: number; readonly checksRecorded: boolean} {
	const version = schemaVersionOf(database);
	if (version > currentSchemaVersion) {
		throw newerSchema(file, version);
	}
	const tables = new Set((database.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as Array<{name: string}>).map(row => row.name));
	if (version === 0 && tables.size === 0) {
		throw new StoreError(`The store file ${file} is an empty SQLite database, not an edgenet store. It was left unchanged. Move it away to start again from the demo device.`, {damaged: true});
	}
	if (version < oldestSchemaVersion) {
		throw new StoreError(`The store file ${file} has no edgenet schema version (PRAGMA user_version is ${version}), so it is not an edgenet store. It was left unchanged. Restore a backup with \`edgenet import device FILE\`, or move it away to start again from the demo device.`, {damaged: true});
	}
	// A column a later schema added is not there yet: the upgrade adds it.
	const later = Object.entries(columnsAdded).filter(([added]) => Number(added) > version).map(([, columns]) => columns);
	for (const [table, columns] of Object.entries(tableColumns) as Array<[TableName, readonly string[]]>) {
		if (!tables.has(table)) {
			throw new StoreError(`The store file ${file} has no table "${table}", so it is not a whole edgenet store. It was left unchanged. Restore a backup with \`edgenet import device FILE\`, or move it away to start again from the demo device.`, {damaged: true});
		}
		const present = new Set((database.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{name: string}>).map(row => row.name));
		const absent = columns.filter(column => !present.has(column) && !later.some(added => added[table]?.includes(column)));
		if (absent.length > 0) {
			throw new StoreError(`The store file ${file}: table "${table}" has no column ${absent.map(column => `"${column}"`).join(', ')}. It was left unchanged. Restore a backup with \`edgenet import device FILE\`.`, {damaged: true});
		}
	}
	const triggers = new Set((database.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger'`).all() as Array<{name: string}>).map(row => row.name));
	return {version, checksRecorded: checkTriggers.every(trigger => triggers.has(trigger.name))};
}

/** What `connect` opened: the connection, what it knows of the file, and whether it may write. */
type Connected = {
	readonly database: DatabaseSync;
	readonly identity: string;
	readonly checksRecorded: boolean;
	/** Whether the store may be written: a store that may only be read is opened read-only, and a change to it is refused. */
	readonly writable: boolean;
	/** Whether the file is read as one nobody changes (SQLite's `immutable`), so a change to it is only seen by opening it again. */
	readonly immutable: boolean;
};

/**
 * Opens a connection on an existing database after checking the file, its header and its schema; sets
 * WAL mode. A database of an older schema is upgraded here, in one transaction, when the store can be
 * written (`onWait` is told if that waits for another writer); one that cannot be written is read as it
 * is, never touched. A store that may only be read is opened read-only: with no write-ahead log beside
 * it, as SQLite's `immutable` file, since reading a WAL database otherwise needs its `-shm` file, which
 * the reader could not make (and should not leave) in a directory it may not write.
 */
export function connect(dir: string, file: string, action: 'read' | 'write' = 'read', onWait?: () => void): Connected {
	for (const candidate of [file, ...companionSuffixes.map(suffix => `${file}${suffix}`)]) {
		refuseLink(candidate);
	}
	const writable = checkAccess(dir, file, action) === 'read-write';
	checkDatabaseHeader(file);
	const modes = modesOf(dir);
	for (const candidate of [file, ...companionSuffixes.map(suffix => `${file}${suffix}`)]) {
		tightenMode(candidate, modes);
	}
	const immutable = !writable && !fs.existsSync(`${file}-wal`);
	let database: DatabaseSync | undefined;
	try {
		database = openConnection(file, {readOnly: !writable, immutable});
		const {version, checksRecorded} = checkSchema(database, file);
		if (writable) {
			const mode = (database.prepare('PRAGMA journal_mode').get() as {journal_mode: string}).journal_mode;
			if (mode !== 'wal') {
				try {
					database.exec('PRAGMA journal_mode = WAL');
				} catch (error) {
					// Another process reading at this moment: the store works in its present mode, and the next opener switches it.
					if (!isBusy(error)) {
						throw error;
					}
				}
			}
			database.exec('PRAGMA synchronous = FULL');
			if (version < currentSchemaVersion) {
				upgradeSchema(database, file, onWait);
			}
		} else if (version < currentSchemaVersion) {
			readAsCurrent(database, version, file);
		}
		return {database, identity: identityOf(file, immutable) ?? '', checksRecorded, writable, immutable};
	} catch (error) {
		database?.close();
		throw toStoreError(error, file, action);
	}
}

/**
 * The file's device and inode: another value means the file was replaced. For a file read as immutable
 * also its size, modification time and whether a write-ahead log is beside it: another value means
 * someone wrote it, and it must be opened again to be read as it is now.
 */
function identityOf(file: string, immutable = false): string | undefined {
	try {
		const stats = fs.statSync(file);
		return immutable ? `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${fs.existsSync(`${file}-wal`)}` : `${stats.dev}:${stats.ino}`;
	} catch {
		return undefined;
	}
}

/**
 * Makes sure the connection is still on the file at the store's path, as it is now; reopens on a file put
 * there since (or written, for a file read as immutable), forgetting what was read. A connection opened
 * read-only refuses to write with the reason the store cannot be written, or reopens when it can be now.
 */
export function ensureCurrentFile(connection: Connection, action: 'read' | 'write', onWait?: () => void): void {
	const {dir, file} = connection;
	const now = identityOf(file, connection.immutable);
	if (now === connection.identity && (action === 'read' || connection.writable)) {
		return;
	}
	if (now === undefined) {
		throw new StoreError(`The store file ${file} was removed. Nothing was ${action === 'write' ? 'saved' : 'read'}. Restore a backup with \`edgenet import device FILE --store ${dir}\`, or restart edgenet to start again from the demo device.`);
	}
	// Opened to write, a store that may only be read is refused by connect's access check with its reason (a read-only mount, whose it is).
	const next = connect(dir, file, action, onWait);
	abandoned.push(connection.database);
	connection.database = next.database;
	connection.identity = next.identity;
	connection.checksRecorded = next.checksRecorded;
	connection.writable = next.writable;
	connection.immutable = next.immutable;
	connection.cache = undefined;
	connection.generation++;
}
