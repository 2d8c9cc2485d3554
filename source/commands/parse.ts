import {parseArgs, type ParseArgsConfig} from 'node:util';
import {UsageError} from './context.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's arguments strictly; any unknown or malformed option is a UsageError naming it. */
export function parseCommandArgs<T extends Options>(args: readonly string[], options: T, allowPositionals = false) {
	try {
		return parseArgs({args: [...args], options, strict: true, allowPositionals});
	} catch (error) {
		const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
		throw new UsageError(message);
	}
}
