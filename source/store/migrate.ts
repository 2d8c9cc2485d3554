/**
 * A database of an older schema: upgraded in one transaction when it is opened and can be written, or,
 * when it cannot be, shown to this connection as the current schema for reading only.
 */

import type {DatabaseSync} from 'node:sqlite';
import {plural} from '../domain/plural.js';
import {stayedBusy, whileBusyBlocking} from './busy.js';
import {currentSchemaVersion, readAsCurrentStatements, upgradeStatements} from './schema.js';
import {StoreError} from './store-error.js';

/** The schema version a database records. */
export function schemaVersionOf(database: DatabaseSync): number {
	return Number((database.prepare('PRAGMA user_version').get() as {user_version: number}).user_version);
}

/** The refusal of a database a newer edgenet wrote: this one must not read or write it. */
export function newerSchema(file: string, version: number): StoreError {
	return new StoreError(
		`The store file ${file} was written by a newer edgenet (database schema ${version}; this edgenet reads schema ${currentSchemaVersion}). Upgrade edgenet to open it; the file was left unchanged.`,
	);
}

/** The statements of a step, or a refusal when this edgenet has none for it. */
function statementsFrom(table: Readonly<Record<number, readonly string[]>>, version: number, file: string): readonly string[] {
	const statements = table[version];
	if (!statements) {
		throw new StoreError(`The store file ${file} has database schema ${version}, which this edgenet cannot read. It was left unchanged. Restore a backup with \`edgenet import device FILE\`.`, {damaged: true});
	}
	return statements;
}

/**
 * Upgrades the database to the current schema in one `BEGIN IMMEDIATE` transaction, waiting (and saying
 * so through `onWait`) while another process writes, as a change waits. The version is read again inside
 * the transaction: another process may have upgraded it first, and then nothing is done. Every row, id and
 * revision stays as it was. Throws StoreError (or SQLite's error) having changed nothing.
 */
export function upgradeSchema(database: DatabaseSync, file: string, onWait?: () => void): void {
	whileBusyBlocking(database, 'BEGIN IMMEDIATE', () => stayedBusy(file), onWait);
	try {
		const version = schemaVersionOf(database);
		if (version > currentSchemaVersion) {
			throw newerSchema(file, version);
		}
		for (let step = version; step < currentSchemaVersion; step++) {
			for (const statement of statementsFrom(upgradeStatements, step, file)) {
				database.exec(statement);
			}
		}
		if (version < currentSchemaVersion) {
			// Step 10 of SQLite's procedure for changing a table: the rebuilt tables keep every reference they had.
			const broken = database.prepare('PRAGMA foreign_key_check').all();
			if (broken.length > 0) {
				throw new StoreError(`The store file ${file} could not be upgraded: ${plural(broken.length, 'row refers', 'rows refer')} to rows that are not there. It was left unchanged. Restore a backup with \`edgenet import device FILE\`.`);
			}
			database.exec(`PRAGMA user_version = ${currentSchemaVersion}`);
		}
		whileBusyBlocking(database, 'COMMIT', error => error as Error);
	} catch (error) {
		if (database.isTransaction) {
			database.exec('ROLLBACK');
		}
		throw error;
	}
}

/** Shows a database of an older schema, which this connection cannot write, as the current schema: TEMP views over its tables, in this connection only. */
export function readAsCurrent(database: DatabaseSync, version: number, file: string): void {
	for (let step = version; step < currentSchemaVersion; step++) {
		for (const statement of statementsFrom(readAsCurrentStatements, step, file)) {
			database.exec(statement);
		}
	}
}
