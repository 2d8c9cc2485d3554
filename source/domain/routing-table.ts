/**
 * What a Kubernetes VM's kernel holds: its routing table (connected networks, the cluster's ranges, the
 * custom routes installed on it and the default route), and how the kernel picks from it: longest
 * prefix first, then lowest metric.
 */

import {type Device, findPort, gatewayPort, nicOn, switchOfNic, systemMetric, type Vm} from './device.js';
import {contains, formatNetwork, type Network, parseInterfaceAddress, parsePrefix} from './ip.js';
import {installableRoutes} from './route-status.js';

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

/** A losing candidate and why it lost. */
export type Candidate = {
	readonly kind: EntryKind;
	readonly destinationPrefix: string;
	readonly nextHop: string | null;
	readonly interface: string | null;
	readonly metric: number;
	readonly reason: string;
};

/** The entry the kernel picks for a destination, and every other match with why it lost. */
export type RouteChoice = {readonly winner: TableEntry; readonly losers: Candidate[]};

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
			metric: systemMetric,
			interface: nic.network === 'external' ? (vSwitch?.port ?? null) : null,
			description: `connected network of ${nic.name} (${vSwitch?.name ?? nic.network})`,
		});
	}
	const pod = networkOfText(device.cluster.podCidr);
	if (pod) {
		entries.push({kind: 'cluster', destinationPrefix: formatNetwork(pod), network: pod, nextHop: null, nic: null, metric: systemMetric, interface: null, description: 'pod network (Calico)'});
	}
	const service = networkOfText(device.cluster.serviceCidr);
	if (service) {
		entries.push({
			kind: 'cluster',
			destinationPrefix: formatNetwork(service),
			network: service,
			nextHop: null,
			nic: null,
			metric: systemMetric,
			interface: null,
			description: 'service network (kube-proxy)',
		});
	}
	const external = nicOn(vm, 'external');
	for (const route of installableRoutes(device, vm)) {
		const network = networkOfText(route.destinationPrefix);
		if (!network || !external) {
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
			metric: systemMetric,
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
export function selectRoute(table: readonly TableEntry[], destination: number): RouteChoice | undefined {
	return rankMatches(table.filter(entry => contains(entry.network, destination)));
}

/** Orders the entries that match a destination and says why each but the first lost. */
export function rankMatches(matches: readonly TableEntry[]): RouteChoice | undefined {
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
