/**
 * The whole device as a file a person can read: `export device` (a backup), `import device` (a restore,
 * keeping the old store as a copy), and `store init --shared` (one store for several Unix users).
 */

import {formatDeviceDocument, parseDeviceDocumentText} from '../domain/device-document.js';
import {checkIpPlan} from '../domain/ip-plan.js';
import {auditRoutes} from '../domain/route-audit.js';
import {sanitize} from '../view-models/sanitize.js';
import {type CommandContext, type ExitCode, exitCodes, waitingForLock, readDevice} from './context.js';

/** Says what a whole-store write wrote, and where the store as it was is kept. */
export function reportReplaced(context: CommandContext, what: string, result: {readonly path: string; readonly backup: string | undefined}): void {
	context.out(`Wrote ${what} to ${result.path}.\n`);
	if (result.backup) {
		context.out(`The previous store is kept as ${result.backup}.\n`);
	}
}

/** `export device`: the whole device as one JSON document (the device model, in its key order). */
export function exportDevice(context: CommandContext): ExitCode {
	context.out(formatDeviceDocument(readDevice(context)));
	return exitCodes.ok;
}

/** `import device FILE|-`: checks the document as the store would, then replaces the device with it. */
export async function importDevice(context: CommandContext, from: string): Promise<ExitCode> {
	const source = from === '-' ? 'standard input' : from;
	const parsed = parseDeviceDocumentText(context.readInput(from));
	if (!parsed.ok) {
		context.err(`edgenet: refused, nothing changed: ${sanitize(source)} is not a device document: ${sanitize(parsed.error)}. Give a file that \`edgenet export device\` printed.\n`);
		return exitCodes.refused;
	}
	const audit = auditRoutes(parsed.device);
	if (audit.problems.length > 0) {
		context.err(
			`edgenet: refused, nothing changed: ${sanitize(source)} holds routes that break the route rules:\n${audit.problems.map(problem => `  ${sanitize(problem.name)}: ${sanitize(problem.reason)}`).join('\n')}\n`,
		);
		return exitCodes.refused;
	}
	const result = await context.replaceDevice(parsed.device, {onWait: waitingForLock(context)});
	const {device} = parsed;
	reportReplaced(context, `${sanitize(device.name)} from ${sanitize(source)} (${device.routes.length} routes, ${device.pods.length} pods, ${device.services.length} services)`, result);
	for (const problem of checkIpPlan(device)) {
		context.out(`Warning: ${sanitize(problem.message)}\n`);
	}
	return exitCodes.ok;
}

/** `store init --shared GROUP`: one store for every member of a group. */
export function shareStore(context: CommandContext, group: string): ExitCode {
	const shared = context.shareStore(group);
	context.out(
		`${shared.created ? 'Created' : 'Shared'} the store ${shared.dir} for the group ${sanitize(group)}: the directory is group-owned and setgid (2770), ${shared.file} and SQLite's -wal and -shm files beside it are 0660.\n` +
			`Members of ${sanitize(group)} use it with --store ${shared.dir} (or EDGENET_STORE=${shared.dir}); they may need to log in again after being added to the group.\n`,
	);
	return exitCodes.ok;
}
