import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {openStore, resetToDemo, resolveStoreDir, StoreError, storeFilePath} from '../../source/store/store.js';

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

function writeRaw(text: string): Buffer {
	fs.writeFileSync(storeFilePath(dir), text);
	return fs.readFileSync(storeFilePath(dir));
}

describe('first start', () => {
	test('writes the demo device with mode 0600', () => {
		const store = openStore(dir);
		expect(store.created).toBe(true);
		expect(store.read().device).toEqual(createDemoDevice());
		expect(fs.statSync(storeFilePath(dir)).mode & 0o777).toBe(0o600);
		const onDisk = JSON.parse(fs.readFileSync(storeFilePath(dir), 'utf8'));
		expect(onDisk.schemaVersion).toBe(1);
		expect(onDisk.revision).toBe(0);
	});
});

describe('round trip', () => {
	test('a written device reads back, in this and in a fresh process view', async () => {
		const store = openStore(dir);
		const device = {...store.read().device, routes: [{interface: 'Port3', destinationPrefix: '10.5.0.0/16', nextHop: '192.168.10.1', metric: 5}]};
		const saved = await store.update(() => ({device}));
		expect(saved.revision).toBe(1);
		const reopened = openStore(dir);
		expect(reopened.created).toBe(false);
		expect(reopened.read()).toEqual({schemaVersion: 1, revision: 1, device});
	});

	test('keeps mode 0600 after someone loosened it', async () => {
		const store = openStore(dir);
		fs.chmodSync(storeFilePath(dir), 0o644);
		await store.update(device => ({device}));
		expect(fs.statSync(storeFilePath(dir)).mode & 0o777).toBe(0o600);
	});
});

describe('a damaged store is refused and left byte-identical', () => {
	test('corrupt JSON', () => {
		const before = writeRaw('{"routes": [');
		expect(refusal(() => openStore(dir))).toBe(
			`The store file ${storeFilePath(dir)} is not valid JSON (Unexpected end of JSON input). It was left unchanged. Repair it by hand, or run \`edgenet reset --demo --store ${dir}\` to keep a copy of it and start again from the demo device.`,
		);
		expect(fs.readFileSync(storeFilePath(dir))).toEqual(before);
	});

	test('an empty file', () => {
		const before = writeRaw('');
		expect(refusal(() => openStore(dir))).toMatch(/^The store file .*device\.json is empty\. It was left unchanged\./);
		expect(fs.readFileSync(storeFilePath(dir))).toEqual(before);
	});

	test('a schema violation', () => {
		const state = {schemaVersion: 1, revision: 3, device: createDemoDevice()};
		const broken = JSON.parse(JSON.stringify(state));
		broken.device.routes[0].metric = 'high';
		const before = writeRaw(JSON.stringify(broken));
		expect(refusal(() => openStore(dir))).toContain('does not match the store schema: `device/routes/0/metric` must be integer. It was left unchanged.');
		expect(fs.readFileSync(storeFilePath(dir))).toEqual(before);
	});

	test('a missing key', () => {
		const before = writeRaw(JSON.stringify({schemaVersion: 1, revision: 0}));
		expect(refusal(() => openStore(dir))).toContain("must have required property 'device'");
		expect(fs.readFileSync(storeFilePath(dir))).toEqual(before);
	});

	test('a store from a newer version', () => {
		const before = writeRaw(JSON.stringify({schemaVersion: 2, revision: 0, device: {layers: []}}));
		expect(refusal(() => openStore(dir))).toBe(
			`The store file ${storeFilePath(dir)} was written by a newer edgenet (store schema 2; this edgenet reads schema 1). Upgrade edgenet to open it; the file was left unchanged.`,
		);
		expect(fs.readFileSync(storeFilePath(dir))).toEqual(before);
	});

	test('a write the schema refuses changes nothing', async () => {
		const store = openStore(dir);
		const before = fs.readFileSync(storeFilePath(dir));
		const bad = {...store.read().device, routes: [{interface: 'Port3', destinationPrefix: 'nowhere', nextHop: '192.168.10.1', metric: 1}]};
		await expect(store.update(() => ({device: bad}))).rejects.toThrow('`device/routes/0/destinationPrefix` must match pattern');
		expect(fs.readFileSync(storeFilePath(dir))).toEqual(before);
	});
});

describe('reset --demo', () => {
	test('keeps a copy of the old file and writes the demo device', async () => {
		const before = writeRaw('{"routes": [');
		const result = await resetToDemo(dir, new Date('2026-01-02T03:04:05Z'));
		expect(result.backup).toBe(`${storeFilePath(dir)}.bak-2026-01-02T03-04-05.000Z`);
		expect(fs.readFileSync(result.backup!)).toEqual(before);
		expect(openStore(dir).read().device).toEqual(createDemoDevice());
	});
});

describe('store location', () => {
	test('--store wins over EDGENET_STORE, which wins over the default', () => {
		expect(resolveStoreDir('/a', {EDGENET_STORE: '/b'})).toBe('/a');
		expect(resolveStoreDir(undefined, {EDGENET_STORE: '/b'})).toBe('/b');
		expect(resolveStoreDir(undefined, {XDG_CONFIG_HOME: '/c'})).toMatch(/edgenet$/);
	});
});
