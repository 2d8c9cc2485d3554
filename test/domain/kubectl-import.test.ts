import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {createDemoDevice, demoBaseDevice} from '../../source/domain/demo.js';
import {backingPods} from '../../source/domain/device.js';
import {checkIpPlan} from '../../source/domain/ip-plan.js';
import {importKubectl} from '../../source/domain/kubectl-import.js';
import {workloadChanges} from '../../source/domain/workload-changes.js';
import {externalIpLabel} from '../../source/domain/allocation.js';

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../fixtures/kubectl', name), 'utf8');
const demo = createDemoDevice();

describe('importing what kubectl printed', () => {
	test('the two-tier app: pods on both nodes, services, LoadBalancer IPs and backing pods', () => {
		const result = importKubectl(demo, fixture('two-tier.json'));
		if (!result.ok) {
			throw new Error(result.error);
		}
		const {device} = result;
		expect(device.pods.map(pod => `${pod.namespace}/${pod.name} ${pod.node} ${pod.ip}`)).toEqual([
			'kube-system/coredns-6d4b75cb6d-7xk2p master 172.27.0.0',
			'shop/frontend-59b7f6c8d9-4hq2x worker 172.27.0.64',
			'shop/frontend-59b7f6c8d9-9mlqz worker 172.27.0.65',
			'shop/postgres-0 worker 172.27.0.66',
			'shop/x\u001B]0;pwned\u0007 worker 172.27.0.67',
		]);
		const frontend = device.services.find(service => service.name === 'frontend')!;
		expect(frontend).toMatchObject({type: 'LoadBalancer', clusterIp: '172.28.0.20', externalIp: '192.168.10.30', selector: {app: 'frontend'}});
		expect(backingPods(device, frontend).map(pod => pod.name)).toEqual(['frontend-59b7f6c8d9-4hq2x', 'frontend-59b7f6c8d9-9mlqz']);
		expect(device.services.find(service => service.name === 'admin')?.externalIp).toBeNull();
		expect([result.pods, result.services, result.loadBalancers, result.pending, result.misfits]).toEqual([5, 4, 2, 1, []]);
		expect(device.routes).toEqual(demo.routes);
		expect(checkIpPlan(device)).toEqual([]);
	});

	test('NodePort services are kept; a load balancer that reports a host name gives it, beside its address or alone, and is not pending', () => {
		const result = importKubectl(demo, fixture('edge-services.json'));
		if (!result.ok) {
			throw new Error(result.error);
		}
		const {device} = result;
		expect(device.services.map(service => [service.name, service.type, service.clusterIp, service.externalIp, service.externalHostname, externalIpLabel(service)])).toEqual([
			['admin', 'NodePort', '172.28.0.40', null, null, '<none>'],
			['storefront', 'LoadBalancer', '172.28.0.41', null, 'storefront-8c1f2e.lb.example.net', 'storefront-8c1f2e.lb.example.net'],
			['checkout', 'LoadBalancer', '172.28.0.42', '192.168.10.31', 'checkout.edge.example.com', '192.168.10.31'],
			['reports', 'LoadBalancer', '172.28.0.43', null, null, '<pending>'],
		]);
		expect(device.services[0]!.ports).toEqual([{name: 'http', protocol: 'TCP', port: 80, targetPort: 8080}]);
		expect([result.services, result.nodePorts, result.loadBalancers, result.pending]).toEqual([4, 1, 3, 1]);
		expect(result.misfits).toEqual([
			{object: 'Service shop/legacy', reason: 'has load balancer host name "Legacy_LB.example.com", which is not a DNS name (lowercase letters, digits, - and ., at most 253 characters, not an IP address)'},
			{object: 'Service shop/warehouse', reason: 'is of type ExternalName; edgenet models ClusterIP, NodePort, LoadBalancer services', expected: true},
		]);
		expect(checkIpPlan(device)).toEqual([]);
	});

	test('the dry run lists a service whose load balancer host name changed as changed', () => {
		const first = importKubectl(demo, fixture('edge-services.json'));
		const moved = fixture('edge-services.json').replace('storefront-8c1f2e.lb.example.net', 'storefront-9d20f3.lb.example.net');
		const second = first.ok ? importKubectl(first.device, moved) : first;
		expect(first.ok && second.ok && workloadChanges(first.device, second.device).services).toEqual({added: [], removed: [], changed: ['shop/storefront'], kept: 3});
	});

	test('every kind of misfit is reported by object name', () => {
		const result = importKubectl(demo, fixture('misfits.json'));
		expect(result.ok && result.misfits).toEqual([
			{object: 'Pod shop/stray-ip', reason: 'has pod IP 10.244.1.5, outside the pod CIDR 172.27.0.0/16'},
			{object: 'Pod shop/elsewhere', reason: 'runs on node "edge-node-7", which matches neither VM (demo-k8s-master, demo-k8s-worker) and is not in the input'},
			{object: 'Pod kube-system/calico-node-abcde', reason: "uses the node's network (IP 192.168.10.21), not the pod network", expected: true},
			{object: 'Service shop/outside-range', reason: 'has LoadBalancer IP 192.168.10.99, outside the Kubernetes external service IP range 192.168.10.30-192.168.10.34'},
		]);
	});

	test.each([
		['not JSON', '{"kind": "List", "items": [', 'the input is not JSON'],
		['a different kind', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}', 'the input is not a List (got kind "ConfigMap")'],
	])('refuses %s, saying what was expected', (_, input, message) => {
		const result = importKubectl(demo, input);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.error).toContain(message);
		expect(!result.ok && result.error).toContain('kubectl get pods,services,nodes -A -o json');
	});

	test('an item without a kind or a name is a misfit named by its place, and the other items are imported', () => {
		const document = JSON.parse(fixture('two-tier.json'));
		document.items.unshift({kind: 'Pod', metadata: {}}, {metadata: {name: 'x'}}, {kind: 'Service', metadata: {name: 'y'.repeat(254), namespace: 'shop'}});
		const result = importKubectl(demo, JSON.stringify(document));
		expect(result.ok && result.misfits.slice(0, 3)).toEqual([
			{object: 'Pod (item 0 of the input)', reason: 'has no metadata.name; Kubernetes names have 1 to 253 characters'},
			{object: 'object (item 1 of the input)', reason: 'has no kind'},
			{object: 'Service (item 2 of the input)', reason: `has the name "${'y'.repeat(254)}"; Kubernetes names have 1 to 253 characters`},
		]);
		expect(result.ok && [result.pods, result.services]).toEqual([5, 4]);
	});

	test('refuses a device without compute', () => {
		expect(importKubectl(demoBaseDevice, fixture('two-tier.json'))).toEqual({ok: false, error: 'Kubernetes compute is not configured on this device: there are no VMs for the pods to run on'});
	});
});
