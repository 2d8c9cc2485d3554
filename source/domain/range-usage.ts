/**
 * How much of each range of the cluster's address plan is in use: the pod CIDR (pod addresses), the
 * service CIDR (cluster IPs), the Kubernetes node IP range (the VMs' external NICs) and the external
 * service IP range (LoadBalancer IPs). Pure.
 */

import {allocatedAddresses} from './ip-plan-addresses.js';
import type {Device} from './device.js';
import {type AddressRange, contains, formatNetwork, parseAddress, parsePrefix, parseRange, toNumber} from './ip.js';

/** One range of the plan: what it is for, how it is written, how many addresses it has to give and how many are held. */
export type RangeUsage = {readonly label: string; readonly range: string; readonly size: number; readonly used: number};

/** The usage of each range of the cluster's plan that is set, in the order of the Compute page. */
export function rangeUsage(device: Device): RangeUsage[] {
	const {cluster} = device;
	const held = new Set<number>();
	const hold = (address: string) => {
		const parsed = parseAddress(address);
		if (parsed.ok) {
			held.add(toNumber(parsed.value));
		}
	};
	// The device's few holders as the IP plan check names them; the pods' and services' addresses read
	// straight from them, without naming each of 20,000 holders only to count their addresses.
	for (const {address} of allocatedAddresses({...device, pods: [], services: []})) {
		hold(address);
	}
	for (const pod of device.pods) {
		hold(pod.ip);
	}
	for (const service of device.services) {
		hold(service.clusterIp);
		if (service.externalIp !== null) {
			hold(service.externalIp);
		}
	}
	const usage: RangeUsage[] = [];
	const count = (span: AddressRange) => {
		let used = 0;
		for (const value of held) {
			if (contains(span, value)) {
				used++;
			}
		}
		return used;
	};
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
