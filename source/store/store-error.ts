/**
 * The store's one kind of failure: every fault of the disk or of SQLite turned into a message that names
 * the file, says what is wrong and what to do.
 */

import fs from 'node:fs';
import path from 'node:path';
import {canUse, permissionMessage} from './permissions.js';

/** A failure a person can act on: the message names the file, what is wrong and what to do. */
export class StoreError extends Error {
	override readonly name = 'StoreError';
	/** Whether the fault is in the file's content (empty, not a database, truncated, not edgenet's schema), which a replacement may move aside. */
	readonly damaged: boolean;

	constructor(message: string, options: {readonly damaged?: boolean} = {}) {
		super(message);
		this.damaged = options.damaged ?? false;
	}
}

/** What to do about a damaged store file: restore a backup or start again from the demo device, keeping the file. */
export const recoveryHint = (dir: string) =>
	`It was left unchanged. Restore a backup (what \`edgenet export device\` printed) with \`edgenet import device FILE --store ${dir}\`, or start again from the demo device with \`edgenet reset --demo --store ${dir}\`; either keeps this file beside the new one.`;

type SqliteError = Error & {readonly code?: string; readonly errcode?: number; readonly errstr?: string};

/** The primary SQLite result code of an error from node:sqlite, if it is one. */
export function sqliteCode(error: unknown): number | undefined {
	const {code, errcode} = (error ?? {}) as SqliteError;
	return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' ? errcode & 0xff : undefined;
}

/** SQLite's primary result codes that the store tells apart. */
export const sqliteCodes = {busy: 5, locked: 6, readOnly: 8, ioError: 10, corrupt: 11, full: 13, cantOpen: 14, constraint: 19, notADatabase: 26} as const;

/** Whether SQLite refused because another connection holds the lock (the store then waits and tries again). */
export function isBusy(error: unknown): boolean {
	const code = sqliteCode(error);
	return code === sqliteCodes.busy || code === sqliteCodes.locked;
}

/** Turns what SQLite or the file system threw into a StoreError a person can act on. */
export function toStoreError(error: unknown, file: string, action: 'read' | 'write'): StoreError {
	if (error instanceof StoreError) {
		return error;
	}
	const dir = path.dirname(file);
	const sqlite = sqliteCode(error);
	const errno = (error as NodeJS.ErrnoException | undefined)?.code;
	const detail = error instanceof Error ? error.message : String(error);
	if (errno === 'EACCES' || errno === 'EPERM') {
		return new StoreError(permissionMessage(dir, file, action));
	}
	if (errno === 'EROFS' || sqlite === sqliteCodes.readOnly) {
		return new StoreError(`Cannot ${action} the store ${file}: ${dir} is on a read-only file system or the file may not be written. Nothing was changed. Choose another store with --store.`);
	}
	if (errno === 'ENOSPC' || errno === 'EDQUOT' || sqlite === sqliteCodes.full || (sqlite === sqliteCodes.ioError && isNearlyFull(dir))) {
		return new StoreError(`Cannot ${action} the store ${file}: no space left on the device holding ${dir}. Nothing was changed. Free some space and try again.`);
	}
	if (sqlite === sqliteCodes.corrupt || sqlite === sqliteCodes.notADatabase) {
		return new StoreError(`The store file ${file} is damaged (${detail}). ${recoveryHint(dir)}`, {damaged: true});
	}
	if (isBusy(error)) {
		return new StoreError(`The store ${file} is busy: another edgenet is writing it. Nothing was changed. Try again.`);
	}
	if (sqlite === sqliteCodes.cantOpen) {
		return fs.existsSync(dir) && !canUse(dir) ? new StoreError(permissionMessage(dir, file, action)) : new StoreError(`Cannot open the store file ${file} (${detail}). Check the directory ${dir}, or choose another store with --store.`);
	}
	if (sqlite === sqliteCodes.ioError) {
		return new StoreError(`Cannot ${action} the store file ${file}: the disk reported an error (${detail}). Nothing was changed. Check the device holding ${dir} and try again.`);
	}
	if (errno === 'ENOTDIR') {
		return new StoreError(`Cannot ${action} the store ${file}: a part of ${dir} is not a directory. Choose another store with --store.`);
	}
	return new StoreError(`Cannot ${action} the store file ${file}: ${detail}.`);
}

/** Whether the file system holding the directory has (almost) no room left: SQLite then reports a failed write or a shared-memory file it could not grow as an I/O error. */
function isNearlyFull(dir: string): boolean {
	try {
		const stats = fs.statfsSync(dir);
		return stats.bavail * stats.bsize < 256 * 1024;
	} catch {
		return false;
	}
}
