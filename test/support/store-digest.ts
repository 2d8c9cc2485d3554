/** What a store holds, for tests that check a refusal changed nothing: a digest of every table's rows and the schema version. */

import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';

/** The database file of a store directory. */
export function databaseOf(dir: string): string {
	return path.join(dir, 'device.db');
}

/** A digest of the store's content (schema version, every table's definition and rows in order); reading it changes nothing. */
export function storeDigest(dir: string): string {
	const file = databaseOf(dir);
	if (!fs.existsSync(file)) {
		return 'no database';
	}
	const database = new DatabaseSync(file, {readOnly: true});
	try {
		const hash = createHash('sha256');
		hash.update(JSON.stringify(database.prepare('PRAGMA user_version').get()));
		const tables = database.prepare(`SELECT name, sql FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger') ORDER BY name`).all() as Array<{name: string; sql: string | null}>;
		for (const table of tables) {
			hash.update(`${table.name}\n${table.sql ?? ''}\n`);
		}
		for (const {name} of database.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as Array<{name: string}>) {
			for (const row of database.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}" ORDER BY rowid`).all()) {
				hash.update(JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)));
			}
		}
		return hash.digest('hex');
	} finally {
		database.close();
	}
}

/** The routes the store holds, as `destination metric` strings in their order. */
export function storedRoutes(dir: string): string[] {
	const database = new DatabaseSync(databaseOf(dir), {readOnly: true});
	try {
		return (database.prepare('SELECT destination, metric FROM routes ORDER BY id').all() as Array<{destination: string; metric: number}>).map(row => `${row.destination} ${row.metric}`);
	} finally {
		database.close();
	}
}
