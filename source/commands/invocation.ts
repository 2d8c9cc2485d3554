/**
 * What an invocation says before any command runs: the options every invocation understands, wherever
 * they stand, and the dashboard's own flags when no command is named.
 */

import type {VmName} from '../domain/device.js';
import {UsageError} from './context.js';
import {parseCommandArgs, parseVm} from './parse.js';

/** The options every invocation understands, and the arguments left for the command. */
export type GlobalOptions = {
	store: string | undefined;
	readOnly: boolean;
	help: boolean;
	version: boolean;
	rest: string[];
};

/** Takes `--store`, `--read-only`, `--help`/`-h` and `--version` out of argv, wherever they stand. */
export function takeGlobalOptions(argv: readonly string[]): GlobalOptions {
	const options: GlobalOptions = {store: undefined, readOnly: false, help: false, version: false, rest: []};
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index] ?? '';
		if (argument === '--store') {
			const value = argv[index + 1];
			if (value === undefined || value === '') {
				throw new UsageError('--store needs a directory, such as --store ./my-device');
			}
			options.store = value;
			index++;
		} else if (argument.startsWith('--store=')) {
			const value = argument.slice('--store='.length);
			if (value === '') {
				throw new UsageError('--store needs a directory, such as --store=./my-device');
			}
			options.store = value;
		} else if (argument === '--read-only') {
			options.readOnly = true;
		} else if (argument === '--help' || argument === '-h') {
			options.help = true;
		} else if (argument === '--version') {
			options.version = true;
		} else {
			options.rest.push(argument);
		}
	}
	return options;
}

/** The dashboard's own options: a live VM to compare the routes with. */
export type DashboardFlags = {readonly live: boolean; readonly netns: string | undefined; readonly vm: VmName};

/** Parses the arguments of an invocation without a command; throws UsageError. */
export function parseDashboardFlags(rest: readonly string[]): DashboardFlags {
	const {values} = parseCommandArgs(rest, {live: {type: 'boolean'}, netns: {type: 'string'}, vm: {type: 'string'}});
	const vm = parseVm(values.vm);
	if (!values.live && (values.netns !== undefined || values.vm !== undefined)) {
		throw new UsageError('--netns and --vm go with --live');
	}
	return {live: values.live ?? false, netns: values.netns, vm};
}
