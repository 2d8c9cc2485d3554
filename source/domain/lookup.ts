/**
 * "Where does traffic to this address go?": the routing decision a Kubernetes VM's kernel makes
 * (longest prefix first, then lowest metric), carried across the device's layers, and on to the pods
 * behind a service when the destination is one.
 */

import {addressBook, resolveServiceName} from './cluster-addresses.js';
import {backingPods, computePort, type Device, externalSwitchName, hostPart, nicOn, type Pod, serviceDnsName, type Service, switchOfNic, type Vm, type VmName} from './device.js';
import {looksLikeIPv4Address, parseAddress, type Parsed, toNumber} from './ip.js';
import {selectIndexedRoute, vmRouteIndex} from './prefix-index.js';
import type {Candidate, EntryKind, TableEntry} from './routing-table.js';
import {blockContaining} from './calico.js';
import {resolveSource, sourceLabel, type TraceSource} from './trace-source.js';

/** One hop of the path across the layers. */
export type PathStep = {
	readonly layer: 'pod' | 'vm' | 'nic' | 'switch' | 'port' | 'next hop' | 'destination' | 'outside' | 'metallb' | 'service';
	readonly label: string;
};

/** The answer of a lookup. */
export type LookupAnswer = {
	/** The address looked up (a name is resolved first). */
	readonly destination: string;
	/** What was asked: an address or a service name. */
	readonly query: string;
	/** The source as given: master, worker, namespace/pod or outside. */
	readonly from: string;
	readonly route: {
		/** The table entry that won; `kube-proxy` when the address is a service's, rewritten to a pod's before routing; `metallb` from outside. */
		readonly kind: EntryKind | 'metallb' | 'kube-proxy';
		readonly destinationPrefix: string;
		readonly nextHop: string | null;
		/** The kernel's device for the route (a NIC, a pod's veth, a tunnel, `lo`); null when the packet goes nowhere or is rewritten first. */
		readonly dev: string | null;
		readonly interface: string | null;
		readonly metric: number | null;
		readonly description: string;
	};
	readonly nic: string | null;
	readonly switch: string | null;
	readonly port: string | null;
	/** Every other entry that matched the destination, with why it lost. */
	readonly candidates: readonly Candidate[];
	/** When the destination is a service's address: the service and the pods kube-proxy spreads the traffic over, each with the route the VM takes to it. */
	readonly service: {readonly name: string; readonly dnsName: string; readonly type: Service['type']; readonly pods: readonly ServicePod[]} | null;
	/** When the destination is a pod's address. */
	readonly pod: Pick<Pod, 'namespace' | 'name' | 'ip' | 'node'> | null;
	readonly path: readonly PathStep[];
};

/** A pod behind a service, and the route the VM's kernel takes to it once kube-proxy has rewritten the address (none from outside without a VM, or when the VM has no route). */
export type ServicePod = Pick<Pod, 'namespace' | 'name' | 'ip' | 'node'> & {
	readonly route: {readonly kind: EntryKind; readonly destinationPrefix: string; readonly nextHop: string | null; readonly dev: string | null} | null;
};

function podSummary(pod: Pod) {
	return {namespace: pod.namespace, name: pod.name, ip: pod.ip, node: pod.node};
}

/** The entry the VM's kernel picks for an address. */
function routeOf(device: Device, vm: Vm, address: string) {
	return selectIndexedRoute(vmRouteIndex(device, vm), toNumber(address));
}

/** Where a pod is reached from a VM, in words, by the entry that carries it. */
function podReach(pod: Pod, winner: TableEntry | undefined): string {
	const name = `pod ${pod.namespace}/${pod.name} ${pod.ip}`;
	if (!winner) {
		return `${name}: no route`;
	}
	switch (winner.kind) {
		case 'pod':
			return `${name} on this VM (veth ${winner.dev})`;
		case 'block':
			return `${name} on the ${pod.node} VM (via ${winner.nextHop} dev ${winner.dev})`;
		case 'blackhole':
			return `${name}: dropped by this VM's blackhole for ${winner.destinationPrefix} (Calico has no pod of that address here)`;
		default:
			return `${name} by the ${winner.kind} route ${winner.destinationPrefix}${winner.nextHop ? ` via ${winner.nextHop}` : ''}`;
	}
}

/**
 * Looks up where traffic from a VM, a pod or outside the cluster to a destination (address or service name) goes.
 * Answers what the VM's kernel would: the winning route, the NIC, switch, port and next hop, and the losers.
 */
export function lookupRoute(device: Device, fromText: string, destinationText: string): Parsed<LookupAnswer> {
	const source = resolveSource(device, fromText);
	if (!source.ok) {
		return source;
	}
	const query = destinationText.trim();
	let address: string;
	let service: Service | undefined;
	const parsed = parseAddress(query);
	if (!parsed.ok && looksLikeIPv4Address(query)) {
		return parsed;
	}
	if (parsed.ok) {
		address = parsed.value;
		service = addressBook(device).services.get(address);
	} else {
		if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\.?$/i.test(query)) {
			return {ok: false, error: `"${query}" is neither an IPv4 address nor a service name; give an address such as 192.168.20.7 or a name such as web.webapp.svc.cluster.local`};
		}
		service = resolveServiceName(device, query, source.value.kind === 'pod' ? source.value.pod.namespace : undefined);
		if (!service) {
			return {ok: false, error: `"${query}" does not resolve: CoreDNS has no service by that name; names look like <service>.<namespace>.svc.${device.cluster.dnsDomain}`};
		}
		address = service.clusterIp;
	}
	return source.value.kind === 'outside'
		? traceFromOutside(device, query, address, service)
		: traceFromVm(device, source.value, query, address, service);
}

/** A service's pods, each with the entry the VM's kernel picks for it once kube-proxy has rewritten the address (none without a VM): worked out once per answer. */
type ServiceTrace = {readonly service: Service; readonly pods: ReadonlyArray<{readonly pod: Pod; readonly winner: TableEntry | undefined}>};

function traceService(device: Device, service: Service, vm: Vm | undefined): ServiceTrace {
	return {service, pods: backingPods(device, service).map(pod => ({pod, winner: vm ? routeOf(device, vm, pod.ip)?.winner : undefined}))};
}

function serviceSection(device: Device, {service, pods}: ServiceTrace): NonNullable<LookupAnswer['service']> {
	return {
		name: `${service.namespace}/${service.name}`,
		dnsName: serviceDnsName(device.cluster, service),
		type: service.type,
		pods: pods.map(({pod, winner}): ServicePod => ({
			...podSummary(pod),
			route: winner ? {kind: winner.kind, destinationPrefix: winner.destinationPrefix, nextHop: winner.nextHop, dev: winner.dev} : null,
		})),
	};
}

/** What kube-proxy does with traffic to a service's address, in words. */
function kubeProxyVerdict({service, pods}: ServiceTrace): string {
	if (Object.keys(service.selector).length === 0) {
		return 'kube-proxy sends it to the endpoints of a service without a selector, which edgenet does not know';
	}
	return pods.length > 0
		? `kube-proxy rewrites it (DNAT, before routing) to ${pods.length === 1 ? 'its one pod' : `one of its ${pods.length} pods`}, for the service's ports`
		: 'kube-proxy rejects it: no pod matches the selector, so the service has no endpoints';
}

/** The path from a service to its pods, each reached by the routing decision of the VM the rewritten packet is routed on. */
function serviceSteps(trace: ServiceTrace, routed: boolean): PathStep[] {
	const {service, pods} = trace;
	return [
		{layer: 'service', label: `service ${service.namespace}/${service.name} (kube-proxy, selector ${Object.entries(service.selector).map(([key, value]) => `${key}=${value}`).join(',') || 'none'})`},
		...(pods.length > 0
			? pods.map(({pod, winner}): PathStep => ({layer: 'destination', label: routed ? podReach(pod, winner) : `pod ${pod.namespace}/${pod.name} ${pod.ip} on ${pod.node}`}))
			: [{layer: 'destination', label: kubeProxyVerdict(trace)} satisfies PathStep]),
	];
}

function traceFromOutside(device: Device, query: string, address: string, service: Service | undefined): Parsed<LookupAnswer> {
	if (!service || service.externalIp !== address) {
		const external = device.services.filter(candidate => candidate.externalIp !== null).map(candidate => candidate.externalIp);
		return {
			ok: false,
			error: `from outside the cluster only LoadBalancer IPs reach it (${external.length > 0 ? external.join(', ') : 'there are none'}); ${address} is not one`,
		};
	}
	const port = computePort(device);
	const switchName = port ? externalSwitchName(port.name) : null;
	const pods = backingPods(device, service);
	// MetalLB in layer-2 mode: one speaker answers ARP for the address; it runs on a node with an endpoint.
	const announcer: VmName = pods.some(pod => pod.node === 'worker') || pods.length === 0 ? 'worker' : 'master';
	const speaker = device.vms.find(vm => vm.name === announcer);
	const trace = traceService(device, service, speaker);
	const external = speaker ? nicOn(speaker, 'external') : undefined;
	return {
		ok: true,
		value: {
			destination: address,
			query,
			from: 'outside',
			route: {
				kind: 'metallb',
				destinationPrefix: `${address}/32`,
				nextHop: null,
				dev: external?.name ?? null,
				interface: port?.name ?? null,
				metric: null,
				description: `MetalLB answers for ${address} on ${port?.name ?? 'the compute port'}'s network from the ${announcer} VM`,
			},
			nic: external?.name ?? null,
			switch: switchName,
			port: port?.name ?? null,
			candidates: [],
			service: serviceSection(device, trace),
			pod: null,
			path: [
				{layer: 'outside', label: `client on ${port?.name ?? 'the compute port'}'s network`},
				{layer: 'port', label: port?.name ?? '?'},
				{layer: 'switch', label: switchName ?? '?'},
				{layer: 'metallb', label: `MetalLB speaker on ${announcer} answers ARP for ${address}`},
				{layer: 'nic', label: `${announcer} ${external?.name ?? '?'} ${external ? hostPart(external.address) : ''}`.trim()},
				...serviceSteps(trace, speaker !== undefined),
			],
		},
	};
}

function traceFromVm(
	device: Device,
	source: Extract<TraceSource, {vm: Vm}>,
	query: string,
	address: string,
	service: Service | undefined,
): Parsed<LookupAnswer> {
	const {vm} = source;
	const first: PathStep[] = source.kind === 'pod' ? [{layer: 'pod', label: `pod ${source.pod.namespace}/${source.pod.name} ${source.pod.ip}`}] : [];
	const base = {destination: address, query, from: sourceLabel(source)};
	if (service) {
		// kube-proxy matches a service's cluster IP, and its LoadBalancer IP, before the routing decision (OUTPUT for the VM's own traffic, PREROUTING for a pod's).
		const trace = traceService(device, service, vm);
		return {
			ok: true,
			value: {
				...base,
				route: {kind: 'kube-proxy', destinationPrefix: `${address}/32`, nextHop: null, dev: null, interface: null, metric: null, description: kubeProxyVerdict(trace)},
				nic: null,
				switch: null,
				port: null,
				candidates: [],
				service: serviceSection(device, trace),
				pod: null,
				path: [...first, {layer: 'vm', label: `${vm.name} VM (kube-proxy, ${address === service.clusterIp ? 'cluster IP' : 'LoadBalancer IP'} ${address})`}, ...serviceSteps(trace, true)],
			},
		};
	}
	const choice = routeOf(device, vm, address);
	if (!choice) {
		return {ok: false, error: `the ${vm.name} VM has no route to ${address} (Network is unreachable)`};
	}
	const {winner, losers} = choice;
	const nic = winner.nic ? vm.nics.find(candidate => candidate.name === winner.nic) : undefined;
	const vSwitch = nic ? switchOfNic(device, nic) : undefined;
	const port = winner.interface;
	const targetPod = addressBook(device).pods.get(address);
	const path: PathStep[] = [...first, {layer: 'vm', label: `${vm.name} VM (${winner.kind} route ${winner.destinationPrefix}${winner.kind === 'custom' ? `, metric ${winner.metric}` : ''})`}];
	if (winner.kind === 'local') {
		path.push({layer: 'destination', label: `${address} is the ${vm.name} VM itself`});
	} else if (winner.kind === 'blackhole') {
		path.push({layer: 'destination', label: `dropped: no pod on this VM holds ${address} (blackhole ${winner.destinationPrefix})`});
	} else if (winner.kind === 'pod' && targetPod) {
		path.push({layer: 'destination', label: podReach(targetPod, winner)});
	} else {
		if (nic) {
			path.push({layer: 'nic', label: winner.dev && winner.dev !== nic.name ? `${winner.dev} over ${nic.name} ${hostPart(nic.address)}` : `${nic.name} ${hostPart(nic.address)}`});
		}
		if (vSwitch) {
			path.push({layer: 'switch', label: vSwitch.nat ? `${vSwitch.name} (NAT)` : vSwitch.name});
		}
		if (port) {
			path.push({layer: 'port', label: port});
		}
		path.push(winner.nextHop ? {layer: 'next hop', label: winner.nextHop} : {layer: 'destination', label: `${address} on-link`});
		if (winner.kind === 'block') {
			const owner = calicoOwner(device, address);
			path.push({
				layer: 'destination',
				label: targetPod ? `pod ${targetPod.namespace}/${targetPod.name} on the ${targetPod.node} VM` : `no pod holds ${address}: the ${owner ?? 'other'} VM's blackhole for its block drops it`,
			});
		}
	}
	return {
		ok: true,
		value: {
			...base,
			route: {
				kind: winner.kind,
				destinationPrefix: winner.destinationPrefix,
				nextHop: winner.nextHop,
				dev: winner.dev,
				interface: winner.interface,
				metric: winner.metric,
				description: winner.description,
			},
			nic: nic?.name ?? null,
			switch: vSwitch?.name ?? null,
			port,
			candidates: losers,
			service: null,
			pod: targetPod ? podSummary(targetPod) : null,
			path,
		},
	};
}

/** The VM whose Calico block holds an address, if any. */
function calicoOwner(device: Device, address: string): string | undefined {
	const value = toNumber(address);
	return blockContaining(device, value)?.owner;
}
