import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {backingPods, selectingServices} from '../../source/domain/device.js';
import {generateDevice} from '../../source/domain/generate.js';
import {checkIpPlan} from '../../source/domain/ip-plan.js';
import {allocatedAddresses} from '../../source/domain/ip-plan-addresses.js';
import {contains, parsePrefix, toNumber} from '../../source/domain/ip.js';
import {rangeUsage} from '../../source/domain/range-usage.js';
import {createRouteIndex, selectIndexedRoute} from '../../source/domain/prefix-index.js';
import {selectRoute, vmRoutingTable} from '../../source/domain/routing-table.js';
import {checkRoute} from '../../source/domain/route-checks.js';
import {routeContext} from '../../source/domain/route-context.js';
import {withRoutes} from '../support/devices.js';

function generate(routes: number, pods: number, services: number, seed: number) {
	const result = generateDevice({routes, pods, services, seed});
	if (!result.ok) {
		throw new Error(result.error);
	}
	return result.device;
}

describe('the generated device', () => {
	const device = generate(2000, 3000, 300, 1);

	test('has the size asked for', () => {
		expect([device.routes.length, device.pods.length, device.services.length]).toEqual([2000, 3000, 300]);
	});

	test("the services selecting each pod, from the index, are those whose backing pods hold it, in the services' order", () => {
		const scanned = (pod: (typeof device.pods)[number]) => device.services.filter(service => backingPods(device, service).includes(pod)).map(service => service.name);
		const selected = device.pods.filter(pod => scanned(pod).length > 0);
		expect(selected.length).toBeGreaterThan(100);
		for (const pod of device.pods) {
			expect(selectingServices(device, pod).map(service => service.name)).toEqual(scanned(pod));
		}
	});

	test("a pod's services are found from the services' selectors: no other pod is read, so a pod's details cost no index of every pod", () => {
		let reads = 0;
		const pods = new Proxy(device.pods.slice(), {
			get(target, property, receiver) {
				if (typeof property === 'string' && /^\d+$/.test(property)) {
					reads++;
				}
				return Reflect.get(target, property, receiver) as unknown;
			},
		});
		const counted = {...device, pods};
		for (const pod of [device.pods[0]!, device.pods[1234]!, device.pods.at(-1)!]) {
			const expected = device.services.filter(service => backingPods(device, service).includes(pod)).map(service => service.name);
			expect(selectingServices(counted, pod).map(service => service.name)).toEqual(expected);
		}
		expect(reads).toBe(0);
	});

	test("the plan's usage counts every address the IP plan check knows a holder of, once", () => {
		const held = new Set(allocatedAddresses(device).map(({address}) => address));
		const inside = (range: string) => {
			const parsed = parsePrefix(range);
			return parsed.ok ? [...held].filter(address => contains(parsed.value, toNumber(address))).length : -1;
		};
		const usage = rangeUsage(device);
		expect(usage.find(entry => entry.label === 'pods')?.used).toBe(inside(device.cluster.podCidr));
		expect(usage.find(entry => entry.label === 'services')?.used).toBe(inside(device.cluster.serviceCidr));
		expect(usage.find(entry => entry.label === 'pods')?.used).toBeGreaterThan(2000);
	});

	test('passes every IP plan check', () => {
		expect(checkIpPlan(device)).toEqual([]);
	});

	test('every generated route is valid', () => {
		const context = routeContext(device);
		const invalid = device.routes.filter(route => {
			const check = checkRoute(device, {...route, metric: String(route.metric)}, {replacing: route, context});
			return !check.ok;
		});
		expect(invalid).toEqual([]);
	});

	test('the same seed gives the same device, another seed another one', () => {
		expect(generate(200, 300, 30, 1)).toEqual(generate(200, 300, 30, 1));
		expect(generate(200, 300, 30, 2).routes).not.toEqual(generate(200, 300, 30, 1).routes);
	});

	test('the full benchmark size is valid too', () => {
		const large = generate(10_000, 20_000, 2000, 1);
		expect(checkIpPlan(large)).toEqual([]);
		expect(large.services.filter(service => service.type === 'LoadBalancer' && service.externalIp === null).length).toBeGreaterThan(0);
	}, 60_000);
});

describe('the longest-prefix index', () => {
	const routeArbitrary = fc.tuple(fc.integer({min: 0, max: 2 ** 32 - 1}), fc.integer({min: 8, max: 32}), fc.integer({min: 1, max: 200}));

	test('gives the same answers as scanning the table, on random tables and destinations', () => {
		fc.assert(
			fc.property(fc.array(routeArbitrary, {maxLength: 60}), fc.array(fc.integer({min: 0, max: 2 ** 32 - 1}), {minLength: 1, maxLength: 40}), (specs, destinations) => {
				const demo = createDemoDevice();
				const routes: Array<[string, string, string]> = [];
				const seen = new Set<string>();
				for (const [address, length, metric] of specs) {
					const size = 2 ** (32 - length);
					const first = address - (address % size);
					const prefix = `${[first >>> 24, (first >>> 16) & 255, (first >>> 8) & 255, first & 255].join('.')}/${length}`;
					if (seen.has(prefix) || checkRoute(demo, {interface: 'Port3', destinationPrefix: prefix, nextHop: '192.168.10.1', metric: String(metric)}).ok === false) {
						continue;
					}
					seen.add(prefix);
					routes.push([prefix, '192.168.10.1', String(metric)]);
				}
				const device = withRoutes(demo, routes);
				const worker = device.vms.find(vm => vm.name === 'worker')!;
				const table = vmRoutingTable(device, worker);
				const index = createRouteIndex(table);
				// Random destinations, and the addresses the routes were made from, so nested prefixes are hit.
				for (const destination of [...destinations, ...specs.map(([address]) => address)]) {
					expect(selectIndexedRoute(index, destination)).toEqual(selectRoute(table, destination));
				}
			}),
			{numRuns: 100},
		);
	});
});
