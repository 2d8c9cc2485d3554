/**
 * `edgenet import`: the pods and services from what kubectl printed, or the whole device from a backup
 * (`export device`), keeping the old store as a copy.
 */

import {parseDeviceDocumentText} from '../domain/device-document.js';
import {checkIpPlan} from '../domain/ip-plan.js';
import {importKubectl} from '../domain/kubectl-import.js';
import {auditRoutes} from '../domain/route-audit.js';
import {sanitize} from '../view-models/sanitize.js';
import {type Command, storeOption} from './command.js';
import {type CommandContext, type ExitCode, exitCodes, UsageError, waitingForLock} from './context.js';
import {parseCommandArgs} from './parse.js';
import {refuseChange, reportReplaced} from './report.js';

/** `edgenet import kubectl|device <file | ->`. */
export const importCommand: Command = {
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
		return source === 'device' ? importDevice(context, from) : importPodsAndServices(context, from);
	},
};

/** `import kubectl FILE|-`: replaces the pods and services in one transaction, listing what did not fit. */
async function importPodsAndServices(context: CommandContext, from: string): Promise<ExitCode> {
	const input = context.readInput(from);
	const store = context.openStore();
	const result = await store.update(device => {
		const imported = importKubectl(device, input);
		return imported.ok ? imported : {...imported, device: undefined};
	}, {onWait: waitingForLock(context)});
	if (!result.ok) {
		return refuseChange(context, sanitize(result.error));
	}
	context.out(`Imported ${result.pods} pods and ${result.services} services (${result.loadBalancers} LoadBalancer, ${result.pending} of them <pending>) into ${store.path}.\n`);
	if (result.misfits.length > 0) {
		context.out(`Not imported (${result.misfits.length}):\n${result.misfits.map(misfit => `  ${sanitize(misfit.object)}: ${sanitize(misfit.reason)}`).join('\n')}\n`);
	}
	return exitCodes.ok;
}

/** `import device FILE|-`: checks the document as the store would, then replaces the device with it. */
async function importDevice(context: CommandContext, from: string): Promise<ExitCode> {
	const source = from === '-' ? 'standard input' : from;
	const parsed = parseDeviceDocumentText(context.readInput(from));
	if (!parsed.ok) {
		return refuseChange(context, `${sanitize(source)} is not a device document: ${sanitize(parsed.error)}. Give a file that \`edgenet export device\` printed.`);
	}
	const audit = auditRoutes(parsed.device);
	if (audit.problems.length > 0) {
		return refuseChange(
			context,
			`${sanitize(source)} holds routes that break the route rules:\n${audit.problems.map(problem => `  ${sanitize(problem.name)}: ${sanitize(problem.reason)}`).join('\n')}`,
		);
	}
	const result = await context.replaceDevice(parsed.device, {onWait: waitingForLock(context)});
	const {device} = parsed;
	reportReplaced(context, `${sanitize(device.name)} from ${sanitize(source)} (${device.routes.length} routes, ${device.pods.length} pods, ${device.services.length} services)`, result);
	for (const problem of checkIpPlan(device)) {
		context.out(`Warning: ${sanitize(problem.message)}\n`);
	}
	return exitCodes.ok;
}
