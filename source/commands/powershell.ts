/**
 * The device's cmdlet spelling: `-InterfaceAlias Port3 -DestinationPrefix … -NextHop … -RouteMetric …`.
 * Parameter names are case-insensitive and may be shortened to any unique prefix, as in PowerShell;
 * `-Name:value` works too.
 */

import {UsageError} from './context.js';

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
					: `${cmdlet}: a parameter cannot be found that matches parameter name '${written}'; parameters: ${names.map(candidate => `-${candidate}`).join(', ')}`,
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

/** Strips one pair of matching quotes that a shell passed through. */
function unquote(value: string): string {
	const match = /^(["'])(.*)\1$/s.exec(value);
	return match ? (match[2] ?? '') : value;
}
