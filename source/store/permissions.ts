/**
 * Who may use a store: the modes of a per-user and of a shared store, the ownership a refusal names, and
 * the access checks that let the store refuse with a clear message before SQLite gives a vaguer one.
 */

import fs from 'node:fs';

/** The modes of a store: a per-user store is the owner's alone; a shared one belongs to a group, never to everyone. */
export const storeModes = {
	personal: {directory: 0o700, file: 0o600},
	shared: {directory: 0o2770, file: 0o660},
} as const;

/** The directory and file modes of one kind of store. */
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

/** Names by number from a file shaped as /etc/passwd or /etc/group. */
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

/** Whether the user may read, write and enter the directory: nothing, or the errno that says why not. */
export function accessFault(target: string, mode: number): string | undefined {
	try {
		fs.accessSync(target, mode);
		return undefined;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code ?? 'EACCES';
	}
}

/** Whether the user may read, write and enter the directory. */
export function canUse(dir: string): boolean {
	return accessFault(dir, fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK) === undefined;
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
