/**
 * A store several Unix users share: administrators who log in over SSH as themselves and edit one device.
 * The directory belongs to a group and is setgid (new files take its group), the database files are
 * 0660, and nothing is ever world-accessible.
 */

import fs from 'node:fs';
import {ensureDirectory} from './files.js';
import {describeOwnership, storeModes} from './permissions.js';
import {StoreError} from './store-error.js';
import {openStore, storeFilePath} from './store.js';

/** The gid of a group named in /etc/group, if there is one. */
function groupId(name: string): number | undefined {
	let text: string;
	try {
		text = fs.readFileSync('/etc/group', 'utf8');
	} catch {
		return undefined;
	}
	for (const line of text.split('\n')) {
		const [entry, , id] = line.split(':');
		if (entry === name && id !== undefined && /^\d+$/.test(id)) {
			return Number(id);
		}
	}
	return undefined;
}

/** What `store init --shared` did. */
export type SharedStore = {readonly dir: string; readonly file: string; readonly created: boolean};

/**
 * Prepares a store directory that every member of a group can read and write: creates it (or takes over
 * one the caller owns), gives it and the database files to the group with the shared modes, and writes
 * the demo device when there is no database yet.
 */
export function initSharedStore(dir: string, group: string): SharedStore {
	if (!/^[A-Za-z_][\w.-]*\$?$/.test(group)) {
		throw new StoreError(`"${group}" is not a group name; name a Unix group such as netadmins.`);
	}
	const gid = groupId(group);
	if (gid === undefined) {
		throw new StoreError(`There is no group named ${group} on this machine. Create it (\`groupadd ${group}\`), add the administrators to it (\`usermod -aG ${group} USER\`), then run this again.`);
	}
	const give = (target: string, mode: number) => {
		try {
			fs.chownSync(target, -1, gid);
			fs.chmodSync(target, mode);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EPERM' || code === 'EACCES') {
				throw new StoreError(
					`Cannot give ${target} to the group ${group} (${describeOwnership(target)}): only its owner can, and only to a group the owner belongs to (root can always). Run this as the owner or as root.`,
				);
			}
			throw error;
		}
	};
	ensureDirectory(dir, storeModes.shared.directory);
	const stats = fs.lstatSync(dir);
	if (stats.isSymbolicLink() || !stats.isDirectory()) {
		throw new StoreError(`The store ${dir} is not a directory. Choose another directory.`);
	}
	give(dir, storeModes.shared.directory);
	const file = storeFilePath(dir);
	for (const existing of [file, `${file}-wal`, `${file}-shm`]) {
		if (fs.existsSync(existing)) {
			give(existing, storeModes.shared.file);
		}
	}
	const store = openStore(dir);
	store.close();
	for (const existing of [file, `${file}-wal`, `${file}-shm`]) {
		if (fs.existsSync(existing)) {
			give(existing, storeModes.shared.file);
		}
	}
	return {dir, file, created: store.created};
}
