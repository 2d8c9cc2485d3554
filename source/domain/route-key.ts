/**
 * A route's identity: the (interface, destination prefix) key the device's cmdlets address a route by,
 * and the prefix length that ranks it.
 */

import type {Route} from './device.js';
import {parsePrefix} from './ip.js';

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

/** The route's destination prefix length. */
export function prefixLengthOf(route: Route): number {
	const parsed = parsePrefix(route.destinationPrefix);
	return parsed.ok ? parsed.value.prefixLength : 32;
}
