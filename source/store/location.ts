/** Where a store lives: the directory a command uses, and the names of the files in it. */

import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';

/** The database's name inside a store directory. */
export const storeFileName = 'device.db';

/** The JSON file of edgenet 0.1, migrated on first open. */
export const legacyFileName = 'device.json';

/** The environment variable that names a store directory. */
export const storeEnvironmentVariable = 'EDGENET_STORE';

/** What to do when the store directory cannot be used: the two ways of naming another. */
export const chooseAnotherStore = `Choose another store directory with --store <dir> or ${storeEnvironmentVariable}.`;

/**
 * The per-user config directory for edgenet: on Linux `$XDG_CONFIG_HOME/edgenet`, or `~/.config/edgenet`
 * when that is unset, empty or relative (the XDG base directory specification says to ignore a relative
 * path, which env-paths would take as it is, under the current directory).
 */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
	if (process.platform !== 'linux') {
		return envPaths('edgenet', {suffix: ''}).config;
	}
	const xdg = env['XDG_CONFIG_HOME'];
	return xdg && path.isAbsolute(xdg) ? path.join(xdg, 'edgenet') : path.join(env['HOME'] || os.homedir(), '.config', 'edgenet');
}

/** The store directory: `--store`, else `EDGENET_STORE`, else the per-user default. */
export function resolveStoreDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
	const chosen = option ?? (env[storeEnvironmentVariable] || undefined);
	return path.resolve(chosen ?? defaultStoreDir(env));
}

/** The path of the database in a store directory. */
export function storeFilePath(dir: string): string {
	return path.join(dir, storeFileName);
}

/** The files SQLite keeps beside the database. */
export const companionSuffixes = ['-wal', '-shm'] as const;

/** A time as it is written in the names of backups: ISO 8601 without colons. */
export const timestamp = (now: Date) => now.toISOString().replaceAll(':', '-');
