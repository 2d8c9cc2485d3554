/**
 * What a Kubernetes VM's kernel holds, as a real node has it: its own addresses (the local table, looked
 * up first), its connected networks, Calico's routes for the pod CIDR (a blackhole for each of its own
 * /26 blocks, a /32 per local pod on the pod's veth, the other node's blocks through it, by the cluster's
 * encapsulation), the custom routes installed on it and the default route through the internal switch's
 * NAT. There is no route for the whole pod CIDR, and none for the service CIDR: kube-proxy rewrites a
 * cluster IP to a pod's address before routing. The kernel picks the longest prefix, then the lowest metric.
 */

import {calicoBlocks, encapsulationDescriptions, tunnelDevice, vethName, vxlanTunnelAddress} from './calico.js';
import {type Device, findPort, gatewayPort, hostPart, nicOn, switchOfNic, systemMetric, type Vm} from './device.js';
import {contains, formatNetwork, type Network, networkOf, parseAddress, parseInterfaceAddress, parsePrefix, toNumber} from './ip.js';
import {installableRoutes} from './route-status.js';

/** What kind of table entry carried the traffic. */
export type EntryKind = 'local' | 'custom' | 'connected' | 'pod' | 'block' | 'blackhole' | 'default';

/** One entry of a VM's routing table. */
export type TableEntry = {
	readonly kind: EntryKind;
	readonly destinationPrefix: string;
	readonly network: Network;
	/** The gateway, or null when the destination is on-link (or the route goes nowhere). */
	readonly nextHop: string | null;
	/** The kernel's device for the route: a NIC, a pod's `cali…` veth, `tunl0`, `vxlan.calico` or `lo`; null for a blackhole. */
	readonly dev: string | null;
	/** The VM NIC the traffic leaves the VM by (a tunnel's packets leave by the external NIC); null when it stays on the VM or goes nowhere. */
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

const everything: Network = {address: '0.0.0.0', prefixLength: 0, first: 0, last: 2 ** 32 - 1};

/** The local table's entries the lookups answer from: the VM's own addresses and the loopback network. */
function localEntries(vm: Vm): TableEntry[] {
	const entries: TableEntry[] = [];
	for (const nic of vm.nics) {
		const parsed = parseInterfaceAddress(nic.address);
		if (parsed.ok) {
			entries.push({
				kind: 'local',
				destinationPrefix: `${parsed.value.address}/32`,
				network: networkOf(parsed.value.value, 32),
				nextHop: null,
				dev: 'lo',
				nic: null,
				metric: systemMetric,
				interface: null,
				description: `the ${vm.name} VM's own address on ${nic.name} (local table)`,
			});
		}
	}
	entries.push({
		kind: 'local',
		destinationPrefix: '127.0.0.0/8',
		network: networkOf(127 * 2 ** 24, 8),
		nextHop: null,
		dev: 'lo',
		nic: null,
		metric: systemMetric,
		interface: null,
		description: 'loopback (local table)',
	});
	return entries;
}

/** Calico's routes on a VM: blackholes for its own blocks, a /32 per local pod, the other node's blocks (and addresses it borrowed from this VM's blocks) through it. */
function calicoEntries(device: Device, vm: Vm): TableEntry[] {
	const entries: TableEntry[] = [];
	const external = nicOn(vm, 'external');
	const tunnel = tunnelDevice(device.cluster.encapsulation);
	const viaPeer = (network: Network, owner: Vm, what: string): TableEntry | undefined => {
		const peerNic = nicOn(owner, 'external');
		if (!peerNic || !external) {
			return undefined;
		}
		const nextHop = device.cluster.encapsulation === 'vxlan' ? vxlanTunnelAddress(device, owner) : hostPart(peerNic.address);
		if (nextHop === undefined) {
			return undefined;
		}
		return {
			kind: 'block',
			destinationPrefix: formatNetwork(network),
			network,
			nextHop,
			dev: tunnel ?? external.name,
			nic: external.name,
			metric: systemMetric,
			interface: null,
			description: `${what} on the ${owner.name} VM${tunnel ? ` (${encapsulationDescriptions[device.cluster.encapsulation]} over ${external.name})` : ''}`,
		};
	};
	for (const block of calicoBlocks(device)) {
		const prefix = formatNetwork(block.network);
		if (block.owner === vm.name) {
			entries.push({
				kind: 'blackhole',
				destinationPrefix: prefix,
				network: block.network,
				nextHop: null,
				dev: null,
				nic: null,
				metric: systemMetric,
				interface: null,
				description: 'Calico block of this VM: an address no pod here holds goes nowhere',
			});
		} else {
			const owner = device.vms.find(candidate => candidate.name === block.owner);
			const entry = owner ? viaPeer(block.network, owner, `Calico block ${prefix}`) : undefined;
			if (entry) {
				entries.push(entry);
			}
		}
		for (const pod of block.pods) {
			const address = parseAddress(pod.ip);
			if (!address.ok) {
				continue;
			}
			const network = networkOf(toNumber(address.value), 32);
			if (pod.node === vm.name) {
				entries.push({
					kind: 'pod',
					destinationPrefix: formatNetwork(network),
					network,
					nextHop: null,
					get dev() {
						return vethName(pod);
					},
					nic: null,
					metric: systemMetric,
					interface: null,
					description: `pod ${pod.namespace}/${pod.name} on this VM (Calico veth)`,
				});
			} else if (block.owner === vm.name) {
				// An address the other node borrowed from this VM's block: Calico routes its /32 to that node.
				const borrower = device.vms.find(candidate => candidate.name === pod.node);
				const entry = borrower ? viaPeer(network, borrower, `pod ${pod.namespace}/${pod.name} (an address borrowed from this VM's block)`) : undefined;
				if (entry) {
					entries.push(entry);
				}
			}
		}
	}
	return entries;
}

/** The VM's routing table: the local table's entries, its connected networks, Calico's routes, the active custom routes and the default route. */
export function vmRoutingTable(device: Device, vm: Vm): TableEntry[] {
	const entries: TableEntry[] = localEntries(vm);
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
			dev: nic.name,
			nic: nic.name,
			metric: systemMetric,
			interface: nic.network === 'external' ? (vSwitch?.port ?? null) : null,
			description: `connected network of ${nic.name} (${vSwitch?.name ?? nic.network})`,
		});
	}
	entries.push(...calicoEntries(device, vm));
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
			dev: external.name,
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
			network: everything,
			nextHop: device.internalSwitch.natAddress,
			dev: internal.name,
			nic: internal.name,
			metric: systemMetric,
			interface: gateway?.name ?? null,
			description: `default route: NAT on ${device.internalSwitch.name}${gateway ? ` out of ${gateway.name}` : ''}`,
		});
	}
	return entries;
}

/** Orders matching entries: the local table first, then longest prefix, then lowest metric; the table's order breaks a remaining tie. */
function compareEntries(a: TableEntry, b: TableEntry): number {
	return Number(b.kind === 'local') - Number(a.kind === 'local') || b.network.prefixLength - a.network.prefixLength || a.metric - b.metric;
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
			winner.kind === 'local' && entry.kind !== 'local'
				? 'the local table (the VM\'s own addresses) is looked up before the main table'
				: entry.network.prefixLength < winner.network.prefixLength
				? `shorter prefix /${entry.network.prefixLength} than the winner's /${winner.network.prefixLength} (longest prefix wins)`
				: `same prefix /${entry.network.prefixLength}, higher metric ${entry.metric} than the winner's ${winner.metric} (lowest metric wins)`,
	}));
	return {winner, losers};
}
