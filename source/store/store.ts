/**
 * The device store: the one module that touches the disk. One JSON file per store directory,
 * read and written through conf, validated by the store schema, mode 0600.
 */

import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import envPaths from 'env-paths';
import {createDemoDevice} from '../domain/demo.js';
import type {Device} from '../domain/device.js';
import {currentSchemaVersion, requiredStoreKeys, storeSchema} from './schema.js';

/** What the store file holds. */
export type StoreState = {
	readonly schemaVersion: number;
	/** Counts the saves; every write raises it by one. */
	readonly revision: number;
	readonly device: Device;
};

/** A failure a person can act on: the message names the file, what is wrong and what to do. */
export class StoreError extends Error {
	override readonly name = 'StoreError';
}

/** The store file's name inside a store directory. */
export const storeFileName = 'device.json';

/** The environment variable that names a store directory. */
export const storeEnvironmentVariable = 'EDGENET_STORE';

/** conf's per-user config directory for edgenet (on Linux `~/.config/edgenet`). */
export function defaultStoreDir(): string {
	return envPaths('edgenet', {suffix: ''}).config;
}

/** The store directory: `--store`, else `EDGENET_STORE`, else the per-user default. */
export function resolveStoreDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
	const chosen = option ?? (env[storeEnvironmentVariable] || undefined);
	return path.resolve(chosen ?? defaultStoreDir());
}

/** The path of the store file in a store directory. */
export function storeFilePath(dir: string): string {
	return path.join(dir, storeFileName);
}

const recoveryHint = (dir: string) =>
	`It was left unchanged. Repair it by hand, or run \`edgenet reset --demo --store ${dir}\` to keep a copy of it and start again from the demo device.`;

/** Reads and checks the file's text before conf's schema sees it, so each fault gets its own message. */
function deserializeStore(file: string, dir: string) {
	return (text: string): unknown => {
		if (text.trim() === '') {
			throw new StoreError(`The store file ${file} is empty. ${recoveryHint(dir)}`);
		}
		let data: unknown;
		try {
			data = JSON.parse(text.replace(/^\uFEFF/, ''));
		} catch (error) {
			const detail = error instanceof Error ? ` (${error.message})` : '';
			throw new StoreError(`The store file ${file} is not valid JSON${detail}. ${recoveryHint(dir)}`);
		}
		if (data === null || typeof data !== 'object' || Array.isArray(data)) {
			throw new StoreError(`The store file ${file} does not hold a JSON object. ${recoveryHint(dir)}`);
		}
		const version = (data as {schemaVersion?: unknown}).schemaVersion;
		if (typeof version === 'number' && version > currentSchemaVersion) {
			throw new StoreError(
				`The store file ${file} was written by a newer edgenet (store schema ${version}; this edgenet reads schema ${currentSchemaVersion}). Upgrade edgenet to open it; the file was left unchanged.`,
			);
		}
		return data;
	};
}

function describeFileError(error: unknown, file: string, action: 'read' | 'write'): string | undefined {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const dir = path.dirname(file);
	switch (code) {
		case 'EACCES':
		case 'EPERM': {
			return `Cannot ${action} the store file ${file}: permission denied. Check the owner and mode of ${dir}, or choose another store with --store.`;
		}
		case 'EROFS': {
			return `Cannot ${action} the store file ${file}: ${dir} is on a read-only file system. Choose another store with --store.`;
		}
		case 'ENOSPC':
		case 'EDQUOT': {
			return `Cannot ${action} the store file ${file}: no space left on the device holding ${dir}. Free some space and try again.`;
		}
		case 'EISDIR': {
			return `Cannot ${action} the store file ${file}: it is a directory. Move it away, or choose another store with --store.`;
		}
		case 'ENOTDIR': {
			return `Cannot ${action} the store file ${file}: a part of ${dir} is not a directory. Choose another store with --store.`;
		}
		default: {
			return code ? `Cannot ${action} the store file ${file}: ${(error as Error).message}.` : undefined;
		}
	}
}

/** Turns whatever conf or the file system threw into a StoreError with a message a person can act on. */
function toStoreError(error: unknown, file: string, dir: string, action: 'read' | 'write'): StoreError {
	if (error instanceof StoreError) {
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	if (message.startsWith('Config schema violation: ')) {
		const details = message.slice('Config schema violation: '.length);
		return new StoreError(`The store file ${file} does not match the store schema: ${details}. ${recoveryHint(dir)}`);
	}
	return new StoreError(describeFileError(error, file, action) ?? `Cannot ${action} the store file ${file}: ${message}`);
}

function createConf(dir: string, initial?: StoreState): Conf<StoreState> {
	const file = storeFilePath(dir);
	return new Conf<StoreState>({
		projectName: 'edgenet',
		cwd: dir,
		configName: path.parse(storeFileName).name,
		// The schema types are precise; conf's Schema<T> cannot express the shared sub-schemas.
		schema: storeSchema as never,
		rootSchema: {required: requiredStoreKeys},
		clearInvalidConfig: false,
		configFileMode: 0o600,
		deserialize: deserializeStore(file, dir) as (text: string) => StoreState,
		...(initial ? {defaults: initial} : {}),
	});
}

/** A store directory opened for reading and writing. */
export type DeviceStore = {
	/** The store file. */
	readonly path: string;
	readonly dir: string;
	/** Whether opening it wrote the demo device because there was no store yet. */
	readonly created: boolean;
	/** Reads and checks the file as it is now. Throws StoreError. */
	read(): StoreState;
	/** Saves a new device, raising the revision by one. Throws StoreError. */
	write(device: Device): StoreState;
	/**
	 * Applies a change to the device as it is in the file now, and saves the device the change returns
	 * (nothing is written when it returns none). Throws StoreError.
	 */
	update<T extends {readonly device?: Device}>(apply: (device: Device) => T): T;
};

/** The demo device as a fresh store's content. */
export function demoState(): StoreState {
	return {schemaVersion: currentSchemaVersion, revision: 0, device: createDemoDevice()};
}

/**
 * Opens the store in a directory. With no store file yet the demo device is written and used.
 * A file that is corrupt, empty, off-schema or from a newer version is refused with a StoreError and left byte-identical.
 */
export function openStore(dir: string): DeviceStore {
	const file = storeFilePath(dir);
	let conf: Conf<StoreState>;
	let created = false;
	try {
		const exists = fs.existsSync(file);
		conf = exists ? createConf(dir) : createConf(dir, demoState());
		created = !exists;
	} catch (error) {
		throw toStoreError(error, file, dir, 'read');
	}
	const read = (): StoreState => {
		try {
			return conf.store;
		} catch (error) {
			throw toStoreError(error, file, dir, 'read');
		}
	};
	const write = (device: Device): StoreState => {
		const current = read();
		const next: StoreState = {schemaVersion: currentSchemaVersion, revision: current.revision + 1, device};
		try {
			conf.store = next;
		} catch (error) {
			throw toStoreError(error, file, dir, 'write');
		}
		return next;
	};
	return {
		path: conf.path,
		dir,
		created,
		read,
		write,
		update(apply) {
			const result = apply(read().device);
			if (result.device) {
				write(result.device);
			}
			return result;
		},
	};
}

/**
 * Writes the demo device to the store, whatever the store holds now. A file that was there is kept beside it
 * as `device.json.bak-<time>`; returns that copy's path, if one was made.
 */
export function resetToDemo(dir: string, now = new Date()): {readonly path: string; readonly backup: string | undefined} {
	const file = storeFilePath(dir);
	let backup: string | undefined;
	try {
		if (fs.existsSync(file)) {
			backup = `${file}.bak-${now.toISOString().replaceAll(':', '-')}`;
			fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
			fs.chmodSync(backup, 0o600);
			fs.rmSync(file);
		}
		createConf(dir, demoState());
	} catch (error) {
		throw toStoreError(error, file, dir, 'write');
	}
	return {path: file, backup};
}
