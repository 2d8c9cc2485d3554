/**
 * The commands that administer the store as a whole: `reset --demo` and `demo --generate` (which replace
 * the device, keeping a copy of the store as it was) and `store init --shared` (one store for several Unix users).
 */

import {setEncapsulation} from '../domain/cluster-settings.js';
import {createDemoDevice} from '../domain/demo.js';
import {encapsulations} from '../domain/device.js';
import {generateDevice} from '../domain/generate.js';
import {sanitize} from '../view-models/sanitize.js';
import {type Command, storeOption} from './command.js';
import {exitCodes, UsageError, waitingForLock} from './context.js';
import {parseCommandArgs, parseEncapsulationOption, parseWholeNumber, unknownChoice} from './parse.js';
import {deviceCounts, refuse, reportReplaced} from './report.js';

/** The most of each kind `demo --generate` makes: far past any appliance, and within what one process can hold. */
const maxGenerated = 1_000_000;

/** `edgenet reset --demo`. */
export const resetCommand: Command = {
	name: 'reset',
	usage: 'reset --demo',
	summary: 'write the embedded demo device to the store (a copy of the old store is kept)',
	options: [['--demo', 'required: say which device to write'], storeOption],
	async run(args, context) {
		const {values} = parseCommandArgs(args, {demo: {type: 'boolean'}});
		if (!values.demo) {
			throw new UsageError('reset needs --demo: it replaces the whole store with the demo device');
		}
		reportReplaced(context, 'the demo device', await context.replaceDevice(createDemoDevice(), {onWait: waitingForLock(context)}));
		return exitCodes.ok;
	},
};

/** `edgenet demo --generate`. */
export const demoCommand: Command = {
	name: 'demo',
	usage: `demo --generate [--routes <n>] [--pods <n>] [--services <n>] [--seed <n>] [--encapsulation ${encapsulations.join('|')}]`,
	summary: 'write a large generated device to the store (reproducible from its seed), for scale tests',
	options: [
		['--generate', 'required: generate a device'],
		['--routes <n>', 'custom routes (default 10000)'],
		['--pods <n>', 'pods (default 20000)'],
		['--services <n>', 'services, one in ten LoadBalancer (default 2000)'],
		['--seed <n>', 'the seed; the same seed gives the same device (default 1)'],
		['--encapsulation <mode>', `Calico's encapsulation between the nodes: ${encapsulations.join(', ')} (default none)`],
		storeOption,
	],
	async run(args, context) {
		const {values} = parseCommandArgs(args, {
			generate: {type: 'boolean'},
			routes: {type: 'string'},
			pods: {type: 'string'},
			services: {type: 'string'},
			seed: {type: 'string'},
			encapsulation: {type: 'string'},
		});
		if (!values.generate) {
			throw new UsageError('demo needs --generate (for the embedded demo device itself, run `edgenet reset --demo`)');
		}
		const encapsulation = values.encapsulation === undefined ? undefined : parseEncapsulationOption(values.encapsulation);
		const generated = generateDevice({
			routes: parseWholeNumber('routes', values.routes, 10_000, maxGenerated),
			pods: parseWholeNumber('pods', values.pods, 20_000, maxGenerated),
			services: parseWholeNumber('services', values.services, 2000, maxGenerated),
			seed: parseWholeNumber('seed', values.seed, 1),
		});
		if (!generated.ok) {
			return refuse(context, generated.error);
		}
		const device = encapsulation === undefined ? generated.device : (setEncapsulation(generated.device, encapsulation).device ?? generated.device);
		const result = await context.replaceDevice(device, {onWait: waitingForLock(context)});
		reportReplaced(context, `${device.name} (${deviceCounts(device)})`, result);
		return exitCodes.ok;
	},
};

/** `edgenet store init --shared <group>`. */
export const storeCommand: Command = {
	name: 'store',
	usage: 'store init --shared <group>',
	summary: 'prepare a store directory that every member of a Unix group can read and write',
	options: [
		['init --shared <group>', 'group-owned setgid directory (2770), database files 0660, never world-accessible'],
		storeOption,
	],
	run(args, context) {
		const {values, positionals} = parseCommandArgs(args, {shared: {type: 'string'}}, true);
		if (positionals[0] !== undefined && positionals[0] !== 'init') {
			throw unknownChoice('store subcommand', positionals[0], ['init']);
		}
		if (positionals[0] !== 'init' || positionals.length !== 1) {
			throw new UsageError('store needs init: edgenet store init --shared GROUP [--store DIR]');
		}
		const group = values.shared;
		if (group === undefined || group === '') {
			throw new UsageError('store init needs --shared GROUP: the Unix group whose members share the store (a per-user store needs no init)');
		}
		const shared = context.shareStore(group);
		context.out(
			`${shared.created ? 'Created' : 'Shared'} the store ${shared.dir} for the group ${sanitize(group)}: the directory is group-owned and setgid (2770), ${shared.file} and SQLite's -wal and -shm files beside it are 0660.\n` +
				`Members of ${sanitize(group)} use it with --store ${shared.dir} (or EDGENET_STORE=${shared.dir}); they may need to log in again after being added to the group.\n`,
		);
		return exitCodes.ok;
	},
};
