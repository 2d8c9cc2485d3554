/**
 * The IP plan checks: whether a device's addresses fit together the way the real device requires.
 * Every check returns problems as values; none throws.
 */

import {computePort, type Device, vmNames} from './device.js';
import {
	type AddressRange,
	contains,
	formatNetwork,
	formatRange,
	fromNumber,
	type InterfaceAddress,
	type Network,
	networkOf,
	overlaps,
	parseAddress,
	parseInterfaceAddress,
	parsePrefix,
	parseRange,
	sizeOf,
	toNumber,
	within,
} from './ip.js';

/** One way in which a device's IP plan does not hold. */
export type PlanProblem = {
	/** Which rule failed, stable for scripts and tests. */
	readonly code: PlanProblemCode;
	/** What is wrong and what would be accepted. */
	readonly message: string;
};

export const planProblemCodes = [
	'port-address',
	'compute-port',
	'internal-switch',
	'node-range',
	'service-range',
	'cluster-cidr',
	'vm',
	'pod',
	'service',
	'duplicate-address',
] as const;

export type PlanProblemCode = (typeof planProblemCodes)[number];

/** The prefix length of the address blocks Calico hands each node. */
export const calicoBlockPrefixLength = 26;

/** The addresses the node IP range must hold: one per Kubernetes VM plus one spare (n+1). */
export const minimumNodeAddresses = vmNames.length + 1;

type Collector = {
	add(code: PlanProblemCode, message: string): void;
};

type NamedSpan = {readonly label: string; readonly span: AddressRange};

/** Runs every IP plan check on a device. An empty list means the plan holds. */
export function checkIpPlan(device: Device): PlanProblem[] {
	const problems: PlanProblem[] = [];
	const collector: Collector = {
		add(code, message) {
			problems.push({code, message});
		},
	};
	const portNetworks = checkPorts(device, collector);
	const compute = checkComputePort(device, collector);
	const internal = checkInternalSwitch(device, collector, portNetworks);
	const nodeRange = checkNodeRange(device, collector, compute);
	const serviceRange = checkServiceRange(device, collector, compute, nodeRange);
	const cidrs = checkClusterCidrs(device, collector, [
		...portNetworks,
		...(internal ? [{label: `the internal switch network ${formatNetwork(internal)}`, span: internal}] : []),
		...(nodeRange ? [{label: `the node IP range ${formatRange(nodeRange)}`, span: nodeRange}] : []),
		...(serviceRange ? [{label: `the external service IP range ${formatRange(serviceRange)}`, span: serviceRange}] : []),
	]);
	checkVms(device, collector, {internal, nodeRange, compute});
	checkPods(device, collector, cidrs.pod);
	checkServices(device, collector, cidrs.service, serviceRange);
	checkUniqueAddresses(device, collector);
	return problems;
}

function checkPorts(device: Device, collector: Collector): NamedSpan[] {
	const networks: NamedSpan[] = [];
	for (const port of device.ports) {
		if (port.address === null) {
			if (port.ipConfig === 'static') {
				collector.add('port-address', `${port.name} is static but has no address; give it an address such as 192.168.10.5/24, or set it to DHCP`);
			}
			if (port.gateway !== null) {
				collector.add('port-address', `${port.name} has a gateway (${port.gateway}) but no address`);
			}
			continue;
		}
		const parsed = parseInterfaceAddress(port.address);
		if (!parsed.ok) {
			collector.add('port-address', `${port.name} address: ${parsed.error}`);
			continue;
		}
		const {network, value} = parsed.value;
		if (network.prefixLength < 31 && (value === network.first || value === network.last)) {
			collector.add('port-address', `${port.name} address ${port.address} is the ${value === network.first ? 'network' : 'broadcast'} address of ${formatNetwork(network)}; use a host address`);
		}
		networks.push({label: `${port.name}'s network ${formatNetwork(network)}`, span: network});
		if (port.gateway !== null) {
			const gateway = parseAddress(port.gateway);
			if (!gateway.ok) {
				collector.add('port-address', `${port.name} gateway: ${gateway.error}`);
			} else if (!contains(network, toNumber(gateway.value))) {
				collector.add('port-address', `${port.name} gateway ${gateway.value} is not on the port's network ${formatNetwork(network)}`);
			} else if (toNumber(gateway.value) === value) {
				collector.add('port-address', `${port.name} gateway ${gateway.value} is the port's own address`);
			}
		}
		for (const server of port.dns) {
			const parsedServer = parseAddress(server);
			if (!parsedServer.ok) {
				collector.add('port-address', `${port.name} DNS server: ${parsedServer.error}`);
			}
		}
	}
	return networks;
}

type ComputeNetwork = {
	readonly portName: string;
	readonly port: InterfaceAddress;
	readonly gateway: number | undefined;
};

function checkComputePort(device: Device, collector: Collector): ComputeNetwork | undefined {
	const computePorts = device.ports.filter(port => port.computeEnabled);
	if (computePorts.length > 1) {
		collector.add('compute-port', `compute is enabled on ${computePorts.map(port => port.name).join(', ')}; the Kubernetes VMs have one external NIC, so enable compute on one port only`);
	}
	const port = computePort(device);
	if (!port) {
		if (device.cluster.computeConfigured) {
			collector.add('compute-port', 'Kubernetes compute is configured but no port has compute enabled; enable compute on the port that faces the compute network');
		}
		return undefined;
	}
	if (port.address === null) {
		if (device.cluster.computeConfigured) {
			collector.add('compute-port', `${port.name} has compute enabled but no address; the Kubernetes node IPs must lie on its network, so give it a static address`);
		}
		return undefined;
	}
	const parsed = parseInterfaceAddress(port.address);
	if (!parsed.ok) {
		return undefined;
	}
	const gateway = port.gateway !== null && parseAddress(port.gateway).ok ? toNumber(port.gateway) : undefined;
	return {portName: port.name, port: parsed.value, gateway};
}

function checkInternalSwitch(device: Device, collector: Collector, portNetworks: NamedSpan[]): Network | undefined {
	const {internalSwitch} = device;
	const subnet = parsePrefix(internalSwitch.subnet);
	if (!subnet.ok) {
		collector.add('internal-switch', `internal switch network: ${subnet.error}`);
		return undefined;
	}
	const nat = parseAddress(internalSwitch.natAddress);
	if (!nat.ok) {
		collector.add('internal-switch', `internal switch NAT address: ${nat.error}`);
	} else if (!contains(subnet.value, toNumber(nat.value))) {
		collector.add('internal-switch', `the internal switch's NAT address ${nat.value} is not on its network ${internalSwitch.subnet}`);
	}
	for (const other of portNetworks) {
		if (overlaps(subnet.value, other.span)) {
			collector.add('internal-switch', `the internal switch network ${internalSwitch.subnet} overlaps ${other.label}; the VMs could not tell the two apart`);
		}
	}
	return subnet.value;
}

/** Checks a range of the Compute page against the compute port's network; returns the parsed range when it parses. */
function checkComputeRange(
	collector: Collector,
	code: 'node-range' | 'service-range',
	label: string,
	text: string,
	compute: ComputeNetwork | undefined,
): AddressRange | undefined {
	const parsed = parseRange(text);
	if (!parsed.ok) {
		collector.add(code, `${label}: ${parsed.error}`);
		return undefined;
	}
	const range = parsed.value;
	if (!compute) {
		return range;
	}
	const {network} = compute.port;
	const hosts = {first: network.first + 1, last: network.last - 1};
	if (!within(range, network.prefixLength >= 31 ? network : hosts)) {
		collector.add(code, `${label} ${text} is not on ${compute.portName}'s network ${formatNetwork(network)}; choose host addresses from ${formatRange(hosts)}`);
	}
	if (contains(range, compute.port.value)) {
		collector.add(code, `${label} ${text} includes ${compute.portName}'s own address ${compute.port.address}; choose a range that leaves it out`);
	}
	if (compute.gateway !== undefined && contains(range, compute.gateway)) {
		collector.add(code, `${label} ${text} includes ${compute.portName}'s gateway ${fromNumber(compute.gateway)}; choose a range that leaves it out`);
	}
	return range;
}

function checkNodeRange(device: Device, collector: Collector, compute: ComputeNetwork | undefined): AddressRange | undefined {
	const text = device.cluster.nodeIpRange;
	if (text === null) {
		if (device.cluster.computeConfigured) {
			collector.add('node-range', `Kubernetes compute is configured but no node IP range is set; set a static range of at least ${minimumNodeAddresses} addresses`);
		}
		return undefined;
	}
	const range = checkComputeRange(collector, 'node-range', 'the Kubernetes node IP range', text, compute);
	if (range && sizeOf(range) < minimumNodeAddresses) {
		collector.add('node-range', `the Kubernetes node IP range ${text} holds ${sizeOf(range)} address${sizeOf(range) === 1 ? '' : 'es'}; it needs at least ${minimumNodeAddresses}: one per VM (${vmNames.join(', ')}) plus one spare`);
	}
	return range;
}

function checkServiceRange(device: Device, collector: Collector, compute: ComputeNetwork | undefined, nodeRange: AddressRange | undefined): AddressRange | undefined {
	const text = device.cluster.serviceIpRange;
	if (text === null) {
		if (device.services.some(service => service.type === 'LoadBalancer')) {
			collector.add('service-range', 'there are LoadBalancer services but no Kubernetes external service IP range; set a range of at least one address');
		}
		return undefined;
	}
	const range = checkComputeRange(collector, 'service-range', 'the Kubernetes external service IP range', text, compute);
	if (range && nodeRange && overlaps(range, nodeRange)) {
		collector.add('service-range', `the Kubernetes external service IP range ${text} overlaps the node IP range ${formatRange(nodeRange)}; the two ranges must not share addresses`);
	}
	return range;
}

function checkClusterCidrs(device: Device, collector: Collector, others: NamedSpan[]): {pod: Network | undefined; service: Network | undefined} {
	const pod = parsePrefix(device.cluster.podCidr);
	const service = parsePrefix(device.cluster.serviceCidr);
	if (!pod.ok) {
		collector.add('cluster-cidr', `pod CIDR: ${pod.error}`);
	}
	if (!service.ok) {
		collector.add('cluster-cidr', `service CIDR: ${service.error}`);
	}
	if (pod.ok && service.ok && overlaps(pod.value, service.value)) {
		collector.add('cluster-cidr', `the pod CIDR ${device.cluster.podCidr} overlaps the service CIDR ${device.cluster.serviceCidr}; they must be separate networks`);
	}
	for (const [name, parsed] of [['pod CIDR', pod], ['service CIDR', service]] as const) {
		if (!parsed.ok) {
			continue;
		}
		for (const other of others) {
			if (overlaps(parsed.value, other.span)) {
				collector.add('cluster-cidr', `the ${name} ${formatNetwork(parsed.value)} overlaps ${other.label}; traffic for it would stay inside the cluster`);
			}
		}
	}
	return {pod: pod.ok ? pod.value : undefined, service: service.ok ? service.value : undefined};
}

function checkVms(
	device: Device,
	collector: Collector,
	context: {internal: Network | undefined; nodeRange: AddressRange | undefined; compute: ComputeNetwork | undefined},
): void {
	if (!device.cluster.computeConfigured) {
		if (device.vms.length > 0 || device.pods.length > 0 || device.services.length > 0) {
			collector.add('vm', 'Kubernetes compute is not configured, yet the device lists VMs, pods or services; configure compute or remove them');
		}
		return;
	}
	for (const name of vmNames) {
		const count = device.vms.filter(vm => vm.name === name).length;
		if (count !== 1) {
			collector.add('vm', `the cluster must have exactly one ${name} VM, found ${count}`);
		}
	}
	for (const vm of device.vms) {
		for (const network of ['internal', 'external'] as const) {
			const nics = vm.nics.filter(nic => nic.network === network);
			if (nics.length !== 1) {
				collector.add('vm', `the ${vm.name} VM must have one NIC on the ${network} switch, found ${nics.length}`);
			}
		}
		for (const nic of vm.nics) {
			const parsed = parseInterfaceAddress(nic.address);
			if (!parsed.ok) {
				collector.add('vm', `${vm.name} ${nic.name}: ${parsed.error}`);
				continue;
			}
			if (nic.network === 'internal' && context.internal && !contains(context.internal, parsed.value.value)) {
				collector.add('vm', `${vm.name} ${nic.name} address ${parsed.value.address} is not on the internal switch network ${formatNetwork(context.internal)}`);
			}
			if (nic.network === 'internal' && context.internal && parsed.value.network.prefixLength !== context.internal.prefixLength) {
				collector.add('vm', `${vm.name} ${nic.name} has prefix length /${parsed.value.network.prefixLength}, the internal switch network is /${context.internal.prefixLength}`);
			}
			if (nic.network === 'external') {
				if (context.nodeRange && !contains(context.nodeRange, parsed.value.value)) {
					collector.add('vm', `${vm.name} ${nic.name} address ${parsed.value.address} is not in the Kubernetes node IP range ${formatRange(context.nodeRange)}`);
				}
				if (context.compute && parsed.value.network.prefixLength !== context.compute.port.network.prefixLength) {
					collector.add('vm', `${vm.name} ${nic.name} has prefix length /${parsed.value.network.prefixLength}, ${context.compute.portName}'s network is /${context.compute.port.network.prefixLength}`);
				}
			}
		}
	}
}

function checkPods(device: Device, collector: Collector, podCidr: Network | undefined): void {
	const vmsPresent = new Set(device.vms.map(vm => vm.name));
	const blockOwners = new Map<number, string>();
	for (const pod of device.pods) {
		const id = `pod ${pod.namespace}/${pod.name}`;
		if (!vmsPresent.has(pod.node)) {
			collector.add('pod', `${id} runs on the ${pod.node} VM, which the cluster does not have`);
		}
		const ip = parseAddress(pod.ip);
		if (!ip.ok) {
			collector.add('pod', `${id}: ${ip.error}`);
			continue;
		}
		const value = toNumber(ip.value);
		if (podCidr && !contains(podCidr, value)) {
			collector.add('pod', `${id} has IP ${ip.value}, outside the pod CIDR ${formatNetwork(podCidr)}`);
			continue;
		}
		const block = networkOf(value, calicoBlockPrefixLength);
		const owner = blockOwners.get(block.first);
		if (owner === undefined) {
			blockOwners.set(block.first, pod.node);
		} else if (owner !== pod.node) {
			collector.add('pod', `${id} on the ${pod.node} VM has IP ${ip.value} in block ${formatNetwork(block)}, which Calico gave the ${owner} VM`);
		}
	}
}

function checkServices(device: Device, collector: Collector, serviceCidr: Network | undefined, serviceRange: AddressRange | undefined): void {
	for (const service of device.services) {
		const id = `service ${service.namespace}/${service.name}`;
		const clusterIp = parseAddress(service.clusterIp);
		if (!clusterIp.ok) {
			collector.add('service', `${id} cluster IP: ${clusterIp.error}`);
		} else if (serviceCidr && !contains(serviceCidr, toNumber(clusterIp.value))) {
			collector.add('service', `${id} has cluster IP ${clusterIp.value}, outside the service CIDR ${formatNetwork(serviceCidr)}`);
		}
		if (service.externalIp === null) {
			continue;
		}
		if (service.type !== 'LoadBalancer') {
			collector.add('service', `${id} is of type ${service.type} but has an external IP ${service.externalIp}; only LoadBalancer services get one`);
			continue;
		}
		const external = parseAddress(service.externalIp);
		if (!external.ok) {
			collector.add('service', `${id} external IP: ${external.error}`);
		} else if (serviceRange && !contains(serviceRange, toNumber(external.value))) {
			collector.add('service', `${id} has external IP ${external.value}, outside the Kubernetes external service IP range ${formatRange(serviceRange)}`);
		}
	}
}

/** Every address the device hands out, with who holds it. */
export function allocatedAddresses(device: Device): Array<{readonly address: string; readonly holder: string}> {
	const held: Array<{address: string; holder: string}> = [];
	for (const port of device.ports) {
		if (port.address !== null) {
			held.push({address: port.address.split('/')[0] ?? port.address, holder: port.name});
		}
	}
	held.push({address: device.internalSwitch.natAddress, holder: `${device.internalSwitch.name} NAT`});
	for (const vm of device.vms) {
		for (const nic of vm.nics) {
			held.push({address: nic.address.split('/')[0] ?? nic.address, holder: `${vm.name} ${nic.name}`});
		}
	}
	for (const pod of device.pods) {
		held.push({address: pod.ip, holder: `pod ${pod.namespace}/${pod.name}`});
	}
	for (const service of device.services) {
		held.push({address: service.clusterIp, holder: `service ${service.namespace}/${service.name}`});
		if (service.externalIp !== null) {
			held.push({address: service.externalIp, holder: `service ${service.namespace}/${service.name} (external)`});
		}
	}
	return held;
}

function checkUniqueAddresses(device: Device, collector: Collector): void {
	const seen = new Map<string, string>();
	for (const {address, holder} of allocatedAddresses(device)) {
		const first = seen.get(address);
		if (first === undefined) {
			seen.set(address, holder);
		} else {
			collector.add('duplicate-address', `${address} is held by both ${first} and ${holder}; every address must be unique`);
		}
	}
	// Gateways are held by other hosts; none of the device's own addresses may take one.
	for (const port of device.ports) {
		if (port.gateway !== null) {
			const holder = seen.get(port.gateway);
			if (holder !== undefined) {
				collector.add('duplicate-address', `${port.gateway} is ${port.name}'s gateway but is also held by ${holder}`);
			}
		}
	}
}
