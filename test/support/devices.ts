/** Devices for tests, built with the same operations the program uses. */

import {createDemoDevice} from '../../source/domain/demo.js';
import type {Device} from '../../source/domain/device.js';
import {addRoute, applyRouteEdit} from '../../source/domain/routes.js';

/** The device with routes on Port3 added through `addRoute`: [destination, next hop, metric]. */
export function withRoutes(device: Device, routes: ReadonlyArray<readonly [string, string, string]>): Device {
	let current = device;
	for (const [destinationPrefix, nextHop, metric] of routes) {
		const result = addRoute(current, {interface: 'Port3', destinationPrefix, nextHop, metric});
		if (!result.ok) {
			throw new Error(result.message);
		}
		current = applyRouteEdit(current, result.edit);
	}
	return current;
}

/** The demo device with the given routes added. */
export function demoWithRoutes(routes: ReadonlyArray<readonly [string, string, string]>): Device {
	return withRoutes(createDemoDevice(), routes);
}
