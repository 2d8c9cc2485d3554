/**
 * The operations on custom routes that the dashboard and the commands both call: add, update and remove,
 * each checked by the route rules and answered with the edit to store, and the device with an edit
 * applied. Problems are values, never exceptions.
 */

import {type Device, findPort, type Route} from './device.js';
import {formatNetwork, type Network, parsePrefix} from './ip.js';
import {checkRoute, type RouteErrors, routeFields, type RouteInput} from './route-checks.js';
import {findByKey, lookupContext, type RouteContext, type RouteLookup, scanContext} from './route-context.js';
import {describeKey, hasKey, type RouteKey} from './route-key.js';
import {routeStatus, type RouteStatus} from './route-status.js';

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
			/** Where the route stands after the change; for a removal, where it stood until it was removed. */
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

/**
 * Why a port named in a command is not one of the device's, in the interface rule's words (naming the
 * ports there are); undefined for a port the device has, whether or not a route may use it.
 */
export function unknownPortError(device: Device, name: string): string | undefined {
	if (findPort(device, name)) {
		return undefined;
	}
	const check = checkRoute(device, {interface: name, destinationPrefix: '', nextHop: '', metric: ''});
	return check.ok ? undefined : check.errors.interface;
}

/** How many routes a refusal of a route that is not there names at most. */
const nearestShown = 3;

/**
 * The routes nearest a prefix, at most `count`, nearest first: those overlapping it (the closest in
 * length first), then those the fewest addresses away from it.
 */
function nearestRoutes(network: Network, routes: readonly Route[], count = nearestShown): Route[] {
	const ranked: Array<{readonly route: Route; readonly gap: number; readonly lengths: number}> = [];
	for (const route of routes) {
		const parsed = parsePrefix(route.destinationPrefix);
		if (parsed.ok) {
			const other = parsed.value;
			// Addresses between the two networks: 0 when they overlap.
			const gap = Math.max(0, other.first - network.last, network.first - other.last);
			ranked.push({route, gap, lengths: Math.abs(network.prefixLength - other.prefixLength)});
		}
	}
	return ranked
		.sort((a, b) => a.gap - b.gap || a.lengths - b.lengths)
		.slice(0, count)
		.map(entry => entry.route);
}

/**
 * The refusal of a change to a route that is not there: the same prefix on other ports, and the routes
 * of the port nearest the prefix (a few, however many the port has), so the message stays short.
 */
function missing(device: Device, context: RouteContext, key: RouteKey): RouteChange {
	const unknownPort = unknownPortError(device, key.interface);
	if (unknownPort !== undefined) {
		return refusal({interface: unknownPort});
	}
	const destination = parsePrefix(key.destinationPrefix);
	if (!destination.ok) {
		return refusal({destinationPrefix: `destination: ${destination.error}`});
	}
	const port = findPort(device, key.interface)?.name ?? key.interface;
	const prefix = formatNetwork(destination.value);
	const hints: string[] = [];
	const elsewhere = [...new Set(context.routesWithPrefix(prefix).map(route => route.interface))].filter(name => name.toLowerCase() !== port.toLowerCase());
	if (elsewhere.length > 0) {
		hints.push(`${prefix} is on ${elsewhere.slice(0, nearestShown).join(', ')}${elsewhere.length > nearestShown ? ' and others' : ''}`);
	}
	const onPort = context.routesOnInterface(port);
	const nearest = nearestRoutes(destination.value, onPort).map(route => route.destinationPrefix);
	if (onPort.length === 0) {
		hints.push(`there are no custom routes on ${port}`);
	} else if (onPort.length <= nearestShown) {
		hints.push(`routes on ${port}: ${nearest.join(', ')}`);
	} else {
		hints.push(`the nearest of the ${onPort.length} routes on ${port}: ${nearest.join(', ')}`);
	}
	return refusal({destinationPrefix: `destination: there is no route for ${prefix} on ${port} (${hints.join('; ')})`});
}

/** Changes the next hop and/or metric of an existing route (the edit form may change every field). */
export function updateRoute(device: Device, key: RouteKey, changes: Partial<RouteInput>, lookup?: RouteLookup): RouteChange {
	const context = contextOf(device, lookup);
	const existing = findByKey(context, key);
	if (!existing) {
		return missing(device, context, key);
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
		// A change of destination or port is a new key: the message says what it was.
		message: `Updated ${hasKey(existing, check.route) ? describeKey(check.route) : `${describeKey(existing)} → ${describeKey(check.route)}`}: via ${check.route.nextHop}, metric ${check.route.metric}.`,
	};
}

/** The change that takes an edit back: removes what it added, adds back what it removed, puts back what it changed. */
export function undoEdit(device: Device, edit: RouteEdit): RouteChange {
	const {before, after} = edit;
	const inputOf = (route: Route): RouteInput => ({interface: route.interface, destinationPrefix: route.destinationPrefix, nextHop: route.nextHop, metric: String(route.metric)});
	if (after && before) {
		return updateRoute(device, after, inputOf(before));
	}
	if (after) {
		return removeRoute(device, after);
	}
	return before ? addRoute(device, inputOf(before)) : refusal({destinationPrefix: 'destination: there is nothing to undo'});
}

/** Removes a route (`Remove-HcsNetRoute`). */
export function removeRoute(device: Device, key: RouteKey, lookup?: RouteLookup): RouteChange {
	const context = contextOf(device, lookup);
	const existing = findByKey(context, key);
	if (!existing) {
		return missing(device, context, key);
	}
	return {
		ok: true,
		edit: {before: existing, after: undefined},
		route: existing,
		status: routeStatus(device, existing),
		warnings: [],
		message: `Removed ${describeKey(existing)}.`,
	};
}
