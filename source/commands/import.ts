/**
 * `edgenet import`: the pods and services from what kubectl printed, or the whole device from a backup
 * (`export device`), keeping the old store as a copy.
 */

import {parseDeviceDocumentText} from '../domain/device-document.js';
import {checkIpPlan} from '../domain/ip-plan.js';
import {type ImportResult, importKubectl, repeatedObjects} from '../domain/kubectl-import.js';
import {plural} from '../domain/plural.js';
import {auditRoutes} from '../domain/route-audit.js';
import {type ObjectChanges, workloadChanges} from '../domain/workload-changes.js';
import {sanitize} from '../view-models/sanitize.js';
import {type Command, storeOption} from './command.js';
import {type CommandContext, type ExitCode, exitCodes, UsageError, waitingForLock} from './context.js';
import {parseCommandArgs, unknownChoice} from './parse.js';
import {deviceCounts, refuseChange, reportBackup, reportReplaced} from './report.js';

/** `edgenet import kubectl|device <file | ->`. */
export const importCommand: Command = {
	name: 'import',
	usage: 'import kubectl <file | -> [<file> …] [--dry-run] [--force] | import device <file | ->',
	summary: 'replace the pods and services with what `kubectl get pods,services,nodes -A -o json` printed, or the whole device with a backup',
	options: [
		['kubectl <file | -> [<file> …]', 'the JSON kubectl printed (a List, PodList, ServiceList or NodeList, UTF-8 or UTF-16), from files or standard input'],
		['device <file | ->', 'what `edgenet export device` printed: replaces the whole device, keeping a copy of the store as it was'],
		['--dry-run', 'kubectl: list what would be added, removed and changed, and what does not fit; change nothing'],
		['--force', 'kubectl: import even when fewer than half of the pods and services fit (a wrong cluster?)'],
		storeOption,
	],
	async run(args, context) {
		const {values, positionals} = parseCommandArgs(args, {'dry-run': {type: 'boolean'}, force: {type: 'boolean'}}, true);
		const [source, from, ...extra] = positionals;
		if (source !== undefined && source !== 'kubectl' && source !== 'device') {
			throw unknownChoice('import subcommand', source, ['kubectl', 'device']);
		}
		if ((source !== 'kubectl' && source !== 'device') || from === undefined || (source === 'device' && extra.length > 0)) {
			throw new UsageError('import needs kubectl or device and a file (or - for standard input): edgenet import kubectl cluster.json, edgenet import device backup.json');
		}
		if (source === 'device' && (values['dry-run'] || values.force)) {
			throw new UsageError('--dry-run and --force are for import kubectl; import device checks the whole backup before it changes anything');
		}
		return source === 'device' ? importDevice(context, from) : importPodsAndServices(context, [from, ...extra], {dryRun: values['dry-run'] ?? false, force: values.force ?? false});
	},
};

/** The counts and misfits of an import that could be read. */
type Imported = Omit<Extract<ImportResult, {ok: true}>, 'device'>;

/** Why an import is refused unless forced: the input holds no pods or services, or fewer than half of them fit (kubectl pointed at another cluster empties the device). */
function fitRefusal(imported: Imported): string | undefined {
	const fitted = imported.pods + imported.services;
	// Misfits every cluster has (host-network system pods, headless services) say nothing about whether this is the device's cluster.
	const total = fitted + imported.misfits.filter(misfit => !misfit.expected).length;
	if (total === 0) {
		return 'the input holds no pods or services, so importing it would remove every pod and service from the device. Is kubectl pointed at the right cluster? `--force` imports it all the same.';
	}
	if (fitted * 2 < total) {
		return `only ${fitted} of the ${plural(total, 'pod or service', 'pods and services')} in the input that edgenet models fit this device (see "Not imported"), so importing would drop the rest. Is kubectl pointed at the right cluster? \`--dry-run\` lists what would change; \`--force\` imports what fits.`;
	}
	return undefined;
}

const summary = (imported: Imported) =>
	`${plural(imported.pods, 'pod')} and ${plural(imported.services, 'service')} (${imported.nodePorts > 0 ? `${imported.nodePorts} NodePort, ` : ''}${imported.loadBalancers} LoadBalancer, ${imported.pending} of them <pending>)`;

/** A kind's plural, as Kubernetes guesses a resource's (`Ingress`, `Ingresses`; `NetworkPolicy`, `NetworkPolicies`), and the counted things that are no kind. */
function pluralKind(kind: string): string {
	if (kind === repeatedObjects) {
		return 'earlier copies of objects given again';
	}
	if (kind.endsWith('Endpoints')) {
		return kind;
	}
	return /(s|x|z|ch|sh)$/.test(kind) ? `${kind}es` : /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : `${kind}s`;
}

/** The objects neither imported nor misfits, counted by kind: the summary's last line, when there are any. */
function otherLines(imported: Imported): string {
	const counts = [...imported.otherKinds].map(([kind, count]) => `${plural(count, sanitize(kind), sanitize(pluralKind(kind)))}${kind === 'Node' ? ' (they place the pods on the VMs)' : ''}`);
	return counts.length === 0 ? '' : `Also in the input, not imported: ${counts.join(', ')}.\n`;
}

function misfitLines(imported: Imported): string {
	return imported.misfits.length === 0 ? '' : `Not imported (${imported.misfits.length}):\n${imported.misfits.map(misfit => `  ${sanitize(misfit.object)}: ${sanitize(misfit.reason)}`).join('\n')}\n`;
}

function changeLines(kind: string, changes: ObjectChanges): string {
	const listed = [...changes.added.map(name => `  + ${sanitize(name)}`), ...changes.removed.map(name => `  - ${sanitize(name)}`), ...changes.changed.map(name => `  ~ ${sanitize(name)}`)];
	return `${kind}: ${changes.added.length} added, ${changes.removed.length} removed, ${changes.changed.length} changed, ${changes.kept} as they are\n${listed.map(line => `${line}\n`).join('')}`;
}

/**
 * `import kubectl FILE|-`: replaces the pods and services in one transaction, keeping a copy of the store
 * as it was, and lists what did not fit. With `--dry-run` it only says what would change.
 */
async function importPodsAndServices(context: CommandContext, sources: readonly string[], options: {readonly dryRun: boolean; readonly force: boolean}): Promise<ExitCode> {
	const input = sources.map(source => context.readInput(source));
	const store = context.openStore();
	if (options.dryRun) {
		const {device} = store.read();
		const imported = importKubectl(device, input);
		if (!imported.ok) {
			return refuseChange(context, sanitize(imported.error));
		}
		const changes = workloadChanges(device, imported.device);
		const refusal = options.force ? undefined : fitRefusal(imported);
		context.out(`Would import ${summary(imported)} into ${store.path}; ${store.created ? 'there was no store, so opening it wrote the demo device there; nothing else was changed' : 'nothing was changed'}.\n${changeLines('Pods', changes.pods)}${changeLines('Services', changes.services)}${misfitLines(imported)}${otherLines(imported)}`);
		if (refusal !== undefined) {
			context.out(`Without --force the import would be refused: ${refusal}\n`);
		}
		return exitCodes.ok;
	}
	const result = await store.replace(
		device => {
			const imported = importKubectl(device, input);
			if (!imported.ok) {
				return {...imported, device: undefined};
			}
			const refusal = options.force ? undefined : fitRefusal(imported);
			return refusal === undefined ? {...imported, refusal} : {...imported, refusal, device: undefined};
		},
		{onWait: waitingForLock(context)},
	);
	if (!result.ok) {
		return refuseChange(context, sanitize(result.error));
	}
	if (result.refusal !== undefined) {
		refuseChange(context, sanitize(result.refusal));
		context.err(misfitLines(result));
		return exitCodes.refused;
	}
	context.out(`Imported ${summary(result)} into ${store.path}.\n`);
	reportBackup(context, result.backup);
	context.out(misfitLines(result));
	context.out(otherLines(result));
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
	reportReplaced(context, `${sanitize(device.name)} from ${sanitize(source)} (${deviceCounts(device)})`, result);
	for (const problem of checkIpPlan(device)) {
		context.out(`Warning: ${sanitize(problem.message)}\n`);
	}
	return exitCodes.ok;
}
