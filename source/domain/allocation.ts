/**
 * Address allocation as the device's components do it: VM node addresses from the node IP range,
 * LoadBalancer IPs first-free from the external service IP range (MetalLB), cluster IPs from the
 * service CIDR, and pod IPs from per-node /26 blocks of the pod CIDR (Calico IPAM).
 */

import {
	calicoBlockPrefixLength,
	type Device,
	type Pod,
	type Service,
	type ServicePort,
	type ServiceType,
	type Vm,
	type VmName,
	vmNames,
} from './device.js';
import {blockOwners} from './calico.js';
import {type AddressRange, fromNumber, parseAddress, parseInterfaceAddress, parsePrefix, parseRange, toNumber} from './ip.js';

/** What `kubectl get svc` shows for a LoadBalancer service MetalLB found no free address for. */
export const pendingExternalIp = '<pending>';

/** Hands out free addresses of one device; remembers what it handed out so a batch never repeats one. */
export type Allocator = {
	/** The next free address in the node's Calico blocks, claiming a new /26 block when its blocks are full; undefined when the pod CIDR is exhausted. */
	podIp(node: VmName): string | undefined;
	/** The lowest free cluster IP of the service CIDR; undefined when it is exhausted. */
	clusterIp(): string | undefined;
	/** The lowest free address of the external service IP range, or null (pending) when none is free. */
	loadBalancerIp(): string | null;
	/** Marks an address as taken (a fixed cluster IP, for example). */
	take(address: string): void;
};

function addressValue(text: string): number | undefined {
	const parsed = parseAddress(text);
	return parsed.ok ? toNumber(parsed.value) : undefined;
}

/** Builds an allocator that knows every address the device already holds. */
export function createAllocator(device: Device): Allocator {
	const taken = new Set<number>();
	const remember = (text: string) => {
		const value = addressValue(text);
		if (value !== undefined) {
			taken.add(value);
		}
	};
	for (const pod of device.pods) {
		remember(pod.ip);
	}
	for (const service of device.services) {
		remember(service.clusterIp);
		if (service.externalIp !== null) {
			remember(service.externalIp);
		}
	}

	const podCidr = parsePrefix(device.cluster.podCidr);
	const serviceCidr = parsePrefix(device.cluster.serviceCidr);
	const serviceRange = device.cluster.serviceIpRange === null ? undefined : parseRange(device.cluster.serviceIpRange);

	// Calico block affinity: each /26 block belongs to the node its first pod landed on.
	const blockOwner = new Map<number, VmName>();
	const blocksOf = new Map<VmName, number[]>(vmNames.map(name => [name, []]));
	const claim = (block: number, node: VmName) => {
		blockOwner.set(block, node);
		blocksOf.get(node)?.push(block);
	};
	for (const [block, node] of blockOwners(device.pods)) {
		claim(block, node);
	}
	let nextUnclaimed = podCidr.ok ? podCidr.value.first : 0;
	const blockCursor = new Map<VmName, number>();

	const firstFreeIn = (span: AddressRange, from = span.first): number | undefined => {
		for (let value = from; value <= span.last; value++) {
			if (!taken.has(value)) {
				return value;
			}
		}
		return undefined;
	};
	let clusterCursor = serviceCidr.ok ? serviceCidr.value.first + 1 : 0;

	return {
		podIp(node) {
			if (!podCidr.ok) {
				return undefined;
			}
			const blockSize = 2 ** (32 - calicoBlockPrefixLength);
			// Blocks before the node's cursor are full: an allocator only ever takes addresses.
			const blocks = blocksOf.get(node) ?? [];
			for (let index = blockCursor.get(node) ?? 0; index < blocks.length; index++) {
				const block = blocks[index]!;
				const free = firstFreeIn({first: block, last: block + blockSize - 1});
				if (free !== undefined) {
					blockCursor.set(node, index);
					taken.add(free);
					return fromNumber(free);
				}
			}
			blockCursor.set(node, blocks.length);
			for (let block = nextUnclaimed; block + blockSize - 1 <= podCidr.value.last; block += blockSize) {
				if (blockOwner.has(block)) {
					continue;
				}
				const free = firstFreeIn({first: block, last: block + blockSize - 1});
				if (free === undefined) {
					continue;
				}
				claim(block, node);
				nextUnclaimed = block + blockSize;
				taken.add(free);
				return fromNumber(free);
			}
			return undefined;
		},
		clusterIp() {
			if (!serviceCidr.ok) {
				return undefined;
			}
			// The network and broadcast addresses of the service CIDR are never handed out.
			const free = firstFreeIn({first: serviceCidr.value.first + 1, last: serviceCidr.value.last - 1}, clusterCursor);
			if (free === undefined) {
				return undefined;
			}
			clusterCursor = free + 1;
			taken.add(free);
			return fromNumber(free);
		},
		loadBalancerIp() {
			if (!serviceRange?.ok) {
				return null;
			}
			const free = firstFreeIn(serviceRange.value);
			if (free === undefined) {
				return null;
			}
			taken.add(free);
			return fromNumber(free);
		},
		take(address) {
			remember(address);
		},
	};
}

/** What an allocation could not do, as a message. */
export type AllocationResult<T> = {readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};

/** Configures Kubernetes compute: creates the master and worker VMs, their internal NICs on the internal switch and their external NICs from the node IP range. */
export function configureCompute(device: Device): AllocationResult<Device> {
	const port = device.ports.find(candidate => candidate.computeEnabled);
	if (!port?.address) {
		return {ok: false, error: 'enable compute on a port with a static address before configuring Kubernetes compute'};
	}
	const portAddress = parseInterfaceAddress(port.address);
	const internal = parsePrefix(device.internalSwitch.subnet);
	const nodeRange = device.cluster.nodeIpRange === null ? undefined : parseRange(device.cluster.nodeIpRange);
	if (!portAddress.ok || !internal.ok || !nodeRange?.ok) {
		return {ok: false, error: 'set a valid Kubernetes node IP range on the compute port\'s network before configuring compute'};
	}
	const internalTaken = new Set([addressValue(device.internalSwitch.natAddress)]);
	let internalCursor = internal.value.first + 1;
	const vms: Vm[] = [];
	for (const [index, name] of vmNames.entries()) {
		const external = nodeRange.value.first + index;
		if (external > nodeRange.value.last) {
			return {ok: false, error: `the node IP range ${device.cluster.nodeIpRange} has no address left for the ${name} VM`};
		}
		while (internalTaken.has(internalCursor)) {
			internalCursor++;
		}
		const internalAddress = internalCursor++;
		vms.push({
			name,
			nodeName: `${device.name}-k8s-${name}`,
			nics: [
				{name: 'eth0', network: 'internal', address: `${fromNumber(internalAddress)}/${internal.value.prefixLength}`},
				{name: 'eth1', network: 'external', address: `${fromNumber(external)}/${portAddress.value.network.prefixLength}`},
			],
		});
	}
	return {ok: true, value: {...device, cluster: {...device.cluster, computeConfigured: true}, vms}};
}

/** A pod to schedule: everything but its address. */
export type PodSpec = Omit<Pod, 'ip'>;

/** A service to create: its address fields are allocated unless a cluster IP is given. */
export type ServiceSpec = {
	readonly namespace: string;
	readonly name: string;
	readonly type: ServiceType;
	readonly selector: Readonly<Record<string, string>>;
	readonly ports: readonly ServicePort[];
	/** A fixed cluster IP, as kubeadm gives `kubernetes` and `kube-dns`. */
	readonly clusterIp?: string;
};

/** Adds pods with Calico-allocated addresses. */
export function addPods(device: Device, specs: readonly PodSpec[], allocator = createAllocator(device)): AllocationResult<Device> {
	const pods: Pod[] = [];
	for (const spec of specs) {
		const ip = allocator.podIp(spec.node);
		if (ip === undefined) {
			return {ok: false, error: `the pod CIDR ${device.cluster.podCidr} has no free address for pod ${spec.namespace}/${spec.name}`};
		}
		pods.push({...spec, ip});
	}
	return {ok: true, value: {...device, pods: [...device.pods, ...pods]}};
}

/** Adds services: cluster IPs from the service CIDR, LoadBalancer IPs first-free from the external range (null, shown `<pending>`, when exhausted). */
export function addServices(device: Device, specs: readonly ServiceSpec[], allocator = createAllocator(device)): AllocationResult<Device> {
	for (const spec of specs) {
		if (spec.clusterIp !== undefined) {
			allocator.take(spec.clusterIp);
		}
	}
	const services: Service[] = [];
	for (const spec of specs) {
		const clusterIp = spec.clusterIp ?? allocator.clusterIp();
		if (clusterIp === undefined) {
			return {ok: false, error: `the service CIDR ${device.cluster.serviceCidr} has no free address for service ${spec.namespace}/${spec.name}`};
		}
		const externalIp = spec.type === 'LoadBalancer' ? allocator.loadBalancerIp() : null;
		services.push({
			namespace: spec.namespace,
			name: spec.name,
			type: spec.type,
			clusterIp,
			externalIp,
			externalHostname: null,
			selector: spec.selector,
			ports: spec.ports,
		});
	}
	return {ok: true, value: {...device, services: [...device.services, ...services]}};
}

/** Whether a service is a LoadBalancer its load balancer has given nothing yet: neither an address nor a host name. */
export function isPendingLoadBalancer(service: Service): boolean {
	return service.type === 'LoadBalancer' && service.externalIp === null && service.externalHostname === null;
}

/**
 * The EXTERNAL-IP column as `kubectl get svc` shows it: the address, else the host name a DNS-based load
 * balancer reported, `<pending>` for a LoadBalancer with neither, `<none>` for ClusterIP and NodePort services.
 */
export function externalIpLabel(service: Service): string {
	if (service.externalIp !== null) {
		return service.externalIp;
	}
	if (service.externalHostname !== null) {
		return service.externalHostname;
	}
	return isPendingLoadBalancer(service) ? pendingExternalIp : '<none>';
}
