/**
 * "Where does traffic to this address go?": the routing decision a Kubernetes VM's kernel makes
 * (longest prefix first, then lowest metric), carried across the device's layers, and on to the pods
 * behind a service when the destination is one.
 */

import {addressBook, resolveServiceName} from './cluster-addresses.js';
import {backingPods, computePort, type Device, externalSwitchName, hostPart, nicOn, type Pod, serviceDnsName, type Service, switchOfNic, type Vm, type VmName} from './device.js';
import {parseAddress, type Parsed, toNumber} from './ip.js';
import {selectIndexedRoute, vmRouteIndex} from './prefix-index.js';
import type {Candidate, EntryKind} from './routing-table.js';
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
		readonly kind: EntryKind | 'metallb';
		readonly destinationPrefix: string;
		readonly nextHop: string | null;
		readonly interface: string | null;
		readonly metric: number | null;
		readonly description: string;
	};
	readonly nic: string | null;
	readonly switch: string | null;
	readonly port: string | null;
	/** Every other entry that matched the destination, with why it lost. */
	readonly candidates: readonly Candidate[];
	/** When the destination is a service's address: the service and the pods kube-proxy spreads the traffic over. */
	readonly service: {readonly name: string; readonly dnsName: string; readonly type: Service['type']; readonly pods: ReadonlyArray<Pick<Pod, 'namespace' | 'name' | 'ip' | 'node'>>} | null;
	/** When the destination is a pod's address. */
	readonly pod: Pick<Pod, 'namespace' | 'name' | 'ip' | 'node'> | null;
	readonly path: readonly PathStep[];
};

function externalSwitch(device: Device): string {
	const port = computePort(device);
	return port ? externalSwitchName(port.name) : 'the external switch';
}

function podSummary(pod: Pod) {
	return {namespace: pod.namespace, name: pod.name, ip: pod.ip, node: pod.node};
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

function serviceSection(device: Device, service: Service | undefined): LookupAnswer['service'] {
	if (!service) {
		return null;
	}
	return {
		name: `${service.namespace}/${service.name}`,
		dnsName: serviceDnsName(device.cluster, service),
		type: service.type,
		pods: backingPods(device, service).map(pod => podSummary(pod)),
	};
}

function serviceSteps(device: Device, service: Service): PathStep[] {
	const pods = backingPods(device, service);
	return [
		{layer: 'service', label: `service ${service.namespace}/${service.name} (kube-proxy, selector ${Object.entries(service.selector).map(([key, value]) => `${key}=${value}`).join(',') || 'none'})`},
		{
			layer: 'destination',
			label: pods.length > 0 ? `pods ${pods.map(pod => `${pod.name} ${pod.ip} on ${pod.node}`).join(', ')}` : 'no pod matches the selector: the service has no endpoints',
		},
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
	const nic = device.vms.find(vm => vm.name === announcer);
	const external = nic ? nicOn(nic, 'external') : undefined;
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
				interface: port?.name ?? null,
				metric: null,
				description: `MetalLB answers for ${address} on ${port?.name ?? 'the compute port'}'s network from the ${announcer} VM`,
			},
			nic: external?.name ?? null,
			switch: switchName,
			port: port?.name ?? null,
			candidates: [],
			service: serviceSection(device, service),
			pod: null,
			path: [
				{layer: 'outside', label: `client on ${port?.name ?? 'the compute port'}'s network`},
				{layer: 'port', label: port?.name ?? '?'},
				{layer: 'switch', label: switchName ?? '?'},
				{layer: 'metallb', label: `MetalLB speaker on ${announcer} answers ARP for ${address}`},
				{layer: 'nic', label: `${announcer} ${external?.name ?? '?'} ${external ? hostPart(external.address) : ''}`.trim()},
				...serviceSteps(device, service),
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
	const choice = selectIndexedRoute(vmRouteIndex(device, vm), toNumber(address));
	if (!choice) {
		return {ok: false, error: `the ${vm.name} VM has no route to ${address} (Network is unreachable)`};
	}
	const {winner, losers} = choice;
	const nic = winner.nic ? vm.nics.find(candidate => candidate.name === winner.nic) : undefined;
	const vSwitch = nic ? switchOfNic(device, nic) : undefined;
	const port = winner.interface;
	const targetPod = addressBook(device).pods.get(address);
	const path: PathStep[] = [];
	if (source.kind === 'pod') {
		path.push({layer: 'pod', label: `pod ${source.pod.namespace}/${source.pod.name} ${source.pod.ip}`});
	}
	path.push({layer: 'vm', label: `${vm.name} VM (${winner.kind} route ${winner.destinationPrefix}${winner.kind === 'custom' ? `, metric ${winner.metric}` : ''})`});
	if (winner.kind === 'cluster') {
		if (service && service.clusterIp === address) {
			path.push(...serviceSteps(device, service));
		} else if (targetPod) {
			path.push(
				targetPod.node === vm.name
					? {layer: 'destination', label: `pod ${targetPod.namespace}/${targetPod.name} on this VM (Calico veth)`}
					: {layer: 'destination', label: `pod ${targetPod.namespace}/${targetPod.name} on the ${targetPod.node} VM (Calico, across ${externalSwitch(device)})`},
			);
		} else {
			path.push({layer: 'destination', label: `${address} is in the ${winner.description} but nothing holds it`});
		}
	} else {
		if (nic) {
			path.push({layer: 'nic', label: `${nic.name} ${hostPart(nic.address)}`});
		}
		if (vSwitch) {
			path.push({layer: 'switch', label: vSwitch.nat ? `${vSwitch.name} (NAT)` : vSwitch.name});
		}
		if (port) {
			path.push({layer: 'port', label: port});
		}
		path.push(winner.nextHop ? {layer: 'next hop', label: winner.nextHop} : {layer: 'destination', label: `${address} on-link`});
		if (service && service.externalIp === address) {
			path.push(...serviceSteps(device, service));
		}
	}
	return {
		ok: true,
		value: {
			destination: address,
			query,
			from: sourceLabel(source),
			route: {
				kind: winner.kind,
				destinationPrefix: winner.destinationPrefix,
				nextHop: winner.nextHop,
				interface: winner.interface,
				metric: winner.metric,
				description: winner.description,
			},
			nic: nic?.name ?? null,
			switch: vSwitch?.name ?? null,
			port,
			candidates: losers,
			service: serviceSection(device, service),
			pod: targetPod ? podSummary(targetPod) : null,
			path,
		},
	};
}
