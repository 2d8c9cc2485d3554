/**
 * The IP plan checks of the device's own networks: the ports, the internal switch, and the ranges the
 * Compute page puts on the compute port's network.
 */

import {computePort, type Device, vmNames} from './device.js';
import {plural} from './plural.js';
import {
	type AddressRange,
	contains,
	formatNetwork,
	formatRange,
	fromNumber,
	type InterfaceAddress,
	type Network,
	overlaps,
	parseAddress,
	parseInterfaceAddress,
	parsePrefix,
	parseRange,
	sizeOf,
	toNumber,
	within,
} from './ip.js';
import type {NamedSpan, ProblemCollector} from './ip-plan.js';

/** The addresses the node IP range must hold: one per Kubernetes VM plus one spare (n+1). */
export const minimumNodeAddresses = vmNames.length + 1;

/** Checks each port's address, gateway and DNS servers; returns the ports' networks for the overlap checks. */
export function checkPorts(device: Device, collector: ProblemCollector): NamedSpan[] {
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

/** The compute port with its address and gateway: the network the node and service ranges must lie on. */
export type ComputeNetwork = {
	readonly portName: string;
	readonly port: InterfaceAddress;
	readonly gateway: number | undefined;
};

/** Checks that compute is on one port with an address; returns that port's network. */
export function checkComputePort(device: Device, collector: ProblemCollector): ComputeNetwork | undefined {
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

/** Checks the internal switch's network and NAT address, and that it overlaps no port's network. */
export function checkInternalSwitch(device: Device, collector: ProblemCollector, portNetworks: NamedSpan[]): Network | undefined {
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
	collector: ProblemCollector,
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

/** Checks the Kubernetes node IP range: on the compute network and large enough for the VMs. */
export function checkNodeRange(device: Device, collector: ProblemCollector, compute: ComputeNetwork | undefined): AddressRange | undefined {
	const text = device.cluster.nodeIpRange;
	if (text === null) {
		if (device.cluster.computeConfigured) {
			collector.add('node-range', `Kubernetes compute is configured but no node IP range is set; set a static range of at least ${minimumNodeAddresses} addresses`);
		}
		return undefined;
	}
	const range = checkComputeRange(collector, 'node-range', 'the Kubernetes node IP range', text, compute);
	if (range && sizeOf(range) < minimumNodeAddresses) {
		collector.add('node-range', `the Kubernetes node IP range ${text} holds ${plural(sizeOf(range), 'address', 'addresses')}; it needs at least ${minimumNodeAddresses}: one per VM (${vmNames.join(', ')}) plus one spare`);
	}
	return range;
}

/** Checks the Kubernetes external service IP range: on the compute network and apart from the node range. */
export function checkServiceRange(device: Device, collector: ProblemCollector, compute: ComputeNetwork | undefined, nodeRange: AddressRange | undefined): AddressRange | undefined {
	const text = device.cluster.serviceIpRange;
	if (text === null) {
		// A LoadBalancer a DNS-based load balancer serves (it reported a host name and no address) needs no range of the device's.
		if (device.services.some(service => service.type === 'LoadBalancer' && (service.externalIp !== null || service.externalHostname === null))) {
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
