/**
 * Whether a custom route is on the VMs now, which routes a VM's kernel therefore holds, and each route
 * with the status and warnings shown beside it everywhere.
 */

import {type Device, findPort, nicOn, type Route, type Vm} from './device.js';
import {routeContext} from './route-context.js';
import {routeWarner} from './route-warnings.js';

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

/** The status of each route of a device: it depends only on the route's interface, so it is worked out once per interface. */
function statusByInterface(device: Device): (route: Route) => RouteStatus {
	const statuses = new Map<string, RouteStatus>();
	return route => {
		let status = statuses.get(route.interface);
		if (!status) {
			status = routeStatus(device, route);
			statuses.set(route.interface, status);
		}
		return status;
	};
}

/**
 * The custom routes installed on a VM: the active ones, which leave through its NIC on the external switch.
 * The one rule behind `export ip-route`, `live` and the VM's routing table, so all three show the same routes.
 */
export function installableRoutes(device: Device, vm: Vm): Route[] {
	if (!nicOn(vm, 'external')) {
		return [];
	}
	const statusOf = statusByInterface(device);
	return device.routes.filter(route => statusOf(route).state === 'active');
}

/** A route with what is shown beside it everywhere: its status and warnings. */
export type RouteView = Route & {
	readonly status: RouteStatus;
	readonly warnings: readonly string[];
};

/** A describer of a device's routes: a route with its status and warnings. What it needs of the device is worked out on its first use. */
export function routeDescriber(device: Device): (route: Route) => RouteView {
	let describe: ((route: Route) => RouteView) | undefined;
	return route => {
		if (!describe) {
			const statusOf = statusByInterface(device);
			const warningsOf = routeWarner(device, routeContext(device));
			describe = candidate => ({...candidate, status: statusOf(candidate), warnings: warningsOf(candidate)});
		}
		return describe(route);
	};
}

/** Every custom route with its status and warnings, optionally of one interface only. */
export function describeRoutes(device: Device, interfaceName?: string): RouteView[] {
	const wanted = interfaceName?.toLowerCase();
	return device.routes.filter(route => wanted === undefined || route.interface.toLowerCase() === wanted).map(routeDescriber(device));
}
