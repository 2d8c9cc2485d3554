/**
 * The file-system side of the store: safe paths in the store directory (no links followed, modes set
 * whatever the umask), the SQLite file's header checked before SQLite sees it, and every fault of the
 * disk or of SQLite turned into a message that names the file and says what to do.
 */

import fs from 'node:fs';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';

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

/** The modes of a store: a per-user store is the owner's alone; a shared one belongs to a group, never to everyone. */
export const storeModes = {
	personal: {directory: 0o700, file: 0o600},
	shared: {directory: 0o2770, file: 0o660},
} as const;

export type StoreModes = (typeof storeModes)[keyof typeof storeModes];

/** A directory is a shared store when it is setgid and its group may write it. */
export function isSharedDirectory(stats: fs.Stats): boolean {
	return (stats.mode & 0o2000) !== 0 && (stats.mode & 0o070) === 0o070;
}

/** The modes for new files in a store directory that exists. */
export function modesOf(dir: string): StoreModes {
	try {
		return isSharedDirectory(fs.statSync(dir)) ? storeModes.shared : storeModes.personal;
	} catch {
		return storeModes.personal;
	}
}

function namesFrom(file: string): Map<number, string> {
	const names = new Map<number, string>();
	try {
		for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
			const [entry, , id] = line.split(':');
			if (entry && id && /^\d+$/.test(id)) {
				names.set(Number(id), entry);
			}
		}
	} catch {
		// Without the name list the numbers are shown.
	}
	return names;
}

/** `owner alice, group netadmins, mode 0700`, as `ls -l` would tell it. */
export function describeOwnership(target: string): string {
	try {
		const stats = fs.statSync(target);
		const user = namesFrom('/etc/passwd').get(stats.uid) ?? `uid ${stats.uid}`;
		const group = namesFrom('/etc/group').get(stats.gid) ?? `gid ${stats.gid}`;
		return `owner ${user}, group ${group}, mode ${(stats.mode & 0o7777).toString(8).padStart(4, '0')}`;
	} catch {
		return 'owner unknown';
	}
}

/** The message for a store the user may not use, with who may and what to do. */
export function permissionMessage(dir: string, file: string, action: 'read' | 'write'): string {
	const target = fs.existsSync(file) ? file : dir;
	return (
		`Cannot ${action} the store ${dir}: permission denied (${target}: ${describeOwnership(target)}). ` +
		'Ask its owner to add you to its group (a store prepared with `edgenet store init --shared GROUP` is shared by the members of GROUP), ' +
		'or choose a store of your own with --store.'
	);
}

/**
 * Creates the store directory and any missing parents with the given mode, whatever the umask. An
 * existing path that is not a directory is refused.
 */
export function ensureDirectory(dir: string, mode: number): void {
	const missing: string[] = [];
	let current = dir;
	for (;;) {
		let stats: fs.Stats | undefined;
		try {
			stats = fs.statSync(current);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				throw error;
			}
		}
		if (stats) {
			if (!stats.isDirectory()) {
				throw new StoreError(`Cannot use the store ${dir}: ${current} is not a directory. Choose another store with --store.`);
			}
			break;
		}
		missing.unshift(current);
		const parent = path.dirname(current);
		if (parent === current) {
			break;
		}
		current = parent;
	}
	for (const created of missing) {
		try {
			fs.mkdirSync(created, {mode: 0o700});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
			continue;
		}
		// Only the store directory itself is shared; parents made on the way are the user's own.
		fs.chmodSync(created, created === dir ? mode : 0o700);
	}
}

/**
 * Refuses a path in the store directory that is a link or not a plain file: edgenet never reads or
 * writes through a link planted there. A path that does not exist is fine.
 */
export function refuseLink(file: string): void {
	let stats: fs.Stats;
	try {
		stats = fs.lstatSync(file);
	} catch {
		return;
	}
	if (stats.isSymbolicLink()) {
		let target = '';
		try {
			target = ` (to ${fs.readlinkSync(file)})`;
		} catch {
			// The target is only named when it can be read.
		}
		throw new StoreError(`The store file ${file} is a symbolic link${target}; edgenet never reads or writes through a link in the store directory. Remove the link, or choose another store with --store.`);
	}
	if (!stats.isFile()) {
		throw new StoreError(`The store file ${file} is not a regular file. Move it away, or choose another store with --store.`);
	}
}

/**
 * Creates a new file with a mode that does not depend on the umask. Fails when anything is at the
 * path already, a link included (O_EXCL), so it never writes through a planted link.
 */
export function createExclusive(file: string, mode: number): void {
	const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW, mode);
	try {
		fs.fchmodSync(fd, mode);
	} finally {
		fs.closeSync(fd);
	}
}

const recoveryHint = (dir: string) =>
	`It was left unchanged. Restore a backup (what \`edgenet export device\` printed) with \`edgenet import device FILE --store ${dir}\`, or start again from the demo device with \`edgenet reset --demo --store ${dir}\`; either keeps this file beside the new one.`;

/** What the first bytes of a database file say: fine, or why SQLite must not be given it. */
export function checkDatabaseHeader(file: string): void {
	const dir = path.dirname(file);
	const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
	try {
		const size = fs.fstatSync(fd).size;
		if (size === 0) {
			throw new StoreError(`The store file ${file} is empty. ${recoveryHint(dir)}`, {damaged: true});
		}
		const header = Buffer.alloc(100);
		const read = fs.readSync(fd, header, 0, 100, 0);
		if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
			throw new StoreError(`The store file ${file} is not a SQLite database. ${recoveryHint(dir)}`, {damaged: true});
		}
		const rawPageSize = header.readUInt16BE(16);
		const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
		const pageCount = header.readUInt32BE(28);
		// The page count in the header holds when its change counter matches (SQLite 3.7.0 and later keep both).
		const expected = header.readUInt32BE(24) === header.readUInt32BE(92) ? pageCount * pageSize : 0;
		if (pageSize < 512 || size < expected || size % pageSize !== 0) {
			throw new StoreError(`The store file ${file} is truncated (${size} bytes${expected > 0 ? `, its header says ${expected}` : ''}). ${recoveryHint(dir)}`, {damaged: true});
		}
	} finally {
		fs.closeSync(fd);
	}
}

type SqliteError = Error & {readonly code?: string; readonly errcode?: number; readonly errstr?: string};

/** The primary SQLite result code of an error from node:sqlite, if it is one. */
export function sqliteCode(error: unknown): number | undefined {
	const {code, errcode} = (error ?? {}) as SqliteError;
	return code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' ? errcode & 0xff : undefined;
}

/** SQLite's primary result codes that the store tells apart. */
export const sqliteCodes = {busy: 5, locked: 6, readOnly: 8, ioError: 10, corrupt: 11, full: 13, cantOpen: 14, constraint: 19, notADatabase: 26} as const;

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
	if (sqlite === sqliteCodes.busy || sqlite === sqliteCodes.locked) {
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

/** Whether the user may read, write and enter the directory: nothing, or the errno that says why not. */
function accessFault(target: string, mode: number): string | undefined {
	try {
		fs.accessSync(target, mode);
		return undefined;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code ?? 'EACCES';
	}
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

function canUse(dir: string): boolean {
	return accessFault(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK) === undefined;
}

/** Refuses a store the user may not read and write, or one on a read-only file system, before SQLite gives a vaguer answer. */
export function checkAccess(dir: string, file: string, action: 'read' | 'write'): void {
	for (const [target, mode] of [
		[dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK],
		[file, fs.constants.R_OK | fs.constants.W_OK],
	] as const) {
		const fault = accessFault(target, mode);
		if (fault === 'EROFS') {
			throw toStoreError(Object.assign(new Error('read-only file system'), {code: 'EROFS'}), file, action);
		}
		if (fault === 'EACCES' || fault === 'EPERM') {
			throw new StoreError(permissionMessage(dir, file, action));
		}
	}
}

/**
 * Takes back permissions someone loosened: a per-user store file is the owner's alone, a shared one is
 * never world-accessible. Only the owner (or root) can, and only then is it tried.
 */
export function tightenMode(file: string, modes: StoreModes): void {
	try {
		const stats = fs.lstatSync(file);
		const mode = stats.mode & 0o777;
		const wanted = modes === storeModes.shared ? mode & ~0o007 : mode & ~0o077;
		if (stats.isFile() && wanted !== mode && (process.getuid?.() === stats.uid || process.getuid?.() === 0)) {
			fs.chmodSync(file, wanted);
		}
	} catch {
		// A file that cannot be changed is still opened; its access is checked on its own.
	}
}

/** How long one attempt at SQLite's locks may block before the store's own wait (with its notice) takes over. */
const busySliceMs = 50;

/** Opens a SQLite connection with the store's settings: foreign keys on, short busy waits, full syncs. */
export function openConnection(file: string): DatabaseSync {
	const database = new DatabaseSync(file, {timeout: busySliceMs, enableForeignKeyConstraints: true});
	return database;
}
