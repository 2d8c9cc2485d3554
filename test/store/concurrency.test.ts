/** Several administrators, one store: real processes, real locks, real kills. No mocks. */

import {execFileSync, spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, test} from 'vitest';
import {addRoute, checkStaleEdit, staleEditMessage, updateRoute} from '../../source/domain/routes.js';
import {openStore, staleLockMs, storeFilePath} from '../../source/store/store.js';
import {cliPath} from '../e2e/harness.js';
import {buildWorker} from '../support/build-worker.js';

let worker: string;
const dirs: string[] = [];

beforeAll(async () => {
	worker = await buildWorker('add-routes');
});

afterEach(() => {
	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

function newStore(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-concurrency-'));
	dirs.push(dir);
	openStore(dir);
	return dir;
}

function run(command: string, args: string[]): Promise<{code: number | null; stderr: string}> {
	return new Promise(resolve => {
		const child = spawn(command, args, {stdio: ['ignore', 'ignore', 'pipe']});
		let stderr = '';
		child.stderr.on('data', chunk => {
			stderr += String(chunk);
		});
		child.on('exit', code => {
			resolve({code, stderr});
		});
	});
}

function routeCount(dir: string): number {
	return (JSON.parse(fs.readFileSync(storeFilePath(dir), 'utf8')) as {device: {routes: unknown[]}}).device.routes.length;
}

function temporaryFiles(dir: string): string[] {
	return fs.readdirSync(dir).filter(name => name.includes('.tmp-'));
}

describe('no lost update', () => {
	test.each([1, 2, 3, 4, 5])('two processes adding 200 routes each keep all 400 (run %i of 5)', async () => {
		const dir = newStore();
		const results = await Promise.all([run(process.execPath, [worker, dir, '1', '200']), run(process.execPath, [worker, dir, '2', '200'])]);
		expect(results).toEqual([
			{code: 0, stderr: ''},
			{code: 0, stderr: ''},
		]);
		expect(routeCount(dir)).toBe(401);
	}, 120_000);

	test('two shells each running `edgenet route add` 50 times keep all 100', async () => {
		const dir = newStore();
		const loop = (tag: number) =>
			`for i in $(seq 0 49); do "${process.execPath}" "${cliPath}" route add --interface Port3 --destination 10.${tag}.$i.0/24 --next-hop 192.168.10.1 --metric 100 --store "${dir}" || exit 1; done`;
		const results = await Promise.all([run('bash', ['-c', loop(1)]), run('bash', ['-c', loop(2)])]);
		expect(results.map(result => result.code)).toEqual([0, 0]);
		expect(routeCount(dir)).toBe(101);
	}, 180_000);
});

describe('stale edits', () => {
	test('an edit opened before another session changed the same route is refused, and the other change stays', async () => {
		const dir = newStore();
		const mine = openStore(dir);
		const theirs = openStore(dir);
		const opened = mine.read();
		const key = {interface: 'Port3', destinationPrefix: '192.168.20.0/24'};
		const guard = {revision: opened.revision, key, snapshot: opened.device.routes[0]!};
		await theirs.update(device => updateRoute(device, key, {metric: '10'}));
		const result = await mine.update((device, revision) => checkStaleEdit(device, revision, guard) ?? updateRoute(device, key, {metric: '20'}));
		expect(result.ok).toBe(false);
		expect(result.message).toBe(staleEditMessage);
		expect(openStore(dir).read().device.routes[0]?.metric).toBe(10);
	});

	test('changes to different routes both land', async () => {
		const dir = newStore();
		const mine = openStore(dir);
		const theirs = openStore(dir);
		const opened = mine.read();
		const key = {interface: 'Port3', destinationPrefix: '192.168.20.0/24'};
		const guard = {revision: opened.revision, key, snapshot: opened.device.routes[0]!};
		await theirs.update(device => addRoute(device, {interface: 'Port3', destinationPrefix: '10.9.0.0/16', nextHop: '192.168.10.1', metric: '5'}));
		const result = await mine.update((device, revision) => checkStaleEdit(device, revision, guard) ?? updateRoute(device, key, {metric: '20'}));
		expect(result.ok).toBe(true);
		expect(openStore(dir).read().device.routes.map(route => `${route.destinationPrefix} ${route.metric}`)).toEqual(['192.168.20.0/24 20', '10.9.0.0/16 5']);
	});
});

describe('crashes', () => {
	test('a writer killed with SIGKILL at random moments never leaves an unreadable store (30 kills)', async () => {
		const dir = newStore();
		for (let attempt = 0; attempt < 30; attempt++) {
			const child = spawn(process.execPath, [worker, dir, String(attempt), '100000'], {stdio: 'ignore'});
			await new Promise(resolve => setTimeout(resolve, 150 + Math.random() * 250));
			child.kill('SIGKILL');
			await new Promise(resolve => child.on('exit', resolve));
			const text = fs.readFileSync(storeFilePath(dir), 'utf8');
			expect(() => JSON.parse(text)).not.toThrow();
		}
		expect(() => openStore(dir).read()).not.toThrow();
		// The next start removed what the killed writers left behind.
		expect(temporaryFiles(dir)).toEqual([]);
	}, 180_000);

	test('temporary files of killed writers are removed at the next start', () => {
		const dir = newStore();
		fs.writeFileSync(path.join(dir, 'device.json.tmp-1732230000abcdef'), '{"half": ');
		openStore(dir);
		expect(temporaryFiles(dir)).toEqual([]);
	});

	test('a lock held by a killed process is taken over', async () => {
		const dir = newStore();
		// A process that takes the lock and is killed while holding it, on another host's behalf as far as the owner record goes.
		const holder = spawn(process.execPath, [worker, dir, '7', '100000'], {stdio: 'ignore'});
		await new Promise(resolve => setTimeout(resolve, 300));
		holder.kill('SIGKILL');
		await new Promise(resolve => holder.on('exit', resolve));
		fs.mkdirSync(`${storeFilePath(dir)}.lock`, {recursive: true});
		fs.writeFileSync(`${storeFilePath(dir)}.lock.owner`, JSON.stringify({pid: 1, host: 'elsewhere', ino: 0}));
		const started = Date.now();
		const result = spawnSync(process.execPath, [cliPath, 'route', 'add', '--interface', 'Port3', '--destination', '10.99.0.0/16', '--next-hop', '192.168.10.1', '--metric', '1', '--store', dir], {encoding: 'utf8'});
		expect(result.stderr).toContain('waiting for the store lock');
		expect(result.status).toBe(0);
		expect(Date.now() - started).toBeGreaterThanOrEqual(staleLockMs - 1000);
		expect(openStore(dir).read().device.routes.some(route => route.destinationPrefix === '10.99.0.0/16')).toBe(true);
	}, 60_000);

	test('a lock whose holder on this machine died is taken over at once', async () => {
		const dir = newStore();
		const holder = spawn(process.execPath, [worker, dir, '8', '100000'], {stdio: 'ignore'});
		// Wait until the holder has taken the lock at least once and recorded itself.
		while (!fs.existsSync(`${storeFilePath(dir)}.lock.owner`)) {
			await new Promise(resolve => setTimeout(resolve, 20));
		}
		holder.kill('SIGKILL');
		await new Promise(resolve => holder.on('exit', resolve));
		fs.mkdirSync(`${storeFilePath(dir)}.lock`, {recursive: true});
		const ino = fs.statSync(`${storeFilePath(dir)}.lock`).ino;
		fs.writeFileSync(`${storeFilePath(dir)}.lock.owner`, JSON.stringify({pid: holder.pid, host: os.hostname(), ino}));
		const result = spawnSync(process.execPath, [cliPath, 'route', 'add', '--interface', 'Port3', '--destination', '10.98.0.0/16', '--next-hop', '192.168.10.1', '--metric', '1', '--store', dir], {encoding: 'utf8', timeout: 20_000});
		expect(result.status).toBe(0);
	}, 60_000);
});

describe('failed saves', () => {
	test('a read-only directory: a clear message naming the directory, the store byte-identical', () => {
		const dir = newStore();
		const file = storeFilePath(dir);
		const before = fs.readFileSync(file);
		const readOnly = spawnSync('mount', ['--bind', '-o', 'ro', dir, dir]);
		if (readOnly.status !== 0) {
			console.warn(`skipped: cannot bind-mount read-only here (${readOnly.stderr.toString().trim()})`);
			return;
		}
		try {
			spawnSync('mount', ['-o', 'remount,bind,ro', dir]);
			const result = spawnSync(process.execPath, [cliPath, 'route', 'add', '--interface', 'Port3', '--destination', '10.5.0.0/16', '--next-hop', '192.168.10.1', '--metric', '1', '--store', dir], {encoding: 'utf8'});
			expect(result.status).toBe(1);
			expect(result.stderr).toContain(dir);
			expect(result.stderr).toMatch(/read-only file system/);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		} finally {
			execFileSync('umount', [dir]);
		}
		expect(fs.readFileSync(file)).toEqual(before);
	});

	test('a full disk: a clear message, the store byte-identical', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-full-'));
		const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir]);
		if (mounted.status !== 0) {
			fs.rmSync(dir, {recursive: true, force: true});
			console.warn(`skipped: cannot mount a small tmpfs here (${mounted.stderr.toString().trim()})`);
			return;
		}
		try {
			openStore(dir);
			const file = storeFilePath(dir);
			const before = fs.readFileSync(file);
			// Fill what is left of the disk.
			spawnSync('dd', ['if=/dev/zero', `of=${path.join(dir, 'filler')}`, 'bs=4k'], {stdio: 'ignore'});
			const result = spawnSync(process.execPath, [cliPath, 'route', 'add', '--interface', 'Port3', '--destination', '10.5.0.0/16', '--next-hop', '192.168.10.1', '--metric', '1', '--store', dir], {encoding: 'utf8'});
			expect(result.status).toBe(1);
			expect(result.stderr).toContain(dir);
			expect(result.stderr).toMatch(/no space left/);
			expect(result.stderr).not.toMatch(/\n\s+at /);
			expect(fs.readFileSync(file)).toEqual(before);
		} finally {
			execFileSync('umount', [dir]);
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
});
