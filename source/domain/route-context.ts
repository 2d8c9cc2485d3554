/**
 * What the route rules read about a device: its routes, found by prefix or interface, and its cluster
 * ranges. Built once for many checks (`routeContext`), by one scan for a single check, or from a store's
 * indexes, so a change of one route need not read every other.
 */

import {type Device, portNetwork, type Route} from './device.js';
import {type AddressRange, formatNetwork, parsePrefix, parseRange} from './ip.js';
import type {RouteKey} from './route-key.js';

/**
 * A cluster range, what carries its traffic on the VMs (Calico's block and pod routes, kube-proxy's rewriting,
 * or the compute port's connected route), and for the connected ones the prefix length a route must reach to
 * take traffic from it (a shorter route loses to the connected route).
 */
export type ClusterSpan = {
	readonly label: string;
	readonly span: AddressRange | undefined;
	readonly carrier: 'calico' | 'kube-proxy' | 'connected';
	readonly carrierPrefixLength: number;
};

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
		// No route carries the whole pod or service CIDR: a route inside one of them meets Calico's routes or kube-proxy's rewriting.
		{label: `the pod CIDR ${cluster.podCidr}`, span: pod, carrier: 'calico', carrierPrefixLength: pod?.prefixLength ?? 0},
		{label: `the service CIDR ${cluster.serviceCidr}`, span: service, carrier: 'kube-proxy', carrierPrefixLength: service?.prefixLength ?? 0},
		// The connected route (metric 0) wins a tie, so only a longer prefix takes traffic from these.
		{label: `the Kubernetes node IP range ${cluster.nodeIpRange ?? ''}`, span: range(cluster.nodeIpRange), carrier: 'connected', carrierPrefixLength: connected + 1},
		{label: `the Kubernetes external service IP range ${cluster.serviceIpRange ?? ''}`, span: range(cluster.serviceIpRange), carrier: 'connected', carrierPrefixLength: connected + 1},
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
export function lookupContext(device: Device, lookup: RouteLookup): RouteContext {
	return {clusterSpans: clusterSpans(device), routesWithPrefix: lookup.routesWithPrefix, routesOnInterface: lookup.routesOnInterface};
}

function routesOnInterfaceOf(device: Device): (name: string) => readonly Route[] {
	return name => {
		const wanted = name.toLowerCase();
		return device.routes.filter(route => route.interface.toLowerCase() === wanted);
	};
}

/** The route with this (interface, destination) key, if any. */
export function routeWithKey(context: RouteContext, interfaceName: string, prefix: string): Route | undefined {
	const wanted = interfaceName.toLowerCase();
	return context.routesWithPrefix(prefix).findLast(route => route.interface.toLowerCase() === wanted);
}

/** The route with this destination and metric, which the VMs' kernel keeps one of. */
export function routeWithPrefixMetric(context: RouteContext, prefix: string, metric: number): Route | undefined {
	return context.routesWithPrefix(prefix).findLast(route => route.metric === metric);
}

/** The lowest-metric route of the destination prefix (the first of equals). */
export function bestWithPrefix(context: RouteContext, prefix: string): Route | undefined {
	let best: Route | undefined;
	for (const route of context.routesWithPrefix(prefix)) {
		if (!best || route.metric < best.metric) {
			best = route;
		}
	}
	return best;
}

/** How many prefixes a context looks up by scanning the routes before it indexes them all. */
const scansBeforeIndex = 64;

/**
 * Builds the shared context for the checks and warnings of many routes of a device: one pass that parses
 * nothing, since a device's routes are written the canonical way (`checkRoute` writes them so, and a
 * store's audit keeps out any that are not), so a prefix's text names it. The first few prefixes asked
 * about are found by a scan each (the rows in view of a large device's first frame ask about some twenty),
 * and the routes are indexed by prefix once more are asked about.
 */
export function routeContext(device: Device): RouteContext {
	let byPrefix: Map<string, Route | Route[]> | undefined;
	const scanned = new Map<string, readonly Route[]>();
	return lookupContext(device, {
		routesWithPrefix(prefix) {
			if (!byPrefix) {
				const known = scanned.get(prefix);
				if (known) {
					return known;
				}
				if (scanned.size < scansBeforeIndex) {
					const routes = device.routes.filter(route => route.destinationPrefix === prefix);
					scanned.set(prefix, routes);
					return routes;
				}
				byPrefix = indexByPrefix(device.routes);
			}
			const found = byPrefix.get(prefix);
			return found === undefined ? [] : Array.isArray(found) ? found : [found as Route];
		},
		routesOnInterface: routesOnInterfaceOf(device),
	});
}

/** The routes by their prefix's text, in the device's order: a lone route as itself, several as a list. */
function indexByPrefix(routes: readonly Route[]): Map<string, Route | Route[]> {
	const byPrefix = new Map<string, Route | Route[]>();
	for (const route of routes) {
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
	return byPrefix;
}

/**
 * The context of a single check: the routes of its prefix are found by one scan, without indexing them all
 * (a check asks for the same prefix up to three times: key, metric, best route).
 */
export function scanContext(device: Device): RouteContext {
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

/** The route with this key; the key's prefix may be written any way that names the same network. */
export function findByKey(context: RouteContext, key: RouteKey): Route | undefined {
	const destination = parsePrefix(key.destinationPrefix);
	return destination.ok ? routeWithKey(context, key.interface, formatNetwork(destination.value)) : undefined;
}

/** The route with this key, if any. */
export function findRoute(device: Device, key: RouteKey): Route | undefined {
	return findByKey(scanContext(device), key);
}
