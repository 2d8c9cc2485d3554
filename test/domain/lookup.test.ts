import {describe, expect, test} from 'vitest';
import {createDemoDevice, demoBaseDevice} from '../../source/domain/demo.js';
import {lookupRoute} from '../../source/domain/lookup.js';
import type {Device, Encapsulation} from '../../source/domain/device.js';
import {withRoutes} from '../support/devices.js';
import {vethName} from '../../source/domain/calico.js';

const demo = createDemoDevice();

function answer(device: Device, from: string, destination: string) {
	const result = lookupRoute(device, from, destination);
	if (!result.ok) {
		throw new Error(result.error);
	}
	return result.value;
}

describe('lookup from a VM', () => {
	test("the seed's camera subnet goes by its custom route on Port3", () => {
		const result = answer(demo, 'worker', '192.168.20.7');
		expect(result.route).toEqual({
			kind: 'custom',
			destinationPrefix: '192.168.20.0/24',
			nextHop: '192.168.10.1',
			dev: 'eth1',
			interface: 'Port3',
			metric: 100,
			description: 'custom route on Port3',
		});
		expect([result.nic, result.switch, result.port]).toEqual(['eth1', 'vSwitch-Port3', 'Port3']);
		expect(result.candidates).toEqual([
			{kind: 'default', destinationPrefix: '0.0.0.0/0', nextHop: '172.20.0.1', interface: 'Port2', metric: 0, reason: "shorter prefix /0 than the winner's /24 (longest prefix wins)"},
		]);
		expect(result.path.map(step => step.label)).toEqual([
			'worker VM (custom route 192.168.20.0/24, metric 100)',
			'eth1 192.168.10.21',
			'vSwitch-Port3',
			'Port3',
			'192.168.10.1',
		]);
	});

	test('Internet-bound traffic leaves by NAT out of Port2', () => {
		const result = answer(demo, 'master', '8.8.8.8');
		expect(result.route.kind).toBe('default');
		expect([result.nic, result.switch, result.port, result.route.nextHop]).toEqual(['eth0', 'vSwitch-Internal', 'Port2', '172.20.0.1']);
	});

	test("the compute network is on-link", () => {
		const result = answer(demo, 'worker', '192.168.10.77');
		expect(result.route).toMatchObject({kind: 'connected', nextHop: null, interface: 'Port3'});
	});

	test('longest prefix wins, then the lowest metric; the losers say why', () => {
		const device = withRoutes(demo, [
			['10.0.0.0/8', '192.168.10.254', '10'],
			['10.1.0.0/16', '192.168.10.253', '300'],
			['192.168.10.0/24', '192.168.10.252', '5'],
		]);
		const nested = answer(device, 'worker', '10.1.2.3');
		expect(nested.route.destinationPrefix).toBe('10.1.0.0/16');
		expect(nested.candidates.map(candidate => `${candidate.destinationPrefix}: ${candidate.reason}`)).toEqual([
			"10.0.0.0/8: shorter prefix /8 than the winner's /16 (longest prefix wins)",
			"0.0.0.0/0: shorter prefix /0 than the winner's /16 (longest prefix wins)",
		]);
		const tie = answer(device, 'worker', '192.168.10.99');
		expect(tie.route.kind).toBe('connected');
		expect(tie.candidates[0]?.reason).toBe("same prefix /24, higher metric 5 than the winner's 0 (lowest metric wins)");
	});

	test('from a pod, through the VM it runs on', () => {
		const result = answer(demo, 'webapp/db-0', '192.168.20.7');
		expect(result.from).toBe('webapp/db-0');
		expect(result.path[0]).toEqual({layer: 'pod', label: 'pod webapp/db-0 172.27.0.68'});
		expect(result.nic).toBe('eth1');
	});
});

describe('services', () => {
	test('a service name resolves as CoreDNS does and goes on to the pods', () => {
		const result = answer(demo, 'webapp/db-0', 'web');
		expect(result.destination).toBe('172.28.0.3');
		expect(result.route.kind).toBe('kube-proxy');
		expect(result.service?.pods.map(pod => pod.name)).toEqual(['web-7f9c6d8b5-2kq8x', 'web-7f9c6d8b5-p4nzs']);
	});

	test('the full name works from a VM', () => {
		expect(answer(demo, 'master', 'db.webapp.svc.cluster.local').service?.name).toBe('webapp/db');
	});

	test('an unknown name does not resolve', () => {
		expect(lookupRoute(demo, 'master', 'nope.webapp')).toEqual({
			ok: false,
			error: '"nope.webapp" does not resolve: CoreDNS has no service by that name; names look like <service>.<namespace>.svc.cluster.local',
		});
	});

	test('a LoadBalancer IP from outside comes in through Port3 to MetalLB and the pods', () => {
		const result = answer(demo, 'outside', '192.168.10.31');
		expect(result.route.kind).toBe('metallb');
		expect(result.path.map(step => step.layer)).toEqual(['outside', 'port', 'switch', 'metallb', 'nic', 'service', 'destination', 'destination']);
		// Rewritten by kube-proxy on the speaker's VM, each pod is then routed there: both are on the worker, behind their veths.
		expect(result.service?.pods.map(pod => pod.route)).toEqual([
			{kind: 'pod', destinationPrefix: '172.27.0.66/32', nextHop: null, dev: vethName({namespace: 'webapp', name: 'web-7f9c6d8b5-2kq8x'})},
			{kind: 'pod', destinationPrefix: '172.27.0.67/32', nextHop: null, dev: vethName({namespace: 'webapp', name: 'web-7f9c6d8b5-p4nzs'})},
		]);
		expect(result.service?.pods).toHaveLength(2);
	});

	test('from outside, only LoadBalancer IPs answer', () => {
		expect(lookupRoute(demo, 'outside', '172.28.0.4')).toEqual({
			ok: false,
			error: 'from outside the cluster only LoadBalancer IPs reach it (192.168.10.30, 192.168.10.31); 172.28.0.4 is not one',
		});
	});
});

describe('sources', () => {
	test('an unknown source says what is accepted', () => {
		expect(lookupRoute(demo, 'router', '1.1.1.1')).toEqual({ok: false, error: '"router" is not a source; use master, worker, outside, or a pod as namespace/name'});
	});

	test('before compute is configured there are no VMs to ask', () => {
		const result = lookupRoute(demoBaseDevice, 'worker', '1.1.1.1');
		expect(result.ok).toBe(false);
	});
});

describe('the VM table as a real node has it', () => {
	const withEncapsulation = (encapsulation: Encapsulation): Device => ({...demo, cluster: {...demo.cluster, encapsulation}});

	test("a pod on this VM is reached by its /32 on its veth, named as Calico's CNI plugin names it", () => {
		const result = answer(demo, 'worker', '172.27.0.68');
		expect(result.route).toMatchObject({kind: 'pod', destinationPrefix: '172.27.0.68/32', nextHop: null, dev: 'cali17832e53f79'});
		expect(result.candidates.map(candidate => `${candidate.kind} ${candidate.destinationPrefix}`)).toEqual(['blackhole 172.27.0.64/26', 'default 0.0.0.0/0']);
		expect(result.pod?.name).toBe('db-0');
	});

	test.for([
		['none', '192.168.10.21', 'eth1'],
		['ipip', '192.168.10.21', 'tunl0'],
		['vxlan', '172.27.0.64', 'vxlan.calico'],
	] as const)("a pod on the other VM goes by that VM's block, encapsulation %s", ([encapsulation, nextHop, dev]) => {
		const result = answer(withEncapsulation(encapsulation), 'master', '172.27.0.68');
		expect(result.route).toMatchObject({kind: 'block', destinationPrefix: '172.27.0.64/26', nextHop, dev});
		expect([result.nic, result.switch, result.port]).toEqual(['eth1', 'vSwitch-Port3', null]);
		expect(result.path.at(-1)?.label).toBe('pod webapp/db-0 on the worker VM');
	});

	test("an address of a block no pod holds is dropped by the owner's blackhole", () => {
		const here = answer(demo, 'worker', '172.27.0.100');
		expect(here.route).toMatchObject({kind: 'blackhole', nextHop: null, dev: null});
		expect([here.nic, here.switch, here.port]).toEqual([null, null, null]);
		const there = answer(demo, 'master', '172.27.0.100');
		expect(there.route.kind).toBe('block');
		expect(there.path.at(-1)?.label).toBe("no pod holds 172.27.0.100: the worker VM's blackhole for its block drops it");
	});

	test('there is no route for the whole pod CIDR or the service CIDR: an address outside the blocks and services goes by the default route', () => {
		for (const destination of ['172.27.99.1', '172.28.5.5']) {
			const result = answer(demo, 'worker', destination);
			expect(result.route.kind).toBe('default');
			expect(result.candidates).toEqual([]);
		}
	});

	test("the VM's own address is answered from the local table, before any route", () => {
		const device = withRoutes(demo, [['192.168.10.21/32', '192.168.10.9', '5']]);
		const result = answer(device, 'worker', '192.168.10.21');
		expect(result.route).toMatchObject({kind: 'local', dev: 'lo'});
		expect(result.candidates[0]).toMatchObject({kind: 'custom', reason: "the local table (the VM's own addresses) is looked up before the main table"});
	});

	test('a cluster IP is rewritten by kube-proxy to the pods before routing, each then routed from the VM', () => {
		const result = answer(demo, 'master', 'db.webapp');
		expect(result.route).toMatchObject({kind: 'kube-proxy', destinationPrefix: '172.28.0.4/32', nextHop: null, dev: null});
		expect(result.route.description).toBe("kube-proxy rewrites it (DNAT, before routing) to its one pod, for the service's ports");
		expect(result.service?.pods.map(pod => pod.route)).toEqual([{kind: 'block', destinationPrefix: '172.27.0.64/26', nextHop: '192.168.10.21', dev: 'eth1'}]);
		expect(result.path.at(-1)?.label).toBe('pod webapp/db-0 172.27.0.68 on the worker VM (via 192.168.10.21 dev eth1)');
	});

	test('a service whose selector matches no pod is rejected; one without a selector goes to endpoints edgenet does not know', () => {
		const orphan = {...demo, pods: demo.pods.filter(pod => pod.labels['app'] !== 'db')};
		expect(answer(orphan, 'worker', 'db.webapp').route.description).toBe('kube-proxy rejects it: no pod matches the selector, so the service has no endpoints');
		expect(answer(demo, 'master', 'kubernetes.default').route.description).toBe('kube-proxy sends it to the endpoints of a service without a selector, which edgenet does not know');
	});

	test("an address the other VM borrowed from this VM's block is routed to it by its /32", () => {
		const device = {...demo, pods: [...demo.pods, {namespace: 'load', name: 'borrowed', node: 'worker' as const, ip: '172.27.0.63', labels: {}}]};
		expect(answer(device, 'master', '172.27.0.63').route).toMatchObject({kind: 'block', destinationPrefix: '172.27.0.63/32', nextHop: '192.168.10.21', dev: 'eth1'});
		expect(answer(device, 'master', '172.27.0.62').route.kind).toBe('blackhole');
		expect(answer(device, 'worker', '172.27.0.63').route).toMatchObject({kind: 'pod', dev: vethName({namespace: 'load', name: 'borrowed'})});
	});
});
