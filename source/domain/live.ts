/**
 * A Kubernetes VM's real routing table against the store: what differs, and the `ip route` commands that
 * make the kernel match. edgenet owns only the routes it installed (protocol 237); a route of any other
 * protocol (the kernel's, DHCP's, the CNI's, an administrator's) is never changed or deleted.
 */

import type {Device, VmName} from './device.js';
import {edgenetRouteProtocol, routeTarget} from './export.js';
import {formatNetwork, parsePrefix} from './ip.js';
import {installableRoutes} from './route-status.js';

/** A route as `ip -j route show` prints it (the fields edgenet reads). */
export type KernelRoute = {
	readonly dst: string;
	readonly gateway?: string;
	readonly dev?: string;
	readonly metric?: number;
	readonly protocol?: string | number;
	readonly type?: string;
};

/** A route as it should be on the VM. */
export type WantedRoute = {readonly destinationPrefix: string; readonly nextHop: string; readonly dev: string; readonly metric: number};

/** One difference between the store and the kernel. */
export type LiveDifference =
	| {readonly kind: 'missing'; readonly wanted: WantedRoute}
	| {readonly kind: 'extra'; readonly actual: WantedRoute}
	| {readonly kind: 'different'; readonly wanted: WantedRoute; readonly actual: WantedRoute; readonly fields: readonly string[]}
	| {readonly kind: 'blocked'; readonly wanted: WantedRoute; readonly protocol: string};

/** The kernel's `dst` in CIDR form: `default` is 0.0.0.0/0, a bare address is /32. */
export function kernelDestination(dst: string): string | undefined {
	const text = dst === 'default' ? '0.0.0.0/0' : dst;
	const parsed = parsePrefix(text);
	return parsed.ok ? formatNetwork(parsed.value) : undefined;
}

const protocolName = (protocol: string | number | undefined) => (protocol === undefined ? 'boot' : String(protocol));

/** Whether the kernel says this route is edgenet's. */
export function isEdgenetRoute(route: KernelRoute): boolean {
	return String(route.protocol) === String(edgenetRouteProtocol);
}

/** The routes the store wants on a VM: its active custom routes, through its NIC on the compute port's switch. */
export function wantedRoutes(device: Device, vmName: VmName): {ok: true; routes: WantedRoute[]} | {ok: false; error: string} {
	const target = routeTarget(device, vmName);
	if (!target.ok) {
		return target;
	}
	const {vm, nic} = target;
	return {
		ok: true,
		routes: installableRoutes(device, vm).map(route => ({destinationPrefix: route.destinationPrefix, nextHop: route.nextHop, dev: nic.name, metric: route.metric})),
	};
}

function toWanted(route: KernelRoute): WantedRoute | undefined {
	const destinationPrefix = kernelDestination(route.dst);
	return destinationPrefix === undefined ? undefined : {destinationPrefix, nextHop: route.gateway ?? '', dev: route.dev ?? '', metric: route.metric ?? 0};
}

/**
 * Compares the wanted routes with the kernel's table, route by the kernel's own key (prefix and metric):
 * edgenet may have several routes of one prefix there, and every one is seen. A wanted route whose key a
 * route of another protocol holds is blocked, and edgenet's other routes of that prefix are left as they
 * are (one of them may be what still carries the traffic).
 */
export function diffRoutes(wanted: readonly WantedRoute[], kernel: readonly KernelRoute[]): LiveDifference[] {
	const key = (route: WantedRoute) => `${route.destinationPrefix}|${route.metric}`;
	const ours = new Map<string, WantedRoute>();
	const others = new Map<string, string>();
	for (const route of kernel) {
		const actual = toWanted(route);
		if (!actual) {
			continue;
		}
		if (route.type !== undefined && route.type !== 'unicast') {
			// A blackhole or unreachable route of another protocol holds its prefix and metric as much as a unicast one.
			if (!isEdgenetRoute(route)) {
				others.set(key(actual), `${protocolName(route.protocol)} (${route.type})`);
			}
			continue;
		}
		if (isEdgenetRoute(route)) {
			ours.set(key(actual), actual);
		} else {
			others.set(key(actual), protocolName(route.protocol));
		}
	}
	const differences: LiveDifference[] = [];
	const accounted = new Set<string>();
	const blockedPrefixes = new Set<string>();
	// Our routes whose key no wanted route has, by prefix: a route moved to another metric pairs with one of these.
	const wantedKeys = new Set(wanted.map(key));
	const spare = new Map<string, WantedRoute[]>();
	for (const [routeKey, actual] of ours) {
		if (!wantedKeys.has(routeKey)) {
			spare.set(actual.destinationPrefix, [...(spare.get(actual.destinationPrefix) ?? []), actual]);
		}
	}
	for (const route of wanted) {
		const exact = ours.get(key(route));
		const holder = others.get(key(route));
		if (exact === undefined && holder !== undefined) {
			differences.push({kind: 'blocked', wanted: route, protocol: holder});
			blockedPrefixes.add(route.destinationPrefix);
			continue;
		}
		const actual = exact ?? spare.get(route.destinationPrefix)?.shift();
		if (actual === undefined) {
			differences.push({kind: 'missing', wanted: route});
			continue;
		}
		accounted.add(key(actual));
		const fields = [
			...(actual.nextHop === route.nextHop ? [] : ['next hop']),
			...(actual.metric === route.metric ? [] : ['metric']),
			...(actual.dev === route.dev ? [] : ['device']),
		];
		if (fields.length > 0) {
			differences.push({kind: 'different', wanted: route, actual, fields});
		}
	}
	for (const [routeKey, actual] of ours) {
		if (!accounted.has(routeKey) && !blockedPrefixes.has(actual.destinationPrefix)) {
			differences.push({kind: 'extra', actual});
		}
	}
	return differences;
}

/** A route as `ip route` words: destination, then `via` and `dev` when it has them, and its metric. */
const routeWords = (route: WantedRoute) => [
	route.destinationPrefix,
	...(route.nextHop === '' ? [] : ['via', route.nextHop]),
	...(route.dev === '' ? [] : ['dev', route.dev]),
	'metric',
	String(route.metric),
];

const describeRoute = (route: WantedRoute) => routeWords(route).join(' ');

const routeArgs = (route: WantedRoute) => [...routeWords(route), 'proto', String(edgenetRouteProtocol)];

// A deletion names only the kernel's key and edgenet's protocol: nothing the kernel reported (a device name may hold any byte) goes into the command.
const deletionArgs = (route: WantedRoute) => [route.destinationPrefix, 'metric', String(route.metric), 'proto', String(edgenetRouteProtocol)];

/** One line per difference, saying which. */
export function describeDifference(difference: LiveDifference): string {
	switch (difference.kind) {
		case 'missing': {
			return `missing    ${describeRoute(difference.wanted)} (in the store, not in the kernel)`;
		}
		case 'extra': {
			return `extra      ${describeRoute(difference.actual)} (installed by edgenet, no longer in the store)`;
		}
		case 'different': {
			return `different  ${difference.wanted.destinationPrefix}: ${difference.fields.join(', ')} — store ${describeRoute(difference.wanted)}, kernel ${describeRoute(difference.actual)}`;
		}
		case 'blocked': {
			return `blocked    ${describeRoute(difference.wanted)}: a route of protocol ${difference.protocol} holds this prefix and metric; edgenet leaves it alone`;
		}
	}
}


/**
 * The `ip route` argument lists that make the kernel match in one pass: only edgenet's own routes are
 * replaced, added or deleted, and blocked ones are left alone. No working route is deleted before its
 * replacement is in: a route that keeps its key is replaced in place (`ip route replace`, one atomic
 * change), a route that moves to another metric is added under its new key first, and every deletion
 * comes after every addition.
 */
export function planApply(differences: readonly LiveDifference[]): string[][] {
	const installs: string[][] = [];
	const deletions: string[][] = [];
	for (const difference of differences) {
		switch (difference.kind) {
			case 'missing': {
				installs.push(['route', 'add', ...routeArgs(difference.wanted)]);
				break;
			}
			case 'extra': {
				deletions.push(['route', 'del', ...deletionArgs(difference.actual)]);
				break;
			}
			case 'different': {
				if (difference.actual.metric === difference.wanted.metric) {
					installs.push(['route', 'replace', ...routeArgs(difference.wanted)]);
				} else {
					installs.push(['route', 'add', ...routeArgs(difference.wanted)]);
					deletions.push(['route', 'del', ...deletionArgs(difference.actual)]);
				}
				break;
			}
			case 'blocked': {
				break;
			}
		}
	}
	return [...installs, ...deletions];
}

/** How each wanted route stands in the kernel, by destination prefix: routes not listed are in sync. */
export function liveLabels(differences: readonly LiveDifference[]): Map<string, 'missing' | 'drifted' | 'blocked'> {
	const labels = new Map<string, 'missing' | 'drifted' | 'blocked'>();
	for (const difference of differences) {
		if (difference.kind === 'missing') {
			labels.set(difference.wanted.destinationPrefix, 'missing');
		} else if (difference.kind === 'different') {
			labels.set(difference.wanted.destinationPrefix, 'drifted');
		} else if (difference.kind === 'blocked') {
			labels.set(difference.wanted.destinationPrefix, 'blocked');
		}
	}
	return labels;
}
