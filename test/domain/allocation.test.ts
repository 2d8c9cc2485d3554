import {describe, expect, test} from 'vitest';
import {addPods, addServices, configureCompute, externalIpLabel} from '../../source/domain/allocation.js';
import {createDemoDevice, demoBaseDevice} from '../../source/domain/demo.js';
import {checkIpPlan} from '../../source/domain/ip-plan.js';
import type {Device} from '../../source/domain/device.js';

function unwrap<T>(result: {ok: true; value: T} | {ok: false; error: string}): T {
	if (!result.ok) {
		throw new Error(result.error);
	}
	return result.value;
}

const configured = unwrap(configureCompute(demoBaseDevice));

const loadBalancer = (name: string) => ({namespace: 'apps', name, type: 'LoadBalancer' as const, selector: {app: name}, ports: []});

describe('configureCompute', () => {
	test('gives the VMs the first node IPs and internal switch addresses', () => {
		expect(configured.vms.map(vm => vm.nics.map(nic => `${vm.name} ${nic.name} ${nic.network} ${nic.address}`))).toEqual([
			['master eth0 internal 172.20.0.2/24', 'master eth1 external 192.168.10.20/24'],
			['worker eth0 internal 172.20.0.3/24', 'worker eth1 external 192.168.10.21/24'],
		]);
		expect(checkIpPlan(configured)).toEqual([]);
	});

	test('refuses a node range too small for both VMs', () => {
		const device = {...demoBaseDevice, cluster: {...demoBaseDevice.cluster, nodeIpRange: '192.168.10.20-192.168.10.20'}};
		expect(configureCompute(device)).toEqual({ok: false, error: 'the node IP range 192.168.10.20-192.168.10.20 has no address left for the worker VM'});
	});
});

describe('MetalLB allocation', () => {
	test('hands out the external range first-free, then leaves services pending', () => {
		const device = unwrap(addServices(configured, ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map(name => loadBalancer(name))));
		expect(device.services.map(service => externalIpLabel(service))).toEqual([
			'192.168.10.30',
			'192.168.10.31',
			'192.168.10.32',
			'192.168.10.33',
			'192.168.10.34',
			'<pending>',
			'<pending>',
		]);
		expect(device.services[5]?.externalIp).toBeNull();
		expect(checkIpPlan(device)).toEqual([]);
	});

	test('reuses an address freed by a deleted service', () => {
		const full = unwrap(addServices(configured, ['a', 'b', 'c'].map(name => loadBalancer(name))));
		const withoutB: Device = {...full, services: full.services.filter(service => service.name !== 'b')};
		const next = unwrap(addServices(withoutB, [loadBalancer('d')]));
		expect(next.services.find(service => service.name === 'd')?.externalIp).toBe('192.168.10.31');
	});

	test('ClusterIP and NodePort services get no external IP', () => {
		const device = unwrap(
			addServices(configured, [
				{namespace: 'a', name: 'x', type: 'ClusterIP', selector: {}, ports: []},
				{namespace: 'a', name: 'y', type: 'NodePort', selector: {}, ports: []},
			]),
		);
		expect(device.services.map(service => [service.externalIp, externalIpLabel(service)])).toEqual([
			[null, '<none>'],
			[null, '<none>'],
		]);
	});

	test('a load balancer\'s host name is shown where its address would be, as kubectl shows it; the address wins when there are both', () => {
		const [web] = unwrap(addServices(configured, [loadBalancer('web')])).services;
		expect(externalIpLabel({...web!, externalIp: null, externalHostname: 'web.lb.example.net'})).toBe('web.lb.example.net');
		expect(externalIpLabel({...web!, externalHostname: 'web.lb.example.net'})).toBe('192.168.10.30');
		expect(externalIpLabel({...web!, externalIp: null})).toBe('<pending>');
	});
});

describe('cluster IPs', () => {
	test('come first-free from the service CIDR, around fixed ones', () => {
		const device = unwrap(
			addServices(configured, [
				{namespace: 'default', name: 'kubernetes', type: 'ClusterIP', selector: {}, ports: [], clusterIp: '172.28.0.1'},
				{namespace: 'a', name: 'x', type: 'ClusterIP', selector: {}, ports: []},
				{namespace: 'a', name: 'y', type: 'ClusterIP', selector: {}, ports: []},
			]),
		);
		expect(device.services.map(service => service.clusterIp)).toEqual(['172.28.0.1', '172.28.0.2', '172.28.0.3']);
	});

	test('report exhaustion instead of inventing an address', () => {
		const tiny = {...configured, cluster: {...configured.cluster, serviceCidr: '172.28.0.0/30'}};
		const specs = ['x', 'y', 'z'].map(name => ({namespace: 'a', name, type: 'ClusterIP' as const, selector: {}, ports: []}));
		expect(addServices(tiny, specs)).toEqual({ok: false, error: 'the service CIDR 172.28.0.0/30 has no free address for service a/z'});
	});
});

describe('Calico pod allocation', () => {
	test('gives each node its own /26 blocks, claiming a new one when full', () => {
		const specs = Array.from({length: 70}, (_, index) => ({namespace: 'a', name: `w-${index}`, node: 'worker' as const, labels: {}}));
		const device = unwrap(addPods(configured, [{namespace: 'a', name: 'm-0', node: 'master', labels: {}}, ...specs]));
		const ips = device.pods.map(pod => pod.ip);
		expect(ips[0]).toBe('172.27.0.0');
		expect(ips[1]).toBe('172.27.0.64');
		expect(ips[64]).toBe('172.27.0.127');
		expect(ips[65]).toBe('172.27.0.128');
		expect(new Set(ips).size).toBe(ips.length);
		expect(checkIpPlan(device)).toEqual([]);
	});

	test('the demo device is built from these allocations', () => {
		const demo = createDemoDevice();
		expect(demo.pods.filter(pod => pod.node === 'master').every(pod => pod.ip.startsWith('172.27.0.') && Number(pod.ip.split('.')[3]) < 64)).toBe(true);
		expect(demo.services.find(service => service.name === 'web')?.externalIp).toBe('192.168.10.31');
	});
});
