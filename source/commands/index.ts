/**
 * The non-interactive commands. Each is a record with its usage and a run function; `edgenet --help`
 * and `edgenet <command> --help` are generated from these records.
 */

import {toCalicoResources, toIpRouteScript, toMetalLbResources, toPowerShell} from '../domain/export.js';
import {generateDevice} from '../domain/generate.js';
import {importKubectl} from '../domain/kubectl-import.js';
import {describeDifference} from '../domain/live.js';
import {applyToKernel, compareWithKernel, missingRightsMessage} from '../live/session.js';
import {sanitize} from '../view-models/sanitize.js';
import {createDemoDevice} from '../domain/demo.js';
import {type CommandContext, type ExitCode, exitCodes, UsageError, waitingForLock, readDevice} from './context.js';
import {exportDevice, importDevice, reportReplaced, shareStore} from './device-file.js';
import {parseCommandArgs} from './parse.js';
import {parseCmdletParameters} from './powershell.js';
import {
	addRouteChange,
	applyRouteChange,
	applyRouteRemoval,
	printCmdletRoutes,
	printRoutes,
	requireRouteInput,
	requireRouteKey,
	runLookup,
	setRouteChange,
} from './route.js';
import {describeRoutes} from '../domain/route-status.js';
import {formatStatusText, statusDocument} from './status.js';

/** One subcommand. */
export type Command = {
	readonly name: string;
	/** Other spellings that run the same command (compared case-insensitively). */
	readonly aliases?: readonly string[];
	/** The synopsis line after `edgenet`. */
	readonly usage: string;
	/** What the command is for, in one line. */
	readonly summary: string;
	/** Option lines for `--help`. */
	readonly options: ReadonlyArray<readonly [string, string]>;
	readonly run: (args: readonly string[], context: CommandContext) => ExitCode | Promise<ExitCode>;
};

const storeOption = ['--store <dir>', 'the store directory (default: $EDGENET_STORE, else the per-user config directory)'] as const;

const statusCommand: Command = {
	name: 'status',
	usage: 'status [--json]',
	summary: 'print every layer of the device: ports, switches, VMs, pods, services, DNS, routes',
	options: [['--json', 'one JSON document instead of text tables'], storeOption],
	run(args, context) {
		const {values} = parseCommandArgs(args, {json: {type: 'boolean'}});
		const store = context.openStore();
		const {device, problems} = store.read();
		context.out(values.json ? `${JSON.stringify(statusDocument(device, problems), undefined, 2)}\n` : formatStatusText(device, store.path, problems));
		return exitCodes.ok;
	},
};

const resetCommand: Command = {
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

const routeOptions = {
	interface: {type: 'string'},
	destination: {type: 'string'},
	'next-hop': {type: 'string'},
	metric: {type: 'string'},
	json: {type: 'boolean'},
} as const;

const routeSpelling = {interface: '--interface', destinationPrefix: '--destination', nextHop: '--next-hop', metric: '--metric'};

const routeSubcommands = ['list', 'add', 'set', 'remove', 'lookup'] as const;

const routeCommand: Command = {
	name: 'route',
	usage: 'route list|add|set|remove|lookup …',
	summary: 'list, add, change, remove and look up the custom routes of the Kubernetes VMs',
	options: [
		['list [--interface <port>] [--json]', 'the custom routes with status and warnings'],
		['add --interface <port> --destination <prefix> --next-hop <ip> --metric <n>', 'add a route'],
		['set --interface <port> --destination <prefix> [--next-hop <ip>] [--metric <n>]', 'change a route'],
		['remove --interface <port> --destination <prefix>', 'remove a route'],
		['lookup <address|service name> [--from master|worker|<ns>/<pod>|outside] [--json]', 'where traffic goes, and why'],
		['--json', 'machine-readable output (list, add, set, remove, lookup)'],
		storeOption,
	],
	run(args, context) {
		const [subcommand, ...rest] = args;
		switch (subcommand) {
			case 'list': {
				const {values} = parseCommandArgs(rest, {interface: routeOptions.interface, json: routeOptions.json});
				const device = readDevice(context);
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
				throw new UsageError(
					subcommand === undefined ? `route needs a subcommand: ${routeSubcommands.join(', ')}` : `unknown route subcommand "${subcommand}"; use one of ${routeSubcommands.join(', ')}`,
				);
			}
		}
	},
};

const addCmdlet: Command = {
	name: 'Add-HcsNetRoute',
	usage: 'Add-HcsNetRoute -InterfaceAlias <port> -DestinationPrefix <prefix> -NextHop <ip> -RouteMetric <n>',
	summary: 'the device cmdlet spelling of `route add`',
	options: [storeOption],
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

const getCmdlet: Command = {
	name: 'Get-HcsNetRoute',
	usage: 'Get-HcsNetRoute [-InterfaceAlias <port>]',
	summary: 'the device cmdlet spelling of `route list` (custom routes only)',
	options: [storeOption],
	run(args, context) {
		const values = parseCmdletParameters('Get-HcsNetRoute', args, ['InterfaceAlias']);
		const device = readDevice(context);
		return printCmdletRoutes(context, describeRoutes(device, values.get('InterfaceAlias')));
	},
};

const removeCmdlet: Command = {
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

const demoCommand: Command = {
	name: 'demo',
	usage: 'demo --generate [--routes <n>] [--pods <n>] [--services <n>] [--seed <n>]',
	summary: 'write a large generated device to the store (reproducible from its seed), for scale tests',
	options: [
		['--generate', 'required: generate a device'],
		['--routes <n>', 'custom routes (default 10000)'],
		['--pods <n>', 'pods (default 20000)'],
		['--services <n>', 'services, one in ten LoadBalancer (default 2000)'],
		['--seed <n>', 'the seed; the same seed gives the same device (default 1)'],
		storeOption,
	],
	async run(args, context) {
		const {values} = parseCommandArgs(args, {generate: {type: 'boolean'}, routes: {type: 'string'}, pods: {type: 'string'}, services: {type: 'string'}, seed: {type: 'string'}});
		if (!values.generate) {
			throw new UsageError('demo needs --generate (for the embedded demo device itself, run `edgenet reset --demo`)');
		}
		const count = (name: string, text: string | undefined, fallback: number) => {
			if (text === undefined) {
				return fallback;
			}
			if (!/^\d+$/.test(text)) {
				throw new UsageError(`--${name} must be a whole number, got "${text}"`);
			}
			return Number(text);
		};
		const generated = generateDevice({
			routes: count('routes', values.routes, 10_000),
			pods: count('pods', values.pods, 20_000),
			services: count('services', values.services, 2000),
			seed: count('seed', values.seed, 1),
		});
		if (!generated.ok) {
			context.err(`edgenet: ${generated.error}\n`);
			return exitCodes.refused;
		}
		const {device} = generated;
		const result = await context.replaceDevice(device, {onWait: waitingForLock(context)});
		reportReplaced(context, `${device.name} (${device.routes.length} routes, ${device.pods.length} pods, ${device.services.length} services)`, result);
		return exitCodes.ok;
	},
};

const exportTargets = ['device', 'powershell', 'iproute', 'metallb', 'calico'] as const;

const exportCommand: Command = {
	name: 'export',
	usage: 'export device|powershell|iproute|metallb|calico [--vm master|worker]',
	summary: 'print the whole device as JSON (a backup), the routes as device cmdlets or ip route lines, or the MetalLB and Calico pools as YAML',
	options: [
		['device', 'the whole device as one JSON document; `edgenet import device` restores it'],
		['powershell', 'Add-HcsNetRoute lines that recreate every custom route on a real device'],
		['iproute --vm <vm>', 'ip route replace lines for the master or worker VM (default worker)'],
		['metallb', 'an IPAddressPool (metallb.io/v1beta1) for the external service IP range, and its L2Advertisement'],
		['calico', 'an IPPool (crd.projectcalico.org/v1) for the pod CIDR'],
		storeOption,
	],
	async run(args, context) {
		const {values, positionals} = parseCommandArgs(args, {vm: {type: 'string'}}, true);
		const [target, ...extra] = positionals;
		if (target === undefined || extra.length > 0 || !(exportTargets as readonly string[]).includes(target)) {
			throw new UsageError(`export needs one of ${exportTargets.join(', ')}`);
		}
		if (values.vm !== undefined && target !== 'iproute') {
			throw new UsageError('--vm goes with export iproute');
		}
		if (target === 'device') {
			return exportDevice(context);
		}
		const device = readDevice(context);
		const refuse = (error: string) => {
			context.err(`edgenet: ${error}\n`);
			return exitCodes.refused;
		};
		switch (target) {
			case 'powershell': {
				context.out(toPowerShell(device).map(line => `${line}\n`).join(''));
				return exitCodes.ok;
			}
			case 'iproute': {
				const vm = values.vm ?? 'worker';
				if (vm !== 'master' && vm !== 'worker') {
					throw new UsageError(`--vm must be master or worker, got "${vm}"`);
				}
				const script = toIpRouteScript(device, vm);
				if (!script.ok) {
					return refuse(script.error);
				}
				context.out(script.lines.map(line => `${line}\n`).join(''));
				return exitCodes.ok;
			}
			case 'metallb': {
				const resources = toMetalLbResources(device);
				if (!resources.ok) {
					return refuse(resources.error);
				}
				const {stringify} = await import('yaml');
				context.out(resources.documents.map(document => stringify(document)).join('---\n'));
				return exitCodes.ok;
			}
			default: {
				const {stringify} = await import('yaml');
				context.out(toCalicoResources(device).map(document => stringify(document)).join('---\n'));
				return exitCodes.ok;
			}
		}
	},
};

const importCommand: Command = {
	name: 'import',
	usage: 'import kubectl|device <file | ->',
	summary: 'replace the pods and services with what `kubectl get pods,services,nodes -A -o json` printed, or the whole device with a backup',
	options: [
		['kubectl <file | ->', 'the JSON kubectl printed, from a file or standard input'],
		['device <file | ->', 'what `edgenet export device` printed: replaces the whole device, keeping a copy of the store as it was'],
		storeOption,
	],
	async run(args, context) {
		const {positionals} = parseCommandArgs(args, {}, true);
		const [source, from, ...extra] = positionals;
		if ((source !== 'kubectl' && source !== 'device') || from === undefined || extra.length > 0) {
			throw new UsageError('import needs kubectl or device and a file (or - for standard input): edgenet import kubectl cluster.json, edgenet import device backup.json');
		}
		if (source === 'device') {
			return importDevice(context, from);
		}
		const input = context.readInput(from);
		const store = context.openStore();
		const result = await store.update(device => {
			const imported = importKubectl(device, input);
			return imported.ok ? imported : {...imported, device: undefined};
		}, {onWait: waitingForLock(context)});
		if (!result.ok) {
			context.err(`edgenet: refused, nothing changed: ${sanitize(result.error)}\n`);
			return exitCodes.refused;
		}
		context.out(`Imported ${result.pods} pods and ${result.services} services (${result.loadBalancers} LoadBalancer, ${result.pending} of them <pending>) into ${store.path}.\n`);
		if (result.misfits.length > 0) {
			context.out(`Not imported (${result.misfits.length}):\n${result.misfits.map(misfit => `  ${sanitize(misfit.object)}: ${sanitize(misfit.reason)}`).join('\n')}\n`);
		}
		return exitCodes.ok;
	},
};

const liveCommand: Command = {
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
		if ((action !== 'diff' && action !== 'apply') || extra.length > 0) {
			throw new UsageError('live needs diff or apply');
		}
		const vm = values.vm ?? 'worker';
		if (vm !== 'master' && vm !== 'worker') {
			throw new UsageError(`--vm must be master or worker, got "${vm}"`);
		}
		const target = {vm, netns: values.netns} as const;
		const device = readDevice(context);
		if (action === 'diff') {
			const comparison = compareWithKernel(device, target);
			if (!comparison.ok) {
				context.err(`edgenet: ${comparison.error}\n`);
				return exitCodes.refused;
			}
			const {differences, wanted} = comparison;
			if (values.json) {
				context.out(`${JSON.stringify({vm, inSync: differences.length === 0, differences}, undefined, 2)}\n`);
			} else {
				context.out(differences.length === 0 ? `in sync: the ${vm} VM's kernel has every route of the store (${wanted.length})\n` : differences.map(difference => `${describeDifference(difference)}\n`).join(''));
			}
			return exitCodes.ok;
		}
		const dryRun = values['dry-run'] ?? false;
		const result = applyToKernel(device, target, dryRun);
		if (!result.ok) {
			context.err(`edgenet: ${result.error}${result.error === missingRightsMessage ? '. `--dry-run` shows what it would do.' : ''}\n`);
			return exitCodes.refused;
		}
		context.out(result.commands.map(command => `${dryRun ? '' : 'ran: '}${command}\n`).join(''));
		context.out(result.blocked.map(difference => `left alone: ${describeDifference(difference)}\n`).join(''));
		if (result.commands.length === 0) {
			context.out('nothing to do: the kernel already matches the store\n');
		}
		return exitCodes.ok;
	},
};

const storeCommand: Command = {
	name: 'store',
	usage: 'store init --shared <group>',
	summary: 'prepare a store directory that every member of a Unix group can read and write',
	options: [
		['init --shared <group>', 'group-owned setgid directory (2770), database files 0660, never world-accessible'],
		storeOption,
	],
	run(args, context) {
		const {values, positionals} = parseCommandArgs(args, {shared: {type: 'string'}}, true);
		if (positionals[0] !== 'init' || positionals.length !== 1) {
			throw new UsageError('store needs init: edgenet store init --shared GROUP [--store DIR]');
		}
		if (values.shared === undefined || values.shared === '') {
			throw new UsageError('store init needs --shared GROUP: the Unix group whose members share the store (a per-user store needs no init)');
		}
		return shareStore(context, values.shared);
	},
};

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [statusCommand, routeCommand, addCmdlet, getCmdlet, removeCmdlet, importCommand, exportCommand, liveCommand, resetCommand, demoCommand, storeCommand];

/** Finds a command by name or alias, ignoring case. */
export function findCommand(name: string): Command | undefined {
	const wanted = name.toLowerCase();
	return commands.find(command => command.name.toLowerCase() === wanted || command.aliases?.some(alias => alias.toLowerCase() === wanted));
}

/** `edgenet <command> --help`. */
export function formatCommandHelp(command: Command): string {
	const width = Math.max(...command.options.map(([flag]) => flag.length));
	return [
		`Usage: edgenet ${command.usage}`,
		'',
		command.summary,
		'',
		'Options:',
		...command.options.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
		`  ${'--help'.padEnd(width)}  show this help`,
		'',
	].join('\n');
}

/** `edgenet --help`. */
export function formatGeneralHelp(): string {
	const width = Math.max(...commands.map(command => command.usage.length));
	return [
		'Usage: edgenet [--store <dir>] [--read-only] [--live [--netns <name>] [--vm master|worker]]   the dashboard',
		'       edgenet <command> [options] [--store <dir>]',
		'',
		'Terminal dashboard for the Kubernetes networking of an edge appliance.',
		'Without a terminal, `edgenet` prints `edgenet status` and exits.',
		'',
		'Commands:',
		...commands.map(command => `  ${command.usage.padEnd(width)}  ${command.summary}`),
		'',
		'Every command takes --store <dir> and --help. Exit codes: 0 done, 1 refused (nothing changed), 2 usage error.',
		`The store directory is --store, else $EDGENET_STORE, else the per-user config directory.`,
		'',
	].join('\n');
}
