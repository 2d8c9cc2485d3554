/**
 * The rules every front end enforces on a route, field by field as the user types, and against the
 * routes and table entries already on the VMs. Problems are values, never exceptions.
 */

import {blockContaining} from './calico.js';
import {calicoBlockPrefixLength, type Device, findPort, type Port, portNetwork, type Route, systemMetric} from './device.js';
import {contains, formatNetwork, type Network, parseAddress, parseInterfaceAddress, parsePrefix, toNumber} from './ip.js';
import {type RouteContext, routeWithKey, routeWithPrefixMetric, scanContext} from './route-context.js';
import {hasKey, type RouteKey} from './route-key.js';
import {routeWarnings} from './route-warnings.js';

/** A route as a person types it: every field a string until it is checked. */
export type RouteInput = {
	readonly interface: string;
	readonly destinationPrefix: string;
	readonly nextHop: string;
	readonly metric: string;
};

/** One field of a typed route. */
export type RouteField = keyof RouteInput;

/** The fields in the order forms and messages list them. */
export const routeFields: readonly RouteField[] = ['interface', 'destinationPrefix', 'nextHop', 'metric'];

/** What is wrong with each field, if anything. */
export type RouteErrors = Partial<Record<RouteField, string>>;

/** The highest metric the device accepts: its Windows side types route metrics as 16-bit. */
export const maximumMetric = 65_535;

function listNames(ports: readonly Port[]): string {
	return ports.length > 0 ? ports.map(port => port.name).join(', ') : 'none';
}

/** Why a port cannot take routes: its address comes from DHCP, or compute is configured and not on it. */
export type PortRefusal = 'dhcp' | 'no-compute';

/** What the interface message says of each refusal. */
const portRefusalText: Readonly<Record<PortRefusal, string>> = {dhcp: 'uses DHCP', 'no-compute': 'has no compute, so the Kubernetes VMs have no NIC there'};

/** Why a port cannot take routes; undefined for a port that can. */
export function portRefusal(device: Device, port: Port): PortRefusal | undefined {
	if (port.ipConfig !== 'static' || port.address === null) {
		return 'dhcp';
	}
	return device.cluster.computeConfigured && !port.computeEnabled ? 'no-compute' : undefined;
}

/** The ports a route can go on: a static IP configuration and, once compute is configured, compute enabled. */
export function routablePorts(device: Device): Port[] {
	return device.ports.filter(port => portRefusal(device, port) === undefined);
}

/** The one rule of the interface, as every message about it says it. */
function interfaceRule(device: Device): string {
	return `routes go on a port with a static IP configuration${device.cluster.computeConfigured ? ' and compute enabled' : ''} (${listNames(routablePorts(device))})`;
}

function checkInterface(device: Device, text: string): {port?: Port; error?: string} {
	const name = text.trim();
	if (name === '') {
		return {error: `interface: choose a port; ${interfaceRule(device)}`};
	}
	const port = findPort(device, name);
	if (!port) {
		return {error: `interface: "${name}" is not a port of this device; ${interfaceRule(device)}`};
	}
	const refusal = portRefusal(device, port);
	return refusal === undefined ? {port} : {port, error: `interface: ${port.name} ${portRefusalText[refusal]}; ${interfaceRule(device)}`};
}

function checkDestination(text: string): {network?: Network; error?: string} {
	if (text.trim() === '') {
		return {error: 'destination: enter an IPv4 prefix such as 192.168.20.0/24, or an address for a single host'};
	}
	const parsed = parsePrefix(text);
	return parsed.ok ? {network: parsed.value} : {error: `destination: ${parsed.error}`};
}

/** The node addresses of the VMs, which a next hop cannot be. */
function vmAddresses(device: Device): Map<number, string> {
	const addresses = new Map<number, string>();
	for (const vm of device.vms) {
		for (const nic of vm.nics) {
			const parsed = parseInterfaceAddress(nic.address);
			if (parsed.ok) {
				addresses.set(parsed.value.value, `the ${vm.name} VM's own address (${nic.name})`);
			}
		}
	}
	return addresses;
}

function checkNextHop(device: Device, text: string, port: Port | undefined): {value?: string; error?: string} {
	if (text.trim() === '') {
		return {error: 'next hop: enter the IPv4 address of the gateway the traffic is forwarded to'};
	}
	const parsed = parseAddress(text);
	if (!parsed.ok) {
		return {error: `next hop: ${parsed.error}`};
	}
	const local = port ? portNetwork(port) : undefined;
	if (!local) {
		return {value: parsed.value};
	}
	const value = toNumber(parsed.value);
	const subnet = formatNetwork(local.network);
	if (!contains(local.network, value)) {
		return {error: `next hop: ${parsed.value} is not on ${local.port.name}'s subnet ${subnet} (Nexthop has invalid gateway); use a gateway on that subnet`};
	}
	if (local.network.prefixLength < 31 && value === local.network.last) {
		return {error: `next hop: ${parsed.value} is the broadcast address of ${subnet}; use the gateway's own address`};
	}
	if (local.network.prefixLength < 31 && value === local.network.first) {
		return {error: `next hop: ${parsed.value} is the network address of ${subnet}; use the gateway's own address`};
	}
	if (value === local.address) {
		return {error: `next hop: ${parsed.value} is ${local.port.name}'s own address; use the gateway's address on ${subnet}`};
	}
	const vm = vmAddresses(device).get(value);
	if (vm) {
		return {error: `next hop: ${parsed.value} is ${vm}; use the gateway's address on ${subnet}`};
	}
	return {value: parsed.value};
}

function checkMetric(text: string): {value?: number; error?: string} {
	const trimmed = text.trim();
	if (!/^\d+$/.test(trimmed) || Number(trimmed) > maximumMetric) {
		return {error: `metric: "${text}" is not a whole number from 0 to ${maximumMetric}; lower metrics win`};
	}
	return {value: Number(trimmed)};
}

/** The outcome of checking a route. */
export type RouteCheck =
	| {readonly ok: true; readonly route: Route; readonly warnings: readonly string[]}
	| {readonly ok: false; readonly errors: RouteErrors};

/** Options of a check: the route being edited, which may keep its own key. */
export type CheckOptions = {
	readonly replacing?: RouteKey;
	/** The device's route context, when many routes are checked against the same device. */
	readonly context?: RouteContext;
	/** Only whether the route keeps the rules: no warnings worked out (for checks of many stored routes). */
	readonly rulesOnly?: boolean;
};

/**
 * Checks a route against every rule, field by field, as the user types.
 * Errors name the field and say what would be accepted; warnings are for routes that are legal but probably unwanted.
 */
export function checkRoute(device: Device, input: RouteInput, options: CheckOptions = {}): RouteCheck {
	const errors: RouteErrors = {};
	const iface = checkInterface(device, input.interface);
	const destination = checkDestination(input.destinationPrefix);
	const nextHop = checkNextHop(device, input.nextHop, iface.error ? undefined : iface.port);
	const metric = checkMetric(input.metric);
	if (iface.error) {
		errors.interface = iface.error;
	}
	if (destination.error) {
		errors.destinationPrefix = destination.error;
	}
	if (nextHop.error) {
		errors.nextHop = nextHop.error;
	}
	if (metric.error) {
		errors.metric = metric.error;
	}
	if (!iface.port || !destination.network || nextHop.value === undefined || metric.value === undefined || Object.keys(errors).length > 0) {
		return {ok: false, errors};
	}
	const route: Route = {
		interface: iface.port.name,
		destinationPrefix: formatNetwork(destination.network),
		nextHop: nextHop.value,
		metric: metric.value,
	};
	const context = options.context ?? scanContext(device);
	const isReplaced = (existing: Route | undefined) => existing !== undefined && options.replacing !== undefined && hasKey(existing, options.replacing);
	const existing = routeWithKey(context, route.interface, route.destinationPrefix);
	if (existing && !isReplaced(existing)) {
		return {ok: false, errors: {destinationPrefix: `destination: a route for ${route.destinationPrefix} on ${route.interface} already exists; edit or remove it`}};
	}
	const clash = routeWithPrefixMetric(context, route.destinationPrefix, route.metric);
	if (clash && !isReplaced(clash)) {
		return {
			ok: false,
			errors: {
				metric: `metric: ${clash.interface} already has a route for ${route.destinationPrefix} with metric ${route.metric}, and the VMs keep one route per prefix and metric (RTNETLINK: File exists); choose another metric`,
			},
		};
	}
	const system = systemEntryWithPrefix(device, destination.network);
	if (system && route.metric === systemMetric) {
		return {
			ok: false,
			errors: {metric: `metric: the VMs' ${system} already uses ${route.destinationPrefix} with metric ${systemMetric} (RTNETLINK: File exists); choose a metric above ${systemMetric}`},
		};
	}
	return {ok: true, route, warnings: options.rulesOnly ? [] : routeWarnings(device, route, context, options.replacing)};
}

/** The VM table entry at metric 0 with exactly this prefix (a connected network, the default route, a Calico block or a pod's /32), if any. */
function systemEntryWithPrefix(device: Device, network: Network): string | undefined {
	if (network.prefixLength === 0) {
		return 'default route';
	}
	const podCidr = parsePrefix(device.cluster.podCidr);
	if (podCidr.ok && contains(podCidr.value, network.first) && (network.prefixLength === calicoBlockPrefixLength || network.prefixLength === 32)) {
		const block = blockContaining(device, network.first);
		if (block && network.prefixLength === calicoBlockPrefixLength) {
			return `Calico block (a blackhole on the ${block.owner} VM, routed to it on the other)`;
		}
		const pod = block?.pods.find(candidate => candidate.ip === network.address);
		if (pod) {
			return `Calico route to pod ${pod.namespace}/${pod.name}`;
		}
	}
	const vm = device.vms[0];
	for (const nic of vm?.nics ?? []) {
		const parsed = parseInterfaceAddress(nic.address);
		if (parsed.ok && parsed.value.network.first === network.first && parsed.value.network.prefixLength === network.prefixLength) {
			return `connected network on ${nic.name}`;
		}
	}
	return undefined;
}
