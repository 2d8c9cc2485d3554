/**
 * The IP plan checks of the Kubernetes cluster: its pod and service CIDRs, its VMs, pods and services.
 */

import {calicoBlocks} from './calico.js';
import {type Device, isLoadBalancerHostname, loadBalancerHostnameRule, vmNames} from './device.js';
import {type AddressRange, contains, formatNetwork, formatRange, type Network, overlaps, parseAddress, parseInterfaceAddress, parsePrefix, toNumber} from './ip.js';
import type {NamedSpan, ProblemCollector} from './ip-plan.js';
import type {ComputeNetwork} from './ip-plan-networks.js';

/** Checks the pod and service CIDRs: valid, apart from each other and from every other network; returns them parsed. */
export function checkClusterCidrs(device: Device, collector: ProblemCollector, others: NamedSpan[]): {pod: Network | undefined; service: Network | undefined} {
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

/** Checks the master and worker VMs and their NICs against the internal switch, the node range and the compute network. */
export function checkVms(
	device: Device,
	collector: ProblemCollector,
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

/** Checks each pod's node and IP, and that each Calico block of the pod CIDR serves one node. */
export function checkPods(device: Device, collector: ProblemCollector, podCidr: Network | undefined): void {
	const vmsPresent = new Set(device.vms.map(vm => vm.name));
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
		if (podCidr && !contains(podCidr, toNumber(ip.value))) {
			collector.add('pod', `${id} has IP ${ip.value}, outside the pod CIDR ${formatNetwork(podCidr)}`);
		}
	}
	// Each block belongs to the node its first pod landed on, as the routing table has it.
	for (const block of calicoBlocks(device)) {
		for (const pod of block.pods.filter(candidate => candidate.node !== block.owner)) {
			collector.add('pod', `pod ${pod.namespace}/${pod.name} on the ${pod.node} VM has IP ${pod.ip} in block ${formatNetwork(block.network)}, which Calico gave the ${block.owner} VM`);
		}
	}
}

/** Checks each service's cluster IP and external IP against the service CIDR and the external service IP range, and its load balancer host name. */
export function checkServices(device: Device, collector: ProblemCollector, serviceCidr: Network | undefined, serviceRange: AddressRange | undefined): void {
	for (const service of device.services) {
		const id = `service ${service.namespace}/${service.name}`;
		const clusterIp = parseAddress(service.clusterIp);
		if (!clusterIp.ok) {
			collector.add('service', `${id} cluster IP: ${clusterIp.error}`);
		} else if (serviceCidr && !contains(serviceCidr, toNumber(clusterIp.value))) {
			collector.add('service', `${id} has cluster IP ${clusterIp.value}, outside the service CIDR ${formatNetwork(serviceCidr)}`);
		}
		if (service.externalHostname !== null) {
			if (service.type !== 'LoadBalancer') {
				collector.add('service', `${id} is of type ${service.type} but has a load balancer host name ${JSON.stringify(service.externalHostname)}; only LoadBalancer services get one`);
			} else if (!isLoadBalancerHostname(service.externalHostname)) {
				collector.add('service', `${id} has the load balancer host name ${JSON.stringify(service.externalHostname)}, which is not ${loadBalancerHostnameRule}`);
			}
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
