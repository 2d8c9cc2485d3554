import {describe, expect, test} from 'vitest';
import {createDemoDevice, demoBaseDevice} from '../../source/domain/demo.js';
import type {Device} from '../../source/domain/device.js';
import {checkRoute, type RouteInput} from '../../source/domain/route-checks.js';
import {describeRoutes, routeStatus} from '../../source/domain/route-status.js';
import {addRoute, applyRouteEdit, removeRoute, updateRoute} from '../../source/domain/routes.js';
import {withRoutes} from '../support/devices.js';

const demo = createDemoDevice();
const good: RouteInput = {interface: 'Port3', destinationPrefix: '192.168.30.0/24', nextHop: '192.168.10.1', metric: '100'};

function errorsOf(input: Partial<RouteInput>, device: Device = demo) {
	const check = checkRoute(device, {...good, ...input});
	return check.ok ? {} : check.errors;
}

function warningsOf(input: Partial<RouteInput>, device: Device = demo) {
	const check = checkRoute(device, {...good, ...input});
	if (!check.ok) {
		throw new Error(JSON.stringify(check.errors));
	}
	return check.warnings;
}

describe('a valid route', () => {
	test('is accepted and normalised', () => {
		expect(checkRoute(demo, {interface: 'port3', destinationPrefix: ' 192.168.30.0/24 ', nextHop: '192.168.10.1', metric: '007'})).toEqual({
			ok: true,
			route: {interface: 'Port3', destinationPrefix: '192.168.30.0/24', nextHop: '192.168.10.1', metric: 7},
			warnings: [],
		});
	});

	test('a bare address means /32', () => {
		const check = checkRoute(demo, {...good, destinationPrefix: '192.168.30.7'});
		expect(check.ok && check.route.destinationPrefix).toBe('192.168.30.7/32');
	});
});

describe('interface', () => {
	test('must be a port of the device', () => {
		expect(errorsOf({interface: 'Port9'}).interface).toBe('interface: "Port9" is not a port of this device; routes go on a port with a static IP configuration and compute enabled (Port3)');
	});

	test('must be chosen', () => {
		expect(errorsOf({interface: ''}).interface).toBe('interface: choose a port; routes go on a port with a static IP configuration and compute enabled (Port3)');
	});

	test('must have a static IP configuration and compute: one rule, the same ports named whichever port is wrong', () => {
		expect(errorsOf({interface: 'Port4'}).interface).toBe('interface: Port4 uses DHCP; routes go on a port with a static IP configuration and compute enabled (Port3)');
		expect(errorsOf({interface: 'Port2', nextHop: '10.128.44.1'}).interface).toBe('interface: Port2 has no compute, so the Kubernetes VMs have no NIC there; routes go on a port with a static IP configuration and compute enabled (Port3)');
	});

	test('before compute is configured, any static port will do', () => {
		expect(checkRoute(demoBaseDevice, {...good, interface: 'Port4'}).ok).toBe(false);
		expect(checkRoute(demoBaseDevice, {...good, interface: 'Port4'})).toMatchObject({errors: {interface: 'interface: Port4 uses DHCP; routes go on a port with a static IP configuration (Port1, Port2, Port3)'}});
	});

	test('any static port before compute is configured, with the route pending', () => {
		const check = checkRoute(demoBaseDevice, {...good, interface: 'Port2', nextHop: '10.128.44.1'});
		expect(check.ok).toBe(true);
		const route = {interface: 'Port2', destinationPrefix: '192.168.30.0/24', nextHop: '10.128.44.1', metric: 100};
		expect(routeStatus(demoBaseDevice, route)).toEqual({
			state: 'pending',
			reason: 'Kubernetes compute is not configured yet; the route is applied to the master and worker VMs when it is',
		});
	});
});

describe('destination', () => {
	test('host bits must be zero, as the kernel requires', () => {
		expect(errorsOf({destinationPrefix: '10.5.0.1/16'}).destinationPrefix).toBe(
			'destination: "10.5.0.1/16" has host bits set (Invalid prefix for given prefix length); did you mean 10.5.0.0/16?',
		);
	});

	test('prefix length 0-32', () => {
		expect(errorsOf({destinationPrefix: '10.0.0.0/33'}).destinationPrefix).toBe(
			'destination: "10.0.0.0/33" is not an IPv4 prefix: the prefix length must be a whole number from 0 to 32',
		);
	});

	test('an IPv4 address', () => {
		expect(errorsOf({destinationPrefix: '10.0.0/8'}).destinationPrefix).toBe(
			'destination: "10.0.0/8" is not an IPv4 prefix: "10.0.0" is not an IPv4 address; write it as 192.168.20.0/24',
		);
	});

	test('one route per interface and prefix', () => {
		expect(errorsOf({destinationPrefix: '192.168.20.0/24'}).destinationPrefix).toBe(
			'destination: a route for 192.168.20.0/24 on Port3 already exists; edit or remove it',
		);
	});
});

describe('next hop', () => {
	test("must be on the port's subnet", () => {
		expect(errorsOf({nextHop: '192.168.20.1'}).nextHop).toBe(
			"next hop: 192.168.20.1 is not on Port3's subnet 192.168.10.0/24 (Nexthop has invalid gateway); use a gateway on that subnet",
		);
	});

	test('must not be the broadcast address', () => {
		expect(errorsOf({nextHop: '192.168.10.255'}).nextHop).toBe('next hop: 192.168.10.255 is the broadcast address of 192.168.10.0/24; use the gateway\'s own address');
	});

	test("must not be the port's own address", () => {
		expect(errorsOf({nextHop: '192.168.10.5'}).nextHop).toBe("next hop: 192.168.10.5 is Port3's own address; use the gateway's address on 192.168.10.0/24");
	});

	test("must not be a VM's own address", () => {
		expect(errorsOf({nextHop: '192.168.10.21'}).nextHop).toBe("next hop: 192.168.10.21 is the worker VM's own address (eth1); use the gateway's address on 192.168.10.0/24");
	});

	test('must be an IPv4 address', () => {
		expect(errorsOf({nextHop: 'gateway'}).nextHop).toBe('next hop: "gateway" is not an IPv4 address; write four numbers 0-255 separated by dots, such as 192.168.10.1');
	});
});

describe('metric', () => {
	test.each(['-1', '65536', '1.5', 'low', ''])('refuses %j', metric => {
		expect(errorsOf({metric}).metric).toBe(`metric: "${metric}" is not a whole number from 0 to 65535; lower metrics win`);
	});

	test.each(['0', '65535'])('accepts %s', metric => {
		expect(errorsOf({metric})).toEqual({});
	});

	test('one route per prefix and metric, as the kernel keeps them', () => {
		const device = {...demoBaseDevice, routes: [{interface: 'Port2', destinationPrefix: '192.168.30.0/24', nextHop: '10.128.44.1', metric: 100}]};
		expect(errorsOf({}, device).metric).toBe(
			'metric: Port2 already has a route for 192.168.30.0/24 with metric 100, and the VMs keep one route per prefix and metric (RTNETLINK: File exists); choose another metric',
		);
	});

	test("metric 0 clashes with Calico's routes for a block and for a pod, as the kernel answers File exists", () => {
		expect(errorsOf({destinationPrefix: '172.27.0.64/26', metric: '0'}).metric).toBe(
			"metric: the VMs' Calico block (a blackhole on the worker VM, routed to it on the other) already uses 172.27.0.64/26 with metric 0 (RTNETLINK: File exists); choose a metric above 0",
		);
		expect(errorsOf({destinationPrefix: '172.27.0.68/32', metric: '0'}).metric).toBe(
			"metric: the VMs' Calico route to pod webapp/db-0 already uses 172.27.0.68/32 with metric 0 (RTNETLINK: File exists); choose a metric above 0",
		);
	});

	test('metric 0 on the whole pod or service CIDR is taken: a node has no route for either', () => {
		expect(errorsOf({destinationPrefix: '172.28.0.0/16', metric: '0'})).toEqual({});
		expect(errorsOf({destinationPrefix: '172.27.0.0/16', metric: '0'})).toEqual({});
		expect(errorsOf({destinationPrefix: '172.27.1.0/26', metric: '0'})).toEqual({});
	});

	test('metric 0 clashes with the connected route of the same prefix', () => {
		expect(errorsOf({destinationPrefix: '192.168.10.0/24', metric: '0'}).metric).toBe(
			"metric: the VMs' connected network on eth1 already uses 192.168.10.0/24 with metric 0 (RTNETLINK: File exists); choose a metric above 0",
		);
	});
});

describe('warnings', () => {
	test('overlapping the pod CIDR no longer than a block: Calico keeps the pods, the route carries the rest', () => {
		expect(warningsOf({destinationPrefix: '172.27.1.0/24'})).toEqual(["overlaps the pod CIDR 172.27.0.0/16: Calico's /26 block and /32 pod routes are longer or win the tie, so it only carries addresses no Calico block holds"]);
	});

	test('inside a block with pods: the route takes the other VM\'s traffic to them', () => {
		expect(warningsOf({destinationPrefix: '172.27.0.64/28'})).toEqual([
			"overlaps the pod CIDR 172.27.0.0/16: longer than Calico's /26 block, it takes the master VM's traffic to pods kube-system/coredns-6d4b75cb6d-q9vzm, iotedge/edgehub-5c7b9f8d4-tm6jr, webapp/web-7f9c6d8b5-2kq8x and 2 more on the worker VM away from Calico",
		]);
		expect(warningsOf({destinationPrefix: '172.27.0.68/32'})).toEqual([
			"overlaps the pod CIDR 172.27.0.0/16: longer than Calico's /26 block, it takes the master VM's traffic to pod webapp/db-0 on the worker VM away from Calico",
		]);
	});

	test('inside a block where no pod is: it only takes addresses from the blackhole', () => {
		expect(warningsOf({destinationPrefix: '172.27.0.96/27'})).toEqual([
			"overlaps the pod CIDR 172.27.0.0/16: inside Calico's block 172.27.0.64/26, it takes addresses no pod holds from the worker VM's blackhole",
		]);
	});

	test('overlapping the service CIDR: kube-proxy rewrites cluster IPs before routing', () => {
		expect(warningsOf({destinationPrefix: '172.28.0.0/16'})).toEqual(["overlaps the service CIDR 172.28.0.0/16: kube-proxy rewrites a service's address to a pod before routing, so it only carries the addresses (and ports) no service holds"]);
	});

	test('taking part of the node IP range', () => {
		expect(warningsOf({destinationPrefix: '192.168.10.20/30'})).toEqual(['overlaps the Kubernetes node IP range 192.168.10.20-192.168.10.22: it would steal cluster traffic']);
	});

	test('taking part of the external service IP range', () => {
		expect(warningsOf({destinationPrefix: '192.168.10.32/30'})).toEqual([
			'overlaps the Kubernetes external service IP range 192.168.10.30-192.168.10.34: it would steal cluster traffic',
		]);
	});

	test('a broader route that loses to the connected network does not warn of stealing', () => {
		expect(warningsOf({destinationPrefix: '192.168.0.0/16'})).toEqual([]);
	});

	test("the port's own connected subnet", () => {
		expect(warningsOf({destinationPrefix: '192.168.10.0/24', metric: '5'})).toEqual([
			"192.168.10.0/24 is Port3's own connected subnet: on a flat subnet no route is needed, and the connected route (metric 0) wins",
		]);
	});

	test('a route that can never win', () => {
		const device = {...demoBaseDevice, routes: [{interface: 'Port2', destinationPrefix: '192.168.30.0/24', nextHop: '10.128.44.1', metric: 10}]};
		expect(warningsOf({}, device)).toEqual(['can never win: the route for 192.168.30.0/24 on Port2 has the same prefix and a lower metric (10)']);
	});

	test('a default route on the compute port', () => {
		expect(warningsOf({destinationPrefix: '0.0.0.0/0'})).toEqual([
			'a default route on compute port Port3 would take Internet-bound traffic away from Port2, the port with the default gateway',
		]);
	});

	test('are listed with the route', () => {
		const added = addRoute(demo, {...good, destinationPrefix: '172.27.1.0/24'});
		expect(added.ok).toBe(true);
		const views = describeRoutes(applyRouteEdit(demo, added.edit!));
		expect(views.map(view => [view.destinationPrefix, view.status.state, view.warnings])).toEqual([
			['192.168.20.0/24', 'active', []],
			['172.27.1.0/24', 'active', ["overlaps the pod CIDR 172.27.0.0/16: Calico's /26 block and /32 pod routes are longer or win the tie, so it only carries addresses no Calico block holds"]],
		]);
	});
});

describe('operations', () => {
	test('add appends the normalised route', () => {
		const result = addRoute(demo, good);
		expect(result.ok && applyRouteEdit(demo, result.edit).routes.at(-1)).toEqual({interface: 'Port3', destinationPrefix: '192.168.30.0/24', nextHop: '192.168.10.1', metric: 100});
		expect(result.ok && result.edit.before).toBeUndefined();
		expect(result.message).toBe('Added 192.168.30.0/24 on Port3 via 192.168.10.1, metric 100.');
	});

	test('a refused add names every problem and returns no edit', () => {
		const result = addRoute(demo, {interface: 'Port3', destinationPrefix: '10.5.0.1/16', nextHop: '10.0.0.1', metric: 'x'});
		expect(result.ok).toBe(false);
		expect(result.edit).toBeUndefined();
		expect(result.message.split('\n')).toHaveLength(3);
	});

	test('update keeps the key and changes the metric', () => {
		const result = updateRoute(demo, {interface: 'port3', destinationPrefix: '192.168.20.0/24'}, {metric: '20'});
		expect(result.ok && applyRouteEdit(demo, result.edit).routes).toEqual([{interface: 'Port3', destinationPrefix: '192.168.20.0/24', nextHop: '192.168.10.1', metric: 20}]);
		expect(result.ok && result.edit.before).toBe(demo.routes[0]);
	});

	test('update of a missing route says which routes there are', () => {
		expect(updateRoute(demo, {interface: 'Port3', destinationPrefix: '10.0.0.0/8'}, {metric: '1'}).message).toBe(
			'destination: there is no route for 10.0.0.0/8 on Port3 (routes on Port3: 192.168.20.0/24)',
		);
	});

	test('a missing route is answered with the same prefix on other ports and the nearest few routes of its port', () => {
		const device = withRoutes(demo, [
			['10.0.0.0/16', '192.168.10.1', '1'],
			['10.1.0.0/16', '192.168.10.1', '2'],
			['10.2.0.0/16', '192.168.10.1', '3'],
			['10.4.0.0/16', '192.168.10.1', '4'],
			['10.3.128.0/17', '192.168.10.1', '5'],
			['10.9.0.0/16', '192.168.10.1', '6'],
		]);
		expect(removeRoute(device, {interface: 'port3', destinationPrefix: '10.3.0.0/16'}).message).toBe(
			'destination: there is no route for 10.3.0.0/16 on Port3 (the nearest of the 7 routes on Port3: 10.3.128.0/17, 10.2.0.0/16, 10.4.0.0/16)',
		);
		// A route of that prefix stored on another port (as a device whose compute moved may hold).
		const elsewhere = {...demo, routes: [...demo.routes, {interface: 'Port1', destinationPrefix: '10.0.0.0/8', nextHop: '192.168.100.1', metric: 5}]};
		expect(updateRoute(elsewhere, {interface: 'Port3', destinationPrefix: '10.0.0.0/8'}, {metric: '1'}).message).toBe(
			'destination: there is no route for 10.0.0.0/8 on Port3 (10.0.0.0/8 is on Port1; routes on Port3: 192.168.20.0/24)',
		);
	});

	test('remove by interface and prefix', () => {
		const result = removeRoute(demo, {interface: 'Port3', destinationPrefix: '192.168.20.0/24'});
		expect(result.ok && applyRouteEdit(demo, result.edit).routes).toEqual([]);
		expect(result.ok && result.edit).toEqual({before: demo.routes[0], after: undefined});
	});
});

describe('an edit that changes the key', () => {
	test('says what the destination was and what it is now', () => {
		const result = updateRoute(demo, {interface: 'Port3', destinationPrefix: '192.168.20.0/24'}, {destinationPrefix: '192.168.21.0/24'});
		expect(result.message).toBe('Updated 192.168.20.0/24 on Port3 → 192.168.21.0/24 on Port3: via 192.168.10.1, metric 100.');
		expect(updateRoute(demo, {interface: 'Port3', destinationPrefix: '192.168.20.0/24'}, {metric: '5'}).message).toBe('Updated 192.168.20.0/24 on Port3: via 192.168.10.1, metric 5.');
	});
});
