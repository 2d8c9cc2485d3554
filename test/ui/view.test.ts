import {describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import type {Device, Route} from '../../source/domain/device.js';
import {applyFilter, type FilteredPane} from '../../source/ui/view.js';
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
