/**
 * Import from a real cluster: what `kubectl get pods,services,nodes -A -o json` prints (a `v1` `List` of
 * Pod, Service and Node objects) becomes the device's pods and services. Every address is checked
 * against the device's plan; what does not fit is reported by object name, never dropped silently.
 */

import type {Device, Pod, Service, ServicePort, VmName} from './device.js';
import {contains, parseAddress, parsePrefix, parseRange, toNumber} from './ip.js';

/** An object that could not be imported, and why. */
export type Misfit = {readonly object: string; readonly reason: string};

export type ImportResult =
	| {
			readonly ok: true;
			readonly device: Device;
			readonly pods: number;
			readonly services: number;
			readonly loadBalancers: number;
			readonly pending: number;
			readonly misfits: readonly Misfit[];
	  }
	| {readonly ok: false; readonly error: string};

const expected = 'expected what `kubectl get pods,services,nodes -A -o json` prints: a JSON object with "kind": "List" and "items"';

type Json = Record<string, unknown>;

/** A name or namespace as the Kubernetes API stores it: 1 to 253 characters (the store holds no other). */
const isKubernetesName = (value: unknown): value is string => typeof value === 'string' && value.length >= 1 && value.length <= 253;

const isPortNumber = (value: number) => Number.isInteger(value) && value >= 1 && value <= 65_535;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function stringMap(value: unknown): Record<string, string> {
	if (!isObject(value)) {
		return {};
	}
	return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Which VM a Kubernetes node is: by the VM's node name, else by the control-plane role label. */
function nodeToVm(device: Device, nodes: ReadonlyMap<string, Json>, nodeName: string): VmName | undefined {
	const byName = device.vms.find(vm => vm.nodeName === nodeName);
	if (byName) {
		return byName.name;
	}
	const node = nodes.get(nodeName);
	if (!node) {
		return undefined;
	}
	const labels = stringMap((node['metadata'] as Json | undefined)?.['labels']);
	const isControlPlane = 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
	return isControlPlane ? 'master' : 'worker';
}

/** Parses the text of `kubectl … -o json` and imports it into the device. */
export function importKubectl(device: Device, input: string): ImportResult {
	let data: unknown;
	try {
		data = JSON.parse(input);
	} catch {
		return {ok: false, error: `the input is not JSON; ${expected}`};
	}
	if (!isObject(data) || data['kind'] !== 'List' || !Array.isArray(data['items'])) {
		const kind = isObject(data) && typeof data['kind'] === 'string' ? ` (got kind "${data['kind']}")` : '';
		return {ok: false, error: `the input is not a List${kind}; ${expected}`};
	}
	if (!device.cluster.computeConfigured || device.vms.length === 0) {
		return {ok: false, error: 'Kubernetes compute is not configured on this device: there are no VMs for the pods to run on'};
	}
	const misfits: Misfit[] = [];
	// An object without a kind or a name Kubernetes would accept is listed by its place; the others go on.
	const objects = (data['items'] as unknown[]).filter((item, index): item is Json => {
		const kind = isObject(item) && typeof item['kind'] === 'string' && item['kind'] !== '' ? item['kind'] : undefined;
		const metadata = isObject(item) && isObject(item['metadata']) ? item['metadata'] : {};
		const problem =
			kind === undefined
				? 'has no kind'
				: !isKubernetesName(metadata['name'])
					? `has ${typeof metadata['name'] === 'string' ? `the name ${JSON.stringify(metadata['name'])}` : 'no metadata.name'}; Kubernetes names have 1 to 253 characters`
					: metadata['namespace'] !== undefined && !isKubernetesName(metadata['namespace'])
						? `has the namespace ${JSON.stringify(metadata['namespace'])}; Kubernetes names have 1 to 253 characters`
						: undefined;
		if (problem !== undefined) {
			misfits.push({object: `${kind ?? 'object'} (item ${index} of the input)`, reason: problem});
		}
		return problem === undefined;
	});
	const nameOf = (item: Json) => {
		const metadata = item['metadata'] as Json;
		const namespace = text(metadata['namespace']);
		return {namespace: namespace ?? 'default', name: metadata['name'] as string, label: `${String(item['kind'])} ${namespace ? `${namespace}/` : ''}${String(metadata['name'])}`};
	};
	const nodes = new Map(objects.filter(item => item['kind'] === 'Node').map(item => [nameOf(item).name, item] as const));
	const podCidr = parsePrefix(device.cluster.podCidr);
	const serviceCidr = parsePrefix(device.cluster.serviceCidr);
	const serviceRange = device.cluster.serviceIpRange === null ? undefined : parseRange(device.cluster.serviceIpRange);
	const seen = new Map<string, string>();
	const claim = (address: string, holder: string): boolean => {
		const other = seen.get(address);
		if (other !== undefined) {
			misfits.push({object: holder, reason: `${address} is already held by ${other}`});
			return false;
		}
		seen.set(address, holder);
		return true;
	};

	const pods: Pod[] = [];
	for (const item of objects.filter(candidate => candidate['kind'] === 'Pod')) {
		const {namespace, name, label} = nameOf(item);
		const spec = isObject(item['spec']) ? item['spec'] : {};
		const status = isObject(item['status']) ? item['status'] : {};
		const nodeName = text(spec['nodeName']);
		const ip = text(status['podIP']);
		if (spec['hostNetwork'] === true) {
			misfits.push({object: label, reason: `uses the node's network (IP ${ip ?? 'none'}), not the pod network`});
			continue;
		}
		if (!nodeName) {
			misfits.push({object: label, reason: 'is not scheduled on a node yet'});
			continue;
		}
		const vm = nodeToVm(device, nodes, nodeName);
		if (!vm) {
			misfits.push({object: label, reason: `runs on node "${nodeName}", which matches neither VM (${device.vms.map(candidate => candidate.nodeName).join(', ')}) and is not in the input`});
			continue;
		}
		const parsed = ip === undefined ? undefined : parseAddress(ip);
		if (!parsed?.ok) {
			misfits.push({object: label, reason: ip === undefined ? 'has no pod IP yet' : `has pod IP "${ip}", which is not an IPv4 address`});
			continue;
		}
		if (podCidr.ok && !contains(podCidr.value, toNumber(parsed.value))) {
			misfits.push({object: label, reason: `has pod IP ${parsed.value}, outside the pod CIDR ${device.cluster.podCidr}`});
			continue;
		}
		if (claim(parsed.value, label)) {
			pods.push({namespace, name, node: vm, ip: parsed.value, labels: stringMap((item['metadata'] as Json)['labels'])});
		}
	}

	const services: Service[] = [];
	for (const item of objects.filter(candidate => candidate['kind'] === 'Service')) {
		const {namespace, name, label} = nameOf(item);
		const spec = isObject(item['spec']) ? item['spec'] : {};
		const status = isObject(item['status']) ? item['status'] : {};
		const type = text(spec['type']) ?? 'ClusterIP';
		if (type !== 'ClusterIP' && type !== 'LoadBalancer') {
			misfits.push({object: label, reason: `is of type ${type}; edgenet models ClusterIP and LoadBalancer services`});
			continue;
		}
		const clusterIp = parseAddress(text(spec['clusterIP']) ?? '');
		if (!clusterIp.ok) {
			misfits.push({object: label, reason: `has no IPv4 cluster IP (${text(spec['clusterIP']) ?? 'none'}); headless services have no address to route`});
			continue;
		}
		if (serviceCidr.ok && !contains(serviceCidr.value, toNumber(clusterIp.value))) {
			misfits.push({object: label, reason: `has cluster IP ${clusterIp.value}, outside the service CIDR ${device.cluster.serviceCidr}`});
			continue;
		}
		let externalIp: string | null = null;
		if (type === 'LoadBalancer') {
			const ingress = (isObject(status['loadBalancer']) && Array.isArray(status['loadBalancer']['ingress']) ? status['loadBalancer']['ingress'] : []) as unknown[];
			const first = ingress.map(entry => (isObject(entry) ? text(entry['ip']) : undefined)).find(Boolean);
			if (first !== undefined) {
				const parsed = parseAddress(first);
				if (!parsed.ok || (serviceRange?.ok && !contains(serviceRange.value, toNumber(parsed.value)))) {
					misfits.push({object: label, reason: `has LoadBalancer IP ${first}, outside the Kubernetes external service IP range ${device.cluster.serviceIpRange ?? '(not set)'}`});
					continue;
				}
				externalIp = parsed.value;
			}
		}
		const ports: ServicePort[] = (Array.isArray(spec['ports']) ? spec['ports'] : []).filter(isObject).flatMap(port => {
			const number = port['port'];
			if (typeof number !== 'number') {
				return [];
			}
			const protocol = text(port['protocol']) ?? 'TCP';
			return [{
				name: text(port['name']) ?? null,
				protocol: protocol === 'UDP' || protocol === 'SCTP' ? protocol : 'TCP',
				port: number,
				targetPort: typeof port['targetPort'] === 'number' ? port['targetPort'] : number,
			}];
		});
		const badPort = ports.flatMap(port => [port.port, port.targetPort]).find(number => !isPortNumber(number));
		if (badPort !== undefined) {
			misfits.push({object: label, reason: `has port ${badPort}, which is not a port number (1 to 65535)`});
			continue;
		}
		if (!claim(clusterIp.value, label) || (externalIp !== null && !claim(externalIp, `${label} (external)`))) {
			continue;
		}
		services.push({namespace, name, type, clusterIp: clusterIp.value, externalIp, selector: stringMap(spec['selector']), ports});
	}

	return {
		ok: true,
		device: {...device, pods, services},
		pods: pods.length,
		services: services.length,
		loadBalancers: services.filter(service => service.type === 'LoadBalancer').length,
		pending: services.filter(service => service.type === 'LoadBalancer' && service.externalIp === null).length,
		misfits,
	};
}
