/** `edgenet live`: compares a Linux VM's kernel routing table with the store, or makes it match. */

import {describeDifference} from '../domain/live.js';
import {formatJson} from '../domain/safe-text.js';
import {applyToKernel, compareWithKernel, missingRightsMessage} from '../live/session.js';
import {sanitize} from '../view-models/sanitize.js';
import {type Command, storeOption} from './command.js';
import {exitCodes, readDevice, UsageError} from './context.js';
import {parseCommandArgs, parseVm, unknownChoice} from './parse.js';
import {refuse} from './report.js';

/** `edgenet live diff|apply`. */
export const liveCommand: Command = {
	name: 'live',
	usage: 'live diff|apply [--vm master|worker] [--netns <name>] [--json] [--dry-run]',
	summary: "compare a Linux VM's kernel routing table with the store, or make it match (only edgenet's own routes)",
	options: [
		['diff', 'missing, extra and different routes, each line saying which'],
		['apply', `add, change and delete edgenet's routes (protocol 237) until the kernel matches; other routes are never touched`],
		['--vm <vm>', 'which VM this is: master or worker (default worker)'],
		['--netns <name>', 'use the routing table of a network namespace'],
		['--json', 'diff: the differences as JSON'],
		['--dry-run', 'apply: print the ip commands, change nothing'],
		storeOption,
	],
	run(args, context) {
		const {values, positionals} = parseCommandArgs(args, {vm: {type: 'string'}, netns: {type: 'string'}, json: {type: 'boolean'}, 'dry-run': {type: 'boolean'}}, true);
		const [action, ...extra] = positionals;
		if (action !== undefined && action !== 'diff' && action !== 'apply') {
			throw unknownChoice('live subcommand', action, ['diff', 'apply']);
		}
		if (action === undefined || extra.length > 0) {
			throw new UsageError('live needs diff or apply');
		}
		const vm = parseVm(values.vm);
		const target = {vm, netns: values.netns} as const;
		const device = readDevice(context);
		if (action === 'diff') {
			const comparison = compareWithKernel(device, target);
			if (!comparison.ok) {
				return refuse(context, comparison.error);
			}
			const {differences, wanted} = comparison;
			if (values.json) {
				context.out(formatJson({vm, inSync: differences.length === 0, differences}));
			} else {
				context.out(differences.length === 0 ? `in sync: the ${vm} VM's kernel has every route of the store (${wanted.length})\n` : differences.map(difference => `${sanitize(describeDifference(difference))}\n`).join(''));
			}
			return exitCodes.ok;
		}
		const dryRun = values['dry-run'] ?? false;
		const result = applyToKernel(device, target, dryRun);
		if (!result.ok) {
			return refuse(context, `${result.error}${result.error === missingRightsMessage ? '. `--dry-run` shows what it would do.' : ''}`);
		}
		context.out(result.commands.map(command => `${dryRun ? '' : 'ran: '}${sanitize(command)}\n`).join(''));
		context.out(result.blocked.map(difference => `left alone: ${sanitize(describeDifference(difference))}\n`).join(''));
		if (result.commands.length === 0) {
			context.out('nothing to do: the kernel already matches the store\n');
		}
		return exitCodes.ok;
	},
};
