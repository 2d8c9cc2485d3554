/**
 * One store, several administrators: `edgenet store init --shared GROUP` with real Unix users and a
 * real group, each running the built edgenet as themselves (runuser). Creating users needs root; the
 * whole file is skipped, with its reason, otherwise. No mocks.
 */

import {type ChildProcess, execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {cleanEnv, runCli} from '../e2e/harness.js';
import {copyForOtherUsers, type RunnableCopy} from '../support/other-users.js';
import {type Running, startProcess, waitUntilStopped} from '../support/processes.js';
import {storedRoutes} from '../support/store-digest.js';

const isRoot = process.getuid?.() === 0;
const demoRoute = '192.168.20.0/24 100';
const stackTrace = /\n\s+at /;

const group = `ens${process.pid}g`;
const alice = `ens${process.pid}a`;
const bob = `ens${process.pid}b`;
const carol = `ens${process.pid}c`;

let unavailable: string | undefined;
/** Node, edgenet and the transaction holder where the test's users can run them. */
let runnable: RunnableCopy | undefined;
let base: string;
const children: ChildProcess[] = [];

/** Runs the built edgenet as another Unix user, with that user's groups. */
const runAs = (user: string, args: readonly string[]) => runnable!.runAs(user, args);

const routeAdd = (dir: string, destination: string, metric: number) =>
	['route', 'add', '--interface', 'Port3', '--destination', destination, '--next-hop', '192.168.10.1', '--metric', String(metric), '--store', dir];

const describeFile = (file: string) => {
	const stats = fs.statSync(file);
	const groupName = execFileSync('getent', ['group', String(stats.gid)], {encoding: 'utf8'}).split(':')[0];
	return {mode: (stats.mode & 0o7777).toString(8).padStart(4, '0'), group: groupName};
};

/** Every file in the directory, and the directory itself, that anyone outside owner and group could read, write or enter. */
const worldAccessible = (dir: string) => [dir, ...fs.readdirSync(dir).map(name => path.join(dir, name))].filter(file => (fs.statSync(file).mode & 0o007) !== 0);

/** A new directory under the test's base, for a store that does not exist yet. */
let stores = 0;
const newStoreDir = () => path.join(base, `store-${++stores}`);

/** A store prepared by root with `store init --shared`. */
function sharedStore(): string {
	const dir = newStoreDir();
	const result = runCli(['store', 'init', '--shared', group, '--store', dir]);
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	return dir;
}

beforeAll(async () => {
	if (!isRoot) {
		return;
	}
	runnable = await copyForOtherUsers(['hold-transaction']);
	// Under the system temp directory, which every user may enter (the test's own temp directories are 0700).
	base = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-shared-'));
	fs.chmodSync(base, 0o1777);
	const steps: Array<readonly string[]> = [
		['groupadd', group],
		['useradd', '--no-create-home', '--no-user-group', '--gid', 'users', '--groups', group, '--shell', '/usr/sbin/nologin', alice],
		['useradd', '--no-create-home', '--no-user-group', '--gid', 'users', '--groups', group, '--shell', '/usr/sbin/nologin', bob],
		['useradd', '--no-create-home', '--no-user-group', '--gid', 'users', '--shell', '/usr/sbin/nologin', carol],
	];
	for (const [command, ...args] of steps) {
		const done = spawnSync(command!, args, {encoding: 'utf8'});
		if (done.status !== 0) {
			unavailable = `cannot create Unix users and groups here (${command}: ${done.stderr.trim()})`;
			return;
		}
	}
	const probe = spawnSync('runuser', ['-u', alice, '--', runnable.node, '-e', `require('fs').accessSync(${JSON.stringify(runnable.cli)}, require('fs').constants.R_OK)`], {encoding: 'utf8', cwd: '/'});
	if (probe.status !== 0) {
		unavailable = `another user cannot run ${runnable.node} on ${runnable.cli}: ${probe.stderr.trim()}`;
	}
});

afterEach(() => {
	for (const child of children.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGCONT');
			child.kill('SIGKILL');
		}
	}
});

afterAll(() => {
	if (!isRoot) {
		return;
	}
	for (const user of [alice, bob, carol]) {
		spawnSync('userdel', ['--force', user]);
	}
	spawnSync('groupdel', [group]);
	runnable?.remove();
	if (base) {
		fs.rmSync(base, {recursive: true, force: true});
	}
});

/**
 * Starts the transaction holder as a user, and waits until it is stopped inside its transaction. setpriv
 * execs it in place, so the child is the holder itself (runuser would stay its parent, and stop with it).
 */
async function stoppedHolder(user: string, dir: string, destination: string, metric: number): Promise<Running> {
	const holder = startProcess('setpriv', ['--reuid', user, '--regid', 'users', '--init-groups', '--', runnable!.node, runnable!.workers['hold-transaction']!, dir, destination, String(metric)], {
		cwd: '/',
		env: cleanEnv({HOME: '/nonexistent'}),
	});
	children.push(holder.child);
	await holder.waitFor('stdout', 'in transaction');
	await waitUntilStopped(holder);
	return holder;
}

describe.skipIf(!isRoot)('store init --shared (creates Unix users and a group: needs root)', () => {
	test('the directory is the group\'s, setgid 2770, the database 0660; members add and see each other\'s routes; nothing is world-accessible', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = sharedStore();
		expect(describeFile(dir)).toEqual({mode: '2770', group});
		expect(describeFile(path.join(dir, 'device.db'))).toEqual({mode: '0660', group});
		for (const companion of ['device.db-wal', 'device.db-shm']) {
			if (fs.existsSync(path.join(dir, companion))) {
				expect(describeFile(path.join(dir, companion))).toEqual({mode: '0660', group});
			}
		}
		expect(worldAccessible(dir)).toEqual([]);

		const added = runAs(alice, routeAdd(dir, '10.1.0.0/16', 11));
		expect(added.stderr).toBe('');
		expect(added.stdout).toBe('Added 10.1.0.0/16 on Port3 via 192.168.10.1, metric 11.\n');
		expect(added.status).toBe(0);
		const seenByBob = runAs(bob, ['route', 'list', '--json', '--store', dir]);
		expect(seenByBob.status).toBe(0);
		expect((JSON.parse(seenByBob.stdout) as Array<{destinationPrefix: string}>).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24', '10.1.0.0/16']);
		expect(runAs(bob, routeAdd(dir, '10.2.0.0/16', 12)).status).toBe(0);
		const seenByAlice = runAs(alice, ['route', 'list', '--json', '--store', dir]);
		expect((JSON.parse(seenByAlice.stdout) as Array<{destinationPrefix: string}>).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24', '10.1.0.0/16', '10.2.0.0/16']);
		expect(storedRoutes(dir)).toEqual([demoRoute, '10.1.0.0/16 11', '10.2.0.0/16 12']);
		expect(describeFile(path.join(dir, 'device.db'))).toEqual({mode: '0660', group});
		expect(worldAccessible(dir)).toEqual([]);
	});

	test('the -wal and -shm files a member\'s writer makes are 0660 and the group\'s; after that writer is killed mid-transaction the other member goes on', async ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = sharedStore();
		const holder = await stoppedHolder(alice, dir, '10.7.0.0/16', 70);
		for (const companion of ['device.db-wal', 'device.db-shm']) {
			expect(describeFile(path.join(dir, companion)), companion).toEqual({mode: '0660', group});
		}
		expect(worldAccessible(dir)).toEqual([]);
		// Killed inside its transaction: what it had not committed is gone, and its files stay usable by the group.
		holder.child.kill('SIGKILL');
		expect((await holder.finished).stdout).not.toContain('committed');
		const added = runAs(bob, routeAdd(dir, '10.8.0.0/16', 80));
		expect(added.stderr).toBe('');
		expect(added.status).toBe(0);
		expect(runAs(alice, routeAdd(dir, '10.9.0.0/16', 90)).status).toBe(0);
		expect(storedRoutes(dir)).toEqual([demoRoute, '10.8.0.0/16 80', '10.9.0.0/16 90']);
		expect(worldAccessible(dir)).toEqual([]);
	});

	test('a member\'s `reset --demo` keeps its copy 0660 in the group, and the other member still uses the store', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = sharedStore();
		expect(runAs(alice, routeAdd(dir, '10.1.0.0/16', 11)).status).toBe(0);
		const reset = runAs(bob, ['reset', '--demo', '--store', dir]);
		expect(reset.stderr).toBe('');
		expect(reset.status).toBe(0);
		const backups = fs.readdirSync(dir).filter(name => name.startsWith('device.db.bak-'));
		expect(backups).toHaveLength(1);
		expect(describeFile(path.join(dir, backups[0]!))).toEqual({mode: '0660', group});
		expect(runAs(alice, routeAdd(dir, '10.2.0.0/16', 12)).status).toBe(0);
		expect(storedRoutes(dir)).toEqual([demoRoute, '10.2.0.0/16 12']);
		expect(worldAccessible(dir)).toEqual([]);
	});

	test('a user outside the group gets exit 1 naming the directory, its owner, group and mode, and what to do; never a stack trace', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = sharedStore();
		for (const args of [routeAdd(dir, '10.3.0.0/16', 13), ['route', 'list', '--store', dir], ['status', '--store', dir]]) {
			const result = runAs(carol, args);
			expect(result.status, `edgenet ${args.join(' ')}`).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(/permission denied/);
			expect(result.stderr).toContain(`${dir}: owner root, group ${group}, mode 2770`);
			expect(result.stderr).toMatch(/add you to its group/);
			expect(result.stderr).toMatch(/--store/);
			expect(result.stderr).not.toMatch(stackTrace);
		}
		expect(storedRoutes(dir)).toEqual([demoRoute]);
	});

	test('a member may share a directory of their own; a user outside the group may not, and is told why', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const own = newStoreDir();
		const shared = runAs(alice, ['store', 'init', '--shared', group, '--store', own]);
		expect(shared.stderr).toBe('');
		expect(shared.status).toBe(0);
		expect(shared.stdout).toContain(`for the group ${group}`);
		expect(describeFile(own)).toEqual({mode: '2770', group});
		expect(describeFile(path.join(own, 'device.db'))).toEqual({mode: '0660', group});
		expect(runAs(bob, routeAdd(own, '10.4.0.0/16', 14)).status).toBe(0);

		const outsider = newStoreDir();
		const refused = runAs(carol, ['store', 'init', '--shared', group, '--store', outsider]);
		expect(refused.status).toBe(1);
		expect(refused.stderr).toContain(`Cannot give ${outsider} to the group ${group}`);
		expect(refused.stderr).toMatch(/Run this as the owner or as root/);
		expect(refused.stderr).not.toMatch(stackTrace);
	});

	test('a per-user store (no init) stays 0700 and 0600, the user\'s own', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = newStoreDir();
		expect(runAs(alice, routeAdd(dir, '10.5.0.0/16', 15)).status).toBe(0);
		const mode = (file: string) => (fs.statSync(file).mode & 0o7777).toString(8).padStart(4, '0');
		expect(mode(dir)).toBe('0700');
		expect(mode(path.join(dir, 'device.db'))).toBe('0600');
		expect(fs.statSync(path.join(dir, 'device.db')).uid).toBe(Number(execFileSync('id', ['-u', alice], {encoding: 'utf8'}).trim()));
		const result = runAs(bob, ['route', 'list', '--store', dir]);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`${dir}: owner ${alice}, group users, mode 0700`);
	});

	test('an unknown group, or no group name at all: exit 1 saying what to do, nothing made', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const dir = newStoreDir();
		const unknown = runCli(['store', 'init', '--shared', `${group}x`, '--store', dir]);
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toContain(`There is no group named ${group}x on this machine`);
		expect(unknown.stderr).toMatch(/groupadd/);
		const garbage = runCli(['store', 'init', '--shared', 'not a group!', '--store', dir]);
		expect(garbage.status).toBe(1);
		expect(garbage.stderr).toContain('is not a group name');
		expect(fs.existsSync(dir)).toBe(false);
	});
});
