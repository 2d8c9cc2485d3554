import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {generateDevice} from '../../source/domain/generate.js';
import {describeRoutes} from '../../source/domain/route-status.js';
import {initialUiState, type UiState} from '../../source/ui/state.js';
import type {Device, Pod, Route} from '../../source/domain/device.js';
import {applyFilter, createViewDeriver, type FilteredPane, sortOrder} from '../../source/ui/view.js';
import {compareSortKeys, type PaneSort} from '../../source/view-models/pane-sorts.js';
import {type PaneRows, toPodsPane, toPortsPane, toRoutesPane, toVmsPane} from '../../source/view-models/panes.js';

const demo = createDemoDevice();
const route = (destinationPrefix: string, metric: number, nextHop = '192.168.10.1'): Route => ({interface: 'Port3', destinationPrefix, nextHop, metric});
/** Routes whose next hop holds `10.1` (192.168.10.1), as the demo's gateway does; only the first two have it in their destination. */
const withRoutes = (routes: readonly Route[]): Device => ({...demo, routes: [...demo.routes, ...routes]});
const routesDevice = withRoutes([route('10.1.0.0/16', 50), route('10.10.0.0/16', 20), route('10.2.0.0/16', 30), route('10.1.0.0/24', 40), route('172.16.0.0/12', 10)]);

/** The cells of a column in the rows shown. */
const column = (pane: FilteredPane, heading: string) => Array.from({length: pane.shownCount}, (_, index) => pane.shownRow(index)[pane.columns.findIndex(candidate => candidate.heading === heading)]);
/** The routes shown, as `address/length`. */
const destinations = (pane: FilteredPane) => Array.from({length: pane.shownCount}, (_, index) => pane.shownRow(index).slice(0, 2).join(''));

/** The pane, counting how many rows are built. */
function counting(pane: PaneRows): {pane: PaneRows; built: () => number} {
	let built = 0;
	return {
		pane: {
			...pane,
			row(index) {
				built++;
				return pane.row(index);
			},
		},
		built: () => built,
	};
}

describe('the filter matches the columns a person means', () => {
	test('routes: the destination, however the row shows it, and the interface; never the next hop', () => {
		const pane = toRoutesPane(routesDevice);
		// Every route's next hop is 192.168.10.1: matching any cell kept all six.
		expect(destinations(applyFilter(pane, '10.1'))).toEqual(['10.1.0.0/16', '10.10.0.0/16', '10.1.0.0/24']);
		// The row shows the address and the length in two cells; the filter reads the whole prefix.
		expect(destinations(applyFilter(pane, '10.1.0.0/16'))).toEqual(['10.1.0.0/16']);
		expect(applyFilter(pane, 'port3').shownCount).toBe(6);
		expect(applyFilter(pane, '192.168.10.1').shownCount).toBe(0);
	});

	test('pods and services: names, addresses and DNS names; not labels or nodes', () => {
		const pane = toPodsPane(demo);
		expect(column(applyFilter(pane, 'web.webapp.svc'), 'NAME')).toEqual(['webapp/web']);
		expect(column(applyFilter(pane, 'webapp/'), 'NAME')).toEqual(['webapp/web', 'webapp/db', 'webapp/web-7f9c6d8b5-2kq8x', 'webapp/web-7f9c6d8b5-p4nzs', 'webapp/db-0']);
		const web = demo.services.find(service => service.name === 'web')!;
		expect(column(applyFilter(pane, web.externalIp!), 'NAME')).toEqual(['webapp/web']);
		expect(column(applyFilter(pane, '172.28.0.10'), 'NAME')).toEqual(['kube-system/kube-dns']);
		const db = demo.pods.find(pod => pod.name === 'db-0')!;
		expect(column(applyFilter(pane, db.ip), 'NAME')).toEqual(['webapp/db-0']);
		// Labels and the node a pod runs on are in the rows, but not what a person filters by.
		expect(applyFilter(pane, 'frontend').shownCount).toBe(0);
		expect(applyFilter(pane, 'worker').shownCount).toBe(0);
	});

	test('ports: name, address and what the port connects to; VMs: VM, NIC and address', () => {
		const ports = toPortsPane(demo);
		expect(column(applyFilter(ports, 'cameras'), 'PORT')).toEqual(['Port3']);
		expect(column(applyFilter(ports, '10.128.44.20'), 'PORT')).toEqual(['Port2']);
		// DHCP is the IP configuration of three ports, and no name, address or connection.
		expect(applyFilter(ports, 'dhcp').shownCount).toBe(0);
		const vms = toVmsPane(demo);
		expect(column(applyFilter(vms, 'eth1'), 'VM')).toEqual(['master', 'worker']);
		expect(applyFilter(vms, 'vSwitch').shownCount).toBe(0);
	});

	test('a column is matched as it is shown, ignoring case: capitals, and characters shown as placeholders, match what is on screen', () => {
		const base = demo.pods[0]!;
		const pods: Pod[] = [
			{...base, namespace: 'Edge', name: 'Cam-Reader-1', ip: '10.244.9.1'},
			{...base, namespace: 'edge', name: 'bad\u001B[2Jname', ip: '10.244.9.2'},
			{...base, namespace: 'edge', name: 'plain', ip: '10.244.9.3'},
		];
		const pane = toPodsPane({...demo, services: [], pods});
		expect(column(applyFilter(pane, 'edge/cam-r'), 'NAME')).toEqual(['Edge/Cam-Reader-1']);
		expect(column(applyFilter(pane, 'CAM-READER'), 'NAME')).toEqual(['Edge/Cam-Reader-1']);
		// The escape shows as ␛: that is what matches, and the raw character does not.
		expect(column(applyFilter(pane, 'bad␛[2j'), 'NAME')).toEqual(['edge/bad␛[2Jname']);
		expect(applyFilter(pane, '\u001B').shownCount).toBe(0);
		// A filter matches within one column, never across the end of one and the start of the next.
		expect(applyFilter(pane, 'plain10.244').shownCount).toBe(0);
		expect(column(applyFilter(pane, '10.244.9.3'), 'NAME')).toEqual(['edge/plain']);
	});

	test('filtering 10,000 routes builds no row; only the rows drawn are built', () => {
		const many = withRoutes(Array.from({length: 10_000}, (_, index) => route(`10.${index >> 8}.${index & 255}.0/24`, 100)));
		const {pane, built} = counting(toRoutesPane(many));
		const filtered = applyFilter(pane, '10.39.');
		// 10.39.0.0 to 10.39.15.0, and 10.10.39.0.
		expect(filtered.shownCount).toBe(17);
		expect(built()).toBe(0);
		expect(filtered.shownRow(0).slice(0, 2)).toEqual(['10.10.39.0', '/24']);
		expect(built()).toBe(1);
	});
});

describe('sorting', () => {
	const byMetric: PaneSort = {column: 'metric', descending: false};

	test('routes by destination go by address, then prefix length, numerically', () => {
		const pane = applyFilter(toRoutesPane(routesDevice), '', {column: 'destination', descending: false});
		expect(destinations(pane)).toEqual(['10.1.0.0/16', '10.1.0.0/24', '10.2.0.0/16', '10.10.0.0/16', '172.16.0.0/12', '192.168.20.0/24']);
		expect(pane.sortLabel).toBe('sorted by destination ↑');
	});

	test('a sort and its reverse, by metric and by prefix length', () => {
		const pane = toRoutesPane(routesDevice);
		expect(column(applyFilter(pane, '', byMetric), 'METRIC')).toEqual(['10', '20', '30', '40', '50', '100']);
		const reversed = applyFilter(pane, '', {column: 'metric', descending: true});
		expect(column(reversed, 'METRIC')).toEqual(['100', '50', '40', '30', '20', '10']);
		expect(reversed.sortLabel).toBe('sorted by metric ↓');
		expect(destinations(applyFilter(pane, '', {column: 'prefix-length', descending: false}))).toEqual(['172.16.0.0/12', '10.1.0.0/16', '10.2.0.0/16', '10.10.0.0/16', '10.1.0.0/24', '192.168.20.0/24']);
	});

	test('a filter keeps the sort order, and each shown row knows where it is in the pane and where it goes when the filter is cleared', () => {
		const pane = toRoutesPane(routesDevice);
		const filtered = applyFilter(pane, '10.1', byMetric);
		expect(column(filtered, 'METRIC')).toEqual(['20', '40', '50']);
		// 10.1.0.0/24 (metric 40) is route 4 of the device's order, second of those shown, fourth by metric.
		expect(filtered.sourceOf(1)).toBe(4);
		expect(filtered.shownIndexOf(4)).toBe(1);
		expect(filtered.unfilteredIndexOf(1)).toBe(3);
		expect(filtered.shownIndexOf(0)).toBeUndefined();
	});

	test('names sort with their numbers in numeric order, addresses numerically, services before pods by kind', () => {
		const pods: Pod[] = [10, 9, 100].map(number => ({namespace: 'ns', name: `web-${number}`, node: 'worker', labels: {}, ip: `172.27.0.${number}`}));
		const pane = toPodsPane({...demo, services: [], pods});
		expect(column(applyFilter(pane, '', {column: 'name', descending: false}), 'NAME')).toEqual(['ns/web-9', 'ns/web-10', 'ns/web-100']);
		expect(column(applyFilter(pane, '', {column: 'address', descending: true}), 'IP')).toEqual(['172.27.0.100', '172.27.0.10', '172.27.0.9']);
		const kinds = column(applyFilter(toPodsPane(demo), '', {column: 'kind', descending: true}), 'KIND');
		expect(kinds.indexOf('svc')).toBe(kinds.lastIndexOf('pod') + 1);
	});

	test('sorting 10,000 routes and 20,000 pods builds no row; the keys come from the device', () => {
		const routes = Array.from({length: 10_000}, (_, index) => route(`10.${index >> 8}.${index & 255}.0/24`, 10_000 - index));
		const {pane: routesPane, built: routesBuilt} = counting(toRoutesPane(withRoutes(routes)));
		const order = sortOrder(routesPane, byMetric);
		expect(routesBuilt()).toBe(0);
		expect(order?.rowAt[0]).toBe(10_000);
		const pods: Pod[] = Array.from({length: 20_000}, (_, index) => ({namespace: 'ns', name: `app-${index}`, node: 'worker', labels: {}, ip: `172.27.${index >> 8}.${index & 255}`}));
		const {pane: podsPane, built: podsBuilt} = counting(toPodsPane({...demo, services: [], pods}));
		const byName = applyFilter(podsPane, '', {column: 'name', descending: true});
		expect(podsBuilt()).toBe(0);
		expect(byName.sourceOf(0)).toBe(19_999);
		expect(byName.shownRow(0)[1]).toBe('ns/app-19999');
	});

	test('any keys sort as a stable sort by comparison would order them, ties in the device order', () => {
		// Whole numbers alone (few values, so many ties; or large ones), any numbers, or numbers and text mixed.
		const keyLists = fc.oneof(
			fc.array(fc.integer({min: 0, max: 40}), {maxLength: 300}),
			fc.array(fc.integer({min: 0, max: 2 ** 40}), {maxLength: 300}),
			fc.array(fc.oneof(fc.integer({min: -5, max: 5}), fc.double({noNaN: true, noDefaultInfinity: true})), {maxLength: 300}),
			fc.array(fc.oneof(fc.integer({min: 0, max: 40}), fc.constantFrom('<pending>', '-', 'host.example')), {maxLength: 300}),
		);
		fc.assert(
			fc.property(keyLists, fc.boolean(), (keys: Array<number | string>, descending) => {
				const pane = {...toRoutesPane(routesDevice), count: keys.length, sortKeys: {metric: (index: number) => keys[index]!}};
				const stable = keys.map((_, index) => index).sort((a, b) => compareSortKeys(keys[a]!, keys[b]!) || a - b);
				expect(Array.from(sortOrder(pane, {column: 'metric', descending})!.rowAt)).toEqual(descending ? stable.reverse() : stable);
			}),
		);
	});

	test('no sort, or a column the pane has not, keeps the device order', () => {
		const pane = toRoutesPane(routesDevice);
		expect(sortOrder(pane, undefined)).toBeUndefined();
		expect(sortOrder(pane, {column: 'kind', descending: false})).toBeUndefined();
		expect(applyFilter(pane, '').sortLabel).toBeUndefined();
	});
});

describe('the view of a dashboard', () => {
	const generated = generateDevice({routes: 300, pods: 2000, services: 200, seed: 3});
	if (!generated.ok) {
		throw new Error(generated.error);
	}
	const device = generated.device;
	const shown = (pane: FilteredPane) => Array.from({length: pane.shownCount}, (_, index) => pane.sourceOf(index));

	test('a filter typed on, or erased, or typed over, shows the rows a filter typed at once shows, in every sort', () => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.constantFrom('w', 'e', 'b', '1', '0', '.', '/', '-', 'a', '7', 'W', 'E'), fc.constant('⌫')), {maxLength: 12}),
				fc.constantFrom<PaneSort | undefined>(undefined, {column: 'name', descending: false}, {column: 'address', descending: true}),
				(keys, sort) => {
					const derive = createViewDeriver();
					let state: UiState = {...initialUiState, focus: 'pods', sorts: {...initialUiState.sorts, pods: sort}, filtering: true};
					for (const key of keys) {
						const filter = key === '⌫' ? state.filters.pods.slice(0, -1) : state.filters.pods + key;
						state = {...state, filters: {...state.filters, pods: filter}};
						const view = derive(device, state, undefined);
						expect(shown(view.focused)).toEqual(shown(applyFilter(toPodsPane(device), filter, sort)));
					}
				},
			),
			{numRuns: 60},
		);
	});

	test('the routes pane describes each route, as it is asked for, as describing them all at once does', () => {
		const pane = toRoutesPane(device);
		const all = describeRoutes(device);
		// Asked for out of order, as a sort and a scroll ask.
		for (const index of [299, 0, 150, ...all.keys()]) {
			expect(pane.route?.(index)).toEqual(all[index]);
		}
		expect(pane.route?.(all.length)).toBeUndefined();
	});

	test('a sort reversed, and sorted back, keeps its rows in the order a sort worked out afresh gives', () => {
		const pane = toPodsPane(device);
		const fresh = (sort: PaneSort) => Array.from(sortOrder(toPodsPane(device), sort)!.rowAt);
		for (const sort of [{column: 'name', descending: false}, {column: 'name', descending: true}, {column: 'address', descending: true}, {column: 'name', descending: false}] as const) {
			expect(Array.from(sortOrder(pane, sort)!.rowAt)).toEqual(fresh(sort));
		}
	});
});
