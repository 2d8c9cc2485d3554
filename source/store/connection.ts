/**
 * Connecting to a store's database: the file, its companions, its header and its schema checked before
 * SQLite writes anything, WAL mode set, and a connection that follows a file put at the store's path.
 */

import fs from 'node:fs';
import {DatabaseSync} from 'node:sqlite';
import {checkAccess, checkDatabaseHeader, refuseLink} from './files.js';
import {companionSuffixes} from './location.js';
import {modesOf, tightenMode} from './permissions.js';
import {checkTriggers, currentSchemaVersion, tableColumns} from './schema.js';
import type {Connection} from './state.js';
import {isBusy, StoreError, toStoreError} from './store-error.js';

/** How long one attempt at SQLite's locks may block before the store's own wait (with its notice) takes over. */
const busySliceMs = 50;

/** Opens a SQLite connection with the store's settings: foreign keys on, short busy waits, full syncs. */
export function openConnection(file: string): DatabaseSync {
	const database = new DatabaseSync(file, {timeout: busySliceMs, enableForeignKeyConstraints: true});
	return database;
}

/** Connections whose file was removed or replaced: kept open for good, since closing one would delete the WAL now beside another database. */
const abandoned: DatabaseSync[] = [];

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
export function connect(dir: string, file: string, action: 'read' | 'write' = 'read'): {readonly database: DatabaseSync; readonly identity: string; readonly checksRecorded: boolean} {
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
				if (!isBusy(error)) {
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
export function identityOf(file: string): string | undefined {
	try {
		const stats = fs.statSync(file);
		return `${stats.dev}:${stats.ino}`;
	} catch {
		return undefined;
	}
}

/** Makes sure the connection is still on the file at the store's path; reopens on a file put there since, forgetting what was read. */
export function ensureCurrentFile(connection: Connection, action: 'read' | 'write'): void {
	const {dir, file} = connection;
	const now = identityOf(file);
	if (now === connection.identity) {
		return;
	}
	if (now === undefined) {
		throw new StoreError(`The store file ${file} was removed. Nothing was ${action === 'write' ? 'saved' : 'read'}. Restore a backup with \`edgenet import device FILE --store ${dir}\`, or restart edgenet to start again from the demo device.`);
	}
	const next = connect(dir, file, action);
	abandoned.push(connection.database);
	connection.database = next.database;
	connection.identity = next.identity;
	connection.checksRecorded = next.checksRecorded;
	connection.cache = undefined;
	connection.generation++;
}
