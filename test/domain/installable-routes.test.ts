import {describe, expect, test} from 'vitest';
import {type Device, nicOn, type VmName, vmNames} from '../../source/domain/device.js';
import {edgenetRouteProtocol, toIpRouteScript} from '../../source/domain/export.js';
import {wantedRoutes} from '../../source/domain/live.js';
import {routeStatus} from '../../source/domain/route-status.js';
import {demoWithRoutes} from '../support/devices.js';

/** The routes `export ip-route` writes for a VM, read back as (prefix, next hop, device, metric). */
function exported(device: Device, vm: VmName) {
	const script = toIpRouteScript(device, vm);
	if (!script.ok) {
		throw new Error(script.error);
	}
	return script.lines.filter(line => line.startsWith('ip route replace ')).map(line => {
		const match = new RegExp(`^ip route replace (\\S+) via (\\S+) dev (\\S+) metric (\\d+) proto ${edgenetRouteProtocol}$`).exec(line);
		if (!match) {
			throw new Error(`not an ip route line: ${line}`);
		}
		return {destinationPrefix: match[1], nextHop: match[2], dev: match[3], metric: Number(match[4])};
	});
}

/** The routes `live` wants on a VM. */
function live(device: Device, vm: VmName) {
	const wanted = wantedRoutes(device, vm);
	if (!wanted.ok) {
		throw new Error(wanted.error);
	}
	return wanted.routes;
}

// Two active routes on the compute port, and a route stored on Port2, which has no compute and so no NIC on the VMs:
// the store's audit refuses such a route, and its status is pending.
const device: Device = (() => {
	const active = demoWithRoutes([
		['192.168.30.0/24', '192.168.10.1', '100'],
		['10.50.0.0/16', '192.168.10.254', '20'],
	]);
	return {...active, routes: [...active.routes, {interface: 'Port2', destinationPrefix: '172.16.9.0/24', nextHop: '10.128.44.1', metric: 5}]};
})();

describe('export ip-route and live install the same routes', () => {
	test('the device has active routes and a pending one', () => {
		expect(device.routes.map(route => routeStatus(device, route).state)).toEqual(['active', 'active', 'active', 'pending']);
	});

	for (const vm of vmNames) {
		test(`on the ${vm} VM: the active routes, through its external NIC, and not the pending one`, () => {
			const nic = nicOn(device.vms.find(candidate => candidate.name === vm)!, 'external')!.name;
			const expected = device.routes
				.filter(route => route.interface === 'Port3')
				.map(route => ({destinationPrefix: route.destinationPrefix, nextHop: route.nextHop, dev: nic, metric: route.metric}));
			expect(expected).toHaveLength(3);
			expect(exported(device, vm)).toEqual(expected);
			expect(live(device, vm)).toEqual(expected);
		});
	}

	test('with compute on no port, every route is pending and neither installs any', () => {
		const noCompute: Device = {...device, ports: device.ports.map(port => ({...port, computeEnabled: false}))};
		expect(noCompute.routes.every(route => routeStatus(noCompute, route).state === 'pending')).toBe(true);
		for (const vm of vmNames) {
			expect(exported(noCompute, vm)).toEqual([]);
			expect(live(noCompute, vm)).toEqual([]);
		}
	});
});
