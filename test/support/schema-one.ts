/**
 * Stores of schema 1, the first database store, for the tests of upgrading one: the tables made by the
 * schema-1 DDL kept in test/fixtures/store/schema-1.sql, holding the rows a store of today holds for a
 * device in the columns schema 1 had, ids, revisions and the record of the last route check included.
 */

import fs from 'node:fs';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import type {Device} from '../../source/domain/device.js';
import {openStore, replaceStore} from '../../source/store/store.js';
import {databaseOf} from './store-digest.js';

/** The schema-1 DDL, as edgenet made it. */
export const schemaOneDdl = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/store/schema-1.sql'), 'utf8');

/** Every table of schema 1 with its columns, in an order that keeps the foreign keys (the device row last, so no trigger fires). */
export const schemaOneColumns: ReadonlyArray<readonly [string, readonly string[]]> = [
	['ports', ['position', 'name', 'speed_gbps', 'ip_config', 'address', 'gateway', 'dns', 'compute_enabled', 'connects_to']],
	['switches', ['name', 'kind', 'subnet', 'nat_address']],
	['cluster', ['id', 'compute_configured', 'node_ip_range', 'service_ip_range', 'pod_cidr', 'service_cidr', 'dns_domain']],
	['vms', ['position', 'name', 'node_name']],
	['nics', ['vm', 'position', 'name', 'network', 'address']],
	['pods', ['id', 'namespace', 'name', 'node', 'ip', 'labels']],
	['services', ['id', 'namespace', 'name', 'type', 'cluster_ip', 'external_ip', 'selector', 'ports']],
	['routes', ['id', 'interface', 'destination', 'next_hop', 'metric']],
	['route_problems', ['route_id', 'reason']],
	['table_revisions', ['name', 'revision']],
	['device', ['id', 'name', 'revision', 'checked_revision', 'checked_rules']],
];

/**
 * Writes a schema-1 database into `dir` (which must hold none yet) with the rows a store of today holds for
 * `device` after `behindTheBack` (SQL run on it as a person with the sqlite3 shell could) and one read, which
 * records the check of its routes. The database is in WAL mode and closed, with no -wal or -shm left.
 */
export async function writeSchemaOneStore(dir: string, device: Device, behindTheBack = ''): Promise<void> {
	const source = fs.mkdtempSync(path.join(path.dirname(dir), 'schema-one-source-'));
	try {
		await replaceStore(source, device);
		if (behindTheBack !== '') {
			const tamper = new DatabaseSync(databaseOf(source));
			tamper.exec(behindTheBack);
			tamper.close();
		}
		const store = openStore(source);
		store.read();
		store.close();
		fs.mkdirSync(dir, {recursive: true, mode: 0o700});
		const database = new DatabaseSync(databaseOf(dir));
		try {
			database.exec(schemaOneDdl);
			database.prepare('ATTACH DATABASE ? AS source').run(databaseOf(source));
			database.exec('BEGIN');
			for (const [table, columns] of schemaOneColumns) {
				database.exec(`INSERT INTO main.${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM source.${table}`);
			}
			database.exec('COMMIT');
			database.exec('DETACH DATABASE source');
			database.exec('PRAGMA user_version = 1');
			database.exec('PRAGMA journal_mode = WAL');
		} finally {
			database.close();
		}
		fs.chmodSync(databaseOf(dir), 0o600);
	} finally {
		fs.rmSync(source, {recursive: true, force: true});
	}
}

/**
 * Reads the store's database through a read-only connection of its own, leaving the directory as it was:
 * such a connection leaves an empty -wal and a -shm behind, which would change what edgenet finds there.
 */
function readLeavingNothing<T>(dir: string, read: (database: DatabaseSync) => T): T {
	const companions = ['-wal', '-shm'].map(suffix => `${databaseOf(dir)}${suffix}`);
	const existed = companions.map(file => fs.existsSync(file));
	const database = new DatabaseSync(databaseOf(dir), {readOnly: true});
	try {
		return read(database);
	} finally {
		database.close();
		for (const [index, file] of companions.entries()) {
			if (!existed[index]) {
				fs.rmSync(file, {force: true});
			}
		}
	}
}

/** The rows of every schema-1 table, in the columns schema 1 has, by row id: what an upgrade must keep as it was. */
export function schemaOneRows(dir: string): Record<string, unknown[]> {
	return readLeavingNothing(dir, database => Object.fromEntries(schemaOneColumns.map(([table, columns]) => [table, database.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY rowid`).all()])));
}

/** The database's schema version. */
export function schemaVersion(dir: string): number {
	return readLeavingNothing(dir, database => Number((database.prepare('PRAGMA user_version').get() as {user_version: number}).user_version));
}
