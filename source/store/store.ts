/**
 * The device store: the one module that touches the disk. One JSON file per store directory,
 * read and written through conf, validated by the store schema, mode 0600.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import lockfile from 'proper-lockfile';
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

/** The demo device as a fresh store's content. */
export function demoState(revision = 0): StoreState {
	return {schemaVersion: currentSchemaVersion, revision, device: createDemoDevice()};
}

/** What a watcher of the store is told after the file changed. */
export type StoreEvent = {readonly ok: true; readonly state: StoreState} | {readonly ok: false; readonly message: string};

/** Options of a transaction. */
export type UpdateOptions = {
	/** Called once if the lock is held by another process and the transaction has to wait for it. */
	readonly onWait?: () => void;
};

/** A store directory opened for reading and writing. */
export type DeviceStore = {
	/** The store file. */
	readonly path: string;
	readonly dir: string;
	/** Whether opening it wrote the demo device because there was no store yet. */
	readonly created: boolean;
	/** Reads and checks the file as it is now. Throws StoreError. */
	read(): StoreState;
	/**
	 * A transaction: takes the store's inter-process lock, re-reads the file, applies the change to the
	 * device as it is now, and saves the device the change returns (nothing is written when it returns
	 * none), then releases the lock. The change also gets the current revision. Rejects with StoreError.
	 */
	update<T extends {readonly device?: Device}>(apply: (device: Device, revision: number) => T, options?: UpdateOptions): Promise<T & {readonly revision: number}>;
	/** Calls the listener after every change of the file by anyone, with the new state or why it cannot be read. Returns a function that stops watching. */
	watch(listener: (event: StoreEvent) => void): () => void;
};

/** How long a lock may go without its holder refreshing it before another process takes it over. */
export const staleLockMs = 5000;

/** How long a transaction waits for the lock before giving up. */
export const lockWaitMs = staleLockMs * 3;

const temporaryFilePattern = new RegExp(`^${storeFileName.replaceAll('.', String.raw`\.`)}\.tmp-[0-9a-f]{16}$`);

/** Removes the temporary files of writers that were killed mid-save. Call only while holding the lock. */
function removeTemporaryFiles(dir: string): void {
	let names: string[];
	try {
		names = fs.readdirSync(dir);
	} catch {
		return;
	}
	for (const name of names) {
		if (temporaryFilePattern.test(name)) {
			fs.rmSync(path.join(dir, name), {force: true});
		}
	}
}

const lockOptions = (file: string, onCompromised: (error: Error) => void) => ({
	stale: staleLockMs,
	realpath: false,
	lockfilePath: `${file}.lock`,
	onCompromised,
});

const sleep = (ms: number) =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

/** Who holds the lock: written beside the lock directory, so a waiter can tell a holder that died from one that is slow. */
type LockOwner = {readonly pid: number; readonly host: string; readonly ino: number};

const ownerPath = (file: string) => `${file}.lock.owner`;

/** Where creation times are unknown: how long after taking the lock its holder's record is trusted to be written. */
const ownerRecordGraceMs = 500;

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * A lock whose holder on this machine has died is expired at once (its time set back), so the lock
 * library's stale takeover applies now rather than after the stale timeout. The owner record must name
 * the very lock directory that is there (same inode), so a record left by an older lock is never trusted.
 */
function expireDeadOwner(file: string): void {
	try {
		const owner = JSON.parse(fs.readFileSync(ownerPath(file), 'utf8')) as LockOwner;
		const record = fs.statSync(ownerPath(file));
		const lock = fs.statSync(`${file}.lock`);
		// The record must have been written for this very lock directory: after its creation where the file
		// system tells creation times; elsewhere, only a lock older than the time a holder takes to record
		// itself is judged (an inode can be reused by the next lock directory).
		const recordIsThisLock = lock.birthtimeMs > 0 ? record.mtimeMs >= lock.birthtimeMs : Date.now() - lock.mtimeMs >= ownerRecordGraceMs;
		if (recordIsThisLock && owner.host === os.hostname() && owner.ino === lock.ino && owner.pid !== process.pid && !isAlive(owner.pid)) {
			fs.utimesSync(`${file}.lock`, 0, 0);
		}
	} catch {
		// No record, no lock, or a record being written: wait for the stale timeout as usual.
	}
}

function recordOwner(file: string): void {
	try {
		const owner: LockOwner = {pid: process.pid, host: os.hostname(), ino: fs.statSync(`${file}.lock`).ino};
		fs.writeFileSync(ownerPath(file), JSON.stringify(owner), {mode: 0o600});
	} catch {
		// Without the record a waiter falls back to the stale timeout.
	}
}

/** Takes the store's lock, waiting with growing pauses (and saying so once) while another process holds it. */
async function acquireLock(file: string, options: UpdateOptions, compromised: {error?: Error}): Promise<() => Promise<void>> {
	const deadline = Date.now() + lockWaitMs;
	let pause = 5;
	let told = false;
	for (;;) {
		try {
			const release = await lockfile.lock(file, lockOptions(file, error => {
				compromised.error = error;
			}));
			recordOwner(file);
			return release;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
				throw error;
			}
			if (Date.now() > deadline) {
				throw new StoreError(
					`The store ${path.dirname(file)} stayed locked by another edgenet for ${lockWaitMs / 1000} s (lock ${file}.lock). Try again; a lock whose holder died is taken over after ${staleLockMs / 1000} s.`,
				);
			}
			expireDeadOwner(file);
			if (!told) {
				told = true;
				options.onWait?.();
			}
			await sleep(pause + Math.random() * pause);
			pause = Math.min(pause * 2, 100);
		}
	}
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
	sweepTemporaryFiles(file);
	const read = (): StoreState => {
		try {
			return conf.store;
		} catch (error) {
			throw toStoreError(error, file, dir, 'read');
		}
	};
	const write = (device: Device, revision: number): StoreState => {
		const next: StoreState = {schemaVersion: currentSchemaVersion, revision: revision + 1, device};
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
		async update(apply, options = {}) {
			const compromised: {error?: Error} = {};
			let release: () => Promise<void>;
			try {
				release = await acquireLock(file, options, compromised);
			} catch (error) {
				throw toStoreError(error, `${file}.lock`, dir, 'write');
			}
			try {
				removeTemporaryFiles(dir);
				const current = read();
				const result = apply(current.device, current.revision);
				if (!result.device) {
					return {...result, revision: current.revision};
				}
				if (compromised.error) {
					throw new StoreError(`Lost the lock on the store ${dir} while saving (${compromised.error.message}); nothing was saved. Try again.`);
				}
				return {...result, revision: write(result.device, current.revision).revision};
			} finally {
				await release().catch(() => undefined);
			}
		},
		watch(listener) {
			return watchStore(file, read, listener);
		},
	};
}

/** At start, removes what killed writers left, if no other process is saving right now. */
function sweepTemporaryFiles(file: string): void {
	let names: string[];
	try {
		names = fs.readdirSync(path.dirname(file));
	} catch {
		return;
	}
	// Most starts find nothing to sweep and take no lock for it.
	if (!names.some(name => temporaryFilePattern.test(name))) {
		return;
	}
	try {
		expireDeadOwner(file);
		const release = lockfile.lockSync(file, lockOptions(file, () => undefined));
		try {
			removeTemporaryFiles(path.dirname(file));
		} finally {
			release();
		}
	} catch {
		// Locked by a writer (it sweeps too), or a directory we may not write: nothing to do now.
	}
}

/** Watches the store's directory (a save renames a new file over the old one) and re-reads the file after each change. */
function watchStore(file: string, read: () => StoreState, listener: (event: StoreEvent) => void): () => void {
	const name = path.basename(file);
	let timer: NodeJS.Timeout | undefined;
	const check = () => {
		timer = undefined;
		try {
			listener({ok: true, state: read()});
		} catch (error) {
			listener({ok: false, message: error instanceof Error ? error.message : String(error)});
		}
	};
	let watcher: fs.FSWatcher;
	try {
		watcher = fs.watch(path.dirname(file), {persistent: false}, (_event, changed) => {
			if (changed === null || changed === name) {
				clearTimeout(timer);
				timer = setTimeout(check, 30);
			}
		});
	} catch {
		return () => undefined;
	}
	watcher.on('error', () => undefined);
	// A change made between the caller's last read and the watcher's start would go unseen: look once now.
	timer = setTimeout(check, 0);
	return () => {
		clearTimeout(timer);
		watcher.close();
	};
}

/**
 * Writes the demo device to the store, whatever the store holds now, under the store's lock. A file that
 * was there is kept beside it as `device.json.bak-<time>`; returns that copy's path, if one was made.
 */
export async function resetToDemo(dir: string, now = new Date(), options: UpdateOptions = {}): Promise<{readonly path: string; readonly backup: string | undefined}> {
	return replaceStore(dir, createDemoDevice(), now, options);
}

/** Writes a whole device to the store, whatever it holds now, keeping the old file beside it as `device.json.bak-<time>`. */
export async function replaceStore(dir: string, device: Device, now = new Date(), options: UpdateOptions = {}): Promise<{readonly path: string; readonly backup: string | undefined}> {
	const file = storeFilePath(dir);
	let backup: string | undefined;
	let release: (() => Promise<void>) | undefined;
	try {
		fs.mkdirSync(dir, {recursive: true});
		release = await acquireLock(file, options, {});
		let revision = 0;
		if (fs.existsSync(file)) {
			try {
				revision = (JSON.parse(fs.readFileSync(file, 'utf8')) as {revision?: unknown}).revision as number;
				revision = Number.isInteger(revision) && revision >= 0 ? revision + 1 : 0;
			} catch {
				revision = 0;
			}
			backup = `${file}.bak-${now.toISOString().replaceAll(':', '-')}`;
			fs.copyFileSync(file, backup, fs.constants.COPYFILE_EXCL);
			fs.chmodSync(backup, 0o600);
			fs.rmSync(file);
		}
		createConf(dir, {schemaVersion: currentSchemaVersion, revision, device});
	} catch (error) {
		throw toStoreError(error, file, dir, 'write');
	} finally {
		await release?.().catch(() => undefined);
	}
	return {path: file, backup};
}
