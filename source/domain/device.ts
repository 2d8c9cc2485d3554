/**
 * The device model: plain, JSON-serialisable data describing one edge appliance's network layers,
 * and the facts derived from it (virtual switches, service backends, DNS records).
 */

import {isIPv4Address, type Network, parseInterfaceAddress} from './ip.js';

/** How a physical port gets its address. */
export type IpConfig = 'static' | 'dhcp';

/** A physical port of the device (Port1 … Port6). */
export type Port = {
	readonly name: string;
	/** Link speed: Ports 1 and 2 are 1 GbE, Ports 3-6 are 25 GbE. */
	readonly speedGbps: number;
	readonly ipConfig: IpConfig;
	/** The port's address in CIDR form (`192.168.10.5/24`); null for a DHCP port without a lease. */
	readonly address: string | null;
	/** The default gateway configured on this port, if any. */
	readonly gateway: string | null;
	readonly dns: readonly string[];
	/** Whether compute is enabled on this port, which creates an external virtual switch on it. */
	readonly computeEnabled: boolean;
	/** What the port is cabled to, in the administrator's words. */
	readonly connectsTo: string;
};

/** The internal virtual switch of the factory configuration: a private network the VMs reach the host's NAT through. */
export type InternalSwitch = {
	readonly name: string;
	/** The switch's network in CIDR form. */
	readonly subnet: string;
	/** The host's address on the switch: the NAT gateway of the VMs' internal NICs. */
	readonly natAddress: string;
};

/** How Calico carries pod traffic between the nodes: routed as it is (`none`, the nodes share a network), in IP-in-IP (`tunl0`) or in VXLAN (`vxlan.calico`). */
export type Encapsulation = 'none' | 'ipip' | 'vxlan';

/** The encapsulations, in the order the settings list them. */
export const encapsulations: readonly Encapsulation[] = ['none', 'ipip', 'vxlan'];

/** The Kubernetes cluster's address plan, as set on the local UI's Compute page. */
export type Cluster = {
	/** Whether Kubernetes compute has been configured (the VMs exist). */
	readonly computeConfigured: boolean;
	/** Kubernetes node IPs, `first-last`, on the compute port's network; null until set. */
	readonly nodeIpRange: string | null;
	/** Kubernetes external service IPs (MetalLB's pool), `first-last`; null until set. */
	readonly serviceIpRange: string | null;
	/** Calico's pod network. */
	readonly podCidr: string;
	/** The network cluster IPs come from. */
	readonly serviceCidr: string;
	/** CoreDNS's cluster domain. */
	readonly dnsDomain: string;
	/** Calico's encapsulation between the nodes, which decides the routes each VM has for the other's pod blocks. */
	readonly encapsulation: Encapsulation;
};

/** The two Kubernetes VMs. */
export type VmName = 'master' | 'worker';

/** Which virtual switch a VM NIC is attached to. */
export type NicNetwork = 'internal' | 'external';

/** A VM network interface. */
export type Nic = {
	/** The interface name inside the Linux VM (`eth0`, `eth1`). */
	readonly name: string;
	readonly network: NicNetwork;
	/** Address in CIDR form. */
	readonly address: string;
};

/** A Kubernetes VM: master or worker, each with one NIC on the internal switch and one on the external switch. */
export type Vm = {
	readonly name: VmName;
	/** The Kubernetes node name the VM registers as. */
	readonly nodeName: string;
	readonly nics: readonly Nic[];
};

/** A pod with its Calico-assigned address. */
export type Pod = {
	readonly namespace: string;
	readonly name: string;
	/** The VM the pod is scheduled on. */
	readonly node: VmName;
	readonly ip: string;
	readonly labels: Readonly<Record<string, string>>;
};

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

/** The service types, in the order Kubernetes documents them. */
export const serviceTypes: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer'];

export type ServicePort = {
	readonly name: string | null;
	readonly protocol: 'TCP' | 'UDP' | 'SCTP';
	readonly port: number;
	/** The pods' port: a number, or the name of a container port when no pod in the import said which number it is. */
	readonly targetPort: number | string;
};

/** Whether a value is a name the device holds (of a pod, service, namespace, port, VM): 1 to 253 characters, as Kubernetes allows. */
export function isStoredName(value: unknown): value is string {
	return typeof value === 'string' && value.length >= 1 && value.length <= 253;
}

/** The highest TCP, UDP or SCTP port number. */
export const maximumPort = 65_535;

/** Whether a number is a port number (1 to 65535). */
export function isPortNumber(value: number): boolean {
	return Number.isInteger(value) && value >= 1 && value <= maximumPort;
}

/** Whether a text is a Kubernetes port name (IANA_SVC_NAME): 1 to 15 lowercase letters, digits and `-`, with a letter, not starting or ending with `-`. */
export function isPortName(text: string): boolean {
	return /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && !text.includes('--');
}

/** Whether a text is a DNS-1123 subdomain, as Kubernetes requires of object names: lowercase letters, digits, `-` and `.`, each label starting and ending with a letter or digit, at most 253 characters. */
export function isDnsSubdomain(text: string): boolean {
	return text.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(text);
}

/** What a load balancer's host name must be, in the words of every refusal of one. */
export const loadBalancerHostnameRule = 'a DNS name (lowercase letters, digits, - and ., at most 253 characters, not an IP address)';

/** Whether a text is a host name a load balancer may report, as Kubernetes accepts one in `status.loadBalancer.ingress[].hostname`: a DNS-1123 subdomain that is not an IP address. */
export function isLoadBalancerHostname(text: string): boolean {
	return isDnsSubdomain(text) && !isIPv4Address(text);
}

/** A Kubernetes service. */
export type Service = {
	readonly namespace: string;
	readonly name: string;
	readonly type: ServiceType;
	readonly clusterIp: string;
	/** MetalLB's address for a LoadBalancer service; null while pending (the pool is exhausted) and for ClusterIP and NodePort services. */
	readonly externalIp: string | null;
	/** The host name a load balancer reported (`status.loadBalancer.ingress[].hostname`), instead of an address or beside one; null when there is none (see `isLoadBalancerHostname`). */
	readonly externalHostname: string | null;
	/** Label selector; an empty selector selects no pods (the endpoints controller manages no endpoints for it). */
	readonly selector: Readonly<Record<string, string>>;
	readonly ports: readonly ServicePort[];
};

/** A custom route for the Kubernetes VMs, keyed by (interface, destinationPrefix). */
export type Route = {
	/** The device port alias, such as `Port3`. */
	readonly interface: string;
	/** IPv4 prefix in CIDR form. */
	readonly destinationPrefix: string;
	readonly nextHop: string;
	/** Lower wins. */
	readonly metric: number;
};

/** One edge appliance. */
export type Device = {
	readonly name: string;
	readonly ports: readonly Port[];
	readonly internalSwitch: InternalSwitch;
	readonly cluster: Cluster;
	/** Empty until compute is configured. */
	readonly vms: readonly Vm[];
	readonly pods: readonly Pod[];
	readonly services: readonly Service[];
	readonly routes: readonly Route[];
};

/**
 * What a device's list of pods or services may offer besides its items: the addresses the items hold (a
 * pod's IP; a service's cluster IP and external IP), without the items. The store's lists, which read their
 * items when first used, read only those columns for it, so counting the addresses in use (the plan line
 * over the panes) does not read 20,000 pods with their labels. A list that has none is read item by item.
 */
export const heldAddresses: unique symbol = Symbol('held addresses');

/** A list that may give its items' addresses without its items (see `heldAddresses`). */
export type HeldAddressesOf = {readonly [heldAddresses]?: () => readonly string[]};

/** A virtual switch as the device shows it. */
export type VirtualSwitch = {
	readonly name: string;
	readonly kind: NicNetwork;
	/** The port the switch reaches the outside through: for the internal switch the port holding the default gateway (via NAT), for an external switch the compute port it was created on. */
	readonly port: string | null;
	/** Whether traffic leaves through the port by network address translation. */
	readonly nat: boolean;
};

/** The two VMs every Kubernetes cluster of the device has. */
export const vmNames: readonly VmName[] = ['master', 'worker'];

/** The prefix length of the address blocks Calico hands each node. */
export const calicoBlockPrefixLength = 26;

/** The metric of the VMs' own table entries: connected networks, the cluster's ranges and the default route are metric 0 in the kernel. */
export const systemMetric = 0;

/** The name of the external virtual switch compute creates on a port. */
export function externalSwitchName(portName: string): string {
	return `vSwitch-${portName}`;
}

/** The port with compute enabled, whose network the Kubernetes VMs' external NICs are on. */
export function computePort(device: Device): Port | undefined {
	return device.ports.find(port => port.computeEnabled);
}

/** The port the internal switch NATs out of: the first port configured with a default gateway. */
export function gatewayPort(device: Device): Port | undefined {
	return device.ports.find(port => port.gateway !== null);
}

/** Finds a port by alias, ignoring case as the device's cmdlets do. */
export function findPort(device: Device, name: string): Port | undefined {
	const wanted = name.toLowerCase();
	return device.ports.find(port => port.name.toLowerCase() === wanted);
}

/** A static port with its own address (as a number) and the network it is on. */
export type PortNetwork = {readonly port: Port; readonly address: number; readonly network: Network};

/** The port's address and network, or undefined for a port without a parsable address. */
export function portNetwork(port: Port): PortNetwork | undefined {
	if (port.address === null) {
		return undefined;
	}
	const parsed = parseInterfaceAddress(port.address);
	return parsed.ok ? {port, address: parsed.value.value, network: parsed.value.network} : undefined;
}

/** The internal switch and one external switch per compute-enabled port. */
export function virtualSwitches(device: Device): VirtualSwitch[] {
	const internal: VirtualSwitch = {
		name: device.internalSwitch.name,
		kind: 'internal',
		port: gatewayPort(device)?.name ?? null,
		nat: true,
	};
	const external = device.ports
		.filter(port => port.computeEnabled)
		.map((port): VirtualSwitch => ({name: externalSwitchName(port.name), kind: 'external', port: port.name, nat: false}));
	return [internal, ...external];
}

/** The virtual switch a VM NIC is attached to. */
export function switchOfNic(device: Device, nic: Nic): VirtualSwitch | undefined {
	return virtualSwitches(device).find(vSwitch => vSwitch.kind === nic.network);
}

/** Whether a pod's labels satisfy a service's selector (every key equal), as the endpoints controller matches them. */
export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
	const entries = Object.entries(selector);
	return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** The list a map holds under a key, put there empty the first time. */
function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
	let list = map.get(key);
	if (!list) {
		list = [];
		map.set(key, list);
	}
	return list;
}

/** Pods by namespace and one label (`namespace`, NUL, `key=value`), in the device's order; built once per list of pods. */
const podsByLabel = new WeakMap<readonly Pod[], Map<string, Pod[]>>();

function labelIndex(pods: readonly Pod[]): Map<string, Pod[]> {
	let index = podsByLabel.get(pods);
	if (!index) {
		index = new Map();
		for (const pod of pods) {
			for (const [key, value] of Object.entries(pod.labels)) {
				listIn(index, `${pod.namespace}\u0000${key}=${value}`).push(pod);
			}
		}
		podsByLabel.set(pods, index);
	}
	return index;
}

/** The pods that back a service: same namespace, labels matching the selector (found through an index of the pods' labels). */
export function backingPods(device: Device, service: Service): Pod[] {
	const first = Object.entries(service.selector)[0];
	if (!first) {
		return [];
	}
	const candidates = labelIndex(device.pods).get(`${service.namespace}\u0000${first[0]}=${first[1]}`) ?? [];
	return candidates.filter(pod => selectorMatches(service.selector, pod.labels));
}

/** Each service's place in the device's order, by the first entry of its selector (`namespace`, NUL, `key=value`); built once per list of services. */
const servicesByFirstLabel = new WeakMap<readonly Service[], Map<string, number[]>>();

function selectorIndex(services: readonly Service[]): Map<string, number[]> {
	let index = servicesByFirstLabel.get(services);
	if (!index) {
		index = new Map();
		for (const [position, service] of services.entries()) {
			const first = Object.entries(service.selector)[0];
			if (first) {
				listIn(index, `${service.namespace}\u0000${first[0]}=${first[1]}`).push(position);
			}
		}
		servicesByFirstLabel.set(services, index);
	}
	return index;
}

/**
 * The services whose selector picks this pod, in the device's order of services: what a pod's details
 * list. A service that picks the pod has the first entry of its selector among the pod's labels, so only
 * the services indexed under those labels are looked at; no pod but this one is read.
 */
export function selectingServices(device: Device, pod: Pod): readonly Service[] {
	const index = selectorIndex(device.services);
	const positions: number[] = [];
	for (const [key, value] of Object.entries(pod.labels)) {
		for (const position of index.get(`${pod.namespace}\u0000${key}=${value}`) ?? []) {
			if (selectorMatches(device.services[position]!.selector, pod.labels)) {
				positions.push(position);
			}
		}
	}
	return positions.sort((a, b) => a - b).map(position => device.services[position]!);
}

/** The name CoreDNS gives a service. */
export function serviceDnsName(cluster: Cluster, service: Pick<Service, 'name' | 'namespace'>): string {
	return `${service.name}.${service.namespace}.svc.${cluster.dnsDomain}`;
}

/** A CoreDNS A record. */
export type DnsRecord = {
	readonly name: string;
	readonly address: string;
	readonly service: string;
};

/** The A records CoreDNS serves for the cluster's services (`<service>.<namespace>.svc.<domain>` -> cluster IP). */
export function dnsRecords(device: Device): DnsRecord[] {
	return device.services.map(service => ({
		name: serviceDnsName(device.cluster, service),
		address: service.clusterIp,
		service: `${service.namespace}/${service.name}`,
	}));
}

/** The address part of a CIDR-form interface address, or the text itself when it does not parse. */
export function hostPart(cidr: string): string {
	const parsed = parseInterfaceAddress(cidr);
	return parsed.ok ? parsed.value.address : cidr;
}

/**
 * Whether a NIC name is a plain Linux interface name: at most 15 characters (the kernel's IFNAMSIZ less
 * its terminator) of letters, digits, `_`, `.` and `-`, starting with a letter or digit. Such a name is
 * safe to write into an `ip` command line as it is.
 */
export function isInterfaceName(name: string): boolean {
	return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(name);
}

/** The VM's NIC on the given switch. */
export function nicOn(vm: Vm, network: NicNetwork): Nic | undefined {
	return vm.nics.find(nic => nic.network === network);
}
