/**
 * A store of schema 1, the first database store (its DDL kept in test/fixtures/store/schema-1.sql), opened
 * by this edgenet: upgraded in one transaction when it can be written, every row, id, revision and the
 * record of the last route check kept; read as it is, never touched, when it cannot be written. Real
 * files, real processes and locks, and read-only mounts (as root). No mocks.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {spawnSync} from 'node:child_process';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import type {Device, Service} from '../../source/domain/device.js';
import {checkTriggers, currentSchemaVersion} from '../../source/store/schema.js';
import {openStore} from '../../source/store/store.js';
import {cleanEnv, cliPath, runCli} from '../e2e/harness.js';
import {demoWithRoutes} from '../support/devices.js';
import {useMounts} from '../support/mounts.js';
import {copyForOtherUsers, type RunnableCopy} from '../support/other-users.js';
import {startProcess} from '../support/processes.js';
import {schemaOneRows, schemaVersion, writeSchemaOneStore} from '../support/schema-one.js';
import {databaseOf, storeDigest} from '../support/store-digest.js';

const isRoot = process.getuid?.() === 0;
const dirs: string[] = [];
const holders: DatabaseSync[] = [];

afterEach(() => {
	for (const holder of holders.splice(0)) {
		if (holder.isTransaction) {
			holder.exec('ROLLBACK');
		}
		holder.close();
	}
	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

const {mountReadOnly, unmountLast} = useMounts();

/** A store directory path in a temporary directory of its own (nothing is made at the path). */
function storePath(): string {
	const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-upgrade-'));
	dirs.push(parent);
	return path.join(parent, 'store');
}

/** The device the schema-1 stores hold: the demo device (pods, ClusterIP and LoadBalancer services) with two more routes. */
const device: Device = demoWithRoutes([
	['10.5.0.0/16', '192.168.10.1', '5'],
	['10.6.0.0/16', '192.168.10.2', '6'],
]);

/** A route written around edgenet that breaks the rules (host bits set): the store records its check in route_problems. */
const brokenRoute = `INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', '10.9.0.1/16', '192.168.10.1', 9)`;

/** A schema-1 store holding `device` and the broken route, its rows as they are before anything opens it. */
async function schemaOneStore(): Promise<{readonly dir: string; readonly rows: Record<string, unknown[]>}> {
	const dir = storePath();
	await writeSchemaOneStore(dir, device, brokenRoute);
	const rows = schemaOneRows(dir);
	expect(schemaVersion(dir)).toBe(1);
	expect(rows['route_problems']).toHaveLength(1);
	expect(rows['device']).toEqual([expect.objectContaining({checked_revision: expect.any(Number)})]);
	return {dir, rows};
}

/** Runs SQL on a database behind edgenet's back, as a person with the sqlite3 shell could; returns what the last statement read. */
function query(dir: string, sql: string): unknown[] {
	const database = new DatabaseSync(databaseOf(dir));
	try {
		return database.prepare(sql).all();
	} finally {
		database.close();
	}
}

/** A write transaction held by a connection of the test's own, as another writer would hold it. */
function holdWriteLock(dir: string): DatabaseSync {
	const holder = new DatabaseSync(databaseOf(dir));
	holder.exec('BEGIN IMMEDIATE');
	holders.push(holder);
	return holder;
}

const stackTrace = /\n\s+at /;
const routeAdd = (dir: string) => ['route', 'add', '--interface', 'Port3', '--destination', '10.7.0.0/16', '--next-hop', '192.168.10.1', '--metric', '7', '--store', dir];

const nodePort: Service = {
	namespace: 'shop',
	name: 'admin',
	type: 'NodePort',
	clusterIp: '172.28.0.40',
	externalIp: null,
	externalHostname: null,
	selector: {app: 'admin'},
	ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: 8080}],
};

describe('a schema-1 store that can be written', () => {
	test('is upgraded when opened: every row, id and revision and the record of the route check as they were, the new columns at their defaults', async () => {
		const {dir, rows} = await schemaOneStore();
		const store = openStore(dir);
		expect(schemaVersion(dir)).toBe(currentSchemaVersion);
		expect(schemaOneRows(dir)).toEqual(rows);
		expect(query(dir, 'SELECT encapsulation FROM cluster')).toEqual([{encapsulation: 'none'}]);
		expect(query(dir, 'SELECT DISTINCT external_hostname FROM services')).toEqual([{external_hostname: null}]);
		const state = store.read();
		expect(state.revision).toBe((rows['device']![0] as {revision: number}).revision);
		expect(state.device).toEqual(device);
		expect(state.problems.map(problem => problem.name)).toEqual(['route 10.9.0.1/16 on Port3']);
		store.close();
		// The triggers on the rule tables survived the rebuild beside them, and still void the record of the check.
		expect(query(dir, `SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name`)).toEqual(checkTriggers.map(trigger => ({name: trigger.name})).sort((a, b) => a.name.localeCompare(b.name)));
		query(dir, `UPDATE cluster SET dns_domain = 'edge.local'`);
		expect(query(dir, 'SELECT checked_revision FROM device')).toEqual([{checked_revision: null}]);
	});

	test('is then the same as a store made new: the same columns, constraints, indexes and triggers', async () => {
		const {dir} = await schemaOneStore();
		openStore(dir).close();
		const fresh = storePath();
		openStore(fresh).close();
		const shape = (store: string) => {
			const tables = query(store, `SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).map(row => (row as {name: string}).name);
			return {
				columns: Object.fromEntries(tables.map(table => [table, query(store, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info('${table}')`)])),
				// SQLite writes a renamed table's name in quotes and an added column after the last one as it was typed: the same definitions, in other white space.
				definitions: query(store, `SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name`).map(row => ({
					...(row as object),
					sql: String((row as {sql: string | null}).sql).replaceAll('"services"', 'services').replaceAll(/\s*([(),])\s*/g, '$1').replaceAll(/\s+/g, ' '),
				})),
			};
		};
		expect(shape(dir)).toEqual(shape(fresh));
	});

	test('then holds what schema 1 could not: a NodePort service, a load balancer\'s host name, the encapsulation', async () => {
		const {dir} = await schemaOneStore();
		const store = openStore(dir);
		const hostname: Service = {...nodePort, name: 'edge-lb', type: 'LoadBalancer', clusterIp: '172.28.0.41', externalHostname: 'edge-lb.example.com'};
		const saved = await store.update(current => ({device: {...current, cluster: {...current.cluster, encapsulation: 'vxlan' as const}, services: [...current.services, nodePort, hostname]}}));
		store.close();
		const reopened = openStore(dir);
		const {device: read, revision} = reopened.read();
		expect(revision).toBe(saved.revision);
		expect(read.cluster.encapsulation).toBe('vxlan');
		expect(read.services.slice(-2)).toEqual([nodePort, hostname]);
		reopened.close();
	});

	test('opened by several processes at once, while another writer holds the lock: each waits saying so, one upgrades, and the others find it upgraded', async () => {
		const {dir, rows} = await schemaOneStore();
		const holder = holdWriteLock(dir);
		const readers = [1, 2, 3].map(() => startProcess(process.execPath, [cliPath, 'route', 'list', '--json', '--store', dir], {env: cleanEnv()}));
		await Promise.all(readers.map(async reader => reader.waitFor('stderr', 'waiting for the store lock…')));
		holder.exec('ROLLBACK');
		const results = await Promise.all(readers.map(async reader => reader.finished));
		for (const result of results) {
			expect(result.stderr).toBe('edgenet: waiting for the store lock…\nedgenet: the store holds 1 route that breaks the route rules, left out here (route 10.9.0.1/16 on Port3); `edgenet status` says why.\n');
			expect(result.code).toBe(0);
			expect((JSON.parse(result.stdout) as Array<{destinationPrefix: string}>).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24', '10.5.0.0/16', '10.6.0.0/16']);
		}
		expect(schemaVersion(dir)).toBe(currentSchemaVersion);
		expect(schemaOneRows(dir)).toEqual(rows);
	});

	test('with another writer holding the lock past the wait: the open gives up saying the store stayed busy, and the store is still schema 1, unchanged', async () => {
		const {dir} = await schemaOneStore();
		const before = storeDigest(dir);
		const holder = holdWriteLock(dir);
		const result = runCli(['route', 'list', '--store', dir]);
		holder.exec('ROLLBACK');
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('edgenet: waiting for the store lock…\n');
		expect(result.stderr).toContain(`The store ${databaseOf(dir)} stayed busy for 15 s`);
		expect(result.stderr).toContain('Nothing was changed. Try again.');
		expect(result.stderr).not.toMatch(stackTrace);
		expect(storeDigest(dir)).toBe(before);
		expect(schemaVersion(dir)).toBe(1);
	}, 40_000);

	test('put in place of an open store\'s database: upgraded when the store next reads', async () => {
		const {dir: old} = await schemaOneStore();
		const dir = storePath();
		const store = openStore(dir);
		expect(store.read().device.routes).toHaveLength(1);
		fs.renameSync(databaseOf(old), databaseOf(dir));
		expect(store.read().device).toEqual(device);
		expect(schemaVersion(dir)).toBe(currentSchemaVersion);
		store.close();
	});
});

/** Runs edgenet with these arguments, as this process's user or another. */
type Run = (args: readonly string[]) => {readonly status: number | null; readonly stdout: string; readonly stderr: string};

/** What `status --json` and `route list --json` say of a store, and whether they worked. */
function readsOf(dir: string, run: Run = args => runCli([...args])) {
	const status = run(['status', '--json', '--store', dir]);
	const routes = run(['route', 'list', '--json', '--store', dir]);
	expect(status.stderr).not.toMatch(stackTrace);
	expect(status.status, status.stderr).toBe(0);
	expect(routes.status, routes.stderr).toBe(0);
	return {status: JSON.parse(status.stdout) as {cluster: {encapsulation: string}; services: Array<{type: string; externalHostname: string | null}>}, routes: routes.stdout};
}

/** A file's bytes and modification time, to show it was neither written nor touched. */
const fingerprint = (file: string) => ({bytes: fs.readFileSync(file).toString('base64'), mtimeMs: fs.statSync(file).mtimeMs});

describe('a schema-1 store that cannot be written', () => {
	/**
	 * Checks a schema-1 store made read-only by `protect` (and writable again by `release`): it reads as an
	 * upgraded copy of it reads, the file untouched and still schema 1, nothing made beside it, and a change
	 * is refused saying why (`refusal`).
	 */
	async function readsAsItIs(protect: (dir: string) => void, release: (dir: string) => void, refusal: RegExp, run?: Run): Promise<void> {
		const {dir} = await schemaOneStore();
		// Another user must be able to reach the store's directory.
		fs.chmodSync(path.dirname(dir), 0o755);
		const copy = storePath();
		fs.mkdirSync(copy, {mode: 0o700});
		fs.copyFileSync(databaseOf(dir), databaseOf(copy));
		const upgraded = readsOf(copy);
		expect(schemaVersion(copy)).toBe(currentSchemaVersion);
		const before = fingerprint(databaseOf(dir));
		protect(dir);
		try {
			const read = readsOf(dir, run);
			expect(read).toEqual(upgraded);
			expect(read.status.cluster.encapsulation).toBe('none');
			expect(read.status.services.map(service => service.externalHostname)).toEqual(read.status.services.map(() => null));
			const change = run ? run(routeAdd(dir)) : runCli(routeAdd(dir));
			expect(change.status).toBe(1);
			expect(change.stdout).toBe('');
			expect(change.stderr).toMatch(refusal);
			expect(change.stderr).toContain(dir);
			expect(change.stderr).not.toMatch(stackTrace);
		} finally {
			release(dir);
		}
		expect(fingerprint(databaseOf(dir))).toEqual(before);
		expect(fs.readdirSync(dir)).toEqual(['device.db']);
		expect(schemaVersion(dir)).toBe(1);
	}

	test.skipIf(!isRoot)('on a read-only mount (bind mounts need root): read as schema 1, the file untouched; a change refused, the file system read-only', async () => {
		await readsAsItIs(mountReadOnly, unmountLast, /read-only file system/);
	});

	/** As root, file modes stop no write: the permission case runs as a Unix user this test creates. */
	const reader = `enu${process.pid}r`;
	let runnable: RunnableCopy | undefined;
	let unavailable: string | undefined;

	beforeAll(async () => {
		if (!isRoot) {
			return;
		}
		const created = spawnSync('useradd', ['--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', reader], {encoding: 'utf8'});
		if (created.status !== 0) {
			unavailable = `cannot create a Unix user here (useradd: ${created.stderr.trim()})`;
			return;
		}
		runnable = await copyForOtherUsers();
	});

	afterAll(() => {
		if (isRoot) {
			spawnSync('userdel', ['--force', reader]);
			spawnSync('groupdel', [reader]);
			runnable?.remove();
		}
	});

	test('a file 0444 in a directory 0555 (as root, run as a user of its own): read as schema 1, the file untouched; a change refused, permission denied', async ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		await readsAsItIs(
			dir => {
				fs.chmodSync(databaseOf(dir), 0o444);
				fs.chmodSync(dir, 0o555);
			},
			dir => {
				fs.chmodSync(dir, 0o700);
				fs.chmodSync(databaseOf(dir), 0o600);
			},
			/permission denied/,
			runnable ? args => runnable!.runAs(reader, args) : undefined,
		);
	});
});
