/**
 * How much of each range of the cluster's address plan is in use: the pod CIDR (pod addresses), the
 * service CIDR (cluster IPs), the Kubernetes node IP range (the VMs' external NICs) and the external
 * service IP range (LoadBalancer IPs). Pure.
 */

import {allocatedAddresses} from './ip-plan-addresses.js';
import {type Device, heldAddresses, type HeldAddressesOf} from './device.js';
import {type AddressRange, addressValue, formatNetwork, parsePrefix, parseRange} from './ip.js';

/** One range of the plan: what it is for, how it is written, how many addresses it has to give and how many are held. */
export type RangeUsage = {readonly label: string; readonly range: string; readonly size: number; readonly used: number};

/** The items' addresses: from the list itself where it can give them without its items (the store's lists), else item by item. */
function addressesOf<T>(list: readonly T[], read: (item: T, into: string[]) => void): readonly string[] {
	const given = (list as HeldAddressesOf)[heldAddresses]?.();
	if (given) {
		return given;
	}
	const addresses: string[] = [];
	for (const item of list) {
		read(item, addresses);
	}
	return addresses;
}

/** The usage of each range of the cluster's plan that is set, in the order of the Compute page. */
export function rangeUsage(device: Device): RangeUsage[] {
	const {cluster} = device;
	const values: number[] = [];
	const hold = (address: string) => {
		const value = addressValue(address);
		if (value !== undefined) {
			values.push(value);
		}
	};
	// The device's few holders as the IP plan check names them; the pods' and services' addresses read
	// straight from them, without naming each of 20,000 holders only to count their addresses.
	for (const {address} of allocatedAddresses({...device, pods: [], services: []})) {
		hold(address);
	}
	for (const address of addressesOf(device.pods, (pod, into) => into.push(pod.ip))) {
		hold(address);
	}
	const serviceAddresses = addressesOf(device.services, (service, into) => {
		into.push(service.clusterIp);
		if (service.externalIp !== null) {
			into.push(service.externalIp);
		}
	});
	for (const address of serviceAddresses) {
		hold(address);
	}
	// Each address held counts once: in order and without repeats, a range's count is the distance between where it starts and ends.
	const held = Float64Array.from(values).sort();
	let distinct = 0;
	for (let index = 0; index < held.length; index++) {
		if (index === 0 || held[index] !== held[distinct - 1]) {
			held[distinct++] = held[index]!;
		}
	}
	/** How many held addresses are below the value. */
	const below = (value: number) => {
		let low = 0;
		let high = distinct;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (held[middle]! < value) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}
		return low;
	};
	const count = (span: AddressRange) => below(span.last + 1) - below(span.first);
	const usage: RangeUsage[] = [];
	const pod = parsePrefix(cluster.podCidr);
	if (pod.ok) {
		usage.push({label: 'pods', range: formatNetwork(pod.value), size: pod.value.last - pod.value.first + 1, used: count(pod.value)});
	}
	const service = parsePrefix(cluster.serviceCidr);
	if (service.ok) {
		// Its network and broadcast addresses are never handed out.
		usage.push({label: 'services', range: formatNetwork(service.value), size: Math.max(0, service.value.last - service.value.first - 1), used: count(service.value)});
	}
	for (const [label, text] of [['nodes', cluster.nodeIpRange], ['external', cluster.serviceIpRange]] as const) {
		const range = text === null ? undefined : parseRange(text);
		if (range?.ok) {
			usage.push({label, range: text!, size: range.value.last - range.value.first + 1, used: count(range.value)});
		}
	}
	return usage;
}
