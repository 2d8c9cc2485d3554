/**
 * The file-system side of the store: safe paths in the store directory (no links followed, modes set
 * whatever the umask), access refused before SQLite is asked, and the SQLite file's header checked
 * before SQLite sees it.
 */

import fs from 'node:fs';
import path from 'node:path';
import {chooseAnotherStore} from './location.js';
import {accessFault, describeOwnership, permissionMessage} from './permissions.js';
import {recoveryHint, StoreError, toStoreError} from './store-error.js';

/** Why no directory can be made in `parent`, in words rather than an errno. */
function whyNotMade(parent: string, code: string | undefined): string {
	switch (code) {
		case 'EACCES':
		case 'EPERM': {
			// Root is refused only by file systems that hold no directories of anyone's (/sys, /proc).
			return process.getuid?.() === 0 ? `directories cannot be made in ${parent}` : `you may not make directories in ${parent} (${describeOwnership(parent)})`;
		}
		case 'EROFS': {
			return `${parent} is on a read-only file system`;
		}
		case 'ENOSPC':
		case 'EDQUOT': {
			return `no space is left on the device holding ${parent}`;
		}
		default: {
			// ENOENT from mkdir in an existing directory: a file system such as /proc that holds no directories of anyone's.
			return `directories cannot be made in ${parent}`;
		}
	}
}

/**
 * Creates the store directory and any missing parents with the given mode, whatever the umask. An
 * existing path that is not a directory, and a directory that cannot be made, are refused with a
 * StoreError that says so and how to choose another.
 */
export function ensureDirectory(dir: string, mode: number): void {
	const missing: string[] = [];
	let current = dir;
	for (;;) {
		let stats: fs.Stats | undefined;
		try {
			stats = fs.statSync(current);
		} catch (error) {
			// ENOTDIR: a part of the path further up is a file, which the walk up finds.
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'ENOENT' && code !== 'ENOTDIR') {
				throw error;
			}
		}
		if (stats) {
			if (!stats.isDirectory()) {
				throw new StoreError(
					current === dir
						? `Cannot use the store ${dir}: it is not a directory. ${chooseAnotherStore}`
						: `Cannot create the store directory ${dir}: ${current} is not a directory. ${chooseAnotherStore}`,
				);
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
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'EEXIST') {
				throw new StoreError(`Cannot create the store directory ${dir}: ${whyNotMade(path.dirname(created), code)}. ${chooseAnotherStore}`);
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
		// With frames in the write-ahead log the file may be shorter than its header says: a checkpoint stopped
		// part-way (a killed writer) has copied page 1 and not yet the pages after it, which SQLite still reads
		// from the log and copies again at the next checkpoint.
		const logged = (fs.lstatSync(`${file}-wal`, {throwIfNoEntry: false})?.size ?? 0) > 0;
		if (pageSize < 512 || (!logged && (size < expected || size % pageSize !== 0))) {
			throw new StoreError(`The store file ${file} is truncated (${size} bytes${expected > 0 ? `, its header says ${expected}` : ''}). ${recoveryHint(dir)}`, {damaged: true});
		}
	} finally {
		fs.closeSync(fd);
	}
}

/** What a store directory and its database allow the user: to read and write them, or only to read them. */
type StoreAccess = 'read-write' | 'read-only';

/**
 * Refuses a store the user may not use for `action`, or one on a read-only file system to be written,
 * before SQLite gives a vaguer answer. A store to read that may be read but not written (a read-only
 * mount, a file or directory of another user's that the user may only read) is `read-only`.
 */
export function checkAccess(dir: string, file: string, action: 'read' | 'write'): StoreAccess {
	const targets = [
		[dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK, fs.constants.R_OK | fs.constants.X_OK],
		[file, fs.constants.R_OK | fs.constants.W_OK, fs.constants.R_OK],
	] as const;
	for (const [target, writeMode, readMode] of targets) {
		const fault = accessFault(target, action === 'write' ? writeMode : readMode);
		if (fault === 'EROFS') {
			throw toStoreError(Object.assign(new Error('read-only file system'), {code: 'EROFS'}), file, action);
		}
		if (fault === 'EACCES' || fault === 'EPERM') {
			throw new StoreError(permissionMessage(dir, file, action));
		}
	}
	return targets.every(([target, writeMode]) => accessFault(target, writeMode) === undefined) ? 'read-write' : 'read-only';
}
