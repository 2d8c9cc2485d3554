import fs from 'node:fs';
import {describe, expect, test} from 'vitest';
import {bindingOf, bindings, type CommandId, readOnlyReason} from '../../source/ui/keymap.js';
import {useMounts} from '../support/mounts.js';
import {databaseOf, storeDigest} from '../support/store-digest.js';
import {frameWith, keyBytes, runCli, showsAll, type TerminalSession, useTestResources} from './harness.js';

const resources = useTestResources();
const {demoStore, emptyStore} = resources;
const {mountReadOnly} = useMounts();
const isRoot = process.getuid?.() === 0;

function open(dir: string, options: {columns?: number; rows?: number; env?: Record<string, string>; args?: string[]} = {}): TerminalSession {
	return resources.terminal(['--store', dir, ...(options.args ?? [])], {columns: options.columns ?? 120, rows: options.rows ?? 40, env: options.env});
}

/** The key the keymap binds to a command, as a terminal sends it. */
function key(command: CommandId): string {
	return keyBytes(bindingOf(command).keys[0]!);
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
	session.press(key('form-next'));
	await type(session, nextHop);
	session.press(key('form-next'));
	await type(session, metric);
}

function routes(dir: string): Array<{destinationPrefix: string; nextHop: string; metric: number}> {
	return JSON.parse(runCli(['route', 'list', '--json', '--store', dir]).stdout);
}

/** A store holding the bench's large device: `demo --generate --routes 10000 --pods 20000 --services 2000 --seed 1`. */
function largeStore(): string {
	const dir = emptyStore();
	expect(runCli(['demo', '--generate', '--routes', '10000', '--pods', '20000', '--services', '2000', '--seed', '1', '--store', dir]).status).toBe(0);
	return dir;
}

/** Everything the program has written once it has written nothing more for `quietMs`. */
async function quiet(session: TerminalSession, quietMs = 300): Promise<string> {
	let output = session.output();
	for (let still = 0; still < quietMs; still += 50) {
		await pause(50);
		if (session.output() !== output) {
			output = session.output();
			still = -50;
		}
	}
	return output;
}

/** The palette's cyan, the colour of the focused pane's border and selected row. */
const cyan = 6;

/** The bytes of text as the terminal received them. */
const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');

const paneTitles = ['1 Ports (6)', '2 Virtual switches (2)', '3 Kubernetes VMs · Calico no encapsulation (4)', '4 Pods & services (12)', '5 Custom routes (1)'];

describe('the dashboard', () => {
	test('shows the five panes of the demo device at 120x40, and q restores the terminal', async () => {
		const session = open(demoStore());
		const row = '192.168.20.0     /24  192.168.10.1  Port3         100  active';
		const footer = 'a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort';
		const screen = await session.waitFor(showsAll(...paneTitles, row, footer));
		expect(screen.at(-2)).toBe(footer);
		// The cluster's plan under the header, with how much of each range is used.
		expect(screen[1]).toBe('pods 172.27.0.0/16 7/65,536 used · services 172.28.0.0/16 5/65,534 used · nodes 192.168.10.20-192.168.10.22 2/3 used');
		expect(session.isAlternateScreen()).toBe(true);
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
		expect(session.isAlternateScreen()).toBe(false);
		expect(session.output()).toContain('\u001B[?1049l');
	});

	test('at 120x40 the panes share the lines by their rows: pods show 7 of 12 rows (the plan line takes one), the routes pane room for three routes, no pane an empty row while pods are cut', async () => {
		const session = open(demoStore());
		const screen = await session.waitFor(frameWith('a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort', ...paneTitles));
		/** The rows a pane shows, read between its headings and its bottom border. */
		const paneRows = (title: string) => {
			const top = screen.findIndex(line => line.includes(title));
			const bottom = screen.findIndex((line, index) => index > top && /^[╰╚]/.test(line));
			return screen.slice(top + 2, bottom).map(line => line.slice(2, -2).trimEnd());
		};
		expect(screen.find(line => line.includes('4 Pods & services'))).toMatch(/4 Pods & services \(12\) +1\/12 │$/);
		expect(paneRows('4 Pods & services')).toEqual([
			'· svc   default/kubernetes                    172.28.0.1   <none>         kubernetes.default.svc.cluster.local',
			'  svc   kube-system/kube-dns                  172.28.0.10  <none>         kube-dns.kube-system.svc.cluster.local',
			'  svc   iotedge/edgehub                       172.28.0.2   192.168.10.30  edgehub.iotedge.svc.cluster.local',
			'  svc   webapp/web                            172.28.0.3   192.168.10.31  web.webapp.svc.cluster.local',
			'  svc   webapp/db                             172.28.0.4   <none>         db.webapp.svc.cluster.local',
			'  pod   kube-system/coredns-6d4b75cb6d-7xk2p  172.27.0.0                  on master',
			'  pod   kube-system/coredns-6d4b75cb6d-q9vzm  172.27.0.64                 on worker',
		]);
		expect(paneRows('5 Custom routes')).toEqual(['› 192.168.20.0     /24  192.168.10.1  Port3         100  active', '', '']);
		expect(paneRows('1 Ports')).toHaveLength(6);
		expect(paneRows('2 Virtual switches')).toHaveLength(4);
	});

	test('at 80x24 the footer drops its least important hints and keeps ? help and q quit last', async () => {
		const session = open(demoStore(), {columns: 80, rows: 24});
		const footer = 'a add  e edit  d delete  t trace  Enter details  / filter  ? help  q quit';
		let screen = await session.waitFor(frameWith(footer, '[5 Routes]'));
		expect(screen.at(-2)).toBe(footer);
		session.press(key('focus-pods'));
		screen = await session.waitFor(text => text.includes('[4 Pods]') && /t trace .*\? help {2}q quit$/m.test(text));
		expect(screen.at(-2)!.endsWith('? help  q quit')).toBe(true);
	});

	test('adds a route through the form, edits its metric, and deletes it after confirmation', async () => {
		const dir = demoStore();
		const session = open(dir);
		await session.waitFor('5 Custom routes');
		await fillAddForm(session, '192.168.30.0/24', '192.168.10.1', '50');
		await session.waitFor('ready: 192.168.30.0/24 via 192.168.10.1 on Port3, metric 50');
		session.press(key('form-save'));
		await session.waitFor('Added 192.168.30.0/24 on Port3 via 192.168.10.1, metric 50.');
		expect(routes(dir).map(route => `${route.destinationPrefix} ${route.metric}`)).toEqual(['192.168.20.0/24 100', '192.168.30.0/24 50']);

		session.press(key('last'));
		session.press(key('route-edit'));
		await session.waitFor('Edit route 192.168.30.0/24 on Port3');
		session.press(key('form-next'));
		session.press(key('form-erase'));
		session.press(key('form-erase'));
		await type(session, '7');
		session.press(key('form-save'));
		await session.waitFor('Updated 192.168.30.0/24 on Port3: via 192.168.10.1, metric 7.');
		expect(routes(dir).at(-1)?.metric).toBe(7);

		session.press(key('route-delete'));
		await session.waitFor('Delete the route for 192.168.30.0/24 on Port3?  y yes  any other key no');
		// Any key but the confirming one keeps the route.
		session.press('n');
		await session.waitFor('not deleted');
		expect(routes(dir)).toHaveLength(2);
		session.press(key('route-delete'));
		await session.waitFor('Delete the route for 192.168.30.0/24 on Port3?');
		session.press(key('confirm-yes'));
		await session.waitFor('Removed 192.168.30.0/24 on Port3.');
		expect(routes(dir).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24']);
	});

	test('an empty routes pane says how to add one; the added route, and an edited one where its new destination sorts, is selected', async () => {
		const dir = demoStore();
		expect(runCli(['route', 'remove', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--store', dir]).status).toBe(0);
		const session = open(dir);
		await session.waitFor(frameWith('a add  t trace  Tab pane  / filter  ? help  q quit  D/L/H/P/M/S sort', '5 Custom routes (0)', 'no custom routes yet: press a to add one'));
		session.press(key('focus-ports'));
		await session.waitFor('no custom routes yet: press 5, then a, to add one');
		session.press(key('focus-routes'));
		for (const destination of ['10.1.0.0/16', '10.10.0.0/16', '10.2.0.0/16']) {
			await fillAddForm(session, destination, '192.168.10.1', '10');
			session.press(key('form-save'));
			await session.waitFor(`Added ${destination} on Port3`);
		}
		// In destination order 10.2 sorts between 10.1 and 10.10: it is the route selected.
		const selected = (screen: string[]) => screen.find(line => line.includes('› '))?.match(/› (\S+)/)?.[1];
		let screen = await session.waitFor(frameWith('Added 10.2.0.0/16 on Port3 via 192.168.10.1, metric 10.', '5 Custom routes (3)', '› 10.2.0.0 '));
		expect(selected(screen)).toBe('10.2.0.0');
		session.press(key('first'));
		await session.waitFor('› 10.1.0.0 ');
		session.press(key('route-edit'));
		await session.waitFor('Edit route 10.1.0.0/16 on Port3');
		// The edit opens on the next hop; the destination is the field before it.
		session.press(key('form-previous'));
		session.press(key('cut-to-start'));
		await type(session, '10.20.0.0/16');
		session.press(key('form-save'));
		screen = await session.waitFor(frameWith('Updated 10.1.0.0/16 on Port3 → 10.20.0.0/16 on Port3: via 192.168.10.1, metric 10.', '› 10.20.0.0 '));
		expect(screen.filter(line => /^[│║] [ ›·] 10\./.test(line)).map(line => line.slice(4, 14).trim())).toEqual(['10.2.0.0', '10.10.0.0', '10.20.0.0']);
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
	});

	test('a next hop off the port subnet shows the message and saves nothing', async () => {
		const dir = demoStore();
		const before = storeDigest(dir);
		const session = open(dir);
		await session.waitFor('5 Custom routes');
		await fillAddForm(session, '192.168.30.0/24', '192.168.11.1', '10');
		await session.waitFor("next hop: 192.168.11.1 is not on Port3's subnet 192.168.10.0/24");
		session.press(key('form-save'));
		await pause(200);
		expect(session.screen().join('\n')).toContain('Add route');
		session.press(key('form-cancel'));
		await session.waitFor('cancelled: nothing changed');
		expect(storeDigest(dir)).toBe(before);
	});

	test("trace 192.168.20.7 from the worker shows the seed's camera-subnet route winning", async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('route-trace'));
		await session.waitFor('Trace: where does traffic go?');
		await type(session, '192.168.20.7');
		session.press(key('trace-run'));
		// The lines `route lookup` prints, the long ones broken to the panel's width.
		const lines = [
			'192.168.20.7 from worker:',
			'  route:  custom 192.168.20.0/24 via 192.168.10.1 dev eth1, metric 100 (custom route on Port3)',
			'  leaves: NIC eth1, switch vSwitch-Port3, port Port3',
			'  path:   worker VM (custom route 192.168.20.0/24, metric 100) -> eth1 192.168.10.21 -> vSwitch-Port3 -> Port3 ->',
			'      192.168.10.1',
			"  lost:   default 0.0.0.0/0 via 172.20.0.1, metric 0: shorter prefix /0 than the winner's /24 (longest prefix wins)",
		];
		const screen = await session.waitFor(frameWith('Enter trace  Tab switch field  Esc close', ...lines));
		const start = screen.findIndex(line => line.includes(lines[0]!));
		expect(screen.slice(start, start + lines.length).map(line => line.replace(/^│ /, '').replace(/ *│$/, ''))).toEqual(lines);
		expect(screen.at(-2)).toBe('Enter trace  Tab switch field  Esc close');
	});

	test('/ filters the focused pane by names and addresses, says how many match, and Esc clears it', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('focus-pods'));
		session.press(key('filter'));
		await type(session, 'webapp');
		const lines = await session.waitFor(frameWith('type to filter  Enter keep  Esc clear', '4 Pods & services  /webapp▏  5 of 12 match', 'webapp/db-0'));
		expect(lines.at(-2)).toBe('type to filter  Enter keep  Esc clear');
		const screen = lines.join('\n');
		expect(screen).not.toContain('kube-system/kube-dns');
		expect(screen).toContain('webapp/db-0');
		session.press(key('filter-cancel'));
		await session.waitFor('4 Pods & services (12)');
	});

	test('the routes filter matches destinations, not next hops; ↓ goes into the results; Esc leaves the same route selected', async () => {
		const dir = demoStore();
		for (const [destination, metric] of [['10.1.0.0/16', '30'], ['10.2.0.0/16', '10'], ['10.10.0.0/16', '20']] as const) {
			expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', destination, '--next-hop', '192.168.10.1', '--metric', metric, '--store', dir]).status).toBe(0);
		}
		const session = open(dir);
		await session.waitFor('5 Custom routes (4)  sorted by destination ↑');
		session.press(key('filter'));
		await type(session, '10.1');
		// Every route's next hop, 192.168.10.1, holds `10.1`: only the two destinations that do are kept.
		let screen = await session.waitFor(frameWith('type to filter  Enter keep  Esc clear', '5 Custom routes  /10.1▏  2 of 4 match  sorted by destination ↑', '› 10.1.0.0 ', '  10.10.0.0 '));
		expect(screen.join('\n')).not.toContain('192.168.20.0');
		session.press(key('filter-down'));
		const footer = 'a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort';
		await session.waitFor(frameWith(footer, '5 Custom routes  filter: 10.1  2 of 4 match', '› 10.10.0.0 '));
		session.press(key('clear-filter'));
		screen = await session.waitFor(frameWith(footer, '5 Custom routes (4)  sorted by destination ↑', '› 10.10.0.0 ', '  192.168.20.0 '));
		expect(screen.filter(line => /› \d/.test(line))).toEqual([expect.stringContaining('› 10.10.0.0 ')]);
	});

	test('Shift and a letter sort the focused pane by that column, the title says how, the selection stays on its route, and again reverses', async () => {
		const dir = demoStore();
		for (const [destination, metric] of [['10.1.0.0/16', '30'], ['10.2.0.0/16', '10'], ['10.10.0.0/16', '20']] as const) {
			expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', destination, '--next-hop', '192.168.10.1', '--metric', metric, '--store', dir]).status).toBe(0);
		}
		const session = open(dir);
		const footer = 'a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort';
		/** The destinations of the routes pane, top to bottom. */
		const order = (screen: string[]) => screen.flatMap(line => line.match(/^[│║] [ ›] (\d+\.\d+\.\d+\.\d+) +\/\d+  192\.168\.10\.1/)?.[1] ?? []);
		// Numerically: 10.2 before 10.10, which text order would swap.
		let screen = await session.waitFor(frameWith(footer, '5 Custom routes (4)  sorted by destination ↑', '› 10.1.0.0 ', '192.168.20.0'));
		expect(order(screen)).toEqual(['10.1.0.0', '10.2.0.0', '10.10.0.0', '192.168.20.0']);
		session.press(key('last'));
		await session.waitFor('› 192.168.20.0 ');
		session.press(key('sort-metric'));
		screen = await session.waitFor(frameWith(footer, '5 Custom routes (4)  sorted by metric ↑', '› 192.168.20.0 '));
		expect(order(screen)).toEqual(['10.2.0.0', '10.10.0.0', '10.1.0.0', '192.168.20.0']);
		session.press(key('sort-metric'));
		screen = await session.waitFor(frameWith(footer, '5 Custom routes (4)  sorted by metric ↓', '› 192.168.20.0 '));
		expect(order(screen)).toEqual(['192.168.20.0', '10.1.0.0', '10.10.0.0', '10.2.0.0']);
		session.press(key('quit'));
		expect(await session.exited).toBe(0);

		// The sort is remembered for this store.
		const again = open(dir);
		screen = await again.waitFor(frameWith(footer, '5 Custom routes (4)  sorted by metric ↓', '› 192.168.20.0 '));
		expect(order(screen)).toEqual(['192.168.20.0', '10.1.0.0', '10.10.0.0', '10.2.0.0']);
		again.press(key('quit'));
		expect(await again.exited).toBe(0);
	});

	test('? lists every key of the focused pane', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('help'));
		// Every key of the panes and the routes pane (the filter's Esc only once a filter is set, A only with --live), and how to close the help.
		const offered = bindings.filter(binding => ['routes', 'main', 'always', 'overlay'].includes(binding.scope) && !binding.live && binding.when === undefined);
		const lines = await session.waitFor(frameWith('Esc close', 'Keys — Custom routes', ...offered.map(binding => binding.description)));
		expect(lines.at(-2)).toBe('Esc close');
	});

	test('Enter shows the details of the selected item', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.press(key('details'));
		const screen = await session.waitFor(frameWith('Esc close', 'Custom routes — details', 'status       active: on the master and worker VMs, via their NIC on Port3'));
		expect(screen.at(-2)).toBe('Esc close');
	});

	test('re-lays out on every resize: 120x40, 80x24, 40x10, 100x30', async () => {
		const session = open(demoStore());
		await session.waitFor('5 Custom routes');
		session.resize(80, 24);
		let screen = await session.waitFor(text => showsAll('edgenet · device demo', '[5 Routes]', 'a add  e edit')(text) && !text.includes('1 Ports (6)') && text.split('\n').at(-2)!.includes('a add  e edit'));
		expect(screen[0]).toContain('edgenet · device demo');
		expect(screen.at(-2)).toContain('a add  e edit');
		session.resize(40, 10);
		screen = await session.waitFor(text => text.includes('terminal too small') && !text.includes('Routes'));
		// Wrapped at the terminal's 39 usable columns, never cut: the sizes are the point.
		expect(screen.slice(0, 2)).toEqual(['terminal too small: 40x10, need at', 'least 80x24']);
		session.resize(100, 30);
		screen = await session.waitFor(text => showsAll('[5 Routes]', '5 Custom routes (1)')(text) && !text.includes('too small'));
		expect(screen.join('\n')).toContain('5 Custom routes (1)');
		session.press(key('focus-ports'));
		screen = await session.waitFor(showsAll('[1 Ports]', 'Port6'));
		expect(screen.join('\n')).toContain('Port6');
	});

	test.each([
		{device: 'the demo device, in the pods pane', focus: 'focus-pods' as const, store: () => demoStore(), moved: '› svc   kube-system/kube-dns', position: undefined},
		{device: 'a generated device of 10,000 routes, in the routes pane', focus: undefined, store: () => largeStore(), moved: '2/10000', position: '2/10000'},
	])('a one-row move at 100x30 writes at most a tenth of the bytes of a full frame: $device', async ({focus, store, moved, position}) => {
		const session = open(store(), {columns: 100, rows: 30});
		await session.waitFor('5 Custom routes');
		// A full frame: every byte written for the first screen, before any key.
		const fullFrame = bytesOf(await quiet(session));
		if (focus !== undefined) {
			session.press(key(focus));
			await session.waitFor('› svc   default/kubernetes');
		}
		const before = (await quiet(session)).length;
		session.press(key('move-down'));
		await session.waitFor(moved);
		const move = (await quiet(session)).slice(before);
		// The selected row is marked as ever: `›` and inverse video in cyan across the pane's inside, padding
		// and border left out; the row it left has no inverse cell.
		const screen = session.screen();
		const selected = screen.findIndex(line => line.includes('║ › '));
		const rightBorder = screen[selected]!.lastIndexOf('║');
		expect(session.inverseCells(selected)).toEqual(Array.from({length: rightBorder - 3}, (_, index) => ({column: index + 2, colour: cyan})));
		expect(session.inverseCells(selected - 1)).toEqual([]);
		expect(bytesOf(move)).toBeGreaterThan(0);
		expect(bytesOf(move)).toBeLessThanOrEqual(fullFrame / 10);
		if (position !== undefined) {
			// The position stands at the end of the title line: the move sends its changed digits, not the title or padding.
			expect(move).toContain(position);
			expect(move).not.toContain('Custom routes');
		}
	});

	test.each<Record<string, string>>([{NO_COLOR: '1'}, {TERM: 'dumb'}])('with %o the byte stream holds no colour or style sequence', async env => {
		const session = open(demoStore(), {env});
		await session.waitFor('5 Custom routes');
		session.press(key('move-down'));
		await session.waitFor('› 192.168.20.0');
		await pause(200);
		expect(session.output().match(/\u001B\[[\d;]*m/g) ?? []).toEqual([]);
	});

	test('with NO_COLOR the focused pane shows in the characters: its double border and the only `›`; a focus key moves both', async () => {
		const session = open(demoStore(), {env: {NO_COLOR: '1'}});
		/** The titles of the panes drawn with a double border, read from the corner left of each title. */
		const doubleBordered = (screen: string[]) =>
			paneTitles.filter(title => {
				const row = screen.findIndex(line => line.includes(title));
				return row > 0 && screen[row - 1]![screen[row]!.indexOf(title) - 2] === '╔';
			});
		const marked = (screen: string[]) => screen.filter(line => line.includes('›'));
		let screen = await session.waitFor(frameWith('a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort', ...paneTitles));
		expect(doubleBordered(screen)).toEqual(['5 Custom routes (1)']);
		expect(marked(screen)).toHaveLength(1);
		expect(marked(screen)[0]).toMatch(/^║ › 192\.168\.20\.0 /);
		session.press(key('focus-pods'));
		screen = await session.waitFor(frameWith('t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  N/I/K/E sort', ...paneTitles));
		expect(doubleBordered(screen)).toEqual(['4 Pods & services (12)']);
		expect(marked(screen)).toHaveLength(1);
		expect(marked(screen)[0]).toMatch(/^║ › svc +default\/kubernetes /);
		// The routes pane keeps its selection, marked quietly.
		expect(screen.find(line => line.includes('192.168.20.0'))).toMatch(/^│ · 192\.168\.20\.0 /);
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

	test('--read-only offers no key that changes the store, and a key pressed all the same says why it does nothing', async () => {
		const dir = demoStore();
		const before = storeDigest(dir);
		const session = open(dir, {args: ['--read-only']});
		const footer = 't trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort';
		let screen = await session.waitFor(showsAll('READ-ONLY', footer));
		expect(screen.at(-2)).toBe(footer);
		session.press(key('route-add'));
		screen = await session.waitFor(frameWith(readOnlyReason));
		expect(screen.at(-2)).toBe(readOnlyReason);
		expect(screen.join('\n')).not.toContain('Add route');
		// Deleting and confirming: were read-only to let the key through, the route would be gone.
		session.press(key('route-delete'));
		session.press(key('confirm-yes'));
		await pause(300);
		expect(session.screen().join('\n')).not.toContain('Delete the route');
		expect(routes(dir).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24']);
		expect(storeDigest(dir)).toBe(before);
	});

	test('shows a route added from another process within a second', async () => {
		const dir = demoStore();
		const session = open(dir);
		await session.waitFor('5 Custom routes (1)');
		const added = runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.77.0.0/16', '--next-hop', '192.168.10.1', '--metric', '5', '--store', dir]);
		expect(added.status).toBe(0);
		const screen = await session.waitFor(showsAll('5 Custom routes (2)', '10.77.0.0', 'updated from another session'), 1000);
		// It sorts before the selected route, which stays selected: an edit or delete goes to the route picked.
		expect(screen.find(line => line.includes('› '))).toMatch(/› 192\.168\.20\.0 /);
		expect(screen.find(line => line.includes('10.77.0.0'))).toMatch(/^[│║] {3}10\.77\.0\.0 /);
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
		await session.waitFor('Delete the route for 192.168.20.0/24 on Port3?');
		session.press(key('confirm-yes'));
		await session.waitFor(`The store file ${file} is damaged`);
		expect(fs.readFileSync(file, 'utf8')).toBe('{"routes": [');
		fs.writeFileSync(file, good);
		const screen = await session.waitFor(text => showsAll('5 Custom routes (1)', '192.168.20.0     /24')(text) && !text.includes('store unreadable'));
		expect(screen.join('\n')).toContain('192.168.20.0     /24');
		// The refused delete is not kept to be done later: once the file is good again the route is still there.
		await pause(300);
		expect(routes(dir).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24']);
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
		let screen = (await session.waitFor(showsAll(`store unreadable, nothing is saved until it is valid again: The store file ${file} was removed. Nothing was read.`, '5 Custom routes (1)'))).join('\n');
		expect(screen).toContain('192.168.20.0     /24  192.168.10.1  Port3         100  active');
		await fillAddForm(session, '192.168.30.0/24', '192.168.10.1', '50');
		await session.waitFor('ready: 192.168.30.0/24 via 192.168.10.1 on Port3, metric 50');
		session.press(key('form-save'));
		expect((await session.waitFor(`The store file ${file} was removed. Nothing was saved.`)).join('\n')).not.toContain('Added 192.168.30.0/24');
		expect(fs.existsSync(file)).toBe(false);
		// Still running: the form closes on Esc, the routes are as they were, and the quit key ends it normally.
		session.press(key('form-cancel'));
		screen = (await session.waitFor(text => text.includes('5 Custom routes (1)') && !text.includes('Add route'))).join('\n');
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
		expect((await session.waitFor('5 Custom routes (1)'))[0]).toContain('device demo');
		fs.renameSync(databaseOf(other), databaseOf(dir));
		const screen = (await session.waitFor(showsAll('device generated-1', '5 Custom routes (3)', 'updated from another session'))).join('\n');
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
		const screen = (await session.waitFor(text => showsAll('5 Custom routes (1)', 'updated from another session')(text) && !text.includes('10.77.0.0'), 1500)).join('\n');
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
		session.press(key('form-next'));
		session.press(key('form-erase'));
		session.press(key('form-erase'));
		session.press(key('form-erase'));
		await type(session, '30');
		session.press(key('form-save'));
		// Before the second Enter overwrites it, the form shows what the other session saved.
		await session.waitFor(
			showsAll(
				'changed by another session — reloaded; review and save again',
				'changed by another session since this form was opened:',
				'was:    192.168.20.0/24 via 192.168.10.1 on Port3, metric 100',
				'theirs: 192.168.20.0/24 via 192.168.10.1 on Port3, metric 10',
				'yours:  192.168.20.0/24 via 192.168.10.1 on Port3, metric 30',
				'Enter saves yours over theirs; Esc keeps theirs',
			),
		);
		expect(routes(dir)[0]?.metric).toBe(10);
		// Saving again, having seen the change, goes through.
		session.press(key('form-save'));
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
		first.press(key('trace-run'));
		await first.waitFor('192.168.10.1', 8000);
		first.press(key('trace-close'));
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
		second.press(key('trace-close'));
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
		// Nothing comes later: the notice would be in the first frame that shows the panes.
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
		const screen = (await session.waitFor(showsAll('store holds 1 route that breaks the route rules', '5 Custom routes (1)'))).join('\n');
		expect(screen).toContain('not used: route 10.5.0.1/16 on Port3: destination: "10.5.0.1/16" has host bits set');
		expect(screen).toContain('5 Custom routes (1)');
		session.press(key('quit'));
		expect(await session.exited).toBe(0);
	});
});

describe('the form says one thing at a time, and only what is so', () => {
	test('the interface selector offers only the ports a route can go on, and says why the others are not', async () => {
		const session = open(demoStore(), {columns: 80, rows: 24});
		await session.waitFor('Custom routes');
		session.press(key('route-add'));
		await session.waitFor('Add route');
		session.press(key('form-previous'));
		await session.waitFor(showsAll('› Interface    ‹ Port3 ›', 'not offered: Port1, Port2 (no compute); Port4, Port5, Port6 (DHCP)'));
		// Port3 is the only port a route can go on: → stays on it. Moving on shows the field as → left it.
		session.press(keyBytes({key: 'rightArrow'}));
		session.press(key('form-next'));
		const moved = await session.waitFor(showsAll('  Interface    ‹ ', '› Destination'));
		expect(moved.join('\n')).toContain('  Interface    ‹ Port3 ›');
	});

	test('a value on its way to being right is incomplete while typed, judged when the field is left; Enter goes to the first bad field', async () => {
		const session = open(demoStore(), {columns: 80, rows: 24});
		await session.waitFor('Custom routes');
		session.press(key('route-add'));
		await session.waitFor('Add route');
		await type(session, '192.168.30.0/2');
		const typing = await session.waitFor(showsAll('192.168.30.0/2▏', 'incomplete: checked when you leave the field or press Enter'));
		expect(typing.join('\n')).not.toContain('host bits');
		session.press(key('form-next'));
		await session.waitFor(text => text.includes('destination:') && !text.includes('incomplete:'));
		session.press(key('form-next'));
		session.press(key('form-save'));
		await session.waitFor(showsAll('› Destination  192.168.30.0/2▏', 'not saved: destination:'));
	});
});

describe('text fields edit as a line editor does', () => {
	const ctrl = (letter: string) => String.fromCodePoint(letter.toUpperCase().codePointAt(0)! - 64);

	test('in the form: ← →, Home End, Ctrl-A Ctrl-E, Delete, Ctrl-W and Ctrl-U work at the cursor', async () => {
		const session = open(demoStore(), {columns: 80, rows: 24});
		await session.waitFor('Custom routes');
		session.press(key('route-add'));
		await session.waitFor('Add route');
		await type(session, '19.168.30.0/24');
		session.press(keyBytes({key: 'home'}));
		session.press(keyBytes({key: 'rightArrow'}));
		session.press(keyBytes({key: 'rightArrow'}));
		await type(session, '2');
		await session.waitFor('› Destination  192▏.168.30.0/24');
		session.press(ctrl('e'));
		session.press(keyBytes({key: 'leftArrow'}));
		session.press(keyBytes({key: 'leftArrow'}));
		session.press(keyBytes({key: 'leftArrow'}));
		session.press(keyBytes({key: 'delete'}));
		await session.waitFor('› Destination  192.168.30.0▏24');
		await type(session, '/');
		session.press(ctrl('a'));
		session.press(keyBytes({key: 'delete'}));
		await session.waitFor('› Destination  ▏92.168.30.0/24');
		session.press(keyBytes({key: 'end'}));
		await type(session, ' x');
		session.press(ctrl('w'));
		await session.waitFor('› Destination  92.168.30.0/24 ▏');
		session.press(ctrl('u'));
		await session.waitFor(text => text.includes('› Destination  ▏') && !text.includes('92.168'));
	});

	test('in the trace destination, and ← → still choose the source on the source field', async () => {
		const session = open(demoStore(), {columns: 80, rows: 24});
		await session.waitFor('Custom routes');
		session.press(key('route-trace'));
		await session.waitFor('Trace: where does traffic go?');
		await type(session, '192.168.20.7');
		session.press(keyBytes({key: 'home'}));
		session.press(keyBytes({key: 'delete'}));
		await session.waitFor('› destination  ▏92.168.20.7');
		session.press(key('trace-field'));
		session.press(keyBytes({key: 'rightArrow'}));
		await session.waitFor('› from         ‹ master ›');
	});
});

describe('nothing a person must read is cut, at 80x24', () => {
	const traceFooter = 'Enter trace  Tab switch field  Esc close';

	/** A dashboard at 80x24 with a trace of the destination run from the worker. */
	async function traced80x24(destination: string): Promise<TerminalSession> {
		const session = open(demoStore(), {columns: 80, rows: 24});
		await session.waitFor('Custom routes');
		session.press(key('route-trace'));
		await session.waitFor('Trace: where does traffic go?');
		await type(session, destination);
		session.press(key('trace-run'));
		return session;
	}

	test('the help scrolls with the movement keys to its last line, and says where it is', async () => {
		const session = open(demoStore(), {columns: 80, rows: 24});
		await session.waitFor('Custom routes');
		session.press(key('help'));
		const first = await session.waitFor(frameWith('↑/↓ scroll  Esc close', 'Keys — Custom routes'));
		expect(first.join('\n')).toMatch(/lines 1–\d+ of \d+ · ↓ PgDn for more/);
		expect(first.join('\n')).not.toContain('more lines');
		session.press(key('scroll-bottom'));
		const last = await session.waitFor(frameWith('↑/↓ scroll  Esc close', 'close this view'));
		expect(last.join('\n')).toMatch(/lines \d+–(\d+) of \1 · ↑ PgUp back/);
		session.press(key('scroll-top'));
		await session.waitFor(frameWith('↑/↓ scroll  Esc close', 'a            add a route'));
	});

	test("a route's details show its whole warning, broken under the value", async () => {
		const dir = demoStore();
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '172.27.0.64/28', '--next-hop', '192.168.10.9', '--metric', '9', '--store', dir]).status).toBe(0);
		const session = open(dir, {columns: 80, rows: 24});
		await session.waitFor('172.27.0.64');
		// By destination, 172.27.0.64/28 comes before the demo's 192.168.20.0/24.
		session.press(key('first'));
		session.press(key('details'));
		const screen = await session.waitFor(frameWith('Esc close', 'Custom routes — details'));
		const text = screen.map(line => line.replace(/^│ /, '').replace(/ *│$/, '').trim()).join(' ');
		expect(text).toContain("overlaps the pod CIDR 172.27.0.0/16: longer than Calico's /26 block, it takes the master VM's traffic to pods");
		expect(text).toContain('and 2 more on the worker VM away from Calico');
		expect(screen.join('\n')).not.toContain('…');
	});

	test("the trace breaks every line to the panel's width, the losers' reasons whole", async () => {
		const session = await traced80x24('192.168.20.7');
		const screen = await session.waitFor(frameWith(traceFooter, '  lost:   default 0.0.0.0/0'));
		const text = screen.map(line => line.replace(/^│ /, '').replace(/ *│$/, '').trim()).join(' ');
		expect(text).toContain("shorter prefix /0 than the winner's /24 (longest prefix wins)");
		expect(screen.join('\n')).not.toContain('…');
	});

	test('a trace whose destination changed says its answer is stale until traced again', async () => {
		const session = await traced80x24('192.168.20.7');
		await session.waitFor(frameWith(traceFooter, '192.168.20.7 from worker:'));
		session.press('1');
		const stale = await session.waitFor(frameWith(traceFooter, 'changed since traced: press Enter to trace again'));
		expect(stale.join('\n')).toContain('192.168.20.7 from worker:');
		session.press(key('trace-run'));
		const fresh = await session.waitFor(frameWith(traceFooter, '192.168.20.71 from worker:'));
		expect(fresh.join('\n')).not.toContain('changed since traced');
	});
});

describe('trace from what is selected', () => {
	test('t on a service traces to its DNS name at once; t on a pod starts from the pod', async () => {
		const session = open(demoStore(), {columns: 120, rows: 40});
		await session.waitFor('5 Custom routes');
		session.press('4');
		// The pods pane lists the services first: the fourth is webapp/web.
		for (let index = 0; index < 3; index++) {
			session.press(key('move-down'));
		}
		await session.waitFor(screen => /4 Pods & services \(12\) +4\/12/.test(screen));
		session.press(key('route-trace'));
		const toService = await session.waitFor(showsAll('destination  web.webapp.svc.cluster.local', 'web.webapp.svc.cluster.local (172.28.0.3) from worker:', 'kube-proxy'));
		expect(toService.join('\n')).toContain('service webapp/web');
		session.press(key('trace-close'));
		// Esc and a letter sent together read as Meta and the letter: the Esc goes alone, as from a person,
		// and the next key only once the trace has closed (the routes pane's title shows behind it too).
		await session.waitFor(screen => screen.includes('5 Custom routes') && !screen.includes('Trace: where does traffic go?'));
		session.press(key('last'));
		await session.waitFor(screen => /4 Pods & services \(12\) +12\/12/.test(screen));
		session.press(key('route-trace'));
		await session.waitFor(showsAll('Trace: where does traffic go?', 'from         ‹ webapp/db-0 ›'));
	});

	test('t on a VM starts from it; on the source field a typed name finds a source among all, ← → go through the matches', async () => {
		const session = open(demoStore(), {columns: 120, rows: 40});
		await session.waitFor('5 Custom routes');
		session.press('3');
		// The first row is the master's (a trace starts from the worker unless told otherwise).
		session.press(key('route-trace'));
		await session.waitFor('from         ‹ master ›');
		session.press(key('trace-field'));
		await session.waitFor('type to find one of 10 sources');
		await type(session, 'web-');
		await session.waitFor(showsAll('› from         ‹ webapp/web-7f9c6d8b5-2kq8x ›', 'find: web-▏ 2 matches, ←/→ among them'));
		session.press(keyBytes({key: 'rightArrow'}));
		await session.waitFor('‹ webapp/web-7f9c6d8b5-p4nzs ›');
		session.press(keyBytes({key: 'rightArrow'}));
		await session.waitFor('‹ webapp/web-7f9c6d8b5-2kq8x ›');
	});
});

describe('u undoes the last change made here, through the store', () => {
	test('an add, then an edit, are taken back one at a time and the store holds what was there before', async () => {
		const dir = demoStore();
		const session = open(dir);
		await session.waitFor('5 Custom routes (1)');
		session.press(key('route-undo'));
		await session.waitFor('nothing changed here yet to undo');
		await fillAddForm(session, '192.168.30.0/24', '192.168.10.1', '50');
		session.press(key('form-save'));
		await session.waitFor('Added 192.168.30.0/24 on Port3 via 192.168.10.1, metric 50.');
		// The added route is selected: the edit goes to the first.
		session.press(key('first'));
		await session.waitFor('› 192.168.20.0 ');
		session.press(key('route-edit'));
		await session.waitFor('Edit route 192.168.20.0/24 on Port3');
		session.press(key('form-next'));
		session.press(key('cut-to-start'));
		await type(session, '7');
		session.press(key('form-save'));
		await session.waitFor('Updated 192.168.20.0/24 on Port3: via 192.168.10.1, metric 7.');
		session.press(key('route-undo'));
		await session.waitFor('Undone: Updated 192.168.20.0/24 on Port3: via 192.168.10.1, metric 100.');
		expect(routes(dir).map(route => [route.destinationPrefix, route.metric])).toEqual([['192.168.20.0/24', 100], ['192.168.30.0/24', 50]]);
		session.press(key('route-undo'));
		await session.waitFor('Undone: Removed 192.168.30.0/24 on Port3.');
		expect(routes(dir).map(route => route.destinationPrefix)).toEqual(['192.168.20.0/24']);
		session.press(key('route-undo'));
		await session.waitFor('nothing changed here yet to undo');
	});

	test('an undo of a route another session changed since is refused, and their change stays', async () => {
		const dir = demoStore();
		const session = open(dir);
		await session.waitFor('5 Custom routes (1)');
		await fillAddForm(session, '192.168.30.0/24', '192.168.10.1', '50');
		session.press(key('form-save'));
		await session.waitFor('Added 192.168.30.0/24 on Port3 via 192.168.10.1, metric 50.');
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '192.168.30.0/24', '--metric', '60', '--store', dir]).status).toBe(0);
		await session.waitFor('updated from another session');
		session.press(key('route-undo'));
		await session.waitFor('changed by another session — reloaded; review and save again');
		expect(routes(dir).find(route => route.destinationPrefix === '192.168.30.0/24')?.metric).toBe(60);
	});
});

describe.skipIf(!isRoot)('a store this user may only read (a read-only bind mount: needs root)', () => {
	test('opens read-only as --read-only does: change keys leave the footer, and pressing one says why', async () => {
		const dir = demoStore();
		mountReadOnly(dir);
		const session = open(dir);
		const screen = await session.waitFor(showsAll('READ-ONLY', '5 Custom routes (1)'));
		expect(screen.at(-2)).not.toMatch(/a add|e edit|d delete/);
		session.press(key('route-add'));
		await session.waitFor('read-only: this store may only be read here (a read-only file system, or a store of another user)');
		expect(session.output()).not.toContain('Add route');
	});
});
