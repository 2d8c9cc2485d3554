/**
 * `edgenet route add|set|remove|list|lookup`, and the route operations it shares with the device's own
 * cmdlet spelling (`cmdlets.ts`): both call the same domain operations and the same store update.
 */

import {type LookupAnswer, lookupRoute} from '../domain/lookup.js';
import type {RouteInput} from '../domain/route-checks.js';
import type {RouteLookup} from '../domain/route-context.js';
import type {RouteKey} from '../domain/route-key.js';
import {describeRoutes, type RouteView} from '../domain/route-status.js';
import {addRoute, type RouteChange, removeRoute, unknownPortError, updateRoute} from '../domain/routes.js';
import type {Device, Route} from '../domain/device.js';
import {formatJson} from '../domain/safe-text.js';
import {toRouteRows} from '../view-models/device-rows.js';
import {toLookupLines} from '../view-models/lookup-lines.js';
import {sanitize} from '../view-models/sanitize.js';
import {formatTextTable} from '../view-models/text-table.js';
import {type Command, storeOption} from './command.js';
import {type CommandContext, type ExitCode, exitCodes, UsageError, waitingForLock, readDevice} from './context.js';
import {parseCommandArgs, unknownChoice} from './parse.js';
import {refuse, refuseChange} from './report.js';
import {routeAddHelp, routeListHelp, routeLookupHelp, routeRemoveHelp, routeSetHelp} from './route-help.js';

const routeOptions = {
	interface: {type: 'string'},
	destination: {type: 'string'},
	'next-hop': {type: 'string'},
	metric: {type: 'string'},
	json: {type: 'boolean'},
} as const;

const routeSpelling = {interface: '--interface', destinationPrefix: '--destination', nextHop: '--next-hop', metric: '--metric'};

const routeSubcommandHelp = [routeListHelp, routeAddHelp, routeSetHelp, routeRemoveHelp, routeLookupHelp];

const routeSubcommands = routeSubcommandHelp.map(topic => topic.name);

/** `edgenet route list|add|set|remove|lookup`. */
export const routeCommand: Command = {
	name: 'route',
	usage: 'route list|add|set|remove|lookup …',
	summary: 'list, add, change, remove and look up the custom routes of the Kubernetes VMs',
	options: [
		['list', 'the custom routes with their status and warnings'],
		['add', 'add a route'],
		['set', "change a route's next hop or metric"],
		['remove', 'remove a route'],
		['lookup', 'where traffic to an address or a service goes, and why'],
		['<subcommand> --help', "a subcommand's options, and the rules a route keeps"],
		storeOption,
	],
	subcommands: routeSubcommandHelp,
	run(args, context) {
		const [subcommand, ...rest] = args;
		switch (subcommand) {
			case 'list': {
				const {values} = parseCommandArgs(rest, {interface: routeOptions.interface, json: routeOptions.json});
				const device = readDevice(context);
				const unknownPort = values.interface === undefined ? undefined : unknownPortError(device, values.interface);
				if (unknownPort !== undefined) {
					return refuse(context, unknownPort);
				}
				return printRoutes(context, describeRoutes(device, values.interface), values.json ?? false, device);
			}
			case 'add': {
				const {values} = parseCommandArgs(rest, routeOptions);
				const input = requireRouteInput(
					{interface: values.interface, destinationPrefix: values.destination, nextHop: values['next-hop'], metric: values.metric},
					routeSpelling,
				);
				return applyRouteChange(context, addRouteChange(input), values.json ?? false);
			}
			case 'set': {
				const {values} = parseCommandArgs(rest, routeOptions);
				const key = requireRouteKey({interface: values.interface, destinationPrefix: values.destination}, routeSpelling);
				if (values['next-hop'] === undefined && values.metric === undefined) {
					throw new UsageError('route set needs --next-hop, --metric or both: what should change?');
				}
				return applyRouteChange(
					context,
					setRouteChange(key, {
						...(values['next-hop'] === undefined ? {} : {nextHop: values['next-hop']}),
						...(values.metric === undefined ? {} : {metric: values.metric}),
					}),
					values.json ?? false,
				);
			}
			case 'remove': {
				const {values} = parseCommandArgs(rest, {interface: routeOptions.interface, destination: routeOptions.destination, json: routeOptions.json});
				const key = requireRouteKey({interface: values.interface, destinationPrefix: values.destination}, routeSpelling);
				return applyRouteRemoval(context, key, values.json ?? false);
			}
			case 'lookup': {
				const {values, positionals} = parseCommandArgs(rest, {from: {type: 'string'}, json: routeOptions.json}, true);
				if (positionals.length !== 1) {
					throw new UsageError('route lookup needs one destination: an IPv4 address or a service name, such as 192.168.20.7');
				}
				return runLookup(context, values.from ?? 'worker', positionals[0]!, values.json ?? false);
			}
			default: {
				throw subcommand === undefined ? new UsageError(`route needs a subcommand: ${routeSubcommands.join(', ')}`) : unknownChoice('route subcommand', subcommand, routeSubcommands);
			}
		}
	},
};

/** Where a route stands, as scripts read it: `active` or `pending`, or `refused` for a stored route that breaks the route rules. */
type JsonStatus = {readonly state: RouteView['status']['state'] | 'refused'; readonly reason: string};

/** The JSON form of a route for scripts. */
export function routeJson(route: Route, status: JsonStatus, warnings: readonly string[]) {
	return {
		interface: route.interface,
		destinationPrefix: route.destinationPrefix,
		nextHop: route.nextHop,
		metric: route.metric,
		status: status.state,
		statusReason: status.reason,
		warnings,
	};
}

/** The JSON form of a route with its status and warnings. */
const viewJson = (route: RouteView) => routeJson(route, route.status, route.warnings);

/** Applies a route change through the store and reports it: exit 0 with the message, or 1 with the reasons. */
export async function applyRouteChange(context: CommandContext, change: (device: Device, lookup: RouteLookup | undefined) => RouteChange, json: boolean): Promise<ExitCode> {
	return reportRouteChange(context, await storeRouteChange(context, change), json);
}

function storeRouteChange(context: CommandContext, change: (device: Device, lookup: RouteLookup | undefined) => RouteChange): Promise<RouteChange> {
	return context.openStore().update((device, _revision, lookup) => change(device, lookup), {onWait: waitingForLock(context)});
}

function reportRouteChange(context: CommandContext, result: RouteChange, json: boolean): ExitCode {
	if (!result.ok) {
		return refuseChange(context, result.message.split('\n').map(line => sanitize(line)));
	}
	const view: RouteView = {...result.route, status: result.status, warnings: result.warnings};
	if (json) {
		context.out(formatJson({message: result.message, route: viewJson(view)}));
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
		context.out(formatJson(routes.map(route => viewJson(route))));
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
			context.out(json ? formatJson({message, route: routeJson(removed.route, {state: 'refused', reason: removed.reason}, [])}) : `${sanitize(message)}\n`);
			return exitCodes.ok;
		}
	}
	return reportRouteChange(context, result, json);
}

/** The store change that adds a route. */
export const addRouteChange = (input: RouteInput) => (device: Device, lookup?: RouteLookup) => addRoute(device, input, lookup);
/** The store change that changes a route's next hop, metric or both. */
export const setRouteChange = (key: RouteKey, changes: Partial<RouteInput>) => (device: Device, lookup?: RouteLookup) => updateRoute(device, key, changes, lookup);
/** The store change that removes a route. */
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
		return refuse(context, sanitize(answer.error));
	}
	context.out(json ? formatJson(answer.value) : formatLookup(answer.value));
	return exitCodes.ok;
}
