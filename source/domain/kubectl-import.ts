/**
 * Import from a real cluster: what `kubectl get pods,services,nodes -A -o json` prints (a `v1` `List` of
 * Pod, Service and Node objects, or the typed lists and single objects `kubectl-objects.ts` reads)
 * becomes the device's pods and services. Every address is checked against the device's plan; what does
 * not fit is reported by object name, never dropped silently, and every other kind is counted.
 */

import {type Device, isLoadBalancerHostname, isPortName, isPortNumber, isStoredName, loadBalancerHostnameRule, maximumPort, type Pod, type Service, type ServicePort, serviceTypes, type VmName} from './device.js';
import {isPendingLoadBalancer} from './allocation.js';
import {contains, isIPv4Address, parseAddress, parsePrefix, parseRange, toNumber} from './ip.js';
import {firstIpv4, isObject, itemsOf, type Json, stringMap, text} from './kubectl-objects.js';

/**
 * An object that could not be imported, and why. `expected` marks what every real cluster has and edgenet
 * does not model (host-network system pods, pods not running yet, headless and ExternalName services):
 * such misfits say nothing about whether the input is the device's cluster.
 */
export type Misfit = {readonly object: string; readonly reason: string; readonly expected?: true};

export type ImportResult =
	| {
			readonly ok: true;
			readonly device: Device;
			readonly pods: number;
			readonly services: number;
			readonly nodePorts: number;
			readonly loadBalancers: number;
			/** LoadBalancer services with neither an address nor a host name from their load balancer (`<pending>`). */
			readonly pending: number;
			readonly misfits: readonly Misfit[];
			/** How many objects the input held that are not imported and not misfits, by kind: Nodes (they place the pods), finished pods, and kinds edgenet does not model. */
			readonly otherKinds: ReadonlyMap<string, number>;
	  }
	| {readonly ok: false; readonly error: string};

/** The key under which `otherKinds` counts pods whose phase is Succeeded or Failed. */
export const finishedPods = 'finished Pod';

/** The key under which `otherKinds` counts earlier copies of an object the input gives again. */
export const repeatedObjects = 'earlier copy of an object given again';


const metadataOf = (item: Json): Json => (isObject(item['metadata']) ? item['metadata'] : {});
const specOf = (item: Json): Json => (isObject(item['spec']) ? item['spec'] : {});
const statusOf = (item: Json): Json => (isObject(item['status']) ? item['status'] : {});
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const isControlPlane = (node: Json) => {
	const labels = stringMap(metadataOf(node)['labels']);
	return 'node-role.kubernetes.io/control-plane' in labels || 'node-role.kubernetes.io/master' in labels;
};

/**
 * Which VM a Kubernetes node is: the VM whose node name it has; else, by the control-plane role label, the
 * master, or the worker when it is the input's only worker node (the device has one worker VM).
 */
function nodeMatcher(device: Device, nodes: ReadonlyMap<string, Json>): (nodeName: string) => {readonly vm: VmName} | {readonly reason: string} {
	const vmNames = device.vms.map(vm => vm.nodeName).join(', ');
	const workers = [...nodes].filter(([, node]) => !isControlPlane(node)).map(([name]) => name);
	const namedWorker = device.vms.find(vm => vm.name === 'worker' && nodes.has(vm.nodeName));
	return nodeName => {
		const byName = device.vms.find(vm => vm.nodeName === nodeName);
		if (byName) {
			return {vm: byName.name};
		}
		const node = nodes.get(nodeName);
		if (!node) {
			return {reason: `runs on node "${nodeName}", which matches neither VM (${vmNames}) and is not in the input`};
		}
		if (isControlPlane(node)) {
			return {vm: 'master'};
		}
		if (namedWorker === undefined && workers.length === 1) {
			return {vm: 'worker'};
		}
		return {reason: `runs on node "${nodeName}", one of ${workers.length} worker nodes in the input; the device has one worker VM (${namedWorker?.nodeName ?? vmNames}), so pods of another worker cannot be placed`};
	};
}

/** The number a named target port stands for in the pods a service selects, when they all agree on one. */
function resolveTargetPort(name: string, protocol: string, pods: readonly Json[]): number | undefined {
	const numbers = new Set(
		pods.flatMap(pod =>
			listOf(specOf(pod)['containers'])
				.filter(isObject)
				.flatMap(container => listOf(container['ports']).filter(isObject))
				.filter(port => port['name'] === name && (text(port['protocol']) ?? 'TCP') === protocol)
				.map(port => port['containerPort'])
				.filter((number): number is number => typeof number === 'number' && isPortNumber(number)),
		),
	);
	return numbers.size === 1 ? [...numbers][0] : undefined;
}

/** Parses the texts of `kubectl … -o json` (one or several documents) and imports them into the device. */
export function importKubectl(device: Device, input: string | readonly string[]): ImportResult {
	const inputs = typeof input === 'string' ? [input] : input;
	const items: unknown[] = [];
	for (const [index, document] of inputs.entries()) {
		const read = itemsOf(document, inputs.length === 1 ? 'the input' : `input ${index + 1}`);
		if (!read.ok) {
			return read;
		}
		items.push(...read.items);
	}
	if (!device.cluster.computeConfigured || device.vms.length === 0) {
		return {ok: false, error: 'Kubernetes compute is not configured on this device: there are no VMs for the pods to run on'};
	}
	const misfits: Misfit[] = [];
	// An object without a kind or a name Kubernetes would accept is listed by its place; the others go on.
	const objects = items.filter((item, index): item is Json => {
		const kind = isObject(item) && typeof item['kind'] === 'string' && item['kind'] !== '' ? item['kind'] : undefined;
		const metadata = isObject(item) ? metadataOf(item) : {};
		const problem =
			kind === undefined
				? 'has no kind'
				: !isStoredName(metadata['name'])
					? `has ${typeof metadata['name'] === 'string' ? `the name ${JSON.stringify(metadata['name'])}` : 'no metadata.name'}; Kubernetes names have 1 to 253 characters`
					: metadata['namespace'] !== undefined && !isStoredName(metadata['namespace'])
						? `has the namespace ${JSON.stringify(metadata['namespace'])}; Kubernetes names have 1 to 253 characters`
						: undefined;
		if (problem !== undefined) {
			misfits.push({object: `${kind ?? 'object'} (item ${index} of the input)`, reason: problem});
		}
		return problem === undefined;
	});
	// The same object in several inputs (two snapshots, say): the last copy is the one imported, the others only counted.
	const identity = (item: Json) => `${String(item['kind'])}|${text(metadataOf(item)['namespace']) ?? ''}|${String(metadataOf(item)['name'])}`;
	const last = new Map(objects.map((item, index) => [identity(item), index] as const));
	const repeated = objects.length - last.size;
	const unique = objects.filter((item, index) => last.get(identity(item)) === index);
	const nameOf = (item: Json) => {
		const metadata = metadataOf(item);
		const namespace = text(metadata['namespace']);
		return {namespace: namespace ?? 'default', name: metadata['name'] as string, label: `${String(item['kind'])} ${namespace ? `${namespace}/` : ''}${String(metadata['name'])}`};
	};
	const ofKind = (kind: string) => unique.filter(item => item['kind'] === kind);
	const otherKinds = new Map<string, number>();
	if (repeated > 0) {
		otherKinds.set(repeatedObjects, repeated);
	}
	for (const item of unique) {
		const kind = String(item['kind']);
		if (kind !== 'Pod' && kind !== 'Service') {
			otherKinds.set(kind, (otherKinds.get(kind) ?? 0) + 1);
		}
	}
	const placeOn = nodeMatcher(device, new Map(ofKind('Node').map(item => [nameOf(item).name, item] as const)));
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
	const importedPods: Json[] = [];
	for (const item of ofKind('Pod')) {
		const {namespace, name, label} = nameOf(item);
		const spec = specOf(item);
		const status = statusOf(item);
		const nodeName = text(spec['nodeName']);
		const phase = text(status['phase']);
		const ip = firstIpv4([status['podIP'], ...listOf(status['podIPs'])], isIPv4Address);
		const anyIp = text(status['podIP']);
		if (spec['hostNetwork'] === true) {
			misfits.push({object: label, reason: `uses the node's network (IP ${anyIp ?? 'none'}), not the pod network`, expected: true});
			continue;
		}
		// A finished pod's address is free again (the kubelet gives it to the next pod on the node): it is no misfit, only counted.
		if (phase === 'Succeeded' || phase === 'Failed') {
			otherKinds.set(finishedPods, (otherKinds.get(finishedPods) ?? 0) + 1);
			continue;
		}
		if (!nodeName) {
			misfits.push({object: label, reason: 'is not scheduled on a node yet', expected: true});
			continue;
		}
		const placed = placeOn(nodeName);
		if ('reason' in placed) {
			misfits.push({object: label, reason: placed.reason});
			continue;
		}
		if (ip === undefined) {
			misfits.push({object: label, reason: anyIp === undefined ? 'has no pod IP yet' : `has pod IP "${anyIp}" and no IPv4 address among its pod IPs`, ...(anyIp === undefined ? {expected: true as const} : {})});
			continue;
		}
		const address = parseAddress(ip);
		if (!address.ok) {
			misfits.push({object: label, reason: `has pod IP "${ip}", which is not an IPv4 address`});
			continue;
		}
		if (podCidr.ok && !contains(podCidr.value, toNumber(address.value))) {
			misfits.push({object: label, reason: `has pod IP ${address.value}, outside the pod CIDR ${device.cluster.podCidr}`});
			continue;
		}
		if (claim(address.value, label)) {
			pods.push({namespace, name, node: placed.vm, ip: address.value, labels: stringMap(metadataOf(item)['labels'])});
			importedPods.push(item);
		}
	}

	const services: Service[] = [];
	for (const item of ofKind('Service')) {
		const {namespace, name, label} = nameOf(item);
		const spec = specOf(item);
		const status = statusOf(item);
		const typeText = text(spec['type']) ?? 'ClusterIP';
		const type = serviceTypes.find(candidate => candidate === typeText);
		if (type === undefined) {
			misfits.push({object: label, reason: `is of type ${typeText}; edgenet models ${serviceTypes.join(', ')} services`, expected: true});
			continue;
		}
		const clusterIpText = firstIpv4([spec['clusterIP'], ...listOf(spec['clusterIPs'])], isIPv4Address);
		const clusterIp = parseAddress(clusterIpText ?? '');
		if (!clusterIp.ok) {
			const headless = text(spec['clusterIP']) === 'None';
			misfits.push({object: label, reason: `has no IPv4 cluster IP (${text(spec['clusterIP']) ?? 'none'}); ${headless ? 'headless services have no address to route' : 'edgenet models IPv4'}`, ...(headless ? {expected: true as const} : {})});
			continue;
		}
		if (serviceCidr.ok && !contains(serviceCidr.value, toNumber(clusterIp.value))) {
			misfits.push({object: label, reason: `has cluster IP ${clusterIp.value}, outside the service CIDR ${device.cluster.serviceCidr}`});
			continue;
		}
		let externalIp: string | null = null;
		let externalHostname: string | null = null;
		if (type === 'LoadBalancer') {
			const ingress = isObject(status['loadBalancer']) ? listOf(status['loadBalancer']['ingress']) : [];
			const first = firstIpv4(ingress, isIPv4Address);
			if (first !== undefined) {
				const parsed = parseAddress(first);
				if (!parsed.ok || (serviceRange?.ok && !contains(serviceRange.value, toNumber(parsed.value)))) {
					misfits.push({object: label, reason: `has LoadBalancer IP ${first}, outside the Kubernetes external service IP range ${device.cluster.serviceIpRange ?? '(not set)'}`});
					continue;
				}
				externalIp = parsed.value;
			}
			// A DNS-based load balancer reports a host name (alone, or beside an address, which wins); the first one is kept.
			const hostname = ingress.filter(isObject).map(entry => text(entry['hostname'])).find(candidate => candidate !== undefined && candidate !== '');
			if (hostname !== undefined) {
				if (!isLoadBalancerHostname(hostname)) {
					misfits.push({object: label, reason: `has load balancer host name ${JSON.stringify(hostname)}, which is not ${loadBalancerHostnameRule}`});
					continue;
				}
				externalHostname = hostname;
			}
		}
		const selector = stringMap(spec['selector']);
		const selected = Object.keys(selector).length === 0 ? [] : importedPods.filter(pod => {
			const labels = stringMap(metadataOf(pod)['labels']);
			return Object.entries(selector).every(([key, value]) => labels[key] === value);
		});
		const ports: ServicePort[] = listOf(spec['ports']).filter(isObject).flatMap(port => {
			const number = port['port'];
			if (typeof number !== 'number') {
				return [];
			}
			const raw = text(port['protocol']) ?? 'TCP';
			const protocol = raw === 'UDP' || raw === 'SCTP' ? raw : 'TCP';
			const target = port['targetPort'];
			// A named target port is the container port of that name, as the endpoints controller reads it.
			const targetPort = typeof target === 'number' ? target : typeof target === 'string' ? (resolveTargetPort(target, protocol, selected) ?? target) : number;
			return [{name: text(port['name']) ?? null, protocol, port: number, targetPort}];
		});
		const badPort = ports.flatMap(port => [port.port, port.targetPort]).find(value => (typeof value === 'number' ? !isPortNumber(value) : !isPortName(value)));
		if (badPort !== undefined) {
			misfits.push({object: label, reason: typeof badPort === 'number' ? `has port ${badPort}, which is not a port number (1 to ${maximumPort})` : `has target port ${JSON.stringify(badPort)}, which is neither a port number nor a port name`});
			continue;
		}
		if (!claim(clusterIp.value, label) || (externalIp !== null && !claim(externalIp, `${label} (external)`))) {
			continue;
		}
		services.push({namespace, name, type, clusterIp: clusterIp.value, externalIp, externalHostname, selector, ports});
	}

	return {
		ok: true,
		device: {...device, pods, services},
		pods: pods.length,
		services: services.length,
		nodePorts: services.filter(service => service.type === 'NodePort').length,
		loadBalancers: services.filter(service => service.type === 'LoadBalancer').length,
		pending: services.filter(service => isPendingLoadBalancer(service)).length,
		misfits,
		otherKinds,
	};
}
