/**
 * The lookup agrees with the Linux kernel: the worker VM's table is built in a network namespace of this
 * test's own, and `ip -j route get` answers for the same destinations. No packet is sent.
 */

import {execFileSync, spawnSync} from 'node:child_process';
import fc from 'fast-check';
import {afterAll, assert, beforeAll, describe, expect, test} from 'vitest';
import {fromNumber, parseInterfaceAddress, toNumber} from '../../source/domain/ip.js';
import {lookupRoute} from '../../source/domain/lookup.js';
import {vmRoutingTable} from '../../source/domain/routing-table.js';
import {demoWithRoutes} from '../support/devices.js';

const namespace = `edgenet-test-${process.pid}`;
let unavailable: string | undefined;

function ip(...args: string[]): string {
	return execFileSync('ip', ['-n', namespace, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

const device = demoWithRoutes([
	['10.0.0.0/8', '192.168.10.254', '10'],
	['10.1.0.0/16', '192.168.10.253', '300'],
	['10.1.2.0/24', '192.168.10.252', '5'],
	['10.1.2.3/32', '192.168.10.251', '1'],
	['192.168.20.128/25', '192.168.10.2', '200'],
	['192.168.10.0/24', '192.168.10.3', '5'],
	['0.0.0.0/0', '192.168.10.4', '50'],
	['172.27.128.0/17', '192.168.10.6', '7'],
	['100.64.0.0/10', '192.168.10.7', '65535'],
]);
const worker = device.vms.find(vm => vm.name === 'worker')!;
// The kernel has no Calico or kube-proxy here; the cluster's ranges go to an interface of their own.
const clusterDevice = 'cluster0';

beforeAll(() => {
	const created = spawnSync('ip', ['netns', 'add', namespace], {encoding: 'utf8'});
	if (created.status !== 0) {
		unavailable = `network namespaces are unavailable here (ip netns add: ${created.stderr.trim() || created.error?.message}); run the tests as root on Linux to check agreement with the kernel`;
		return;
	}
	for (const name of ['eth0', 'eth1', clusterDevice]) {
		ip('link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`);
		ip('link', 'set', name, 'up');
		ip('link', 'set', `${name}p`, 'up');
	}
	for (const nic of worker.nics) {
		ip('addr', 'add', nic.address, 'dev', nic.name);
	}
	for (const entry of vmRoutingTable(device, worker)) {
		if (entry.kind === 'connected') {
			continue;
		}
		if (entry.kind === 'cluster') {
			ip('route', 'add', entry.destinationPrefix, 'dev', clusterDevice);
		} else {
			ip('route', 'add', entry.destinationPrefix, 'via', entry.nextHop!, 'dev', entry.nic!, 'metric', String(entry.metric));
		}
	}
});

afterAll(() => {
	if (!unavailable) {
		spawnSync('ip', ['netns', 'delete', namespace]);
	}
});

/** Addresses the kernel answers for from its local table (own, network and broadcast addresses), which a routing lookup is not asked about. */
function isLocal(value: number): boolean {
	return worker.nics.some(nic => {
		const parsed = parseInterfaceAddress(nic.address);
		return parsed.ok && [parsed.value.value, parsed.value.network.first, parsed.value.network.last].includes(value);
	}) || value >>> 24 === 127 || value >>> 28 >= 14 || value === 0;
}

const chosen = [
	'10.1.2.3', '10.1.2.4', '10.1.3.1', '10.2.0.1', '10.255.255.254', '192.168.20.7', '192.168.20.200', '192.168.10.99',
	'8.8.8.8', '1.1.1.1', '172.27.0.66', '172.27.200.1', '172.28.0.3', '172.20.0.50', '100.64.0.1', '192.168.10.31',
];
const sampled = fc.sample(fc.integer({min: 0, max: 2 ** 32 - 1}), {seed: 7, numRuns: 300}).filter(value => !isLocal(value)).map(value => fromNumber(value));

describe('the lookup agrees with the Linux kernel', () => {
	test.for([...chosen, ...sampled].filter(text => !isLocal(toNumber(text))))('%s', (destination, {skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const [kernel] = JSON.parse(ip('-j', 'route', 'get', destination)) as Array<{gateway?: string; dev: string}>;
		const ours = lookupRoute(device, 'worker', destination);
		assert(ours.ok, `the lookup found no route to ${destination}`);
		assert(kernel, `the kernel found no route to ${destination}`);
		const dev = ours.value.route.kind === 'cluster' ? clusterDevice : ours.value.nic;
		expect({gateway: ours.value.route.nextHop ?? undefined, dev}).toEqual({gateway: kernel.gateway, dev: kernel.dev});
	});
});
