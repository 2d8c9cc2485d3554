import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {formatDeviceDocument, parseDeviceDocumentText} from '../../source/domain/device-document.js';
import {type Device, heldAddresses, type HeldAddressesOf} from '../../source/domain/device.js';
import {generateDevice} from '../../source/domain/generate.js';
import {rangeUsage} from '../../source/domain/range-usage.js';
import type {RouteLookup} from '../../source/domain/route-context.js';
import {addRoute, removeRoute, type RouteChange, updateRoute} from '../../source/domain/routes.js';
import {cleanEnv, cliPath, runCli} from '../e2e/harness.js';
import {demoWithRoutes} from '../support/devices.js';
import {openPreferences} from '../../source/store/preferences.js';
import {openStore, replaceStore, resetToDemo, resolveStoreDir, StoreError, storeFilePath} from '../../source/store/store.js';
import {currentSchemaVersion} from '../../source/store/schema.js';
import {storeDigest} from '../support/store-digest.js';

let dir: string;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-store-'));
});

afterEach(() => {
	fs.rmSync(dir, {recursive: true, force: true});
});

function refusal(action: () => unknown): string {
	try {
		action();
	} catch (error) {
		expect(error).toBeInstanceOf(StoreError);
		return (error as Error).message;
	}
	throw new Error('expected a StoreError');
}

/** Runs SQL on the store's database behind edgenet's back, as a person with the sqlite3 shell could. */
function tamper(sql: string, file = storeFilePath(dir)): void {
	const database = new DatabaseSync(file);
	try {
		database.exec(sql);
	} finally {
		database.close();
	}
}

const newRoute = {interface: 'Port3', destinationPrefix: '10.5.0.0/16', nextHop: '192.168.10.1', metric: '5'};

describe('first start', () => {
	test('writes the demo device into device.db, 0600 in a 0700 directory, the current schema version, WAL mode', () => {
		const storeDir = path.join(dir, 'a', 'store');
		const store = openStore(storeDir);
		expect(store.created).toBe(true);
		expect(store.read()).toEqual({revision: 0, device: createDemoDevice(), problems: []});
		expect(fs.statSync(storeFilePath(storeDir)).mode & 0o777).toBe(0o600);
		expect(fs.statSync(storeDir).mode & 0o777).toBe(0o700);
		expect(fs.statSync(path.join(dir, 'a')).mode & 0o777).toBe(0o700);
		const database = new DatabaseSync(storeFilePath(storeDir), {readOnly: true});
		expect(database.prepare('PRAGMA user_version').get()).toEqual({user_version: currentSchemaVersion});
		expect(database.prepare('PRAGMA journal_mode').get()).toEqual({journal_mode: 'wal'});
		database.close();
		store.close();
		expect(fs.readdirSync(storeDir).filter(name => !/^device\.db(-wal|-shm)?$/.test(name))).toEqual([]);
	});
});

describe('transactions', () => {
	test('a change reads back, in this store and in a fresh one, with the revision raised', async () => {
		const store = openStore(dir);
		const saved = await store.update(device => addRoute(device, newRoute));
		expect(saved.ok && saved.revision).toBe(1);
		const reopened = openStore(dir);
		expect(reopened.created).toBe(false);
		expect(reopened.read().revision).toBe(1);
		expect(reopened.read().device.routes.map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24', '10.5.0.0/16']);
		store.close();
		reopened.close();
	});

	test('a change writes only the rows it changed: other routes keep their rows, pods are not rewritten', async () => {
		const store = openStore(dir);
		await store.update(device => addRoute(device, newRoute));
		const rows = () => {
			const database = new DatabaseSync(storeFilePath(dir), {readOnly: true});
			try {
				return {
					routes: database.prepare('SELECT id, destination, metric FROM routes ORDER BY id').all(),
					tables: database.prepare('SELECT name, revision FROM table_revisions ORDER BY name').all(),
				};
			} finally {
				database.close();
			}
		};
		const before = rows();
		const changed = await store.update(device => updateRoute(device, {interface: 'Port3', destinationPrefix: '10.5.0.0/16'}, {metric: '7'}));
		expect(changed.ok).toBe(true);
		const after = rows();
		expect(after.routes).toEqual([before.routes[0], {...before.routes[1], metric: 7}]);
		expect(after.tables.find(table => table.name === 'pods')).toEqual(before.tables.find(table => table.name === 'pods'));
		expect(after.tables.find(table => table.name === 'routes')).toEqual({name: 'routes', revision: 2});
		store.close();
	});

	test('changes from stores that have not read the routes write their one row and leave every other as it was', async () => {
		const prefixes = Array.from({length: 40}, (_, index) => `10.${index}.0.0/16`);
		await replaceStore(dir, demoWithRoutes(prefixes.map(prefix => [prefix, '192.168.10.1', '100'])));
		const rows = () => {
			const database = new DatabaseSync(storeFilePath(dir), {readOnly: true});
			try {
				return database.prepare('SELECT id, interface, destination, next_hop, metric FROM routes ORDER BY id').all();
			} finally {
				database.close();
			}
		};
		const before = rows();
		// Each change in a store of its own, as each command is a process of its own.
		const change = async (apply: (device: Device, revision: number, lookup: RouteLookup | undefined) => RouteChange) => {
			const store = openStore(dir);
			try {
				return await store.update(apply);
			} finally {
				store.close();
			}
		};
		const key = (prefix: string) => ({interface: 'port3', destinationPrefix: prefix});
		expect((await change((device, _revision, lookup) => addRoute(device, {...newRoute, destinationPrefix: '10.99.0.0/16'}, lookup))).ok).toBe(true);
		expect((await change((device, _revision, lookup) => updateRoute(device, key('10.7.0.0/16'), {metric: '9'}, lookup))).ok).toBe(true);
		expect((await change((device, _revision, lookup) => removeRoute(device, key('10.3.0.0/16'), lookup))).ok).toBe(true);
		const refused = await change((device, _revision, lookup) => addRoute(device, {...newRoute, destinationPrefix: '10.7.0.0/16'}, lookup));
		expect(refused.message).toBe('destination: a route for 10.7.0.0/16 on Port3 already exists; edit or remove it');
		const missing = await change((device, _revision, lookup) => removeRoute(device, key('10.3.0.0/16'), lookup));
		expect(missing.message).toMatch(/^destination: there is no route for 10\.3\.0\.0\/16 on Port3 \(the nearest of the \d+ routes on Port3: 10\.2\.0\.0\/16, 10\.4\.0\.0\/16, 10\.1\.0\.0\/16\)$/);

		const after = rows() as Array<Record<string, unknown>>;
		const changedRow = before.find(row => row['destination'] === '10.7.0.0/16')!;
		const removedRow = before.find(row => row['destination'] === '10.3.0.0/16')!;
		expect(after.slice(0, -1)).toEqual(before.filter(row => row !== removedRow).map(row => (row === changedRow ? {...row, metric: 9} : row)));
		expect(after.at(-1)).toMatchObject({interface: 'Port3', destination: '10.99.0.0/16', next_hop: '192.168.10.1', metric: 5});

		const reopened = openStore(dir);
		const state = reopened.read();
		expect(state.revision).toBe(4);
		expect(state.problems).toEqual([]);
		expect(state.device.routes).toHaveLength(41);
		expect(state.device.routes.find(route => route.destinationPrefix === '10.7.0.0/16')?.metric).toBe(9);
		reopened.close();
	});

	test('a change another store committed meanwhile is seen by the next transaction', async () => {
		const mine = openStore(dir);
		const theirs = openStore(dir);
		mine.read();
		await theirs.update(device => addRoute(device, newRoute));
		const result = await mine.update((device, revision) => ({device: undefined, seen: device.routes.length, revision}));
		expect(result.seen).toBe(2);
		expect(result.revision).toBe(1);
		mine.close();
		theirs.close();
	});

	test('a write the constraints refuse changes nothing', async () => {
		const store = openStore(dir);
		const before = storeDigest(dir);
		const bad = {...store.read().device, routes: [{interface: 'Port3', destinationPrefix: 'nowhere', nextHop: '192.168.10.1', metric: 1}]};
		await expect(store.update(() => ({device: bad}))).rejects.toThrow(StoreError);
		expect(storeDigest(dir)).toBe(before);
		expect(store.read().device).toEqual(createDemoDevice());
		store.close();
	});

	test('a route for a port the device does not have is refused by the database too', async () => {
		const store = openStore(dir);
		const before = storeDigest(dir);
		const bad = {...store.read().device, routes: [{interface: 'Port9', destinationPrefix: '10.9.0.0/16', nextHop: '192.168.10.1', metric: 1}]};
		await expect(store.update(() => ({device: bad}))).rejects.toThrow(/FOREIGN KEY/);
		expect(storeDigest(dir)).toBe(before);
		store.close();
	});
});

describe('a damaged or foreign database is refused and left byte-identical', () => {
	const cases: Array<[string, (file: string) => void, RegExp]> = [
		['not a SQLite file', file => fs.writeFileSync(file, 'routes: none\n'.repeat(20)), /is not a SQLite database\. It was left unchanged\./],
		['an empty file', file => fs.writeFileSync(file, ''), /is empty\. It was left unchanged\./],
		[
			'a truncated database',
			file => {
				openStore(dir).close();
				const bytes = fs.readFileSync(file);
				fs.writeFileSync(file, bytes.subarray(0, bytes.length / 2));
			},
			/is truncated \(\d+ bytes, its header says \d+\)/,
		],
		[
			'a database with a missing table',
			file => {
				openStore(dir).close();
				tamper('DROP TABLE routes', file);
			},
			/has no table "routes", so it is not a whole edgenet store/,
		],
		['an empty SQLite database', file => tamper('PRAGMA user_version = 0', file), /is an empty SQLite database, not an edgenet store/],
	];
	test.each(cases)('%s', (_name, make, message) => {
		const file = storeFilePath(dir);
		make(file);
		for (const suffix of ['-wal', '-shm']) {
			fs.rmSync(`${file}${suffix}`, {force: true});
		}
		const before = fs.readFileSync(file);
		const text = refusal(() => openStore(dir));
		expect(text).toMatch(message);
		expect(text).toContain(file);
		expect(fs.readFileSync(file)).toEqual(before);
	});

	test('a database from a newer edgenet', () => {
		openStore(dir).close();
		tamper(`PRAGMA user_version = ${currentSchemaVersion + 1}`);
		const before = storeDigest(dir);
		expect(refusal(() => openStore(dir))).toBe(
			`The store file ${storeFilePath(dir)} was written by a newer edgenet (database schema ${currentSchemaVersion + 1}; this edgenet reads schema ${currentSchemaVersion}). Upgrade edgenet to open it; the file was left unchanged.`,
		);
		expect(storeDigest(dir)).toBe(before);
	});
});

describe('the route rules inside the store', () => {
	test('a stored route that breaks a rule is reported by name and kept out of the device, also after another open', () => {
		openStore(dir).close();
		tamper(`INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', '10.5.0.1/16', '192.168.10.1', 9), ('Port3', '10.6.0.0/16', '172.16.0.1', 9)`);
		for (let open = 0; open < 2; open++) {
			const store = openStore(dir);
			const {device, problems} = store.read();
			expect(device.routes.map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24']);
			expect(problems.map(problem => `${problem.name}: ${problem.reason}`)).toEqual([
				'route 10.5.0.1/16 on Port3: destination: "10.5.0.1/16" has host bits set (Invalid prefix for given prefix length); did you mean 10.5.0.0/16?',
				`route 10.6.0.0/16 on Port3: next hop: 172.16.0.1 is not on Port3's subnet 192.168.10.0/24 (Nexthop has invalid gateway); use a gateway on that subnet`,
			]);
			store.close();
		}
	});

	test('an edit behind edgenet’s back after a check is caught on the next open', () => {
		openStore(dir).close();
		openStore(dir).close();
		tamper(`UPDATE routes SET next_hop = '10.0.0.1'`);
		const store = openStore(dir);
		expect(store.read().problems.map(problem => problem.name)).toEqual(['route 192.168.20.0/24 on Port3']);
		expect(store.read().device.routes).toEqual([]);
		store.close();
	});

	test('the database refuses what no rule check could read back: addresses that are not addresses, metrics out of range', () => {
		openStore(dir).close();
		const before = storeDigest(dir);
		expect(() => tamper(`INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', 'nowhere', '192.168.10.1', 9)`)).toThrow(/CHECK constraint failed/);
		expect(() => tamper(`INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', '10.7.0.0/16', '192.168.10.1', 70000)`)).toThrow(/CHECK constraint failed/);
		expect(() => tamper(`INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', '192.168.20.0/24', '192.168.10.2', 4)`)).toThrow(/UNIQUE constraint failed/);
		expect(storeDigest(dir)).toBe(before);
	});
});

describe('migration from device.json', () => {
	const legacy = () => path.join(dir, 'device.json');

	test('a device.json of edgenet 0.1 is migrated in one go, its revision kept counting, the file renamed and kept', () => {
		const device = createDemoDevice();
		const text = `${JSON.stringify({schemaVersion: 1, revision: 6, device}, undefined, '\t')}\n`;
		fs.writeFileSync(legacy(), text);
		const store = openStore(dir, new Date('2026-03-04T05:06:07Z'));
		expect(store.created).toBe(true);
		expect(store.migratedFrom).toBe(`${legacy()}.migrated-2026-03-04T05-06-07.000Z`);
		expect(store.read()).toEqual({revision: 7, device, problems: []});
		expect(fs.readFileSync(store.migratedFrom!, 'utf8')).toBe(text);
		expect(fs.existsSync(legacy())).toBe(false);
		store.close();
	});

	test.each([
		['invalid JSON', '{"schemaVersion": 1, "device": ', /is not valid JSON/],
		['off-schema', JSON.stringify({schemaVersion: 1, revision: 0, device: {...createDemoDevice(), routes: [{interface: 'Port3', destinationPrefix: '10.1.0.0/16', nextHop: '192.168.10.1', metric: 'high'}]}}), /device\.routes\[0\]\.metric: expected a whole number from 0 to 65535, got "high"/],
		['a rule broken', JSON.stringify({schemaVersion: 1, revision: 0, device: {...createDemoDevice(), routes: [{interface: 'Port3', destinationPrefix: '10.1.0.1/16', nextHop: '192.168.10.1', metric: 1}]}}), /route 10\.1\.0\.1\/16 on Port3: destination: "10\.1\.0\.1\/16" has host bits set/],
		['newer', JSON.stringify({schemaVersion: 2, revision: 0, device: {}}), /written by a newer edgenet \(schema 2; this edgenet reads schema 1\)/],
	])('a migration that fails (%s) leaves device.json byte-identical, makes no database, and says why', (_name, text, message) => {
		fs.writeFileSync(legacy(), text);
		const error = refusal(() => openStore(dir));
		expect(error).toMatch(message);
		expect(error).toContain(`Cannot migrate the store file ${legacy()} to the database`);
		expect(fs.readFileSync(legacy(), 'utf8')).toBe(text);
		expect(fs.readdirSync(dir)).toEqual(['device.json']);
	});
});

describe('replacing the whole device', () => {
	test('reset --demo keeps a copy of the database as it was, which opens as a store of its own', async () => {
		const store = openStore(dir);
		await store.update(device => addRoute(device, newRoute));
		store.close();
		const result = await resetToDemo(dir, new Date('2026-01-02T03:04:05Z'));
		expect(result.backup).toBe(`${storeFilePath(dir)}.bak-2026-01-02T03-04-05.000Z`);
		expect(fs.statSync(result.backup!).mode & 0o777).toBe(0o600);
		const reset = openStore(dir);
		expect(reset.read().device).toEqual(createDemoDevice());
		expect(reset.read().revision).toBe(2);
		reset.close();
		const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-copy-'));
		fs.copyFileSync(result.backup!, storeFilePath(copy));
		const old = openStore(copy);
		expect(old.read().device.routes.map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24', '10.5.0.0/16']);
		old.close();
		fs.rmSync(copy, {recursive: true, force: true});
	});

	test('a damaged database is moved aside (with its WAL) and a new one made', async () => {
		fs.writeFileSync(storeFilePath(dir), 'garbage'.repeat(100));
		const before = fs.readFileSync(storeFilePath(dir));
		const result = await replaceStore(dir, createDemoDevice(), new Date('2026-01-02T03:04:05Z'));
		expect(fs.readFileSync(result.backup!)).toEqual(before);
		expect(openStore(dir).read().device).toEqual(createDemoDevice());
	});

	test('a planted link at the backup path is refused and followed nowhere', async () => {
		openStore(dir).close();
		const target = path.join(dir, 'target');
		fs.symlinkSync(target, `${storeFilePath(dir)}.bak-2026-01-02T03-04-05.000Z`);
		const before = storeDigest(dir);
		await expect(resetToDemo(dir, new Date('2026-01-02T03:04:05Z'))).rejects.toThrow(StoreError);
		expect(fs.existsSync(target)).toBe(false);
		expect(storeDigest(dir)).toBe(before);
	});
});

describe('the device document', () => {
	test('export → parse → export is byte-identical', () => {
		const device = createDemoDevice();
		const text = formatDeviceDocument(device);
		const parsed = parseDeviceDocumentText(text);
		expect(parsed.ok && formatDeviceDocument(parsed.device)).toBe(text);
	});
});

describe('preferences', () => {
	test('are kept per store in their own file, never in the device store', () => {
		const home = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-prefs-'));
		openPreferences('/stores/a', home).save({focusedPane: 'pods', recentTraces: ['web.webapp']});
		expect(openPreferences('/stores/a', home).values).toEqual({focusedPane: 'pods', recentTraces: ['web.webapp']});
		expect(openPreferences('/stores/b', home).values).toEqual({});
		expect(fs.readdirSync(home)).toEqual(['preferences.json']);
		fs.rmSync(home, {recursive: true, force: true});
	});

	test('a broken preferences file is reported once and replaced by defaults', () => {
		const home = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-prefs-'));
		fs.writeFileSync(path.join(home, 'preferences.json'), '{"stores": ');
		const first = openPreferences('/stores/a', home);
		expect(first.problem).toMatch(/^preferences .*preferences\.json could not be read \(.*\); using defaults$/);
		expect(first.values).toEqual({});
		const second = openPreferences('/stores/a', home);
		expect(second.problem).toBeUndefined();
		fs.rmSync(home, {recursive: true, force: true});
	});

	test("each pane's sort is kept per store", () => {
		const home = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-prefs-'));
		const sorts = {routes: {column: 'metric', descending: true}, pods: {column: 'name', descending: false}};
		openPreferences('/stores/a', home).save({focusedPane: 'pods', sorts});
		expect(openPreferences('/stores/a', home)).toMatchObject({problem: undefined, values: {focusedPane: 'pods', sorts}});
		expect(openPreferences('/stores/b', home).values).toEqual({});
		fs.rmSync(home, {recursive: true, force: true});
	});

	test('a trace destination too long to remember is left out, and the file stays readable', () => {
		const home = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-prefs-'));
		openPreferences('/stores/b', home).save({focusedPane: 'pods'});
		openPreferences('/stores/a', home).save({recentTraces: ['x'.repeat(301), 'web.webapp']});
		expect(openPreferences('/stores/a', home)).toMatchObject({problem: undefined, values: {recentTraces: ['web.webapp']}});
		expect(openPreferences('/stores/b', home).values).toEqual({focusedPane: 'pods', recentTraces: undefined});
		fs.rmSync(home, {recursive: true, force: true});
	});

	test.each([
		['a focused pane that is not a name', {stores: {'/stores/a': {focusedPane: 5, usedAt: '2026-12-01T00:00:00.000Z'}}}],
		['a field edgenet does not write', {stores: {'/stores/a': {focusedPane: 'pods', colour: 'red', usedAt: '2026-12-01T00:00:00.000Z'}}}],
		['more trace destinations than are kept', {stores: {'/stores/a': {recentTraces: Array.from({length: 11}, (_, index) => `10.0.0.${index}`), usedAt: '2026-12-01T00:00:00.000Z'}}}],
		['an entry without its time of use', {stores: {'/stores/a': {focusedPane: 'pods'}}}],
		['a sort without its direction', {stores: {'/stores/a': {sorts: {routes: {column: 'metric'}}, usedAt: '2026-12-01T00:00:00.000Z'}}}],
		['a sort that is not a column name', {stores: {'/stores/a': {sorts: {routes: {column: 7, descending: false}}, usedAt: '2026-12-01T00:00:00.000Z'}}}],
		['a sort with a field edgenet does not write', {stores: {'/stores/a': {sorts: {routes: {column: 'metric', descending: false, by: 'me'}}, usedAt: '2026-12-01T00:00:00.000Z'}}}],
		['sorts that are a list', {stores: {'/stores/a': {sorts: [{column: 'metric', descending: false}], usedAt: '2026-12-01T00:00:00.000Z'}}}],
		['no stores at all', {stores: []}],
	])('valid JSON that is not what edgenet writes (%s) is reported and replaced, and saving works again', (_name, content) => {
		const home = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-prefs-'));
		fs.writeFileSync(path.join(home, 'preferences.json'), JSON.stringify(content));
		const first = openPreferences('/stores/a', home);
		expect(first.problem).toBe(`preferences ${home}/preferences.json could not be read (not what edgenet writes there); using defaults`);
		expect(first.values).toEqual({});
		first.save({focusedPane: 'routes'});
		const second = openPreferences('/stores/a', home);
		expect(second.problem).toBeUndefined();
		expect(second.values).toEqual({focusedPane: 'routes', recentTraces: undefined});
		fs.rmSync(home, {recursive: true, force: true});
	});
});

describe('store location', () => {
	test('--store wins over EDGENET_STORE, which wins over the per-user config directory', () => {
		expect(resolveStoreDir('/a', {EDGENET_STORE: '/b', XDG_CONFIG_HOME: '/c'})).toBe('/a');
		expect(resolveStoreDir(undefined, {EDGENET_STORE: '/b', XDG_CONFIG_HOME: '/c'})).toBe('/b');
		expect(resolveStoreDir(undefined, {EDGENET_STORE: '', XDG_CONFIG_HOME: '/c'})).toBe(resolveStoreDir(undefined, {XDG_CONFIG_HOME: '/c'}));
	});

	/** Where `edgenet status` made its store, run with only this environment choosing (no --store unless given). */
	function storeMadeBy(env: Record<string, string>, args: readonly string[] = []): string[] {
		const result = runCli(['status', ...args], {env});
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		return fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter(entry => entry.endsWith('device.db')).map(entry => path.join(dir, entry));
	}

	// The XDG base directory specification is Linux's; on macOS and Windows env-paths names the platform's own directory.
	test.skipIf(process.platform !== 'linux')('the binary makes its store where the environment says: $XDG_CONFIG_HOME/edgenet, or ~/.config/edgenet when it is empty (Linux only)', () => {
		const home = path.join(dir, 'home');
		expect(storeMadeBy({HOME: home, XDG_CONFIG_HOME: path.join(dir, 'xdg')})).toEqual([path.join(dir, 'xdg', 'edgenet', 'device.db')]);
		fs.rmSync(path.join(dir, 'xdg'), {recursive: true});
		expect(storeMadeBy({HOME: home, XDG_CONFIG_HOME: ''})).toEqual([path.join(home, '.config', 'edgenet', 'device.db')]);
		fs.rmSync(home, {recursive: true});
		expect(storeMadeBy({HOME: home, XDG_CONFIG_HOME: path.join(dir, 'xdg'), EDGENET_STORE: path.join(dir, 'from-env')})).toEqual([path.join(dir, 'from-env', 'device.db')]);
		fs.rmSync(path.join(dir, 'from-env'), {recursive: true});
		expect(storeMadeBy({HOME: home, XDG_CONFIG_HOME: path.join(dir, 'xdg'), EDGENET_STORE: path.join(dir, 'from-env')}, ['--store', path.join(dir, 'from-option')])).toEqual([path.join(dir, 'from-option', 'device.db')]);
	});

	test.skipIf(process.platform !== 'linux')('a relative $XDG_CONFIG_HOME is ignored, as the XDG specification says: the store is made in ~/.config/edgenet, not under the current directory (Linux only)', () => {
		const home = path.join(dir, 'home');
		const work = path.join(dir, 'work');
		fs.mkdirSync(work);
		const result = spawnSync(process.execPath, [cliPath, 'status'], {cwd: work, env: cleanEnv({HOME: home, XDG_CONFIG_HOME: 'relative-config'}), encoding: 'utf8'});
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(fs.readdirSync(work)).toEqual([]);
		expect(fs.existsSync(path.join(home, '.config', 'edgenet', 'device.db'))).toBe(true);
		expect(resolveStoreDir(undefined, {HOME: home, XDG_CONFIG_HOME: 'relative-config'})).toBe(path.join(home, '.config', 'edgenet'));
	});
});

describe('reading only what is used', () => {
	test('the addresses in use are counted from the address columns: the pods and services are not read for it', async () => {
		const generated = generateDevice({routes: 20, pods: 300, services: 40, seed: 3});
		if (!generated.ok) {
			throw new Error(generated.error);
		}
		await replaceStore(dir, generated.device);
		const store = openStore(dir);
		try {
			const {device} = store.read();
			expect(rangeUsage(device)).toEqual(rangeUsage(generated.device));
			expect(rangeUsage(device)[0]).toMatchObject({label: 'pods', used: 300});
			// Neither list was read: each can still give its addresses without its items.
			expect(typeof (device.pods as HeldAddressesOf)[heldAddresses]).toBe('function');
			expect(typeof (device.services as HeldAddressesOf)[heldAddresses]).toBe('function');
			expect(device.pods).toHaveLength(300);
			expect((device.pods as HeldAddressesOf)[heldAddresses]).toBeUndefined();
			expect(rangeUsage(device)).toEqual(rangeUsage(generated.device));
		} finally {
			store.close();
		}
	});
});
