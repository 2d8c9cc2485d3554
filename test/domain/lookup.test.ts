import {describe, expect, test} from 'vitest';
import {createDemoDevice, demoBaseDevice} from '../../source/domain/demo.js';
import {lookupRoute} from '../../source/domain/lookup.js';
import type {Device} from '../../source/domain/device.js';
import {withRoutes} from '../support/devices.js';

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
		expect(result.route.kind).toBe('cluster');
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
		expect(result.path.map(step => step.layer)).toEqual(['outside', 'port', 'switch', 'metallb', 'nic', 'service', 'destination']);
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
