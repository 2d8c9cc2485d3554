import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {databaseOf, storeDigest} from '../support/store-digest.js';
import {runCli, useTestResources} from './harness.js';

const {demoStore, emptyStore} = useTestResources();

/** `edgenet export device` of a store, which must succeed. */
function exportDevice(dir: string): string {
	const result = runCli(['export', 'device', '--store', dir]);
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	return result.stdout;
}

/** The demo device with one more route, added through the command. */
function demoWithRoute(): string {
	const dir = demoStore();
	expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.77.0.0/16', '--next-hop', '192.168.10.1', '--metric', '5', '--store', dir]).status).toBe(0);
	return dir;
}

/** A store holding `demo --generate --routes 50 --pods 40 --services 10 --seed 3`. */
function generatedStore(): string {
	const dir = emptyStore();
	expect(runCli(['demo', '--generate', '--routes', '50', '--pods', '40', '--services', '10', '--seed', '3', '--store', dir]).status).toBe(0);
	return dir;
}

/** As much of an exported document as the tests spoil. */
type ExportedDocument = {schemaVersion: number; device: {routes: Array<Record<string, unknown>>}};

/** The path a command reported keeping the previous store under. */
function backupOf(stdout: string): string {
	const backup = /^The previous store is kept as (.*)\.$/m.exec(stdout)?.[1];
	expect(backup).toMatch(/device\.db\.bak-[^/]+$/);
	return backup!;
}

/** The store shows the demo device with the route `demoWithRoute` adds, to `status` and to `route list`. */
function expectDemoWithRoute(dir: string): void {
	const status = runCli(['status', '--store', dir]);
	expect(status.stderr).toBe('');
	expect(status.status).toBe(0);
	expect(status.stdout).toContain(`Device demo (store ${databaseOf(dir)})`);
	expect(JSON.parse(runCli(['route', 'list', '--json', '--store', dir]).stdout).map((route: {destinationPrefix: string}) => route.destinationPrefix)).toEqual([
		'192.168.20.0/24',
		'10.77.0.0/16',
	]);
}

describe('export device, import device', () => {
	test.each([
		['the demo device with an added route', demoWithRoute, 'demo (2 routes, 7 pods, 5 services)'],
		['a generated device', generatedStore, 'generated-3 (50 routes, 40 pods, 10 services)'],
	])('%s: export, import, export gives the same bytes, into a new store and back into its own', (_name, makeStore, summary) => {
		const source = makeStore();
		const exported = exportDevice(source);
		expect(JSON.parse(exported)).toMatchObject({schemaVersion: 1, device: {name: summary.split(' ')[0]}});
		const file = path.join(emptyStore(), 'backup.json');
		fs.writeFileSync(file, exported);

		const target = emptyStore();
		const imported = runCli(['import', 'device', file, '--store', target]);
		expect(imported.stderr).toBe('');
		expect(imported.status).toBe(0);
		expect(imported.stdout).toContain(`Wrote ${summary.replace(' (', ` from ${file} (`)} to ${databaseOf(target)}.\n`);
		expect(exportDevice(target)).toBe(exported);

		const again = runCli(['import', 'device', '-', '--store', source], {input: exported});
		expect(again.status).toBe(0);
		expect(again.stdout).toContain(`Wrote ${summary.replace(' (', ' from standard input (')} to ${databaseOf(source)}.\n`);
		backupOf(again.stdout);
		expect(exportDevice(source)).toBe(exported);
	});

	/** Bad documents, each made from a good export, and the words of the refusal. */
	const badDocuments: ReadonlyArray<readonly [string, (document: ExportedDocument) => string, (file: string) => string]> = [
		['invalid JSON', document => JSON.stringify(document).slice(0, 200), file => `edgenet: refused, nothing changed: ${file} is not a device document: it is not valid JSON (`],
		[
			'a route with host bits set',
			document => {
				document.device.routes[0]!.destinationPrefix = '10.5.0.1/16';
				return JSON.stringify(document);
			},
			file =>
				`edgenet: refused, nothing changed: ${file} holds routes that break the route rules:\n  route 10.5.0.1/16 on Port3: destination: "10.5.0.1/16" has host bits set (Invalid prefix for given prefix length); did you mean 10.5.0.0/16?\n`,
		],
		[
			'an unknown field',
			document => {
				document.device.routes[0]!.gateway = '192.168.10.1';
				return JSON.stringify(document);
			},
			file => `edgenet: refused, nothing changed: ${file} is not a device document: device.routes[0]: unknown field "gateway" (the fields are interface, destinationPrefix, nextHop, metric).`,
		],
		[
			'schemaVersion 99',
			document => {
				document.schemaVersion = 99;
				return JSON.stringify(document);
			},
			file => `edgenet: refused, nothing changed: ${file} is not a device document: it was written by a newer edgenet (schema 99; this edgenet reads schema 1); upgrade edgenet to read it.`,
		],
	];

	test.each(badDocuments)('a document with %s: exit 1, the reason on stderr, the store unchanged and no copy made', (_kind, spoil, message) => {
		const dir = demoWithRoute();
		const file = path.join(emptyStore(), 'bad.json');
		fs.writeFileSync(file, spoil(JSON.parse(exportDevice(dir)) as ExportedDocument));
		const before = storeDigest(dir);
		const result = runCli(['import', 'device', file, '--store', dir]);
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(message(file));
		expect(storeDigest(dir)).toBe(before);
		expect(fs.readdirSync(dir).filter(name => name.includes('.bak-'))).toEqual([]);
	});

	test('import keeps the previous database as device.db.bak-<time>, which opens as a store and shows the old device', () => {
		const dir = demoWithRoute();
		const file = path.join(emptyStore(), 'generated.json');
		fs.writeFileSync(file, exportDevice(generatedStore()));
		const imported = runCli(['import', 'device', file, '--store', dir]);
		expect(imported.status).toBe(0);
		const backup = backupOf(imported.stdout);
		expect(path.dirname(backup)).toBe(dir);
		expect(runCli(['status', '--store', dir]).stdout).toContain('Device generated-3');

		const restored = emptyStore();
		fs.copyFileSync(backup, databaseOf(restored));
		expectDemoWithRoute(restored);
	});
});

describe('a device.json of the previous version', () => {
	/** The old store file: the export's device with a revision, as edgenet 0.1 wrote it. */
	function legacyFile(): {readonly text: string; readonly exported: string} {
		const exported = exportDevice(demoWithRoute());
		const {device} = JSON.parse(exported) as {device: unknown};
		return {text: JSON.stringify({schemaVersion: 1, revision: 4, device}), exported};
	}

	test('is migrated on the first status: the device is shown, the file renamed device.json.migrated-<time> with the same bytes', () => {
		const dir = emptyStore();
		const {text, exported} = legacyFile();
		fs.writeFileSync(path.join(dir, 'device.json'), text);
		expectDemoWithRoute(dir);
		const names = fs.readdirSync(dir);
		expect(names).not.toContain('device.json');
		const migrated = names.filter(name => name.startsWith('device.json.migrated-'));
		expect(migrated).toHaveLength(1);
		expect(fs.readFileSync(path.join(dir, migrated[0]!), 'utf8')).toBe(text);
		// What was migrated is the device the old file held.
		expect(exportDevice(dir)).toBe(exported);
	});

	test('a broken one is refused with a message naming it, left byte-identical, and refused the same way on the next run', () => {
		const dir = emptyStore();
		const file = path.join(dir, 'device.json');
		const text = legacyFile().text.slice(0, 500);
		fs.writeFileSync(file, text);
		const message = `edgenet: Cannot migrate the store file ${file} to the database: it is not valid JSON (`;
		for (const run of [1, 2]) {
			const status = runCli(['status', '--store', dir]);
			expect(status.status, `run ${run}`).toBe(1);
			expect(status.stdout).toBe('');
			expect(status.stderr).toContain(message);
			expect(status.stderr).toContain('It was left unchanged and nothing was migrated.');
			expect(fs.readFileSync(file, 'utf8')).toBe(text);
			expect(fs.readdirSync(dir)).toEqual(['device.json']);
		}
	});
});

describe('demo --generate', () => {
	test('a count past what one process can hold is a usage error that says the maximum, and the store is unchanged', () => {
		const dir = generatedStore();
		const before = storeDigest(dir);
		const result = runCli(['demo', '--generate', '--routes', '99999999999', '--store', dir]);
		expect(result.stderr).toBe('edgenet: --routes must be at most 1000000, got 99999999999\nRun `edgenet demo --help` for usage.\n');
		expect(result.status).toBe(2);
		expect(storeDigest(dir)).toBe(before);
	});
});
