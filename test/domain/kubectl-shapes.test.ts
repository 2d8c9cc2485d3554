/**
 * Import of objects in the shapes the Kubernetes API documents (core/v1 Pod, Service, Node and their
 * lists): named container ports, pod phases, dual-stack address lists, ingress entries, typed lists
 * whose items carry no kind, and more than one worker node.
 */

import {describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {finishedPods, importKubectl} from '../../source/domain/kubectl-import.js';

const demo = createDemoDevice();

const node = (name: string, controlPlane = false) => ({
	apiVersion: 'v1',
	kind: 'Node',
	metadata: {name, labels: {'kubernetes.io/hostname': name, ...(controlPlane ? {'node-role.kubernetes.io/control-plane': ''} : {})}},
	status: {addresses: [{type: 'InternalIP', address: '192.168.10.20'}]},
});

type PodOptions = {readonly node?: string; readonly ip?: string; readonly podIPs?: readonly string[]; readonly phase?: string; readonly labels?: Record<string, string>; readonly ports?: ReadonlyArray<{name: string; containerPort: number; protocol?: string}>};

const pod = (name: string, options: PodOptions = {}) => ({
	apiVersion: 'v1',
	kind: 'Pod',
	metadata: {name, namespace: 'shop', labels: options.labels ?? {app: name}},
	spec: {nodeName: options.node ?? 'demo-k8s-worker', containers: [{name: 'main', image: 'registry.example/app:1', ports: options.ports ?? []}]},
	status: {phase: options.phase ?? 'Running', podIP: options.ip ?? options.podIPs?.[0], podIPs: (options.podIPs ?? (options.ip ? [options.ip] : [])).map(ip => ({ip}))},
});

const service = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}) => ({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace: 'shop'}, spec: {type: 'ClusterIP', ...spec}, status});

const list = (items: readonly unknown[]) => JSON.stringify({apiVersion: 'v1', kind: 'List', metadata: {resourceVersion: ''}, items});

const imported = (input: string | readonly string[]) => {
	const result = importKubectl(demo, input);
	if (!result.ok) {
		throw new Error(result.error);
	}
	return result;
};

describe('real shapes', () => {
	test('a named targetPort is the container port of that name in the selected pods; with no such pod in the input it stays a name', () => {
		const result = imported(
			list([
				pod('metrics-server-1', {ip: '172.27.0.10', labels: {app: 'metrics'}, ports: [{name: 'https', containerPort: 10_250, protocol: 'TCP'}]}),
				service('metrics', {clusterIP: '172.28.0.40', selector: {app: 'metrics'}, ports: [{name: 'https', protocol: 'TCP', port: 443, targetPort: 'https'}]}),
				service('web', {clusterIP: '172.28.0.41', selector: {app: 'absent'}, ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: 'web'}]}),
			]),
		);
		expect(result.device.services.map(entry => [entry.name, entry.ports.map(port => port.targetPort)])).toEqual([
			['metrics', [10_250]],
			['web', ['web']],
		]);
	});

	test('a finished pod gives up its address: the running pod that reuses it is imported, and the finished one is counted', () => {
		const result = imported(list([pod('job-done', {ip: '172.27.0.20', phase: 'Succeeded'}), pod('web-live', {ip: '172.27.0.20'}), pod('job-failed', {ip: '172.27.0.21', phase: 'Failed'})]));
		expect(result.device.pods.map(entry => `${entry.name} ${entry.ip}`)).toEqual(['web-live 172.27.0.20']);
		expect(result.misfits).toEqual([]);
		expect(result.otherKinds.get(finishedPods)).toBe(2);
	});

	test('dual-stack objects give their IPv4 address from podIPs and clusterIPs, and a LoadBalancer its address from any ingress entry', () => {
		const result = imported(
			list([
				pod('dual', {podIPs: ['fd00:10::5', '172.27.0.30']}),
				service('dual', {ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'PreferDualStack', clusterIP: 'fd00:20::10', clusterIPs: ['fd00:20::10', '172.28.0.50'], selector: {app: 'dual'}, ports: [{port: 80, targetPort: 8080, protocol: 'TCP'}]}),
				service('lb', {type: 'LoadBalancer', clusterIP: '172.28.0.51', clusterIPs: ['172.28.0.51'], ports: [{port: 80, targetPort: 8080, protocol: 'TCP'}]}, {loadBalancer: {ingress: [{hostname: 'lb.example.com'}, {ip: '192.168.10.31', ipMode: 'VIP'}]}}),
			]),
		);
		expect(result.device.pods.map(entry => entry.ip)).toEqual(['172.27.0.30']);
		expect(result.device.services.map(entry => [entry.name, entry.clusterIp, entry.externalIp, entry.externalHostname])).toEqual([
			['dual', '172.28.0.50', null, null],
			['lb', '172.28.0.51', '192.168.10.31', 'lb.example.com'],
		]);
		expect(result.misfits).toEqual([]);
	});

	test('a load balancer host name Kubernetes would refuse (an IP address, 254 characters, upper case) is a misfit naming the service; an empty one is no host name', () => {
		const balanced = (name: string, clusterIP: string, ingress: ReadonlyArray<Record<string, string>>) =>
			service(name, {type: 'LoadBalancer', clusterIP, clusterIPs: [clusterIP], ports: [{port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30_080}]}, {loadBalancer: {ingress}});
		const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`;
		const result = imported(
			list([
				balanced('by-ip', '172.28.0.52', [{hostname: '192.168.10.40'}]),
				balanced('too-long', '172.28.0.53', [{hostname: long}]),
				balanced('upper', '172.28.0.54', [{hostname: 'LB.example.com'}]),
				balanced('longest', '172.28.0.55', [{hostname: long.slice(1)}]),
				balanced('empty', '172.28.0.56', [{hostname: ''}]),
			]),
		);
		const rule = 'which is not a DNS name (lowercase letters, digits, - and ., at most 253 characters, not an IP address)';
		expect(result.misfits).toEqual([
			{object: 'Service shop/by-ip', reason: `has load balancer host name "192.168.10.40", ${rule}`},
			{object: 'Service shop/too-long', reason: `has load balancer host name "${long}", ${rule}`},
			{object: 'Service shop/upper', reason: `has load balancer host name "LB.example.com", ${rule}`},
		]);
		expect(result.device.services.map(entry => [entry.name, entry.externalHostname])).toEqual([
			['longest', long.slice(1)],
			['empty', null],
		]);
		expect(result.pending).toBe(1);
	});

	test('PodList, ServiceList and NodeList documents (items without kind), several at once, and every other kind counted', () => {
		const typed = (kind: string, items: ReadonlyArray<Record<string, unknown>>) => JSON.stringify({apiVersion: 'v1', kind, metadata: {resourceVersion: '12345'}, items: items.map(({kind: _, apiVersion: __, ...rest}) => rest)});
		const result = imported([
			typed('PodList', [pod('a', {ip: '172.27.0.40'})]),
			typed('ServiceList', [service('a', {clusterIP: '172.28.0.60', selector: {app: 'a'}, ports: [{port: 80, targetPort: 8080, protocol: 'TCP'}]})]),
			typed('NodeList', [node('demo-k8s-master', true), node('demo-k8s-worker')]),
			list([{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'settings', namespace: 'shop'}, data: {}}]),
		]);
		expect([result.pods, result.services]).toEqual([1, 1]);
		expect(Object.fromEntries(result.otherKinds)).toEqual({Node: 2, ConfigMap: 1});
	});

	test('pods of a second worker node are misfits naming it, not merged into the one worker VM', () => {
		const result = imported(list([node('demo-k8s-master', true), node('demo-k8s-worker'), node('edge-worker-2'), pod('here', {ip: '172.27.0.70'}), pod('there', {ip: '172.27.0.71', node: 'edge-worker-2'})]));
		expect(result.device.pods.map(entry => `${entry.name} ${entry.node}`)).toEqual(['here worker']);
		expect(result.misfits).toEqual([{object: 'Pod shop/there', reason: 'runs on node "edge-worker-2", one of 2 worker nodes in the input; the device has one worker VM (demo-k8s-worker), so pods of another worker cannot be placed'}]);
	});
});
