import fs from 'node:fs';
import {describe, expect, test} from 'vitest';
import {bindings, type CommandId} from '../../source/ui/keymap.js';
import {databaseOf, storeDigest} from '../support/store-digest.js';
import {keyBytes, keys, runCli, type TerminalSession, useTestResources} from './harness.js';

const resources = useTestResources();
const {demoStore, emptyStore} = resources;

function open(dir: string, options: {columns?: number; rows?: number; env?: Record<string, string>; args?: string[]} = {}): TerminalSession {
	return resources.terminal(['--store', dir, ...(options.args ?? [])], {columns: options.columns ?? 120, rows: options.rows ?? 40, env: options.env});
}

/** The key the keymap binds to a command, as a terminal sends it. */
function key(command: CommandId): string {
	const binding = bindings.find(candidate => candidate.command === command)!;
	return keyBytes(binding.keys[0]!);
}

const pause = (ms = 60) => new Promise(resolve => setTimeout(resolve, ms));

/** Types text a character at a time, as a person does. */
async function type(session: TerminalSession, text: string) {
	for (const character of text) {
		session.press(character);
		await pause(5);
	}
	await pause();
}

/** Opens the add form and fills its three text fields. */
async function fillAddForm(session: TerminalSession, destination: string, nextHop: string, metric: string) {
	session.press(key('route-add'));
	await session.waitFor('Add route');
	await type(session, destination);
	session.press(keys.tab);
	await type(session, nextHop);
	session.press(keys.tab);
	await type(session, metric);
}

function routes(dir: string): Array<{destinationPrefix: string; nextHop: string; metric: number}> {
	return JSON.parse(runCli(['route', 'list', '--json', '--store', dir]).stdout);
}

const paneTitles = ['1 Ports (6)', '2 Virtual switches (2)', '3 Kubernetes VMs (4)', '4 Pods & services (12)', '5 Custom routes (1)'];

describe('the dashboard', () => {
	test('shows the five panes of the demo device at 120x40, and q restores the terminal', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		const screen = session.screen().join('\n');
		for (const title of paneTitles) {
			expect(screen).toContain(title);
		}
		expect(screen).toContain('192.168.20.0     /24  192.168.10.1  Port3         100  active');
		expect(screen).toContain('a add  e edit  d delete  t trace  Tab pane');
		expect(session.isAlternateScreen()).toBe(true);
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
		expect(session.isAlternateScreen()).toBe(false);
		expect(session.output()).toContain('\u001B[?1049l');
	});

	test('adds a route through the form, edits its metric, and deletes it after confirmation', async () => {
		const dir = demoStore();
		const session = open(dir);
		await session.waitFor('5 Custom routes');
		await fillAddForm(session, '192.168.30.0/24', '192.168.10.1', '50');
		await session.waitFor('ready: 192.168.30.0/24 via 192.168.10.1 on Port3, metric 50');
		session.press(keys.enter);
		await session.waitFor('Added 192.168.30.0/24 on Port3 via 192.168.10.1, metric 50.');
		expect(routes(dir).map(route => `${route.destinationPrefix} ${route.metric}`)).toEqual(['192.168.20.0/24 100', '192.168.30.0/24 50']);

		session.press(key('last'));
		session.press(key('route-edit'));
		await session.waitFor('Edit route 192.168.30.0/24 on Port3');
		session.press(keys.tab);
		session.press(keys.backspace);
		session.press(keys.backspace);
		await type(session, '7');
		session.press(keys.enter);
		await session.waitFor('Updated 192.168.30.0/24 on Port3: via 192.168.10.1, metric 7.');
		expect(routes(dir).at(-1)?.metric).toBe(7);

		session.press(key('route-delete'));
		await session.waitFor('Delete the route for 192.168.30.0/24 on Port3? y/N');
		session.press('n');
		await session.waitFor('not deleted');
		expect(routes(dir)).toHaveLength(2);
		session.press(key('route-delete'));
		await session.waitFor('Delete the route for 192.168.30.0/24 on Port3? y/N');
		session.press('y');
		await session.waitFor('Removed 192.168.30.0/24 on Port3.');
		expect(routes(dir).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24']);
	});

	test('a next hop off the port subnet shows the message and saves nothing', async () => {
		const dir = demoStore();
		const before = storeDigest(dir);
		const session = open(dir);
		await session.waitFor('5 Custom routes');
		await fillAddForm(session, '192.168.30.0/24', '192.168.11.1', '10');
		await session.waitFor("next hop: 192.168.11.1 is not on Port3's subnet 192.168.10.0/24");
		session.press(keys.enter);
		await pause(200);
		expect(session.screen().join('\n')).toContain('Add route');
		session.press(keys.escape);
		await session.waitFor('cancelled: nothing changed');
		expect(storeDigest(dir)).toBe(before);
	});

	test("trace 192.168.20.7 from the worker shows the seed's camera-subnet route winning", async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('route-trace'));
		await session.waitFor('Trace: where does traffic go?');
		await type(session, '192.168.20.7');
		session.press(keys.enter);
		await session.waitFor('wins: custom 192.168.20.0/24 via 192.168.10.1 metric 100');
		const screen = session.screen().join('\n');
		expect(screen).toContain('192.168.20.7 from worker');
		expect(screen).toContain('-> NIC      eth1 192.168.10.21');
		expect(screen).toContain('-> switch   vSwitch-Port3');
		expect(screen).toContain('-> port     Port3');
		expect(screen).toContain('-> next hop 192.168.10.1');
		expect(screen).toContain("default 0.0.0.0/0 via 172.20.0.1 metric 0: shorter prefix /0 than the winner's /24");
	});

	test('/ filters the focused pane and Esc clears it', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('focus-pods'));
		session.press(key('filter'));
		await type(session, 'webapp');
		await session.waitFor('4 Pods & services (5/12)');
		const screen = session.screen().join('\n');
		expect(screen).not.toContain('kube-system/kube-dns');
		expect(screen).toContain('webapp/db-0');
		session.press(keys.escape);
		await session.waitFor('4 Pods & services (12)');
	});

	test('? lists every key of the focused pane', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('help'));
		await session.waitFor('Keys — Custom routes');
		const screen = session.screen().join('\n');
		for (const binding of bindings.filter(candidate => !candidate.live)) {
			expect(screen).toContain(binding.description);
		}
	});

	test('Enter shows the details of the selected item', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('details'));
		await session.waitFor('Custom routes — details');
		expect(session.screen().join('\n')).toContain('status       active: on the master and worker VMs, via their NIC on Port3');
	});

	test('re-lays out on every resize: 120x40, 80x24, 40x10, 100x30', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.resize(80, 24);
		await session.waitFor('[5 Routes]');
		let screen = session.screen();
		expect(screen.join('\n')).not.toContain('1 Ports (6)');
		expect(screen[0]).toContain('edgenet · device demo');
		expect(screen.at(-2)).toContain('a add  e edit');
		session.resize(40, 10);
		await session.waitFor(text => text.includes('terminal too small: need at least 80x24') && !text.includes('Routes'));
		session.resize(100, 30);
		await session.waitFor(text => text.includes('[5 Routes]') && !text.includes('too small'));
		screen = session.screen();
		expect(screen.join('\n')).toContain('5 Custom routes (1)');
		session.press(key('focus-ports'));
		await session.waitFor('[1 Ports]');
		expect(session.screen().join('\n')).toContain('Port6');
	});

	test('moving the selection rewrites only the lines that change', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('focus-pods'));
		await pause(300);
		const before = session.output().length;
		session.press(key('move-down'));
		await session.waitFor(text => text.includes('2/12'));
		await pause(200);
		const moveBytes = session.output().length - before;
		// A full redraw of this 120x40 screen is several kilobytes; a one-row move rewrites a few lines.
		expect(moveBytes).toBeGreaterThan(0);
		expect(moveBytes).toBeLessThan(before / 10);
	});

	test.each<Record<string, string>>([{NO_COLOR: '1'}, {TERM: 'dumb'}])('with %o the byte stream holds no colour or style sequence', async env => {
		const session = open(demoStore(), {env});
		await session.waitFor('5 Custom routes');
		session.press(key('move-down'));
		await pause(200);
		expect(session.output().match(/\u001B\[[\d;]*m/g) ?? []).toEqual([]);
		expect(session.screen().join('\n')).toContain('› 192.168.20.0');
	});

	test('a pod named with an OSC sequence shows placeholders and cannot reach the terminal', async () => {
		const dir = demoStore();
		const exported = runCli(['export', 'device', '--store', dir]);
		expect(exported.status).toBe(0);
		const document = JSON.parse(exported.stdout);
		document.device.pods[0].name = 'x\u001B]0;pwned\u0007';
		expect(runCli(['import', 'device', '-', '--store', dir], {input: JSON.stringify(document)}).status).toBe(0);
		const session = open(dir);
		await session.waitFor('5 Custom routes');
		session.press(key('focus-pods'));
		session.press(key('filter'));
		await type(session, 'pwned');
		await session.waitFor('kube-system/x␛]0;pwned␇');
		expect(session.output()).not.toContain('\u001B]0;pwned');
	});

	test('--read-only offers and accepts no key that changes the store', async () => {
		const dir = demoStore();
		const before = storeDigest(dir);
		const session = open(dir, {args: ['--read-only']});
		await session.waitFor('READ-ONLY');
		expect(session.screen().at(-2)).toBe('t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit');
		session.press(key('route-add'));
		session.press(key('route-delete'));
		await pause(200);
		expect(session.screen().join('\n')).not.toContain('Add route');
		expect(session.screen().join('\n')).not.toContain('Delete the route');
		expect(storeDigest(dir)).toBe(before);
	});

	test('shows a route added from another process within a second', async () => {
		const dir = demoStore();
		const session = open(dir);
		await session.waitFor('5 Custom routes (1)');
		const added = runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.77.0.0/16', '--next-hop', '192.168.10.1', '--metric', '5', '--store', dir]);
		expect(added.status).toBe(0);
		await session.waitFor(text => text.includes('5 Custom routes (2)') && text.includes('10.77.0.0'), 1000);
		expect(session.screen().join('\n')).toContain('updated from another session');
	});

	test('garbage written into the store: a banner, no crash, nothing written until the file is valid again', async () => {
		const dir = demoStore();
		const file = databaseOf(dir);
		const good = fs.readFileSync(file);
		const before = storeDigest(dir);
		const session = open(dir);
		await session.waitFor('5 Custom routes (1)');
		fs.writeFileSync(file, '{"routes": [');
		await session.waitFor(`store unreadable, nothing is saved until it is valid again: The store file ${file} is damage`);
		session.press(key('route-delete'));
		await session.waitFor('Delete the route for 192.168.20.0/24 on Port3? y/N');
		session.press('y');
		await session.waitFor(`The store file ${file} is damaged`);
		expect(fs.readFileSync(file, 'utf8')).toBe('{"routes": [');
		fs.writeFileSync(file, good);
		await session.waitFor(text => !text.includes('store unreadable'));
		expect(session.screen().join('\n')).toContain('5 Custom routes (1)');
		expect(storeDigest(dir)).toBe(before);
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
	});

	test('the store removed under the dashboard: a banner, the last good state stays, a save is refused and nothing is written', async () => {
		const dir = demoStore();
		const file = databaseOf(dir);
		// Wide enough for the whole banner.
		const session = open(dir, {columns: 200});
		await session.waitFor('5 Custom routes (1)');
		fs.rmSync(file);
		await session.waitFor(`store unreadable, nothing is saved until it is valid again: The store file ${file} was removed. Nothing was read.`);
		let screen = session.screen().join('\n');
		expect(screen).toContain('5 Custom routes (1)');
		expect(screen).toContain('192.168.20.0     /24  192.168.10.1  Port3         100  active');
		await fillAddForm(session, '192.168.30.0/24', '192.168.10.1', '50');
		await session.waitFor('ready: 192.168.30.0/24 via 192.168.10.1 on Port3, metric 50');
		session.press(keys.enter);
		await session.waitFor(`The store file ${file} was removed. Nothing was saved.`);
		expect(session.screen().join('\n')).not.toContain('Added 192.168.30.0/24');
		expect(fs.existsSync(file)).toBe(false);
		// Still running: the form closes on Esc, the routes are as they were, and the quit key ends it normally.
		session.press(keys.escape);
		await session.waitFor(text => text.includes('5 Custom routes (1)') && !text.includes('Add route'));
		screen = session.screen().join('\n');
		expect(screen).toContain('192.168.20.0     /24  192.168.10.1  Port3         100  active');
		expect(screen).not.toContain('192.168.30.0');
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
		expect(fs.existsSync(file)).toBe(false);
	});

	test('the store replaced under the dashboard by another store: the dashboard shows the new device', async () => {
		const dir = demoStore();
		const other = emptyStore();
		expect(runCli(['demo', '--generate', '--routes', '3', '--pods', '3', '--services', '1', '--store', other]).status).toBe(0);
		const session = open(dir);
		await session.waitFor('5 Custom routes (1)');
		expect(session.screen()[0]).toContain('device demo');
		fs.renameSync(databaseOf(other), databaseOf(dir));
		await session.waitFor(text => text.includes('device generated-1') && text.includes('5 Custom routes (3)'));
		const screen = session.screen().join('\n');
		expect(screen).toContain('updated from another session');
		expect(screen).not.toContain('store unreadable');
		expect(screen).not.toContain('192.168.20.0     /24');
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
	});

	test('reset --demo run from another process: the dashboard shows the demo device again within about a second', async () => {
		const dir = demoStore();
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.77.0.0/16', '--next-hop', '192.168.10.1', '--metric', '5', '--store', dir]).status).toBe(0);
		const session = open(dir);
		await session.waitFor(text => text.includes('5 Custom routes (2)') && text.includes('10.77.0.0'));
		const reset = runCli(['reset', '--demo', '--store', dir]);
		expect(reset.status).toBe(0);
		expect(reset.stdout).toMatch(/The previous store is kept as .*device\.db\.bak-/);
		await session.waitFor(text => text.includes('5 Custom routes (1)') && !text.includes('10.77.0.0'), 1500);
		const screen = session.screen().join('\n');
		expect(screen).toContain('192.168.20.0     /24  192.168.10.1  Port3         100  active');
		expect(screen).toContain('updated from another session');
		expect(screen).not.toContain('store unreadable');
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
	});

	test('an edit of a route another session changed meanwhile is refused and reloaded', async () => {
		const dir = demoStore();
		const session = open(dir);
		await session.waitFor('5 Custom routes (1)');
		session.press(key('route-edit'));
		await session.waitFor('Edit route 192.168.20.0/24 on Port3');
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--metric', '10', '--store', dir]).status).toBe(0);
		session.press(keys.tab);
		session.press(keys.backspace);
		session.press(keys.backspace);
		session.press(keys.backspace);
		await type(session, '30');
		session.press(keys.enter);
		await session.waitFor('changed by another session — reloaded; review and save again');
		expect(routes(dir)[0]?.metric).toBe(10);
		// Saving again, having seen the change, goes through.
		session.press(keys.enter);
		await session.waitFor('Updated 192.168.20.0/24 on Port3: via 192.168.10.1, metric 30.');
		expect(routes(dir)[0]?.metric).toBe(30);
	});

	test.each(['SIGTERM', 'SIGHUP'])('%s restores the terminal and leaves the store intact', async signal => {
		const dir = demoStore();
		const before = storeDigest(dir);
		const session = open(dir);
		await session.waitFor('5 Custom routes');
		session.kill(signal);
		await session.exited;
		expect(session.isAlternateScreen()).toBe(false);
		expect(storeDigest(dir)).toBe(before);
	});
});

describe('what the dashboard remembers, and what the store holds that it will not use', () => {
	test('the focused pane and the last trace destination come back at the next start', async () => {
		const dir = demoStore();
		const first = open(dir, {columns: 100, rows: 30});
		await first.waitFor('[5 Routes]', 8000);
		first.press(key('route-trace'));
		await first.waitFor('Trace: where does traffic go?', 8000);
		await type(first, '192.168.20.7');
		first.press(keys.enter);
		await first.waitFor('192.168.10.1', 8000);
		first.press(keys.escape);
		await first.waitFor('[5 Routes]', 8000);
		first.press(key('focus-pods'));
		await first.waitFor('[4 Pods]', 8000);
		first.press(key('quit'));
		expect(await first.exited).toBe(0);

		const second = open(dir, {columns: 100, rows: 30});
		await second.waitFor('[4 Pods]', 8000);
		second.press(key('focus-routes'));
		await second.waitFor('[5 Routes]', 8000);
		second.press(key('route-trace'));
		await second.waitFor('destination  192.168.20.7', 8000);
		second.press(keys.escape);
		await second.waitFor(screen => !screen.includes('Trace: where does traffic go?'), 8000);
		second.press(key('quit'));
		expect(await second.exited).toBe(0);
	});

	test('a broken preferences file is reported once, replaced by defaults, and the device is untouched', async () => {
		const dir = demoStore();
		const home = fs.mkdtempSync(`${dir}-home-`);
		fs.mkdirSync(`${home}/edgenet`);
		fs.writeFileSync(`${home}/edgenet/preferences.json`, '{"stores": ');
		const before = storeDigest(dir);
		const session = open(dir, {columns: 200, rows: 40, env: {XDG_CONFIG_HOME: home}});
		await session.waitFor(screen => /preferences .*preferences\.json could not be read \(.*\); using defaults/.test(screen));
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
		expect(() => JSON.parse(fs.readFileSync(`${home}/edgenet/preferences.json`, 'utf8'))).not.toThrow();
		const again = open(dir, {columns: 100, rows: 30, env: {XDG_CONFIG_HOME: home}});
		await again.waitFor('[5 Routes]');
		await pause(300);
		expect(again.screen().join('\n')).not.toContain('could not be read');
		again.press(key('quit'));
		expect(await again.exited).toBe(0);
		expect(storeDigest(dir)).toBe(before);
		fs.rmSync(home, {recursive: true, force: true});
	});

	test('a stored route that breaks the rules is named in a banner and kept out of the routes pane', async () => {
		const dir = demoStore();
		const {DatabaseSync} = await import('node:sqlite');
		const database = new DatabaseSync(databaseOf(dir));
		database.exec(`INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', '10.5.0.1/16', '192.168.10.1', 9)`);
		database.close();
		const session = open(dir, {columns: 200, rows: 40});
		await session.waitFor('store holds 1 route that breaks the route rules');
		const screen = session.screen().join('\n');
		expect(screen).toContain('not used: route 10.5.0.1/16 on Port3: destination: "10.5.0.1/16" has host bits set');
		expect(screen).toContain('5 Custom routes (1)');
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
	});
});
