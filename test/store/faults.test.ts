/**
 * The store under the faults of a real machine: a full disk, a read-only mount, a directory of another
 * user, planted symbolic links, a careless umask, damaged database files, and rows written behind
 * edgenet's back. Real processes, real file systems (tmpfs and bind mounts), real users. No mocks.
 * Each refusal is checked as a user meets it: exit code, message, and a store left as it was.
 */

import {type ChildProcess, execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {afterAll, afterEach, beforeAll, describe, expect, test, vi} from 'vitest';
import {openStore, type StoreEvent} from '../../source/store/store.js';
import {cleanEnv, cliPath, runCli} from '../e2e/harness.js';
import {buildWorker} from '../support/build-worker.js';
import {useMounts} from '../support/mounts.js';
import {copyForOtherUsers, type RunnableCopy} from '../support/other-users.js';
import {startProcess, waitUntilStopped} from '../support/processes.js';
import {storeDigest, storedRoutes} from '../support/store-digest.js';

const isRoot = process.getuid?.() === 0;
const demoRoute = '192.168.20.0/24 100';

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
	for (const child of children.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGCONT');
			child.kill('SIGKILL');
		}
	}
	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

const {mount, mountReadOnly, unmountLast} = useMounts();

function temporaryDir(prefix = 'edgenet-faults-'): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	dirs.push(dir);
	return dir;
}

/** A store directory holding the demo device, made by `edgenet status` as a user's first run would. */
function demoStore(dir = path.join(temporaryDir(), 'store')): string {
	const result = runCli(['status', '--store', dir]);
	expect(result.status, result.stderr).toBe(0);
	return dir;
}

/**
 * storeDigest and storedRoutes, leaving the directory as they found it: their read-only connection
 * leaves an empty -wal and a -shm behind, which would hide what edgenet itself leaves.
 */
function withoutLeftovers<T>(dir: string, read: (dir: string) => T): T {
	const companions = ['device.db-wal', 'device.db-shm'].map(name => path.join(dir, name));
	const existed = companions.map(file => fs.existsSync(file));
	try {
		return read(dir);
	} finally {
		for (const [index, file] of companions.entries()) {
			if (!existed[index]) {
				fs.rmSync(file, {force: true});
			}
		}
	}
}

const digestOf = (dir: string) => withoutLeftovers(dir, storeDigest);
const routesOf = (dir: string) => withoutLeftovers(dir, storedRoutes);

const routeAdd = (dir: string, destination = '10.5.0.0/16', metric = 5) =>
	['route', 'add', '--interface', 'Port3', '--destination', destination, '--next-hop', '192.168.10.1', '--metric', String(metric), '--store', dir];

/** What a refusal must never print: a JavaScript stack trace. */
const stackTrace = /\n\s+at /;

/** A file's bytes and modification time, to show it was neither written nor touched. */
function fingerprint(file: string): {readonly bytes: string; readonly mtimeMs: number} {
	return {bytes: fs.readFileSync(file).toString('base64'), mtimeMs: fs.statSync(file).mtimeMs};
}

/** The device document of a large generated device, as `edgenet export device` prints it. */
function bigDocument(): string {
	const dir = path.join(temporaryDir(), 'big');
	expect(runCli(['demo', '--generate', '--routes', '1500', '--pods', '3000', '--services', '300', '--store', dir]).status).toBe(0);
	const exported = runCli(['export', 'device', '--store', dir]);
	expect(exported.status).toBe(0);
	const file = path.join(path.dirname(dir), 'big.json');
	fs.writeFileSync(file, exported.stdout);
	return file;
}

/** Runs SQL on a database behind edgenet's back, as a person with the sqlite3 shell could. */
function tamper(file: string, sql: string): void {
	const database = new DatabaseSync(file);
	try {
		database.exec(sql);
	} finally {
		database.close();
	}
}

describe.skipIf(!isRoot)('a nearly full disk (a small tmpfs; mounting it needs root)', () => {
	const pageSize = 4096;

	/** A store on its own 1 MiB tmpfs with only `freePages` pages left free; returns the store and a function that frees the space again. */
	function nearlyFullStore(freePages: number): {readonly dir: string; readonly digest: string; readonly free: () => void} {
		const mountPoint = temporaryDir('edgenet-full-');
		mount(['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs'], mountPoint);
		const dir = demoStore(path.join(mountPoint, 'store'));
		// Taken before the disk fills: reading a WAL database needs room for its -shm file.
		const digest = digestOf(dir);
		const filler = path.join(mountPoint, 'filler');
		const {bavail, bsize} = fs.statfsSync(mountPoint);
		fs.writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - freePages * pageSize)));
		expect(fs.statfsSync(mountPoint).bavail * fs.statfsSync(mountPoint).bsize).toBe(freePages * pageSize);
		return {dir, digest, free: () => fs.rmSync(filler)};
	}

	test.each([0, 3])('`route add` with %i pages free: exit 1, "no space left" naming the directory, the device unchanged; it works once space is freed', freePages => {
		const {dir, digest, free} = nearlyFullStore(freePages);
		const result = runCli(routeAdd(dir));
		expect(result.stdout).toBe('');
		expect(result.status).toBe(1);
		expect.soft(result.stderr).toMatch(/no space left/);
		expect(result.stderr).toContain(dir);
		expect.soft(result.stderr).toMatch(/Free some space/);
		expect(result.stderr).not.toMatch(stackTrace);
		free();
		expect(digestOf(dir)).toBe(digest);
		expect(routesOf(dir)).toEqual([demoRoute]);
		const retry = runCli(routeAdd(dir));
		expect(retry.stderr).toBe('');
		expect(retry.stdout).toBe('Added 10.5.0.0/16 on Port3 via 192.168.10.1, metric 5.\n');
		expect(retry.status).toBe(0);
		expect(routesOf(dir)).toEqual([demoRoute, '10.5.0.0/16 5']);
	});

	test.each([0, 3])('the first start with %i pages free: exit 1, "no space left", no half-made database or staging file left', freePages => {
		const mountPoint = temporaryDir('edgenet-full-');
		mount(['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs'], mountPoint);
		const dir = path.join(mountPoint, 'store');
		fs.mkdirSync(dir, {mode: 0o700});
		const {bavail, bsize} = fs.statfsSync(mountPoint);
		fs.writeFileSync(path.join(mountPoint, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - freePages * pageSize)));
		const result = runCli(routeAdd(dir));
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/no space left/);
		expect(result.stderr).toContain(dir);
		expect(result.stderr).not.toMatch(stackTrace);
		expect(fs.readdirSync(dir)).toEqual([]);
	});

	test.each([3, 50])('`import device` of a big document with %i pages free: exit 1, "no space left", the device unchanged and no copy left behind', freePages => {
		const document = bigDocument();
		const {dir, digest, free} = nearlyFullStore(freePages);
		const result = runCli(['import', 'device', document, '--store', dir]);
		expect(result.stdout).toBe('');
		expect(result.status).toBe(1);
		expect.soft(result.stderr).toMatch(/no space left/);
		expect(result.stderr).toContain(dir);
		expect(result.stderr).not.toMatch(stackTrace);
		free();
		expect(digestOf(dir)).toBe(digest);
		expect(routesOf(dir)).toEqual([demoRoute]);
		// "Nothing was changed": no backup copy of a replace that never happened takes the space the user must free.
		expect.soft(fs.readdirSync(dir).filter(name => !/^device\.db(-wal|-shm)?$/.test(name))).toEqual([]);
		const retry = runCli(['import', 'device', document, '--store', dir]);
		expect(retry.stderr).toBe('');
		expect(retry.status).toBe(0);
		expect(routesOf(dir)).toHaveLength(1500);
	}, 60_000);
});

describe.skipIf(!isRoot)('a read-only mount of the store directory (bind mounts need root)', () => {
	test('read commands read it as it is; write commands exit 1 saying the file system is read-only, naming the store; nothing crashes', () => {
		const dir = demoStore();
		const document = path.join(path.dirname(dir), 'backup.json');
		fs.writeFileSync(document, runCli(['export', 'device', '--store', dir]).stdout);
		const reads = [
			['status', '--store', dir],
			['route', 'list', '--json', '--store', dir],
			['export', 'device', '--store', dir],
		];
		const expected = reads.map(args => runCli(args).stdout);
		const digest = digestOf(dir);
		const before = fingerprint(path.join(dir, 'device.db'));
		mountReadOnly(dir);
		for (const [index, args] of reads.entries()) {
			const result = runCli(args);
			expect(result.stderr, `edgenet ${args.join(' ')}`).toBe('');
			expect(result.status).toBe(0);
			expect(result.stdout).toBe(expected[index]);
		}
		const writes = [
			routeAdd(dir),
			['route', 'remove', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--store', dir],
			['reset', '--demo', '--store', dir],
			['import', 'device', document, '--store', dir],
		];
		for (const args of writes) {
			const result = runCli(args);
			expect(result.status, `edgenet ${args.join(' ')}`).toBe(1);
			expect(result.stdout).toBe('');
			expect.soft(result.stderr, `edgenet ${args.join(' ')}`).toMatch(/read-only file system/);
			expect(result.stderr).toContain(dir);
			expect.soft(result.stderr).not.toMatch(/permission denied/);
			expect(result.stderr).not.toMatch(stackTrace);
		}
		unmountLast();
		expect(fingerprint(path.join(dir, 'device.db'))).toEqual(before);
		expect(digestOf(dir)).toBe(digest);
		expect(fs.readdirSync(dir)).toEqual(['device.db']);
	});
});

describe.skipIf(!isRoot)('a store read through a read-only mount while it is written elsewhere (bind mounts need root)', () => {
	test('is read anew when the file changes: the next read and the dashboard\'s watch see the change', async () => {
		const dir = demoStore();
		const view = temporaryDir('edgenet-view-');
		mountReadOnly(dir, view);
		const store = openStore(view);
		try {
			expect(store.read().device.routes.map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24']);
			const events: StoreEvent[] = [];
			const stop = store.watch(event => events.push(event));
			try {
				await vi.waitFor(() => expect(events).toHaveLength(1));
				expect(runCli(routeAdd(dir)).status).toBe(0);
				await vi.waitFor(() => expect(events).toHaveLength(2), {timeout: 5000});
				const last = events.at(-1)!;
				expect(last.ok && last.state.device.routes.map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24', '10.5.0.0/16']);
			} finally {
				stop();
			}
			expect(store.read().device.routes).toHaveLength(2);
			await expect(store.update(device => ({device}))).rejects.toThrow(/read-only file system/);
		} finally {
			store.close();
		}
		expect(fs.readdirSync(view)).toEqual(['device.db']);
	});
});

describe.skipIf(!isRoot)('a store directory of another user (creates Unix users: needs root)', () => {
	const owner = `enf${process.pid}o`;
	const stranger = `enf${process.pid}s`;
	let unavailable: string | undefined;
	/** Node and edgenet where the test's users can run them. */
	let runnable: RunnableCopy | undefined;

	beforeAll(async () => {
		for (const user of [owner, stranger]) {
			const created = spawnSync('useradd', ['--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', user], {encoding: 'utf8'});
			if (created.status !== 0) {
				unavailable = `cannot create Unix users here (useradd: ${created.stderr.trim()})`;
				return;
			}
		}
		runnable = await copyForOtherUsers();
		const probe = spawnSync('runuser', ['-u', stranger, '--', runnable.node, '-e', `require('fs').accessSync(${JSON.stringify(runnable.cli)})`], {encoding: 'utf8', cwd: '/'});
		if (probe.status !== 0) {
			unavailable = `another user cannot run ${runnable.node} on ${runnable.cli} (${probe.stderr.trim()})`;
		}
	});

	afterAll(() => {
		for (const user of [owner, stranger]) {
			spawnSync('userdel', ['--force', user]);
			spawnSync('groupdel', [user]);
		}
		runnable?.remove();
	});

	const runAs = (user: string, args: readonly string[]) => runnable!.runAs(user, args);

	/** A demo store owned by the owner: directory 0700 (or as given), database 0600, under a directory anyone may enter. */
	function ownersStore(mode = 0o700): string {
		const parent = temporaryDir();
		fs.chmodSync(parent, 0o755);
		const dir = demoStore(path.join(parent, 'store'));
		execFileSync('chown', ['-R', `${owner}:${owner}`, dir]);
		fs.chmodSync(dir, mode);
		return dir;
	}

	test('every command exits 1 naming the directory, its owner, group and mode, and what to do; never a stack trace; nothing changed', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = ownersStore();
		const digest = digestOf(dir);
		for (const args of [routeAdd(dir), ['status', '--store', dir], ['route', 'list', '--store', dir], ['reset', '--demo', '--store', dir]]) {
			const result = runAs(stranger, args);
			expect(result.status, `edgenet ${args.join(' ')}: ${result.stderr}`).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(/permission denied/);
			expect(result.stderr).toContain(`${dir}: owner ${owner}, group ${owner}, mode 0700`);
			expect(result.stderr).toMatch(/edgenet store init --shared GROUP/);
			expect(result.stderr).toMatch(/--store/);
			expect(result.stderr).not.toMatch(stackTrace);
		}
		expect(digestOf(dir)).toBe(digest);
		expect(fs.readdirSync(dir)).toEqual(['device.db']);
		// The owner still uses it.
		expect(runAs(owner, routeAdd(dir)).status).toBe(0);
	});

	test('a directory anyone may enter but a database of 0600: exit 1 naming the database, its owner, group and mode', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = ownersStore(0o755);
		const digest = digestOf(dir);
		const result = runAs(stranger, routeAdd(dir));
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/permission denied/);
		expect(result.stderr).toContain(`${path.join(dir, 'device.db')}: owner ${owner}, group ${owner}, mode 0600`);
		expect(result.stderr).toMatch(/--store/);
		expect(result.stderr).not.toMatch(stackTrace);
		expect(digestOf(dir)).toBe(digest);
	});

	test('a store the user may read but not write (directory 0755, database 0644): it reads as the owner reads it; a change exits 1 naming the database, its owner and mode; nothing is made there', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = ownersStore(0o755);
		const reads = [['status', '--json', '--store', dir], ['route', 'list', '--store', dir]];
		const owners = reads.map(args => runAs(owner, args).stdout);
		// The owner's edgenet takes a personal store back to 0600 whenever it opens it: loosened after, as a person would.
		fs.chmodSync(path.join(dir, 'device.db'), 0o644);
		const digest = digestOf(dir);
		for (const [index, args] of reads.entries()) {
			const strangers = runAs(stranger, args);
			expect(strangers.stderr, `edgenet ${args.join(' ')}`).toBe('');
			expect(strangers.status).toBe(0);
			expect(strangers.stdout).toBe(owners[index]);
		}
		const result = runAs(stranger, routeAdd(dir));
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^edgenet: Cannot write the store .*: permission denied/);
		expect(result.stderr).toContain(`${path.join(dir, 'device.db')}: owner ${owner}, group ${owner}, mode 0644`);
		expect(result.stderr).not.toMatch(stackTrace);
		expect(digestOf(dir)).toBe(digest);
		expect(fs.readdirSync(dir)).toEqual(['device.db']);
	});
});

describe.skipIf(!isRoot)('symbolic links planted in the store directory, run as root (who may write anywhere)', () => {
	/** A file the link points at, with content that must survive. */
	function victim(): string {
		const file = path.join(temporaryDir('edgenet-victim-'), 'precious');
		fs.writeFileSync(file, 'precious bytes\n');
		return file;
	}

	/** A path nothing is at: the target of a dangling link. */
	function nowhere(): string {
		return path.join(temporaryDir('edgenet-victim-'), 'never-created');
	}

	const refusedAsLink = (result: ReturnType<typeof runCli>, link: string) => {
		expect(result.status, result.stderr).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(`${link} is a symbolic link`);
		expect(result.stderr).not.toMatch(stackTrace);
	};

	test.each(['device.db', 'device.json'])('a new store directory with a link at %s: refused, the target untouched', name => {
		const dir = temporaryDir();
		const target = victim();
		const before = fingerprint(target);
		fs.symlinkSync(target, path.join(dir, name));
		refusedAsLink(runCli(routeAdd(dir)), path.join(dir, name));
		refusedAsLink(runCli(['reset', '--demo', '--store', dir]), path.join(dir, name));
		expect(fingerprint(target)).toEqual(before);
		expect(fs.readdirSync(dir)).toEqual([name]);
	});

	test.each(['device.db', 'device.json'])('a dangling link at %s: refused, its target never created', name => {
		const dir = temporaryDir();
		const target = nowhere();
		fs.symlinkSync(target, path.join(dir, name));
		refusedAsLink(runCli(routeAdd(dir)), path.join(dir, name));
		refusedAsLink(runCli(['status', '--store', dir]), path.join(dir, name));
		expect(fs.existsSync(target)).toBe(false);
	});

	test('device.db replaced by a link to another edgenet database: refused, that database untouched', () => {
		const other = demoStore();
		const otherFile = path.join(other, 'device.db');
		const otherDigest = digestOf(other);
		const before = fingerprint(otherFile);
		const dir = demoStore();
		fs.rmSync(path.join(dir, 'device.db'));
		fs.symlinkSync(otherFile, path.join(dir, 'device.db'));
		refusedAsLink(runCli(routeAdd(dir)), path.join(dir, 'device.db'));
		refusedAsLink(runCli(['reset', '--demo', '--store', dir]), path.join(dir, 'device.db'));
		expect(fingerprint(otherFile)).toEqual(before);
		expect(digestOf(other)).toBe(otherDigest);
		expect(fs.readdirSync(other)).toEqual(['device.db']);
	});

	test.each(['device.db-wal', 'device.db-shm'])('an existing store with a link at %s: refused, the target untouched, the store unchanged', name => {
		const dir = demoStore();
		const digest = digestOf(dir);
		const target = victim();
		const before = fingerprint(target);
		fs.symlinkSync(target, path.join(dir, name));
		refusedAsLink(runCli(routeAdd(dir)), path.join(dir, name));
		refusedAsLink(runCli(['status', '--store', dir]), path.join(dir, name));
		expect(fingerprint(target)).toEqual(before);
		fs.rmSync(path.join(dir, name));
		expect(digestOf(dir)).toBe(digest);
	});

	test.each(['device.db-wal', 'device.db-shm'])('an existing store with a dangling link at %s: refused, its target never created', name => {
		const dir = demoStore();
		const digest = digestOf(dir);
		const target = nowhere();
		fs.symlinkSync(target, path.join(dir, name));
		refusedAsLink(runCli(routeAdd(dir)), path.join(dir, name));
		expect(fs.existsSync(target)).toBe(false);
		fs.rmSync(path.join(dir, name));
		expect(digestOf(dir)).toBe(digest);
	});

	test.each(['device.db-wal', 'device.db-shm'])('a new store directory with links at %s: one to a file is moved aside, a dangling one refused; neither followed', name => {
		for (const [target, dangling] of [
			[victim(), false],
			[nowhere(), true],
		] as const) {
			const dir = temporaryDir();
			const before = dangling ? undefined : fingerprint(target);
			fs.symlinkSync(target, path.join(dir, name));
			const result = runCli(routeAdd(dir));
			expect(result.stderr).not.toMatch(stackTrace);
			if (dangling) {
				refusedAsLink(result, path.join(dir, name));
				expect(fs.existsSync(target)).toBe(false);
			} else {
				// A companion left without its database would be replayed into the new one: it is kept aside, still the same link.
				expect(result.status).toBe(0);
				expect(routesOf(dir)).toEqual([demoRoute, '10.5.0.0/16 5']);
				const aside = fs.readdirSync(dir).filter(entry => entry.startsWith(`${name}.orphan-`));
				expect(aside).toHaveLength(1);
				expect(fs.readlinkSync(path.join(dir, aside[0]!))).toBe(target);
				expect(fingerprint(target)).toEqual(before);
			}
		}
	});
});

describe('a careless umask', () => {
	let holdWorker: string;

	beforeAll(async () => {
		holdWorker = await buildWorker('hold-transaction');
	});

	const underUmask = (command: readonly string[]) => spawnSync('bash', ['-c', 'umask 000; exec "$@"', 'bash', ...command], {encoding: 'utf8', env: cleanEnv()});
	const modeOf = (file: string) => (fs.statSync(file).mode & 0o7777).toString(8).padStart(4, '0');

	test('with umask 000 the store directory and the parents it makes are 0700, device.db and its -wal and -shm 0600, a backup 0600', async () => {
		const base = temporaryDir();
		const dir = path.join(base, 'a', 'b');
		const status = underUmask([process.execPath, cliPath, 'status', '--store', dir]);
		expect(status.status, status.stderr).toBe(0);
		expect({a: modeOf(path.join(base, 'a')), b: modeOf(dir), database: modeOf(path.join(dir, 'device.db'))}).toEqual({a: '0700', b: '0700', database: '0600'});
		// The -wal and -shm files live while a writer is inside a transaction: hold one there, stopped.
		const holder = startProcess('bash', ['-c', 'umask 000; exec "$@"', 'bash', process.execPath, holdWorker, dir, '10.77.0.0/16', '77'], {env: cleanEnv()});
		children.push(holder.child);
		await holder.waitFor('stdout', 'in transaction');
		await waitUntilStopped(holder);
		expect({wal: modeOf(path.join(dir, 'device.db-wal')), shm: modeOf(path.join(dir, 'device.db-shm'))}).toEqual({wal: '0600', shm: '0600'});
		holder.child.kill('SIGCONT');
		expect((await holder.finished).stdout).toContain('committed 10.77.0.0/16');
		const reset = underUmask([process.execPath, cliPath, 'reset', '--demo', '--store', dir]);
		expect(reset.status, reset.stderr).toBe(0);
		const backups = fs.readdirSync(dir).filter(name => name.startsWith('device.db.bak-'));
		expect(backups).toHaveLength(1);
		expect(modeOf(path.join(dir, backups[0]!))).toBe('0600');
		expect(modeOf(path.join(dir, 'device.db'))).toBe('0600');
	});

	test('a database someone loosened to 0666 is taken back to 0600 when opened', () => {
		const dir = demoStore();
		fs.chmodSync(path.join(dir, 'device.db'), 0o666);
		expect(runCli(['status', '--store', dir]).status).toBe(0);
		expect(modeOf(path.join(dir, 'device.db'))).toBe('0600');
	});
});

describe('damaged database files', () => {
	/** A real device.db, checkpointed and closed. */
	function realDatabase(): string {
		return path.join(demoStore(), 'device.db');
	}

	const damages: ReadonlyArray<{readonly name: string; readonly make: (file: string) => void; readonly says: RegExp}> = [
		{name: 'a text file', make: file => fs.writeFileSync(file, 'routes: 10.0.0.0/8 via 192.168.10.1\n'), says: /is not a SQLite database/},
		{
			name: 'a database cut to half its length',
			make(file) {
				const bytes = fs.readFileSync(realDatabase());
				fs.writeFileSync(file, bytes.subarray(0, bytes.length / 2));
			},
			says: /is truncated \(\d+ bytes/,
		},
		{name: 'an empty file', make: file => fs.writeFileSync(file, ''), says: /is empty/},
		{
			name: 'a database without its routes table',
			make(file) {
				fs.copyFileSync(realDatabase(), file);
				tamper(file, 'DROP TABLE routes');
			},
			says: /has no table "routes"/,
		},
		{
			name: 'a database of a newer schema (user_version 99)',
			make(file) {
				fs.copyFileSync(realDatabase(), file);
				tamper(file, 'PRAGMA user_version = 99');
			},
			says: /was written by a newer edgenet \(database schema 99/,
		},
	];

	function damagedStore(make: (file: string) => void): {readonly dir: string; readonly file: string; readonly bytes: Buffer} {
		const dir = temporaryDir();
		const file = path.join(dir, 'device.db');
		make(file);
		return {dir, file, bytes: fs.readFileSync(file)};
	}

	test('a checkpoint stopped part-way (page 1 copied, the pages after it not yet) is no truncation: the log still holds them, and every route is there', () => {
		const dir = demoStore();
		const file = path.join(dir, 'device.db');
		// A writer that commits 2,000 routes into the log and is killed before any checkpoint.
		const writer = spawnSync(process.execPath, ['-e', `
			const {DatabaseSync} = require('node:sqlite');
			const database = new DatabaseSync(${JSON.stringify(file)});
			database.exec('PRAGMA wal_autocheckpoint = 0');
			database.exec('BEGIN');
			const insert = database.prepare("INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', ?, '192.168.10.1', ?)");
			for (let index = 0; index < 2000; index++) insert.run('10.' + (index >> 8) + '.' + (index & 255) + '.0/24', 100 + index);
			database.exec('COMMIT');
			process.kill(process.pid, 'SIGKILL');
		`]);
		expect(writer.signal).toBe('SIGKILL');
		expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
		// What a checkpoint writes first: page 1, whose header counts the pages the file will have once the rest is copied.
		const copy = path.join(temporaryDir(), 'device.db');
		fs.copyFileSync(file, copy);
		fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
		const checkpointed = new DatabaseSync(copy);
		checkpointed.exec('PRAGMA wal_checkpoint(TRUNCATE)');
		checkpointed.close();
		const page = fs.readFileSync(copy).subarray(0, 100);
		const fd = fs.openSync(file, 'r+');
		fs.writeSync(fd, page, 0, 100, 0);
		fs.closeSync(fd);
		expect(fs.statSync(file).size).toBeLessThan(page.readUInt32BE(28) * page.readUInt16BE(16));
		const status = runCli(['status', '--json', '--store', dir]);
		expect(status.stderr).toBe('');
		expect(status.status).toBe(0);
		expect(JSON.parse(status.stdout).routes).toHaveLength(2001);
	});

	test.each(damages)('$name: every command exits 1 naming the file and the fault; the file stays byte-identical', ({make, says}) => {
		const {dir, file, bytes} = damagedStore(make);
		for (const args of [routeAdd(dir), ['status', '--store', dir], ['route', 'list', '--json', '--store', dir], ['export', 'device', '--store', dir]]) {
			const result = runCli(args);
			expect(result.status, `edgenet ${args.join(' ')}`).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toContain(`The store file ${file}`);
			expect(result.stderr).toMatch(says);
			expect(result.stderr).toMatch(/left unchanged/);
			expect(result.stderr).not.toMatch(stackTrace);
		}
		expect(fs.readFileSync(file).equals(bytes)).toBe(true);
		expect(fs.readdirSync(dir)).toEqual(['device.db']);
	});

	test.each(damages.filter(damage => !damage.name.includes('newer')))('$name: `reset --demo` keeps it as device.db.bak-<time> and makes a working store', ({make}) => {
		const {dir, bytes} = damagedStore(make);
		const result = runCli(['reset', '--demo', '--store', dir]);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		const backups = fs.readdirSync(dir).filter(name => /^device\.db\.bak-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/.test(name));
		expect(backups).toHaveLength(1);
		expect(result.stdout).toContain(`The previous store is kept as ${path.join(dir, backups[0]!)}`);
		expect(fs.readFileSync(path.join(dir, backups[0]!)).equals(bytes)).toBe(true);
		expect(routesOf(dir)).toEqual([demoRoute]);
		expect(runCli(routeAdd(dir)).status).toBe(0);
		expect(runCli(['status', '--store', dir]).status).toBe(0);
		expect(routesOf(dir)).toEqual([demoRoute, '10.5.0.0/16 5']);
	});
});

describe('stored rows that break the route rules', () => {
	const namespace = `edgenet-faults-${process.pid}`;
	let netnsUnavailable: string | undefined = isRoot ? undefined : 'network namespaces need root';

	beforeAll(() => {
		if (netnsUnavailable) {
			return;
		}
		const created = spawnSync('ip', ['netns', 'add', namespace], {encoding: 'utf8'});
		if (created.status !== 0) {
			netnsUnavailable = `network namespaces are unavailable here (${created.stderr.trim()})`;
		}
	});

	afterAll(() => {
		if (!netnsUnavailable) {
			spawnSync('ip', ['netns', 'delete', namespace]);
		}
	});

	/** Bad routes the SQL CHECKs let through (they look like prefixes and addresses), and a good one, inserted behind edgenet's back. */
	const planted = [
		['10.5.0.1/16', '192.168.10.1', 50],
		['10.6.0.0/16', '10.77.0.1', 51],
		['999.1.1.0/24', '192.168.10.1', 52],
		['10.8.0.0/16', '192.168.10.1', 53],
	] as const;
	const bad = ['10.5.0.1/16', '10.6.0.0/16', '999.1.1.0/24'];

	function plantedStore(): string {
		const dir = demoStore();
		const database = new DatabaseSync(path.join(dir, 'device.db'));
		try {
			const insert = database.prepare(`INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', ?, ?, ?)`);
			for (const row of planted) {
				insert.run(...row);
			}
		} finally {
			database.close();
		}
		return dir;
	}

	test('the CHECK constraints refuse what is not even shaped as a prefix, an address or a metric', () => {
		const dir = demoStore();
		const digest = digestOf(dir);
		const database = new DatabaseSync(path.join(dir, 'device.db'));
		try {
			const insert = database.prepare(`INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', ?, ?, ?)`);
			for (const row of [
				['garbage', '192.168.10.1', 1],
				['10.9.0.0/16', 'not-an-address', 1],
				['10.9.0.0/16', '192.168.10.1x', 1],
				['10.9.0.0/16', '192.168.10.1', 70_000],
				['10.9.0.0/16', '192.168.10.1', -1],
			] as const) {
				expect(() => insert.run(...row), JSON.stringify(row)).toThrow(/CHECK constraint failed/);
			}
		} finally {
			database.close();
		}
		expect(digestOf(dir)).toBe(digest);
	});

	test('`status` lists each bad route by name and reason under its own heading, and not among the custom routes', () => {
		const dir = plantedStore();
		const result = runCli(['status', '--store', dir]);
		expect(result.status).toBe(0);
		const [main, listed = ''] = result.stdout.split('Stored routes that break the route rules (3), left out of everything else:\n');
		// Each reason wraps at 80 columns under its route's name.
		const problems = listed.replaceAll(/\s+/g, ' ');
		expect(problems).toContain('route 10.5.0.1/16 on Port3: destination: "10.5.0.1/16" has host bits set');
		expect(problems).toContain('did you mean 10.5.0.0/16?');
		expect(problems).toContain("route 10.6.0.0/16 on Port3: next hop: 10.77.0.1 is not on Port3's subnet 192.168.10.0/24");
		expect(problems).toContain('route 999.1.1.0/24 on Port3: destination: "999.1.1.0/24" is not an IPv4 prefix');
		const customRoutes = main!.slice(main!.indexOf('Custom routes:'));
		expect(customRoutes).toContain('10.8.0.0/16');
		for (const prefix of bad) {
			expect(customRoutes).not.toContain(prefix);
		}
		const json = JSON.parse(runCli(['status', '--json', '--store', dir]).stdout) as {routes: Array<{destinationPrefix: string}>; storeProblems: Array<{name: string}>};
		expect(json.routes.map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24', '10.8.0.0/16']);
		expect(json.storeProblems.map(problem => problem.name).sort()).toEqual(bad.map(prefix => `route ${prefix} on Port3`).sort());
	});

	test('`route list --json`, `export iproute` and `export powershell` never contain a bad route, and say on stderr that they left some out', () => {
		const dir = plantedStore();
		const list = runCli(['route', 'list', '--json', '--store', dir]);
		expect(list.status).toBe(0);
		expect((JSON.parse(list.stdout) as Array<{destinationPrefix: string}>).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24', '10.8.0.0/16']);
		for (const args of [
			['export', 'iproute', '--store', dir],
			['export', 'powershell', '--store', dir],
		]) {
			const result = runCli(args);
			expect(result.status).toBe(0);
			expect(result.stdout).toContain('10.8.0.0/16');
			for (const prefix of [...bad, '10.77.0.1']) {
				expect(result.stdout, `edgenet ${args.join(' ')}`).not.toContain(prefix);
			}
			expect(result.stderr).toContain('the store holds 3 routes that break the route rules');
		}
	});

	test('`live apply --dry-run` in a network namespace never plans a bad route', ({skip}) => {
		if (netnsUnavailable) {
			skip(netnsUnavailable);
		}
		const dir = plantedStore();
		const result = runCli(['live', 'apply', '--dry-run', '--netns', namespace, '--store', dir]);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain(`ip -n ${namespace} route add 10.8.0.0/16 via 192.168.10.1`);
		for (const prefix of [...bad, '10.77.0.1']) {
			expect(result.stdout).not.toContain(prefix);
		}
	});

	test('adding a route with the key of a stored bad route: exit 1, a message naming that route, nothing changed', () => {
		const dir = plantedStore();
		const digest = digestOf(dir);
		// 10.6.0.0/16 on Port3 is the key of the stored route with the off-subnet next hop (metric 51).
		for (const metric of [60, 51]) {
			const result = runCli(routeAdd(dir, '10.6.0.0/16', metric));
			expect(result.status).toBe(1);
			expect(result.stdout).toBe('');
			expect.soft(result.stderr).toContain('route 10.6.0.0/16 on Port3');
			expect.soft(result.stderr).not.toMatch(/constraint failed/);
			expect(result.stderr).not.toMatch(stackTrace);
		}
		expect(digestOf(dir)).toBe(digest);
	});
});
