/**
 * The device's cmdlet spelling of the route commands: `Add-HcsNetRoute`, `Get-HcsNetRoute` and
 * `Remove-HcsNetRoute`, taking `-InterfaceAlias Port3 -DestinationPrefix … -NextHop … -RouteMetric …`.
 * Parameter names are case-insensitive and may be shortened to any unique prefix, as in PowerShell;
 * `-Name:value` works too.
 */

import {describeRoutes, type RouteView} from '../domain/route-status.js';
import {unknownPortError} from '../domain/routes.js';
import {formatTextTable} from '../view-models/text-table.js';
import {type Command, storeOption} from './command.js';
import {type CommandContext, type ExitCode, exitCodes, readDevice, UsageError} from './context.js';
import {didYouMean} from './parse.js';
import {refuse} from './report.js';
import {addRouteChange, applyRouteChange, applyRouteRemoval, requireRouteInput, requireRouteKey} from './route.js';
import {addCmdletOptions, routeRules} from './route-help.js';

/** `Add-HcsNetRoute`: `route add` in the device's spelling. */
export const addCmdlet: Command = {
	name: 'Add-HcsNetRoute',
	usage: 'Add-HcsNetRoute -InterfaceAlias <port> -DestinationPrefix <prefix> -NextHop <ip> -RouteMetric <n>',
	summary: 'the device cmdlet spelling of `route add`',
	options: addCmdletOptions,
	rules: routeRules,
	run(args, context) {
		const values = parseCmdletParameters('Add-HcsNetRoute', args, ['InterfaceAlias', 'DestinationPrefix', 'NextHop', 'RouteMetric']);
		const input = requireRouteInput(
			{
				interface: values.get('InterfaceAlias'),
				destinationPrefix: values.get('DestinationPrefix'),
				nextHop: values.get('NextHop'),
				metric: values.get('RouteMetric'),
			},
			{interface: '-InterfaceAlias', destinationPrefix: '-DestinationPrefix', nextHop: '-NextHop', metric: '-RouteMetric'},
		);
		return applyRouteChange(context, addRouteChange(input), false);
	},
};

/** `Get-HcsNetRoute`: `route list` in the device's spelling. */
export const getCmdlet: Command = {
	name: 'Get-HcsNetRoute',
	usage: 'Get-HcsNetRoute [-InterfaceAlias <port>]',
	summary: 'the device cmdlet spelling of `route list` (custom routes only)',
	options: [storeOption],
	run(args, context) {
		const values = parseCmdletParameters('Get-HcsNetRoute', args, ['InterfaceAlias']);
		const device = readDevice(context);
		const alias = values.get('InterfaceAlias');
		const unknownPort = alias === undefined ? undefined : unknownPortError(device, alias);
		if (unknownPort !== undefined) {
			return refuse(context, unknownPort);
		}
		return printCmdletRoutes(context, describeRoutes(device, alias));
	},
};

/** `Remove-HcsNetRoute`: `route remove` in the device's spelling. */
export const removeCmdlet: Command = {
	name: 'Remove-HcsNetRoute',
	usage: 'Remove-HcsNetRoute -InterfaceAlias <port> -DestinationPrefix <prefix>',
	summary: 'the device cmdlet spelling of `route remove`',
	options: [storeOption],
	run(args, context) {
		const values = parseCmdletParameters('Remove-HcsNetRoute', args, ['InterfaceAlias', 'DestinationPrefix']);
		const key = requireRouteKey(
			{interface: values.get('InterfaceAlias'), destinationPrefix: values.get('DestinationPrefix')},
			{interface: '-InterfaceAlias', destinationPrefix: '-DestinationPrefix'},
		);
		return applyRouteRemoval(context, key, false);
	},
};

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

/** Parses cmdlet parameters into a map from each canonical name to its value. */
export function parseCmdletParameters(cmdlet: string, args: readonly string[], names: readonly string[]): Map<string, string> {
	const values = new Map<string, string>();
	for (let index = 0; index < args.length; index++) {
		const token = args[index] ?? '';
		if (!/^-[A-Za-z]/.test(token)) {
			throw new UsageError(`${cmdlet}: a positional parameter cannot be found that accepts argument '${token}'; name each value, such as -InterfaceAlias Port3`);
		}
		const colon = token.indexOf(':');
		const written = (colon === -1 ? token.slice(1) : token.slice(1, colon)).toLowerCase();
		const matches = names.filter(name => name.toLowerCase().startsWith(written));
		const exact = names.find(name => name.toLowerCase() === written);
		const name = exact ?? (matches.length === 1 ? matches[0] : undefined);
		if (name === undefined) {
			throw new UsageError(
				matches.length > 1
					? `${cmdlet}: parameter cannot be processed because the parameter name '${written}' is ambiguous; possible matches: ${matches.map(match => `-${match}`).join(', ')}`
					: `${cmdlet}: a parameter cannot be found that matches parameter name '${written}'${suggestionOf(written, names)}; parameters: ${names.map(candidate => `-${candidate}`).join(', ')}`,
			);
		}
		let value: string | undefined;
		if (colon === -1) {
			value = args[index + 1];
			index++;
		} else {
			value = token.slice(colon + 1);
		}
		if (value === undefined || value === '') {
			throw new UsageError(`${cmdlet}: missing an argument for parameter '${name}'`);
		}
		if (values.has(name)) {
			throw new UsageError(`${cmdlet}: cannot bind parameter '${name}' because it is given more than once`);
		}
		values.set(name, unquote(value));
	}
	return values;
}

/** ` (did you mean -InterfaceAlias?)` for a mistyped parameter name near one of the cmdlet's, else nothing. */
function suggestionOf(written: string, names: readonly string[]): string {
	const suggestion = didYouMean(written, names.map(name => `-${name}`));
	return suggestion ? ` (${suggestion})` : '';
}

/** Strips one pair of matching quotes that a shell passed through. */
function unquote(value: string): string {
	const match = /^(["'])(.*)\1$/s.exec(value);
	return match ? (match[2] ?? '') : value;
}
