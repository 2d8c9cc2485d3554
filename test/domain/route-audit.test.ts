import {describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import type {Device, Route} from '../../source/domain/device.js';
import {auditRoutes} from '../../source/domain/route-audit.js';

const demo = createDemoDevice();
const withStored = (...routes: Route[]): Device => ({...demo, routes: [...demo.routes, ...routes]});
const route = (destinationPrefix: string, nextHop = '192.168.10.1', metric = 50, iface = 'Port3'): Route => ({interface: iface, destinationPrefix, nextHop, metric});

describe('the route rules applied to stored routes', () => {
	test('a device whose routes keep every rule comes back as it was, the same list', () => {
		const audit = auditRoutes(demo);
		expect(audit.problems).toEqual([]);
		expect(audit.valid).toBe(demo.routes);
	});

	test.each<[string, Route, string]>([
		['an address that is none', route('999.1.1.0/24'), 'destination: "999.1.1.0/24" is not an IPv4 prefix: "999.1.1.0" is not an IPv4 address; write it as 192.168.20.0/24'],
		['host bits set', route('10.5.0.1/16'), 'destination: "10.5.0.1/16" has host bits set (Invalid prefix for given prefix length); did you mean 10.5.0.0/16?'],
		['an unknown port', route('10.6.0.0/16', '192.168.10.1', 50, 'Port9'), 'interface: "Port9" is not a port of this device; routes go on a port with a static IP configuration and compute enabled (Port3)'],
		['a next hop off the subnet', route('10.7.0.0/16', '10.0.0.1'), "next hop: 10.0.0.1 is not on Port3's subnet 192.168.10.0/24 (Nexthop has invalid gateway); use a gateway on that subnet"],
		['a metric the device cannot hold', route('10.8.0.0/16', '192.168.10.1', 70_000), 'metric: "70000" is not a whole number from 0 to 65535; lower metrics win'],
		['a second route with the same key', route('192.168.20.0/24', '192.168.10.2', 60), 'a second route for 192.168.20.0/24 on Port3; a device keeps one per interface and destination'],
		['a second route with the same destination and metric', route('192.168.20.0/24', '192.168.10.2', 100, 'port3 '), 'a second route for 192.168.20.0/24 with metric 100; the VMs keep one route per prefix and metric'],
	])('%s is reported by name and left out', (_name, bad, reason) => {
		const audit = auditRoutes(withStored(bad));
		expect(audit.valid).toEqual(demo.routes);
		expect(audit.problems).toEqual([{route: bad, name: `route ${bad.destinationPrefix} on ${bad.interface}`, reason}]);
	});
});
