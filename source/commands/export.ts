/**
 * `edgenet export`: the whole device as a JSON backup, the routes as device cmdlets or `ip route` lines,
 * or the MetalLB and Calico pools as YAML.
 */

import {formatDeviceDocument} from '../domain/device-document.js';
import {isDnsSubdomain} from '../domain/device.js';
import {defaultCalicoPoolName, toCalicoResources, toIpRouteScript, toMetalLbResources, toPowerShell} from '../domain/export.js';
import {type Command, storeOption} from './command.js';
import {type CommandContext, type ExitCode, exitCodes, readDevice, UsageError} from './context.js';
import {parseCommandArgs, parseVm, unknownChoice} from './parse.js';
import {refuse} from './report.js';

const exportTargets = ['device', 'powershell', 'iproute', 'metallb', 'calico'] as const;

/** `edgenet export device|powershell|iproute|metallb|calico`. */
export const exportCommand: Command = {
	name: 'export',
	usage: 'export device|powershell|iproute|metallb|calico [--vm master|worker] [--name <pool>]',
	summary: 'print the whole device as JSON (a backup), the routes as device cmdlets or ip route lines, or the MetalLB and Calico pools as YAML',
	options: [
		['device', 'the whole device as one JSON document; `edgenet import device` restores it'],
		['powershell', 'Add-HcsNetRoute lines that recreate every custom route on a real device'],
		['iproute --vm <vm>', 'a shell script for the master or worker VM (default worker): its routes, and the removal of edgenet\'s stale ones'],
		['metallb', 'an IPAddressPool (metallb.io/v1beta1) for the external service IP range, and its L2Advertisement on the compute NIC'],
		['calico --name <pool>', `an IPPool (projectcalico.org/v3) for the pod CIDR, its block size and the encapsulation, named ${defaultCalicoPoolName} unless --name says otherwise`],
		storeOption,
	],
	async run(args, context) {
		const {values, positionals} = parseCommandArgs(args, {vm: {type: 'string'}, name: {type: 'string'}}, true);
		const [target, ...extra] = positionals;
		if (target !== undefined && !(exportTargets as readonly string[]).includes(target)) {
			throw unknownChoice('export subcommand', target, exportTargets);
		}
		if (target === undefined || extra.length > 0) {
			throw new UsageError(`export needs one of ${exportTargets.join(', ')}`);
		}
		if (values.vm !== undefined && target !== 'iproute') {
			throw new UsageError('--vm goes with export iproute');
		}
		if (values.name !== undefined && (target !== 'calico' || !isDnsSubdomain(values.name))) {
			throw new UsageError(target === 'calico' ? `--name must be a Kubernetes object name (lowercase letters, digits, - and ., such as ${defaultCalicoPoolName}), got "${values.name}"` : '--name goes with export calico');
		}
		if (target === 'device') {
			return exportDevice(context);
		}
		const device = readDevice(context);
		switch (target) {
			case 'powershell': {
				context.out(toPowerShell(device).map(line => `${line}\n`).join(''));
				return exitCodes.ok;
			}
			case 'iproute': {
				const script = toIpRouteScript(device, parseVm(values.vm));
				if (!script.ok) {
					return refuse(context, script.error);
				}
				context.out(script.lines.map(line => `${line}\n`).join(''));
				return exitCodes.ok;
			}
			case 'metallb': {
				const resources = toMetalLbResources(device);
				if (!resources.ok) {
					return refuse(context, resources.error);
				}
				const {stringify} = await import('yaml');
				context.out(resources.documents.map(document => stringify(document)).join('---\n'));
				return exitCodes.ok;
			}
			default: {
				const {stringify} = await import('yaml');
				context.out(toCalicoResources(device, values.name).map(document => stringify(document)).join('---\n'));
				return exitCodes.ok;
			}
		}
	},
};

/** `export device`: the whole device as one JSON document (the device model, in its key order). */
function exportDevice(context: CommandContext): ExitCode {
	context.out(formatDeviceDocument(readDevice(context)));
	return exitCodes.ok;
}
