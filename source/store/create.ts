/**
 * Making a new store's database: built whole under a private name and linked into place, holding the
 * demo device or what an edgenet 0.1 `device.json` held.
 */

import fs from 'node:fs';
import path from 'node:path';
import type {DatabaseSync} from 'node:sqlite';
import {createDemoDevice} from '../domain/demo.js';
import type {Device} from '../domain/device.js';
import {parseDeviceDocumentText} from '../domain/device-document.js';
import {auditRoutes} from '../domain/route-audit.js';
import {recordCheck} from './check-record.js';
import {openConnection} from './connection.js';
import {createExclusive, refuseLink} from './files.js';
import {companionSuffixes, legacyFileName, timestamp} from './location.js';
import {modesOf} from './permissions.js';
import type {RouteIds} from './route-rows.js';
import {createStatements, currentSchemaVersion} from './schema.js';
import {StoreError, toStoreError} from './store-error.js';
import {writeChanges, writeRevision} from './write-rows.js';

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
export function createStore(dir: string, file: string, now: Date): {readonly created: boolean; readonly migratedFrom: string | undefined} {
	const legacy = path.join(dir, legacyFileName);
	refuseLink(legacy);
	const migrating = fs.existsSync(legacy);
	const source = migrating ? readLegacyFile(legacy) : {device: createDemoDevice(), revision: 0};
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
	if (migrating && fs.existsSync(legacy)) {
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
