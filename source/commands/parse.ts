/** Option parsing shared by every command: strict flags, the VM option and whole-number options. */

import {parseArgs, type ParseArgsConfig} from 'node:util';
import {parseEncapsulation} from '../domain/cluster-settings.js';
import {type Encapsulation, encapsulations, type VmName} from '../domain/device.js';
import {UsageError} from './context.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments strictly; any unknown or malformed option is a UsageError naming it. The
 * value of an option that takes one is whatever follows it, even when it starts with a dash (`--metric
 * -1`), so that the option's own check says what is wrong with it; only an option name (`--json`) in its
 * place means the value was left out.
 */
export function parseCommandArgs<T extends Options>(args: readonly string[], options: T, allowPositionals = false) {
	const prepared: string[] = [];
	for (let index = 0; index < args.length; index++) {
		const argument = args[index]!;
		if (argument === '--') {
			prepared.push(...args.slice(index));
			break;
		}
		if (!argument.startsWith('--')) {
			prepared.push(argument);
			continue;
		}
		const equals = argument.indexOf('=');
		const name = argument.slice(2, equals === -1 ? undefined : equals);
		const option = Object.hasOwn(options, name) ? options[name] : undefined;
		if (!option) {
			throw new UsageError(`Unknown option '--${name}'`);
		}
		if (option.type !== 'string' || equals !== -1) {
			prepared.push(argument);
			continue;
		}
		const value = args[index + 1];
		if (value === undefined || value.startsWith('--')) {
			throw new UsageError(`--${name} needs a value`);
		}
		prepared.push(`--${name}=${value}`);
		index++;
	}
	try {
		return parseArgs({args: prepared, options, strict: true, allowPositionals});
	} catch (error) {
		const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
		throw new UsageError(message);
	}
}

/** The VM a `--vm master|worker` option names; the worker when the option is left out. */
export function parseVm(text: string | undefined): VmName {
	const vm = text ?? 'worker';
	if (vm !== 'master' && vm !== 'worker') {
		throw new UsageError(`--vm must be master or worker, got "${vm}"`);
	}
	return vm;
}

/** The value of a `--<name> <n>` option that takes a whole number up to `max`; `fallback` when the option is left out. */
export function parseWholeNumber(name: string, text: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
	if (text === undefined) {
		return fallback;
	}
	if (!/^\d+$/.test(text)) {
		throw new UsageError(`--${name} must be a whole number, got "${text}"`);
	}
	const value = Number(text);
	if (value > max) {
		throw new UsageError(`--${name} must be at most ${max}, got ${text}`);
	}
	return value;
}

/** The encapsulation an `--encapsulation <mode>` option names; a UsageError listing the choices for any other text. */
export function parseEncapsulationOption(text: string): Encapsulation {
	const encapsulation = parseEncapsulation(text);
	if (encapsulation === undefined) {
		throw new UsageError(`--encapsulation must be one of ${encapsulations.join(', ')} (Calico's encapsulation between the nodes), got "${text}"`);
	}
	return encapsulation;
}
