import {describe, expect, test} from 'vitest';
import {checkIpPlan, type PlanProblemCode} from '../../source/domain/ip-plan.js';
import {createDemoDevice} from '../../source/domain/demo.js';
import type {Device, Port} from '../../source/domain/device.js';

const demo = createDemoDevice();

function withPort(device: Device, name: string, change: Partial<Port>): Device {
	return {...device, ports: device.ports.map(port => (port.name === name ? {...port, ...change} : port))};
}

function withCluster(device: Device, change: Partial<Device['cluster']>): Device {
	return {...device, cluster: {...device.cluster, ...change}};
}

function messages(device: Device, code?: PlanProblemCode): string[] {
	return checkIpPlan(device)
		.filter(problem => code === undefined || problem.code === code)
		.map(problem => problem.message);
}

describe('the demo device', () => {
	test('passes every IP plan check', () => {
		expect(checkIpPlan(demo)).toEqual([]);
	});
});

describe('node IP range', () => {
	test('must lie on the compute port subnet', () => {
		expect(messages(withCluster(demo, {nodeIpRange: '192.168.11.20-192.168.11.22'}), 'node-range')).toEqual([
			"the Kubernetes node IP range 192.168.11.20-192.168.11.22 is not on Port3's network 192.168.10.0/24; choose host addresses from 192.168.10.1-192.168.10.254",
		]);
	});

	test('must not include the subnet broadcast address', () => {
		const device = withCluster(demo, {nodeIpRange: '192.168.10.253-192.168.10.255'});
		expect(messages(device, 'node-range')[0]).toContain('is not on Port3\'s network');
	});

	test('must hold one address per VM plus a spare', () => {
		expect(messages(withCluster(demo, {nodeIpRange: '192.168.10.20-192.168.10.21'}), 'node-range')).toEqual([
			'the Kubernetes node IP range 192.168.10.20-192.168.10.21 holds 2 addresses; it needs at least 3: one per VM (master, worker) plus one spare',
		]);
	});

	test("must exclude the port's own address", () => {
		expect(messages(withCluster(demo, {nodeIpRange: '192.168.10.4-192.168.10.22'}), 'node-range')).toEqual([
			"the Kubernetes node IP range 192.168.10.4-192.168.10.22 includes Port3's own address 192.168.10.5; choose a range that leaves it out",
		]);
	});

	test("must exclude the port's gateway", () => {
		const device = withPort(demo, 'Port3', {gateway: '192.168.10.21'});
		expect(messages(device, 'node-range')).toEqual([
			"the Kubernetes node IP range 192.168.10.20-192.168.10.22 includes Port3's gateway 192.168.10.21; choose a range that leaves it out",
		]);
	});

	test('must be set once compute is configured', () => {
		expect(messages(withCluster(demo, {nodeIpRange: null}), 'node-range')).toEqual([
			'Kubernetes compute is configured but no node IP range is set; set a static range of at least 3 addresses',
		]);
	});

	test('must be written first-last', () => {
		expect(messages(withCluster(demo, {nodeIpRange: '192.168.10.22-192.168.10.20'}), 'node-range')).toEqual([
			'the Kubernetes node IP range: "192.168.10.22-192.168.10.20" is not an address range: 192.168.10.22 comes after 192.168.10.20',
		]);
	});
});

describe('external service IP range', () => {
	test('must lie on the compute port subnet', () => {
		expect(messages(withCluster(demo, {serviceIpRange: '10.0.0.1-10.0.0.5'}), 'service-range')[0]).toBe(
			"the Kubernetes external service IP range 10.0.0.1-10.0.0.5 is not on Port3's network 192.168.10.0/24; choose host addresses from 192.168.10.1-192.168.10.254",
		);
	});

	test('must not overlap the node range', () => {
		expect(messages(withCluster(demo, {serviceIpRange: '192.168.10.22-192.168.10.34'}), 'service-range')).toEqual([
			'the Kubernetes external service IP range 192.168.10.22-192.168.10.34 overlaps the node IP range 192.168.10.20-192.168.10.22; the two ranges must not share addresses',
		]);
	});

	test('is needed by LoadBalancer services MetalLB serves, not by those a DNS-based load balancer serves (a host name and no address)', () => {
		const unset = withCluster(demo, {serviceIpRange: null});
		const byHostname = {...unset, services: demo.services.map(service => (service.type === 'LoadBalancer' ? {...service, externalIp: null, externalHostname: `${service.name}.lb.example.net`} : service))};
		expect(messages(byHostname, 'service-range')).toEqual([]);
		expect(messages(unset, 'service-range')).toEqual(['there are LoadBalancer services but no Kubernetes external service IP range; set a range of at least one address']);
	});
});

describe('pod and service CIDRs', () => {
	test('must not overlap each other', () => {
		expect(messages(withCluster(demo, {serviceCidr: '172.27.128.0/17'}), 'cluster-cidr')).toContain(
			'the pod CIDR 172.27.0.0/16 overlaps the service CIDR 172.27.128.0/17; they must be separate networks',
		);
	});

	test('must not overlap a port network', () => {
		expect(messages(withCluster(demo, {podCidr: '10.128.0.0/16'}), 'cluster-cidr')).toEqual([
			"the pod CIDR 10.128.0.0/16 overlaps Port2's network 10.128.44.0/24; traffic for it would stay inside the cluster",
		]);
	});

	test('must not overlap the node or service ranges', () => {
		const found = messages(withCluster(demo, {serviceCidr: '192.168.10.0/24'}), 'cluster-cidr');
		expect(found).toContain("the service CIDR 192.168.10.0/24 overlaps Port3's network 192.168.10.0/24; traffic for it would stay inside the cluster");
		expect(found).toContain('the service CIDR 192.168.10.0/24 overlaps the node IP range 192.168.10.20-192.168.10.22; traffic for it would stay inside the cluster');
		expect(found).toContain('the service CIDR 192.168.10.0/24 overlaps the external service IP range 192.168.10.30-192.168.10.34; traffic for it would stay inside the cluster');
	});

	test('must be valid prefixes', () => {
		expect(messages(withCluster(demo, {podCidr: '172.27.0.1/16'}), 'cluster-cidr')).toEqual([
			'pod CIDR: "172.27.0.1/16" has host bits set (Invalid prefix for given prefix length); did you mean 172.27.0.0/16?',
		]);
	});
});

describe('allocated addresses', () => {
	test('pod IPs must lie in the pod CIDR', () => {
		const device = {...demo, pods: demo.pods.map((pod, index) => (index === 0 ? {...pod, ip: '10.9.9.9'} : pod))};
		expect(messages(device, 'pod')).toEqual(['pod kube-system/coredns-6d4b75cb6d-7xk2p has IP 10.9.9.9, outside the pod CIDR 172.27.0.0/16']);
	});

	test('a Calico block belongs to one node', () => {
		const device = {...demo, pods: demo.pods.map(pod => (pod.name === 'db-0' ? {...pod, ip: '172.27.0.9'} : pod))};
		expect(messages(device, 'pod')).toEqual([
			'pod webapp/db-0 on the worker VM has IP 172.27.0.9 in block 172.27.0.0/26, which Calico gave the master VM',
		]);
	});

	test('cluster IPs must lie in the service CIDR', () => {
		const device = {...demo, services: demo.services.map(service => (service.name === 'db' ? {...service, clusterIp: '172.29.0.4'} : service))};
		expect(messages(device, 'service')).toEqual(['service webapp/db has cluster IP 172.29.0.4, outside the service CIDR 172.28.0.0/16']);
	});

	test('only a LoadBalancer has a load balancer host name, and it is a DNS name', () => {
		const device = {
			...demo,
			services: demo.services.map(service =>
				service.name === 'db' ? {...service, externalHostname: 'db.lb.example.net'} : service.name === 'web' ? {...service, externalHostname: 'web lb\u001B'} : service,
			),
		};
		expect(messages(device, 'service')).toEqual([
			'service webapp/web has the load balancer host name "web lb\\u001b", which is not a DNS name (lowercase letters, digits, - and ., at most 253 characters, not an IP address)',
			'service webapp/db is of type ClusterIP but has a load balancer host name "db.lb.example.net"; only LoadBalancer services get one',
		]);
	});

	test('LoadBalancer IPs must lie in the external service range', () => {
		const device = {...demo, services: demo.services.map(service => (service.name === 'web' ? {...service, externalIp: '192.168.10.40'} : service))};
		expect(messages(device, 'service')).toEqual([
			'service webapp/web has external IP 192.168.10.40, outside the Kubernetes external service IP range 192.168.10.30-192.168.10.34',
		]);
	});

	test('VM node addresses must lie in the node range', () => {
		const device = {
			...demo,
			vms: demo.vms.map(vm => (vm.name === 'worker' ? {...vm, nics: vm.nics.map(nic => (nic.network === 'external' ? {...nic, address: '192.168.10.50/24'} : nic))} : vm)),
		};
		expect(messages(device, 'vm')).toEqual(['worker eth1 address 192.168.10.50 is not in the Kubernetes node IP range 192.168.10.20-192.168.10.22']);
	});

	test('every address is unique', () => {
		const device = {...demo, pods: demo.pods.map(pod => (pod.name === 'db-0' ? {...pod, ip: '172.27.0.67'} : pod))};
		expect(messages(device, 'duplicate-address')).toEqual([
			'172.27.0.67 is held by both pod webapp/web-7f9c6d8b5-p4nzs and pod webapp/db-0; every address must be unique',
		]);
	});
});

describe('ports and compute', () => {
	test('a static port needs an address', () => {
		expect(messages(withPort(demo, 'Port4', {ipConfig: 'static'}), 'port-address')).toEqual([
			'Port4 is static but has no address; give it an address such as 192.168.10.5/24, or set it to DHCP',
		]);
	});

	test("a gateway must be on the port's network", () => {
		expect(messages(withPort(demo, 'Port2', {gateway: '10.128.45.1'}), 'port-address')).toEqual([
			"Port2 gateway 10.128.45.1 is not on the port's network 10.128.44.0/24",
		]);
	});

	test('compute on one port only', () => {
		const device = withPort(demo, 'Port1', {computeEnabled: true});
		expect(messages(device, 'compute-port')).toEqual([
			'compute is enabled on Port1, Port3; the Kubernetes VMs have one external NIC, so enable compute on one port only',
		]);
	});
});
