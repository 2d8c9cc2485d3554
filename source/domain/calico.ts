/**
 * What Calico makes of the store's pod addresses on each node: the /26 blocks of the pod CIDR (a block
 * belongs to the node its first pod landed on, as Calico's block affinity does), the veth each local pod
 * sits behind, and the device a route to the other node's blocks goes by for the cluster's encapsulation.
 */

import {createHash} from 'node:crypto';
import {calicoBlockPrefixLength, type Device, type Encapsulation, type Pod, type Vm, type VmName} from './device.js';
import {contains, fromNumber, type Network, networkOf, parseAddress, parsePrefix, toNumber} from './ip.js';

/** One Calico block: its network, the node it is affine to, and the pods whose addresses are in it (in the device's order). */
export type CalicoBlock = {readonly network: Network; readonly owner: VmName; readonly pods: readonly Pod[]};

/** The node each block of the pod CIDR is affine to: the node of the first pod (in the device's order) with an address in it. */
export function blockOwners(pods: readonly Pod[]): Map<number, VmName> {
	const owners = new Map<number, VmName>();
	for (const pod of pods) {
		const parsed = parseAddress(pod.ip);
		if (parsed.ok) {
			const block = networkOf(toNumber(parsed.value), calicoBlockPrefixLength).first;
			if (!owners.has(block)) {
				owners.set(block, pod.node);
			}
		}
	}
	return owners;
}

const blocksOfDevice = new WeakMap<Device, readonly CalicoBlock[]>();

/** The Calico blocks of the device's pods in the pod CIDR, in address order; worked out once per device value. A second pod with an address already held is left out, as Calico's IPAM never hands one out twice. */
export function calicoBlocks(device: Device): readonly CalicoBlock[] {
	let blocks = blocksOfDevice.get(device);
	if (!blocks) {
		const podCidr = parsePrefix(device.cluster.podCidr);
		const byBlock = new Map<number, {network: Network; owner: VmName; pods: Pod[]}>();
		const held = new Set<number>();
		for (const pod of device.pods) {
			const parsed = parseAddress(pod.ip);
			if (!parsed.ok || !podCidr.ok) {
				continue;
			}
			const address = toNumber(parsed.value);
			if (!contains(podCidr.value, address) || held.has(address)) {
				continue;
			}
			held.add(address);
			const network = networkOf(address, calicoBlockPrefixLength);
			const block = byBlock.get(network.first);
			if (block) {
				block.pods.push(pod);
			} else {
				byBlock.set(network.first, {network, owner: pod.node, pods: [pod]});
			}
		}
		blocks = [...byBlock.values()].sort((a, b) => a.network.first - b.network.first);
		blocksOfDevice.set(device, blocks);
	}
	return blocks;
}

const blocksByAddress = new WeakMap<Device, ReadonlyMap<number, CalicoBlock>>();

/** The Calico block an address is in, if a block holds it; found through a map of the blocks by their first address, built once per device value. */
export function blockContaining(device: Device, address: number): CalicoBlock | undefined {
	let byAddress = blocksByAddress.get(device);
	if (!byAddress) {
		byAddress = new Map(calicoBlocks(device).map(block => [block.network.first, block]));
		blocksByAddress.set(device, byAddress);
	}
	return byAddress.get(networkOf(address, calicoBlockPrefixLength).first);
}

/** The host side of a pod's veth, as Calico's CNI plugin names it: `cali` and the first 11 hex digits of the SHA-1 of `<namespace>.<pod>`. */
export function vethName(pod: Pick<Pod, 'namespace' | 'name'>): string {
	return `cali${createHash('sha1').update(`${pod.namespace}.${pod.name}`).digest('hex').slice(0, 11)}`;
}

/** The tunnel device Calico routes the other nodes' blocks through, or undefined when it routes them unencapsulated over the node's NIC. */
export function tunnelDevice(encapsulation: Encapsulation): 'tunl0' | 'vxlan.calico' | undefined {
	return encapsulation === 'ipip' ? 'tunl0' : encapsulation === 'vxlan' ? 'vxlan.calico' : undefined;
}

/**
 * The VXLAN tunnel address of a node: Calico's IPAM gives it the first address of the node's first block
 * when the node joins, before any pod. Undefined for a node with no block.
 */
export function vxlanTunnelAddress(device: Device, vm: Pick<Vm, 'name'>): string | undefined {
	const block = calicoBlocks(device).find(candidate => candidate.owner === vm.name);
	return block ? fromNumber(block.network.first) : undefined;
}

/** What the encapsulation settings mean, for screens and help. */
export const encapsulationDescriptions: Readonly<Record<Encapsulation, string>> = {
	none: 'no encapsulation',
	ipip: 'IPIP',
	vxlan: 'VXLAN',
};
