/**
 * Custom routes: the rules every front end enforces, their warnings and status, and the add/set/remove
 * operations the dashboard and the commands both call. Problems are values, never exceptions.
 */

import {type Device, findPort, nicOn, type Port, type Route} from './device.js';
import {
	type AddressRange,
	contains,
	formatNetwork,
	type Network,
	overlaps,
	parseAddress,
	parseInterfaceAddress,
	parsePrefix,
	parseRange,
	toNumber,
} from './ip.js';

/** A route as a person types it: every field a string until it is checked. */
export type RouteInput = {
	readonly interface: string;
	readonly destinationPrefix: string;
	readonly nextHop: string;
	readonly metric: string;
};

export type RouteField = keyof RouteInput;

/** The fields in the order forms and messages list them. */
export const routeFields: readonly RouteField[] = ['interface', 'destinationPrefix', 'nextHop', 'metric'];

/** What is wrong with each field, if anything. */
export type RouteErrors = Partial<Record<RouteField, string>>;

/** The highest metric the device accepts: its Windows side types route metrics as 16-bit. */
export const maximumMetric = 65_535;

/** The key `Remove-HcsNetRoute` uses: one route per interface and destination prefix. */
export type RouteKey = {
	readonly interface: string;
	readonly destinationPrefix: string;
};

/** Whether a route has this key (interface compared case-insensitively, as the cmdlets do; the prefix normalised). */
export function hasKey(route: RouteKey, key: RouteKey): boolean {
	if (route.interface.toLowerCase() !== key.interface.toLowerCase()) {
		return false;
	}
	const a = parsePrefix(route.destinationPrefix);
	const b = parsePrefix(key.destinationPrefix);
	return a.ok && b.ok ? a.value.first === b.value.first && a.value.prefixLength === b.value.prefixLength : route.destinationPrefix === key.destinationPrefix;
}

/** `192.168.20.0/24 on Port3`, for messages. */
export function describeKey(key: RouteKey): string {
	return `${key.destinationPrefix} on ${key.interface}`;
}

type PortNetwork = {readonly port: Port; readonly address: number; readonly network: Network};

function portNetwork(port: Port): PortNetwork | undefined {
	if (port.address === null) {
		return undefined;
	}
	const parsed = parseInterfaceAddress(port.address);
	return parsed.ok ? {port, address: parsed.value.value, network: parsed.value.network} : undefined;
}

function listNames(ports: readonly Port[]): string {
	return ports.length > 0 ? ports.map(port => port.name).join(', ') : 'none';
}

function checkInterface(device: Device, text: string): {port?: Port; error?: string} {
	const name = text.trim();
	if (name === '') {
		return {error: `interface: choose a port (${device.ports.map(port => port.name).join(', ')})`};
	}
	const port = findPort(device, name);
	if (!port) {
		return {error: `interface: "${name}" is not a port of this device; choose one of ${device.ports.map(candidate => candidate.name).join(', ')}`};
	}
	if (port.ipConfig !== 'static' || port.address === null) {
		const statics = device.ports.filter(candidate => candidate.ipConfig === 'static' && candidate.address !== null);
		return {port, error: `interface: ${port.name} uses DHCP; routes need a port with a static IP configuration (${listNames(statics)})`};
	}
	if (device.cluster.computeConfigured && !port.computeEnabled) {
		const compute = device.ports.filter(candidate => candidate.computeEnabled);
		return {port, error: `interface: compute is not enabled on ${port.name}, so the Kubernetes VMs have no NIC there; use a port with compute (${listNames(compute)})`};
	}
	return {port};
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

/** Metrics of the VMs' own table: connected networks and the default route are metric 0 in the kernel. */
const systemMetric = 0;

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
			errors: {metric: `metric: the VMs' ${system} already uses ${route.destinationPrefix} with metric 0 (RTNETLINK: File exists); choose a metric above 0`},
		};
	}
	return {ok: true, route, warnings: options.rulesOnly ? [] : routeWarnings(device, route, context, options.replacing)};
}

/** The VM table entry (connected network or default route) with exactly this prefix, if any. */
function systemEntryWithPrefix(device: Device, network: Network): string | undefined {
	if (network.prefixLength === 0) {
		return 'default route';
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

/** A cluster range, and the prefix length a route must reach to take traffic from it (a shorter route loses to the entry that carries the range). */
type ClusterSpan = {readonly label: string; readonly span: AddressRange | undefined; readonly carrierPrefixLength: number};

function takesTraffic(route: Network, cluster: ClusterSpan): boolean {
	return cluster.span !== undefined && route.prefixLength > 0 && overlaps(route, cluster.span) && route.prefixLength >= cluster.carrierPrefixLength;
}

function clusterSpans(device: Device): ClusterSpan[] {
	const {cluster} = device;
	const prefix = (text: string) => {
		const parsed = parsePrefix(text);
		return parsed.ok ? parsed.value : undefined;
	};
	const range = (text: string | null) => {
		const parsed = text === null ? undefined : parseRange(text);
		return parsed?.ok ? parsed.value : undefined;
	};
	const port = device.ports.find(candidate => candidate.computeEnabled);
	// The node and service ranges are carried by the compute port's connected route.
	const connected = port ? portNetwork(port)?.network.prefixLength ?? 0 : 0;
	const pod = prefix(cluster.podCidr);
	const service = prefix(cluster.serviceCidr);
	return [
		{label: `the pod CIDR ${cluster.podCidr}`, span: pod, carrierPrefixLength: pod?.prefixLength ?? 0},
		{label: `the service CIDR ${cluster.serviceCidr}`, span: service, carrierPrefixLength: service?.prefixLength ?? 0},
		// The connected route (metric 0) wins a tie, so only a longer prefix takes traffic from these.
		{label: `the Kubernetes node IP range ${cluster.nodeIpRange ?? ''}`, span: range(cluster.nodeIpRange), carrierPrefixLength: connected + 1},
		{label: `the Kubernetes external service IP range ${cluster.serviceIpRange ?? ''}`, span: range(cluster.serviceIpRange), carrierPrefixLength: connected + 1},
	];
}

/**
 * The routes the rules read, found by what they look for. A store can answer these from its indexes,
 * so a change of one route need not read every other.
 */
export type RouteLookup = {
	/** The routes of a destination prefix, by its canonical text. */
	readonly routesWithPrefix: (prefix: string) => readonly Route[];
	/** The routes on an interface (named case-insensitively), in the order they were added. */
	readonly routesOnInterface: (name: string) => readonly Route[];
};

/** What the checks and warnings of routes read: the routes by prefix, and the cluster ranges, worked out once per device. */
export type RouteContext = RouteLookup & {
	readonly clusterSpans: readonly ClusterSpan[];
};

/** The context of checks whose routes come from a lookup rather than from `device.routes`. */
function lookupContext(device: Device, lookup: RouteLookup): RouteContext {
	return {clusterSpans: clusterSpans(device), routesWithPrefix: lookup.routesWithPrefix, routesOnInterface: lookup.routesOnInterface};
}

function routesOnInterfaceOf(device: Device): (name: string) => readonly Route[] {
	return name => {
		const wanted = name.toLowerCase();
		return device.routes.filter(route => route.interface.toLowerCase() === wanted);
	};
}

/** The route with this (interface, destination) key, if any. */
function routeWithKey(context: RouteContext, interfaceName: string, prefix: string): Route | undefined {
	const wanted = interfaceName.toLowerCase();
	return context.routesWithPrefix(prefix).findLast(route => route.interface.toLowerCase() === wanted);
}

/** The route with this destination and metric, which the VMs' kernel keeps one of. */
function routeWithPrefixMetric(context: RouteContext, prefix: string, metric: number): Route | undefined {
	return context.routesWithPrefix(prefix).findLast(route => route.metric === metric);
}

/** The lowest-metric route of the destination prefix (the first of equals). */
function bestWithPrefix(context: RouteContext, prefix: string): Route | undefined {
	let best: Route | undefined;
	for (const route of context.routesWithPrefix(prefix)) {
		if (!best || route.metric < best.metric) {
			best = route;
		}
	}
	return best;
}

/**
 * Builds the shared context for the checks and warnings of many routes of a device: one pass that parses
 * nothing, since a device's routes are written the canonical way (`checkRoute` writes them so, and a
 * store's audit keeps out any that are not), so a prefix's text names it.
 */
export function routeContext(device: Device): RouteContext {
	const byPrefix = new Map<string, Route | Route[]>();
	for (const route of device.routes) {
		const key = route.destinationPrefix;
		const found = byPrefix.get(key);
		if (found === undefined) {
			byPrefix.set(key, route);
		} else if (Array.isArray(found)) {
			found.push(route);
		} else {
			byPrefix.set(key, [found as Route, route]);
		}
	}
	return lookupContext(device, {
		routesWithPrefix(prefix) {
			const found = byPrefix.get(prefix);
			return found === undefined ? [] : Array.isArray(found) ? found : [found as Route];
		},
		routesOnInterface: routesOnInterfaceOf(device),
	});
}

/**
 * The context of a single check: the routes of its prefix are found by one scan, without indexing them all
 * (a check asks for the same prefix up to three times: key, metric, best route).
 */
function scanContext(device: Device): RouteContext {
	let last: {readonly prefix: string; readonly routes: readonly Route[]} | undefined;
	return lookupContext(device, {
		routesWithPrefix(prefix) {
			if (last?.prefix !== prefix) {
				last = {prefix, routes: device.routes.filter(route => route.destinationPrefix === prefix)};
			}
			return last.routes;
		},
		routesOnInterface: routesOnInterfaceOf(device),
	});
}

/** Why a valid route is probably not what was meant. Saved anyway, and always shown with the route. */
export function routeWarnings(device: Device, route: Route, context: RouteContext = scanContext(device), replacing?: RouteKey): string[] {
	return routeWarner(device, context)(route, replacing);
}

/** What the warnings of a route take from its interface: the port, its own subnet, and the default-route warning. */
type InterfaceFacts = {
	readonly port: Port | undefined;
	readonly local: PortNetwork | undefined;
	readonly defaultRouteWarning: string | undefined;
};

/**
 * The warnings of routes of one device, with what depends only on a route's interface worked out once per
 * interface (a device's routes sit on a handful of ports).
 */
function routeWarner(device: Device, context: RouteContext): (route: Route, replacing?: RouteKey) => string[] {
	const facts = new Map<string, InterfaceFacts>();
	const factsOf = (name: string): InterfaceFacts => {
		let found = facts.get(name);
		if (!found) {
			const port = findPort(device, name);
			const gateway = device.ports.find(candidate => candidate.gateway !== null);
			found = {
				port,
				local: port ? portNetwork(port) : undefined,
				defaultRouteWarning: port?.computeEnabled
					? `a default route on compute port ${port.name} would take Internet-bound traffic away from ${gateway ? `${gateway.name}, the port with the default gateway` : 'the default gateway'}`
					: undefined,
			};
			facts.set(name, found);
		}
		return found;
	};
	return (route, replacing) => {
		const destination = parsePrefix(route.destinationPrefix);
		if (!destination.ok) {
			return [];
		}
		const network = destination.value;
		const warnings: string[] = [];
		for (const cluster of context.clusterSpans) {
			if (takesTraffic(network, cluster)) {
				warnings.push(`overlaps ${cluster.label}: it would steal cluster traffic`);
			}
		}
		const {local, defaultRouteWarning} = factsOf(route.interface);
		if (local && network.prefixLength > 0 && network.first === local.network.first && network.last === local.network.last) {
			warnings.push(`${route.destinationPrefix} is ${local.port.name}'s own connected subnet: on a flat subnet no route is needed, and the connected route (metric 0) wins`);
		}
		const better = bestWithPrefix(context, route.destinationPrefix);
		if (better && better !== route && better.metric < route.metric && !hasKey(better, route) && !(replacing && hasKey(better, replacing))) {
			warnings.push(`can never win: the route for ${better.destinationPrefix} on ${better.interface} has the same prefix and a lower metric (${better.metric})`);
		}
		if (network.prefixLength === 0 && defaultRouteWarning) {
			warnings.push(defaultRouteWarning);
		}
		return warnings;
	};
}

/** Whether a route is on the VMs now. */
export type RouteStatus = {
	readonly state: 'active' | 'pending';
	readonly reason: string;
};

/** `active` on both VMs, or `pending` with why (compute not configured yet: routes may be added before it is). */
export function routeStatus(device: Device, route: Route): RouteStatus {
	if (!device.cluster.computeConfigured || device.vms.length === 0) {
		return {state: 'pending', reason: 'Kubernetes compute is not configured yet; the route is applied to the master and worker VMs when it is'};
	}
	const port = findPort(device, route.interface);
	if (!port?.computeEnabled || device.vms.some(vm => !nicOn(vm, 'external'))) {
		return {state: 'pending', reason: `the Kubernetes VMs have no NIC on ${route.interface}; enable compute on it`};
	}
	return {state: 'active', reason: `on the master and worker VMs, via their NIC on ${route.interface}`};
}

/** A route with what is shown beside it everywhere: its status and warnings. */
export type RouteView = Route & {
	readonly status: RouteStatus;
	readonly warnings: readonly string[];
};

/** Every custom route with its status and warnings, optionally of one interface only. */
export function describeRoutes(device: Device, interfaceName?: string): RouteView[] {
	const wanted = interfaceName?.toLowerCase();
	const context = routeContext(device);
	// A route's status depends only on its interface: worked out once per interface.
	const statuses = new Map<string, RouteStatus>();
	const statusOf = (route: Route) => {
		let status = statuses.get(route.interface);
		if (!status) {
			status = routeStatus(device, route);
			statuses.set(route.interface, status);
		}
		return status;
	};
	const warningsOf = routeWarner(device, context);
	return device.routes
		.filter(route => wanted === undefined || route.interface.toLowerCase() === wanted)
		.map(route => ({...route, status: statusOf(route), warnings: warningsOf(route)}));
}

/** What a change does to the stored routes: one route added (no `before`), replaced, or removed (no `after`). */
export type RouteEdit = {
	readonly before: Route | undefined;
	readonly after: Route | undefined;
};

/** The outcome of an operation on the routes: the edit to store, and what to tell the person. */
export type RouteChange =
	| {
			readonly ok: true;
			readonly edit: RouteEdit;
			readonly route: Route;
			/** Where the route stands after the change (`pending` with no reason once removed). */
			readonly status: RouteStatus;
			readonly warnings: readonly string[];
			readonly message: string;
	  }
	| {readonly ok: false; readonly errors: RouteErrors; readonly message: string; readonly edit?: undefined};

/** The device with an edit applied; `before` is the device's own route object. */
export function applyRouteEdit(device: Device, edit: RouteEdit): Device {
	const {before, after} = edit;
	const routes =
		before === undefined
			? [...device.routes, ...(after ? [after] : [])]
			: after === undefined
				? device.routes.filter(route => route !== before)
				: device.routes.map(route => (route === before ? after : route));
	return {...device, routes};
}

function refusal(errors: RouteErrors): RouteChange {
	const message = routeFields
		.map(field => errors[field])
		.filter(Boolean)
		.join('\n');
	return {ok: false, errors, message};
}

/** The context of one operation: the store's lookup when it gives one, else a scan of `device.routes`. */
function contextOf(device: Device, lookup: RouteLookup | undefined): RouteContext {
	return lookup ? lookupContext(device, lookup) : scanContext(device);
}

/** Adds a route (`Add-HcsNetRoute`). */
export function addRoute(device: Device, input: RouteInput, lookup?: RouteLookup): RouteChange {
	const check = checkRoute(device, input, {context: contextOf(device, lookup)});
	if (!check.ok) {
		return refusal(check.errors);
	}
	return {
		ok: true,
		edit: {before: undefined, after: check.route},
		route: check.route,
		status: routeStatus(device, check.route),
		warnings: check.warnings,
		message: `Added ${describeKey(check.route)} via ${check.route.nextHop}, metric ${check.route.metric}.`,
	};
}

/** The route with this key; the key's prefix may be written any way that names the same network. */
function findByKey(context: RouteContext, key: RouteKey): Route | undefined {
	const destination = parsePrefix(key.destinationPrefix);
	return destination.ok ? routeWithKey(context, key.interface, formatNetwork(destination.value)) : undefined;
}

function missing(context: RouteContext, key: RouteKey): RouteChange {
	const destination = parsePrefix(key.destinationPrefix);
	if (!destination.ok) {
		return refusal({destinationPrefix: `destination: ${destination.error}`});
	}
	const onPort = context.routesOnInterface(key.interface);
	const hint = onPort.length > 0 ? `routes on ${onPort[0]!.interface}: ${onPort.map(route => route.destinationPrefix).join(', ')}` : `there are no custom routes on ${key.interface}`;
	return refusal({destinationPrefix: `destination: there is no route for ${formatNetwork(destination.value)} on ${key.interface} (${hint})`});
}

/** Changes the next hop and/or metric of an existing route (the edit form may change every field). */
export function updateRoute(device: Device, key: RouteKey, changes: Partial<RouteInput>, lookup?: RouteLookup): RouteChange {
	const context = contextOf(device, lookup);
	const existing = findByKey(context, key);
	if (!existing) {
		return missing(context, key);
	}
	const input: RouteInput = {
		interface: changes.interface ?? existing.interface,
		destinationPrefix: changes.destinationPrefix ?? existing.destinationPrefix,
		nextHop: changes.nextHop ?? existing.nextHop,
		metric: changes.metric ?? String(existing.metric),
	};
	const check = checkRoute(device, input, {replacing: existing, context});
	if (!check.ok) {
		return refusal(check.errors);
	}
	return {
		ok: true,
		edit: {before: existing, after: check.route},
		route: check.route,
		status: routeStatus(device, check.route),
		warnings: check.warnings,
		message: `Updated ${describeKey(check.route)}: via ${check.route.nextHop}, metric ${check.route.metric}.`,
	};
}

/** Removes a route (`Remove-HcsNetRoute`). */
export function removeRoute(device: Device, key: RouteKey, lookup?: RouteLookup): RouteChange {
	const context = contextOf(device, lookup);
	const existing = findByKey(context, key);
	if (!existing) {
		return missing(context, key);
	}
	return {
		ok: true,
		edit: {before: existing, after: undefined},
		route: existing,
		status: {state: 'pending', reason: ''},
		warnings: [],
		message: `Removed ${describeKey(existing)}.`,
	};
}

/** The route's destination prefix length. */
export function prefixLengthOf(route: Route): number {
	const parsed = parsePrefix(route.destinationPrefix);
	return parsed.ok ? parsed.value.prefixLength : 32;
}

/** What an edit was opened on: the store revision, the route's key, and the route as it was then (null for a new one). */
export type EditGuard = {
	readonly revision: number;
	readonly key: RouteKey;
	readonly snapshot: Route | null;
};

/** The message of an edit refused because another session changed the same route first. */
export const staleEditMessage = 'changed by another session — reloaded; review and save again';

function sameRoute(a: Route | null | undefined, b: Route | null | undefined): boolean {
	if (!a || !b) {
		return !a && !b;
	}
	return a.interface === b.interface && a.destinationPrefix === b.destinationPrefix && a.nextHop === b.nextHop && a.metric === b.metric;
}

/**
 * Refuses an edit opened on an older revision when the route it edits has changed since (changed, removed,
 * or added by someone else); changes to other routes do not stop it. Returns the refusal, or nothing.
 */
export function checkStaleEdit(device: Device, revision: number, guard: EditGuard): RouteChange | undefined {
	if (revision === guard.revision || sameRoute(findRoute(device, guard.key), guard.snapshot)) {
		return undefined;
	}
	return {ok: false, errors: {destinationPrefix: staleEditMessage}, message: staleEditMessage};
}

/** The route with this key, if any. */
export function findRoute(device: Device, key: RouteKey): Route | undefined {
	return findByKey(scanContext(device), key);
}
