/**
 * The route commands, in edgenet's spelling (`route add|set|remove|list|lookup`) and in the device's own
 * cmdlet spelling (`Add-HcsNetRoute`, `Get-HcsNetRoute`, `Remove-HcsNetRoute`). Both call the same domain
 * operations and the same store update.
 */

import {type LookupAnswer, lookupRoute} from '../domain/lookup.js';
import {addRoute, describeRoutes, routeStatus, type RouteChange, type RouteInput, type RouteKey, type RouteLookup, type RouteView, removeRoute, updateRoute} from '../domain/routes.js';
import type {Device} from '../domain/device.js';
import {toRouteRows} from '../view-models/device-rows.js';
import {toLookupLines} from '../view-models/lookup-lines.js';
import {sanitize} from '../view-models/sanitize.js';
import {formatTextTable} from '../view-models/text-table.js';
import {type CommandContext, type ExitCode, exitCodes, UsageError, waitingForLock, readDevice} from './context.js';

/** The JSON form of a route for scripts. */
export function routeJson(route: RouteView) {
	return {
		interface: route.interface,
		destinationPrefix: route.destinationPrefix,
		nextHop: route.nextHop,
		metric: route.metric,
		status: route.status.state,
		statusReason: route.status.reason,
		warnings: route.warnings,
	};
}

/** Applies a route change through the store and reports it: exit 0 with the message, or 1 with the reasons. */
export async function applyRouteChange(context: CommandContext, change: (device: Device, lookup: RouteLookup | undefined) => RouteChange, json: boolean): Promise<ExitCode> {
	return reportRouteChange(context, await storeRouteChange(context, change), json);
}

function storeRouteChange(context: CommandContext, change: (device: Device, lookup: RouteLookup | undefined) => RouteChange): Promise<RouteChange> {
	return context.openStore().update((device, _revision, lookup) => change(device, lookup), {onWait: waitingForLock(context)});
}

function reportRouteChange(context: CommandContext, result: RouteChange, json: boolean): ExitCode {
	if (!result.ok) {
		context.err(`edgenet: refused, nothing changed:\n${result.message.split('\n').map(line => `  ${sanitize(line)}`).join('\n')}\n`);
		return exitCodes.refused;
	}
	const view: RouteView = {...result.route, status: result.status, warnings: result.warnings};
	if (json) {
		context.out(`${JSON.stringify({message: result.message, route: routeJson(view)}, undefined, 2)}\n`);
	} else {
		context.out(`${sanitize(result.message)}\n`);
		// A removed route is on no VM any more: nothing is pending for it.
		if (view.status.state === 'pending' && result.edit.after) {
			context.out(`Pending: ${view.status.reason}.\n`);
		}
		for (const warning of view.warnings) {
			context.out(`Warning: ${sanitize(warning)}\n`);
		}
	}
	return exitCodes.ok;
}

/** Prints routes as a text table or a JSON array. */
export function printRoutes(context: CommandContext, routes: readonly RouteView[], json: boolean, device: Device): ExitCode {
	if (json) {
		context.out(`${JSON.stringify(routes.map(route => routeJson(route)), undefined, 2)}\n`);
		return exitCodes.ok;
	}
	if (routes.length === 0) {
		context.out('No custom routes.\n');
		return exitCodes.ok;
	}
	const table = toRouteRows(device, routes);
	context.out(`${formatTextTable(table.columns, table.rows).join('\n')}\n`);
	return exitCodes.ok;
}

/** Prints routes as `Get-HcsNetRoute` would: PowerShell's column names, each underlined. */
export function printCmdletRoutes(context: CommandContext, routes: readonly RouteView[]): ExitCode {
	const headings = ['InterfaceAlias', 'DestinationPrefix', 'NextHop', 'RouteMetric', 'Status', 'Warnings'];
	const lines = formatTextTable(
		headings.map(heading => ({heading, align: heading === 'RouteMetric' ? ('right' as const) : ('left' as const)})),
		[
			headings.map(heading => '-'.repeat(heading.length)),
			...routes.map(route => [route.interface, route.destinationPrefix, route.nextHop, String(route.metric), route.status.state, route.warnings.join('; ')]),
		],
	);
	context.out(routes.length === 0 ? '' : `\n${lines.join('\n')}\n\n`);
	return exitCodes.ok;
}

/** Builds a route input, refusing a call that leaves out a field. */
export function requireRouteInput(values: Partial<Record<keyof RouteInput, string | undefined>>, spelling: Record<keyof RouteInput, string>): RouteInput {
	const missing = (Object.keys(spelling) as Array<keyof RouteInput>).filter(field => values[field] === undefined);
	if (missing.length > 0) {
		throw new UsageError(`missing ${missing.map(field => spelling[field]).join(', ')}`);
	}
	return values as RouteInput;
}

/** Builds a route key, refusing a call that leaves out a part. */
export function requireRouteKey(values: {interface?: string | undefined; destinationPrefix?: string | undefined}, spelling: {interface: string; destinationPrefix: string}): RouteKey {
	const missing = [values.interface === undefined ? spelling.interface : undefined, values.destinationPrefix === undefined ? spelling.destinationPrefix : undefined].filter(Boolean);
	if (missing.length > 0) {
		throw new UsageError(`missing ${missing.join(', ')}`);
	}
	return {interface: values.interface!, destinationPrefix: values.destinationPrefix!};
}

/**
 * Removes a route (`route remove`, `Remove-HcsNetRoute`). A key that names a route within the rules
 * removes it. A stored route that breaks the rules is invisible to the domain's operations, so when they
 * find none, one written exactly as the key is looked for and removed.
 */
export async function applyRouteRemoval(context: CommandContext, key: RouteKey, json: boolean): Promise<ExitCode> {
	const result = await storeRouteChange(context, removeRouteChange(key));
	if (!result.ok) {
		const removed = await context.openStore().removeRefusedRoute(key);
		if (removed) {
			const message = `Removed ${removed.name}, a stored route that broke the route rules (${removed.reason}).`;
			context.out(json ? `${JSON.stringify({message, route: removed.route}, undefined, 2)}\n` : `${sanitize(message)}\n`);
			return exitCodes.ok;
		}
	}
	return reportRouteChange(context, result, json);
}

export const addRouteChange = (input: RouteInput) => (device: Device, lookup?: RouteLookup) => addRoute(device, input, lookup);
export const setRouteChange = (key: RouteKey, changes: Partial<RouteInput>) => (device: Device, lookup?: RouteLookup) => updateRoute(device, key, changes, lookup);
export const removeRouteChange = (key: RouteKey) => (device: Device, lookup?: RouteLookup) => removeRoute(device, key, lookup);

/** The lookup answer as text: the winner, the path across the layers, the losers. */
export function formatLookup(answer: LookupAnswer): string {
	return `${toLookupLines(answer).map(line => line.text).join('\n')}\n`;
}

/** Runs a lookup and prints it. */
export function runLookup(context: CommandContext, from: string, destination: string, json: boolean): ExitCode {
	const device = readDevice(context);
	const answer = lookupRoute(device, from, destination);
	if (!answer.ok) {
		context.err(`edgenet: ${sanitize(answer.error)}\n`);
		return exitCodes.refused;
	}
	context.out(json ? `${JSON.stringify(answer.value, undefined, 2)}\n` : formatLookup(answer.value));
	return exitCodes.ok;
}
