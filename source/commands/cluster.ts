/** `edgenet cluster set`: the settings of the Kubernetes cluster, changed in the store like any change. */

import {encapsulationMeanings, setEncapsulation} from '../domain/cluster-settings.js';
import {encapsulations} from '../domain/device.js';
import {sanitize} from '../view-models/sanitize.js';
import {type Command, storeOption} from './command.js';
import {exitCodes, UsageError, waitingForLock} from './context.js';
import {parseCommandArgs, parseEncapsulationOption, unknownChoice} from './parse.js';

const clusterSubcommands = ['set'] as const;

/** `edgenet cluster set --encapsulation none|ipip|vxlan`. */
export const clusterCommand: Command = {
	name: 'cluster',
	usage: `cluster set --encapsulation ${encapsulations.join('|')}`,
	summary: "change the Kubernetes cluster's settings: Calico's encapsulation between the nodes",
	options: [
		...encapsulations.map(encapsulation => [`set --encapsulation ${encapsulation}`, encapsulationMeanings[encapsulation]] as const),
		storeOption,
	],
	async run(args, context) {
		const [subcommand, ...rest] = args;
		if (subcommand !== 'set') {
			throw subcommand === undefined ? new UsageError(`cluster needs a subcommand: ${clusterSubcommands.join(', ')}`) : unknownChoice('cluster subcommand', subcommand, clusterSubcommands);
		}
		const {values} = parseCommandArgs(rest, {encapsulation: {type: 'string'}});
		if (values.encapsulation === undefined) {
			throw new UsageError(`cluster set needs --encapsulation ${encapsulations.join('|')}: what should change?`);
		}
		const encapsulation = parseEncapsulationOption(values.encapsulation);
		const result = await context.openStore().update(device => setEncapsulation(device, encapsulation), {onWait: waitingForLock(context)});
		context.out(`${sanitize(result.message)}\n`);
		return exitCodes.ok;
	},
};
