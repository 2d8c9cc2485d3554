/**
 * Why a valid route is probably not what was meant: it steals cluster traffic, duplicates a connected
 * subnet, can never win, or takes the default route. Saved anyway, and always shown with the route.
 */

import {blockContaining} from './calico.js';
import {calicoBlockPrefixLength, type Device, findPort, type Port, portNetwork, type PortNetwork, type Route, systemMetric, vmNames} from './device.js';
import {contains, formatNetwork, type Network, overlaps, parsePrefix, toNumber} from './ip.js';
import {bestWithPrefix, type ClusterSpan, type RouteContext, scanContext} from './route-context.js';
import {hasKey, type RouteKey} from './route-key.js';

function takesTraffic(route: Network, cluster: ClusterSpan): boolean {
	return cluster.span !== undefined && route.prefixLength > 0 && overlaps(route, cluster.span) && route.prefixLength >= cluster.carrierPrefixLength;
}

/** How many pods a warning names before it counts the rest. */
const namedPods = 3;

/** What a route inside the pod or service CIDR really does, given what carries that range on the VMs. */
function clusterEffect(device: Device, route: Network, cluster: ClusterSpan): string {
	if (cluster.carrier === 'connected') {
		return `overlaps ${cluster.label}: it would steal cluster traffic`;
	}
	if (cluster.carrier === 'kube-proxy') {
		return `overlaps ${cluster.label}: kube-proxy rewrites a service's address to a pod before routing, so it only carries the addresses (and ports) no service holds`;
	}
	if (route.prefixLength <= calicoBlockPrefixLength) {
		return `overlaps ${cluster.label}: Calico's /${calicoBlockPrefixLength} block and /32 pod routes are longer or win the tie, so it only carries addresses no Calico block holds`;
	}
	const block = blockContaining(device, route.first);
	const pods = block?.pods.filter(pod => contains(route, toNumber(pod.ip))) ?? [];
	if (pods.length === 0) {
		return `overlaps ${cluster.label}: inside ${block ? `Calico's block ${formatNetwork(block.network)}` : 'no Calico block'}, it takes addresses no pod holds from ${block ? `the ${block.owner} VM's blackhole` : 'the default route'}`;
	}
	const names = pods.slice(0, namedPods).map(pod => `${pod.namespace}/${pod.name}`).join(', ');
	const more = pods.length > namedPods ? ` and ${pods.length - namedPods} more` : '';
	const nodes = new Set(pods.map(pod => pod.node));
	const [node] = nodes;
	const whose = nodes.size === 1 && node ? `the ${vmNames.find(name => name !== node)} VM's traffic to ${pods.length === 1 ? 'pod' : 'pods'} ${names}${more} on the ${node} VM` : `each VM's traffic to pods ${names}${more} on the other`;
	return `overlaps ${cluster.label}: longer than Calico's /${calicoBlockPrefixLength} block, it takes ${whose} away from Calico`;
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
export function routeWarner(device: Device, context: RouteContext): (route: Route, replacing?: RouteKey) => string[] {
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
				warnings.push(clusterEffect(device, network, cluster));
			}
		}
		const {local, defaultRouteWarning} = factsOf(route.interface);
		if (local && network.prefixLength > 0 && network.first === local.network.first && network.last === local.network.last) {
			warnings.push(
				`${route.destinationPrefix} is ${local.port.name}'s own connected subnet: on a flat subnet no route is needed, and the connected route (metric ${systemMetric}) wins`,
			);
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
