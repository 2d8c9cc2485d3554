/**
 * "Where does traffic to this address go?": the routing decision a Kubernetes VM's kernel makes
 * (longest prefix first, then lowest metric), carried across the device's layers, and on to the pods
 * behind a service when the destination is one.
 */

import {
	backingPods,
	computePort,
	type Device,
	externalSwitchName,
	findPort,
	gatewayPort,
	hostPart,
	nicOn,
	type Pod,
	serviceDnsName,
	type Service,
	switchOfNic,
	type Vm,
	type VmName,
	vmNames,
} from './device.js';
import {contains, formatNetwork, type Network, parseAddress, parseInterfaceAddress, parsePrefix, type Parsed, toNumber} from './ip.js';
import {routeStatus} from './routes.js';

/** What kind of table entry carried the traffic. */
export type EntryKind = 'custom' | 'connected' | 'cluster' | 'default';

/** One entry of a VM's routing table. */
export type TableEntry = {
	readonly kind: EntryKind;
	readonly destinationPrefix: string;
	readonly network: Network;
	/** The gateway, or null when the destination is on-link. */
	readonly nextHop: string | null;
	/** The VM NIC the traffic leaves by; null for the cluster's own ranges (Calico and kube-proxy handle them). */
	readonly nic: string | null;
	readonly metric: number;
	/** The device port the traffic leaves the device by, if it leaves. */
	readonly interface: string | null;
	/** What the entry is, in words. */
	readonly description: string;
};

/** Where traffic starts. */
export type TraceSource =
	| {readonly kind: 'vm'; readonly vm: Vm}
	| {readonly kind: 'pod'; readonly pod: Pod; readonly vm: Vm}
	| {readonly kind: 'outside'};

/** A losing candidate and why it lost. */
export type Candidate = {
	readonly kind: EntryKind;
	readonly destinationPrefix: string;
	readonly nextHop: string | null;
	readonly interface: string | null;
	readonly metric: number;
	readonly reason: string;
};

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

function networkOfText(text: string): Network | undefined {
	const parsed = parsePrefix(text);
	return parsed.ok ? parsed.value : undefined;
}

/** The VM's routing table: its connected networks, the cluster's ranges, the active custom routes and the default route. */
export function vmRoutingTable(device: Device, vm: Vm): TableEntry[] {
	const entries: TableEntry[] = [];
	for (const nic of vm.nics) {
		const parsed = parseInterfaceAddress(nic.address);
		if (!parsed.ok) {
			continue;
		}
		const vSwitch = switchOfNic(device, nic);
		entries.push({
			kind: 'connected',
			destinationPrefix: formatNetwork(parsed.value.network),
			network: parsed.value.network,
			nextHop: null,
			nic: nic.name,
			metric: 0,
			interface: nic.network === 'external' ? (vSwitch?.port ?? null) : null,
			description: `connected network of ${nic.name} (${vSwitch?.name ?? nic.network})`,
		});
	}
	const pod = networkOfText(device.cluster.podCidr);
	if (pod) {
		entries.push({kind: 'cluster', destinationPrefix: formatNetwork(pod), network: pod, nextHop: null, nic: null, metric: 0, interface: null, description: 'pod network (Calico)'});
	}
	const service = networkOfText(device.cluster.serviceCidr);
	if (service) {
		entries.push({kind: 'cluster', destinationPrefix: formatNetwork(service), network: service, nextHop: null, nic: null, metric: 0, interface: null, description: 'service network (kube-proxy)'});
	}
	const external = nicOn(vm, 'external');
	for (const route of device.routes) {
		const network = networkOfText(route.destinationPrefix);
		if (!network || !external || routeStatus(device, route).state !== 'active') {
			continue;
		}
		entries.push({
			kind: 'custom',
			destinationPrefix: formatNetwork(network),
			network,
			nextHop: route.nextHop,
			nic: external.name,
			metric: route.metric,
			interface: findPort(device, route.interface)?.name ?? route.interface,
			description: `custom route on ${route.interface}`,
		});
	}
	const internal = nicOn(vm, 'internal');
	if (internal) {
		const gateway = gatewayPort(device);
		entries.push({
			kind: 'default',
			destinationPrefix: '0.0.0.0/0',
			network: {address: '0.0.0.0', prefixLength: 0, first: 0, last: 2 ** 32 - 1},
			nextHop: device.internalSwitch.natAddress,
			nic: internal.name,
			metric: 0,
			interface: gateway?.name ?? null,
			description: `default route: NAT on ${device.internalSwitch.name}${gateway ? ` out of ${gateway.name}` : ''}`,
		});
	}
	return entries;
}

/** Orders matching entries: longest prefix first, then lowest metric; the table's order breaks a remaining tie. */
function compareEntries(a: TableEntry, b: TableEntry): number {
	return b.network.prefixLength - a.network.prefixLength || a.metric - b.metric;
}

/** Picks the winning entry for a destination by scanning the whole table, and says why each other match lost. The reference the index is tested against. */
export function selectRoute(table: readonly TableEntry[], destination: number): {winner: TableEntry; losers: Candidate[]} | undefined {
	return rankMatches(table.filter(entry => contains(entry.network, destination)));
}

/** Orders the entries that match a destination and says why each but the first lost. */
function rankMatches(matches: readonly TableEntry[]): {winner: TableEntry; losers: Candidate[]} | undefined {
	const ordered = [...matches].sort(compareEntries);
	const winner = ordered[0];
	if (!winner) {
		return undefined;
	}
	const losers = ordered.slice(1).map((entry): Candidate => ({
		kind: entry.kind,
		destinationPrefix: entry.destinationPrefix,
		nextHop: entry.nextHop,
		interface: entry.interface,
		metric: entry.metric,
		reason:
			entry.network.prefixLength < winner.network.prefixLength
				? `shorter prefix /${entry.network.prefixLength} than the winner's /${winner.network.prefixLength} (longest prefix wins)`
				: `same prefix /${entry.network.prefixLength}, higher metric ${entry.metric} than the winner's ${winner.metric} (lowest metric wins)`,
	}));
	return {winner, losers};
}

/** A VM's table arranged for longest-prefix lookups: for each prefix length, the entries by network, lowest metric first. */
export type RouteIndex = {
	readonly lengths: readonly number[];
	readonly byLength: ReadonlyMap<number, ReadonlyMap<number, readonly TableEntry[]>>;
};

/** Builds the longest-prefix index of a table: a lookup probes at most 33 buckets instead of scanning every entry. */
export function createRouteIndex(table: readonly TableEntry[]): RouteIndex {
	const byLength = new Map<number, Map<number, TableEntry[]>>();
	for (const entry of table) {
		let buckets = byLength.get(entry.network.prefixLength);
		if (!buckets) {
			buckets = new Map();
			byLength.set(entry.network.prefixLength, buckets);
		}
		const bucket = buckets.get(entry.network.first);
		if (bucket) {
			bucket.push(entry);
		} else {
			buckets.set(entry.network.first, [entry]);
		}
	}
	for (const buckets of byLength.values()) {
		for (const bucket of buckets.values()) {
			// Stable: equal metrics keep the table's order, as the scan does.
			bucket.sort((a, b) => a.metric - b.metric);
		}
	}
	return {lengths: [...byLength.keys()].sort((a, b) => b - a), byLength};
}

/** The same answer as `selectRoute`, from the index. */
export function selectIndexedRoute(index: RouteIndex, destination: number): {winner: TableEntry; losers: Candidate[]} | undefined {
	const matches: TableEntry[] = [];
	for (const length of index.lengths) {
		const size = 2 ** (32 - length);
		const bucket = index.byLength.get(length)?.get(destination - (destination % size));
		if (bucket) {
			matches.push(...bucket);
		}
	}
	return rankMatches(matches);
}

const indexes = new WeakMap<Device, Map<VmName, RouteIndex>>();

type AddressBook = {readonly pods: ReadonlyMap<string, Pod>; readonly services: ReadonlyMap<string, Service>};

const addressBooks = new WeakMap<Device, AddressBook>();

/** Who holds each pod and service address, built once per device value (the first holder of an address wins, as a scan would find it). */
function addressBook(device: Device): AddressBook {
	let book = addressBooks.get(device);
	if (!book) {
		const pods = new Map<string, Pod>();
		for (const pod of device.pods) {
			if (!pods.has(pod.ip)) {
				pods.set(pod.ip, pod);
			}
		}
		const services = new Map<string, Service>();
		for (const service of device.services) {
			for (const address of [service.clusterIp, service.externalIp]) {
				if (address !== null && !services.has(address)) {
					services.set(address, service);
				}
			}
		}
		book = {pods, services};
		addressBooks.set(device, book);
	}
	return book;
}

/** The VM's routing table index, built once per device value. */
export function vmRouteIndex(device: Device, vm: Vm): RouteIndex {
	let perVm = indexes.get(device);
	if (!perVm) {
		perVm = new Map();
		indexes.set(device, perVm);
	}
	let index = perVm.get(vm.name);
	if (!index) {
		index = createRouteIndex(vmRoutingTable(device, vm));
		perVm.set(vm.name, index);
	}
	return index;
}

/** Resolves `master`, `worker`, `outside` or `namespace/pod`. */
export function resolveSource(device: Device, text: string): Parsed<TraceSource> {
	const name = text.trim();
	if (name.toLowerCase() === 'outside') {
		return {ok: true, value: {kind: 'outside'}};
	}
	if (device.vms.length === 0) {
		return {ok: false, error: 'Kubernetes compute is not configured: the master and worker VMs do not exist yet, so there is no routing table to ask'};
	}
	const vm = device.vms.find(candidate => candidate.name === name.toLowerCase());
	if (vm) {
		return {ok: true, value: {kind: 'vm', vm}};
	}
	const slash = name.indexOf('/');
	if (slash > 0) {
		const pod = device.pods.find(candidate => candidate.namespace === name.slice(0, slash) && candidate.name === name.slice(slash + 1));
		const host = pod ? device.vms.find(candidate => candidate.name === pod.node) : undefined;
		if (pod && host) {
			return {ok: true, value: {kind: 'pod', pod, vm: host}};
		}
		return {ok: false, error: `there is no pod "${name}"; give a pod as namespace/name, such as ${device.pods[0] ? `${device.pods[0].namespace}/${device.pods[0].name}` : 'webapp/web-1'}`};
	}
	return {ok: false, error: `"${name}" is not a source; use ${vmNames.join(', ')}, outside, or a pod as namespace/name`};
}

/** Resolves a service name the way CoreDNS and a pod's search path do; a source pod's namespace completes a short name. */
export function resolveServiceName(device: Device, name: string, namespace?: string): Service | undefined {
	const wanted = name.toLowerCase().replace(/\.$/, '');
	const domain = device.cluster.dnsDomain.toLowerCase();
	const forms = (service: Service) => {
		const fqdn = serviceDnsName(device.cluster, service).toLowerCase();
		const names = [fqdn, `${service.name}.${service.namespace}.svc`, `${service.name}.${service.namespace}`].map(form => form.toLowerCase());
		if (namespace === service.namespace) {
			names.push(service.name.toLowerCase());
		}
		return names.includes(wanted) || fqdn === `${wanted}.${domain}`;
	};
	return device.services.find(service => forms(service));
}

function externalSwitch(device: Device): string {
	const port = computePort(device);
	return port ? externalSwitchName(port.name) : 'the external switch';
}

function podSummary(pod: Pod) {
	return {namespace: pod.namespace, name: pod.name, ip: pod.ip, node: pod.node};
}

function sourceLabel(source: TraceSource): string {
	switch (source.kind) {
		case 'vm': {
			return source.vm.name;
		}
		case 'pod': {
			return `${source.pod.namespace}/${source.pod.name}`;
		}
		case 'outside': {
			return 'outside';
		}
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
