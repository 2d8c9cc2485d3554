import {render} from 'ink-testing-library';
import {stripVTControlCharacters} from 'node:util';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {applyRouteEdit} from '../../source/domain/routes.js';
import {App} from '../../source/ui/app.js';
import type {AppProps, LiveOperations} from '../../source/ui/contract.js';
import {bindingOf, type CommandId, readOnlyReason} from '../../source/ui/keymap.js';
import {keyBytes} from '../e2e/harness.js';

// Counts how often the routes pane's rows are worked out.
const routeBuilds = vi.hoisted(() => ({count: 0}));
vi.mock('../../source/domain/route-status.js', async original => {
	const actual = await original<typeof import('../../source/domain/route-status.js')>();
	return {
		...actual,
		routeDescriber(...args: Parameters<typeof actual.routeDescriber>) {
			routeBuilds.count++;
			return actual.routeDescriber(...args);
		},
	};
});

const demo = createDemoDevice();
const mounted: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const instance of mounted.splice(0)) {
		instance.unmount();
	}
});

const tick = () => new Promise(resolve => setTimeout(resolve, 20));

/** The demo device with three more routes: by destination 10.1.0.0/16 (metric 30), 10.2.0.0/16 (10), 10.10.0.0/16 (20), then the demo's 192.168.20.0/24 (100). */
const routed = {...demo, routes: [...demo.routes, ...(['10.1.0.0/16', '10.2.0.0/16', '10.10.0.0/16'] as const).map((destinationPrefix, index) => ({interface: 'Port3', destinationPrefix, nextHop: '192.168.10.1', metric: [30, 10, 20][index]!}))]};

/** The dashboard in process, at the testing library's 100 columns; `press` types a command's key from the keymap. */
function open(props: Partial<AppProps> = {}) {
	const saved: string[] = [];
	const onChange: AppProps['onChange'] = async change => {
		const result = change(demo);
		saved.push(result.message);
		return result.ok ? {ok: true, message: result.message, device: applyRouteEdit(demo, result.edit), revision: 2} : {ok: false, message: result.message};
	};
	const instance = render(<App initial={{device: demo, revision: 1}} storeLabel="test.db" readOnly={false} onChange={onChange} {...props} />);
	mounted.push(instance);
	const lines = () => stripVTControlCharacters(instance.lastFrame() ?? '').split('\n');
	return {
		saved,
		lines,
		/** The last line of the frame. */
		footer: () => lines().at(-1)?.trimEnd(),
		/** The title line of the routes pane, and its selected row. */
		routes: () => {
			const frame = lines();
			const title = frame.findIndex(line => line.includes('5 Custom routes'));
			return {title: frame[title]?.replace(/^[│║] /, '').replace(/ *[│║]$/, ''), selected: frame.slice(title).find(line => line.includes('›'))?.replace(/^[│║] › /, '').replace(/ *[│║]$/, '')};
		},
		async press(command: CommandId) {
			instance.stdin.write(keyBytes(bindingOf(command).keys[0]!));
			await tick();
		},
		async type(text: string) {
			for (const character of text) {
				instance.stdin.write(character);
				await tick();
			}
		},
	};
}

describe('the dashboard in process', () => {
	test('the footer lists only the keys of the mode it is in', async () => {
		const app = open();
		await tick();
		// At 100 columns there is no room for the sort keys, among the least important hints: they go whole.
		expect(app.footer()).toBe('a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit');
		await app.press('route-add');
		expect(app.lines().join('\n')).toContain('Add route');
		expect(app.footer()).toBe('Enter save  Tab next field  Shift-Tab previous  Esc cancel');
		await app.press('form-cancel');
		expect(app.footer()).toBe('cancelled: nothing changed');
		await app.press('route-trace');
		expect(app.footer()).toBe('Enter trace  Tab switch field  Esc close');
		await app.press('trace-field');
		expect(app.footer()).toBe('Enter trace  Tab switch field  ←/→ source  Esc close');
		await app.press('trace-close');
		await app.press('help');
		// The help has more lines than the terminal: it scrolls, and says so.
		expect(app.footer()).toBe('↑/↓ scroll  Esc close');
		await app.press('overlay-close');
		await app.press('details');
		expect(app.footer()).toBe('Esc close');
		await app.press('overlay-close');
		await app.press('filter');
		expect(app.footer()).toBe('type to filter  Enter keep  Esc clear');
		await app.press('filter-cancel');
		await app.press('route-delete');
		expect(app.footer()).toBe('Delete the route for 192.168.20.0/24 on Port3?  y yes  any other key no');
	});

	test('the form saves through onChange, and only a valid route', async () => {
		const app = open();
		await tick();
		await app.press('route-add');
		await app.type('192.168.30.0/24');
		await app.press('form-next');
		await app.type('192.168.11.1');
		await app.press('form-save');
		expect(app.saved).toEqual([]);
		expect(app.lines().join('\n')).toContain("next hop: 192.168.11.1 is not on Port3's subnet");
		await app.press('form-erase');
		await app.press('form-erase');
		await app.press('form-erase');
		await app.type('0.1');
		await app.press('form-next');
		await app.type('50');
		await app.press('form-save');
		await tick();
		expect(app.saved).toEqual(['Added 192.168.30.0/24 on Port3 via 192.168.10.1, metric 50.']);
		expect(app.footer()).toBe('Added 192.168.30.0/24 on Port3 via 192.168.10.1, metric 50.');
		expect(app.lines().join('\n')).toContain('5 Custom routes (2)');
	});

	test('read-only: a key that would change the store says why nothing happens', async () => {
		const app = open({readOnly: true});
		await tick();
		expect(app.footer()).toBe('t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort');
		for (const command of ['route-add', 'route-edit', 'route-delete'] as const) {
			await app.press(command);
			expect(app.footer()).toBe(readOnlyReason);
		}
		expect(app.saved).toEqual([]);
	});

	test('a route another session adds before the selected one in the sort leaves the same route selected', async () => {
		let listener: Parameters<NonNullable<AppProps['subscribe']>>[0] = () => {};
		const app = open({initial: {device: routed, revision: 1}, subscribe: next => {
			listener = next;
			return () => {};
		}});
		await tick();
		await app.press('last');
		expect(app.routes().selected).toMatch(/^192\.168\.20\.0 +\/24/);
		const added = {interface: 'Port3', destinationPrefix: '10.0.0.0/16', nextHop: '192.168.10.1', metric: 5};
		listener({ok: true, snapshot: {revision: 5, device: {...routed, routes: [...routed.routes, added]}}});
		await tick();
		expect(app.routes()).toEqual({title: '5 Custom routes (5)  sorted by destination ↑', selected: expect.stringMatching(/^192\.168\.20\.0 +\/24/)});
		expect(app.footer()).toBe('updated from another session');
	});

	test('a route added while the filter hides it is saved, and the notice says the filter hides it; the selection stays', async () => {
		const app = open();
		await tick();
		await app.press('filter');
		await app.type('192.168.20');
		await app.press('filter-keep');
		await app.press('route-add');
		await app.type('10.1.0.0/16');
		await app.press('form-next');
		await app.type('192.168.10.1');
		await app.press('form-next');
		await app.type('50');
		await app.press('form-save');
		expect(app.footer()).toBe('Added 10.1.0.0/16 on Port3 via 192.168.10.1, metric 50. The filter hides it.');
		expect(app.routes().selected).toMatch(/^192\.168\.20\.0 +\/24/);
	});

	test('with no route the routes pane says how to add one, or, read-only, that none can be added here', async () => {
		const empty = {device: {...demo, routes: []}, revision: 1};
		const app = open({initial: empty});
		await tick();
		expect(app.lines().join('\n')).toContain('no custom routes yet: press a to add one');
		expect(app.footer()).toBe('a add  t trace  Tab pane  / filter  ? help  q quit  D/L/H/P/M/S sort');
		const readOnly = open({initial: empty, readOnly: true});
		await tick();
		expect(readOnly.lines().join('\n')).toContain('no custom routes (read-only: none can be added here)');
	});

	test('under --live, typing in the form does not rebuild the routes pane', async () => {
		const live: LiveOperations = {
			label: 'worker',
			check: () => ({labels: new Map()}),
			plan: () => ({ok: true, changes: []}),
			apply: () => ({ok: true, message: ''}),
		};
		const app = open({live});
		await tick();
		expect(app.lines().join('\n')).toContain('KERNEL');
		const before = routeBuilds.count;
		// The count watches the routes pane's builder: it must have seen the first frame's build.
		expect(before).toBeGreaterThan(0);
		await app.press('route-add');
		await app.type('10.1.0.0/16');
		await app.press('form-next');
		await app.type('192.168.10.1');
		await app.press('form-cancel');
		expect(app.lines().join('\n')).toContain('KERNEL');
		expect(routeBuilds.count).toBe(before);
	});

	test('the filter says how many rows match of how many; ↓ goes into the results; Esc leaves the same route selected', async () => {
		const app = open({initial: {device: routed, revision: 1}});
		await tick();
		expect(app.routes().title).toBe('5 Custom routes (4)  sorted by destination ↑');
		await app.press('filter');
		await app.type('10.1');
		// The next hop 192.168.10.1 holds `10.1` too: only the destinations count.
		expect(app.routes()).toEqual({title: '5 Custom routes  /10.1▏  2 of 4 match  sorted by destination ↑', selected: expect.stringMatching(/^10\.1\.0\.0 +\/16/)});
		await app.press('filter-down');
		expect(app.routes()).toEqual({title: '5 Custom routes  filter: 10.1  2 of 4 match  sorted by destination ↑', selected: expect.stringMatching(/^10\.10\.0\.0 +\/16/)});
		expect(app.footer()).toMatch(/^a add {2}e edit/);
		await app.press('clear-filter');
		expect(app.routes()).toEqual({title: '5 Custom routes (4)  sorted by destination ↑', selected: expect.stringMatching(/^10\.10\.0\.0 +\/16/)});
	});

	test('a sort key sorts the pane and says so in the title, the selected route staying selected; again reverses; the sort is remembered', async () => {
		const remembered: unknown[] = [];
		const app = open({initial: {device: routed, revision: 1}, onPreferencesChange: preferences => remembered.push(preferences.sorts)});
		await tick();
		await app.press('last');
		expect(app.routes().selected).toMatch(/^192\.168\.20\.0 +\/24/);
		await app.press('sort-metric');
		const metrics = () => app.lines().flatMap(line => /^[│║] [ ›] (10|192)\./.test(line) ? [line.match(/Port3 +(\d+)/)?.[1]] : []);
		expect(app.routes()).toEqual({title: '5 Custom routes (4)  sorted by metric ↑', selected: expect.stringMatching(/^192\.168\.20\.0 +\/24/)});
		expect(metrics()).toEqual(['10', '20', '30', '100']);
		await app.press('sort-metric');
		expect(app.routes()).toEqual({title: '5 Custom routes (4)  sorted by metric ↓', selected: expect.stringMatching(/^192\.168\.20\.0 +\/24/)});
		expect(metrics()).toEqual(['100', '30', '20', '10']);
		expect(remembered.at(-1)).toEqual({routes: {column: 'metric', descending: true}});
	});

	test('a remembered sort is the one the dashboard opens with', async () => {
		const app = open({initial: {device: routed, revision: 1}, preferences: {sorts: {routes: {column: 'next-hop', descending: true}, pods: {column: 'no such column', descending: false}}}});
		await tick();
		expect(app.routes().title).toBe('5 Custom routes (4)  sorted by next hop ↓');
	});
});
