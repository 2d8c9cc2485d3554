/**
 * The route rules applied to routes that are already stored: what a store holds is checked on open with
 * the same rules as `route add`, so a route written around edgenet (by hand, by an older or broken
 * program) is reported by name and kept away from the kernel and the exports.
 */

import type {Device, Route} from './device.js';
import {parsePrefix} from './ip.js';
import {checkRoute, routeFields} from './route-checks.js';
import {routeContext} from './route-context.js';
import {describeKey} from './route-key.js';

/** Raised whenever the rules below change, so a store's record of its last check is not trusted across versions. */
export const routeRulesVersion = 1;

/** A stored route that breaks a rule, and why. */
export type RouteProblem = {
	readonly route: Route;
	/** `route 192.168.20.0/24 on Port3`, for messages. */
	readonly name: string;
	readonly reason: string;
};

/** What an audit found: the routes that keep every rule, in their order, and the ones that do not. */
export type RouteAudit = {
	readonly valid: readonly Route[];
	readonly problems: readonly RouteProblem[];
};

/** How a stored route is named in a report: `route 192.168.20.0/24 on Port3`. */
export function nameOf(route: Route): string {
	return `route ${describeKey(route)}`;
}

/**
 * Checks every stored route with the rules of `route add` (each one as if it were added to the others).
 * Of two routes with the same key, or the same destination and metric, the first is kept.
 */
export function auditRoutes(device: Device): RouteAudit {
	const problems: RouteProblem[] = [];
	const keys = new Set<string>();
	const prefixMetrics = new Set<string>();
	const unique: Route[] = [];
	for (const route of device.routes) {
		const prefix = parsePrefix(route.destinationPrefix);
		if (!prefix.ok) {
			problems.push({route, name: nameOf(route), reason: `destination: ${prefix.error}`});
			continue;
		}
		const key = `${route.interface.toLowerCase()}|${prefix.value.first}/${prefix.value.prefixLength}`;
		const prefixMetric = `${prefix.value.first}/${prefix.value.prefixLength}|${route.metric}`;
		if (keys.has(key)) {
			problems.push({route, name: nameOf(route), reason: `a second route for ${route.destinationPrefix} on ${route.interface}; a device keeps one per interface and destination`});
			continue;
		}
		if (prefixMetrics.has(prefixMetric)) {
			problems.push({route, name: nameOf(route), reason: `a second route for ${route.destinationPrefix} with metric ${route.metric}; the VMs keep one route per prefix and metric`});
			continue;
		}
		keys.add(key);
		prefixMetrics.add(prefixMetric);
		unique.push(route);
	}
	const uniqueDevice = unique.length === device.routes.length ? device : {...device, routes: unique};
	const context = routeContext(uniqueDevice);
	const valid: Route[] = [];
	for (const route of unique) {
		const check = checkRoute(uniqueDevice, {interface: route.interface, destinationPrefix: route.destinationPrefix, nextHop: route.nextHop, metric: String(route.metric)}, {replacing: route, context, rulesOnly: true});
		if (!check.ok) {
			const reason = routeFields.map(field => check.errors[field]).filter(Boolean).join('; ');
			problems.push({route, name: nameOf(route), reason});
			continue;
		}
		const stored = check.route;
		if (stored.interface !== route.interface || stored.destinationPrefix !== route.destinationPrefix || stored.nextHop !== route.nextHop) {
			problems.push({
				route,
				name: nameOf(route),
				reason: `not written as edgenet writes it (${describeKey(stored)} via ${stored.nextHop}); remove it and add it again`,
			});
			continue;
		}
		valid.push(route);
	}
	return {valid: problems.length === 0 ? device.routes : valid, problems};
}
