/**
 * The live operations both front ends use: compare a VM's kernel table with the device, and apply the
 * difference (only edgenet's own routes), on this machine or in a network namespace.
 */

import type {Device, VmName} from '../domain/device.js';
import {diffRoutes, type LiveDifference, planApply, type WantedRoute, wantedRoutes} from '../domain/live.js';
import {KernelError, mayChangeRoutes, readKernelRoutes, runIpBatch} from './kernel.js';

/** Which VM's table, and where to find it. */
export type LiveTarget = {readonly vm: VmName; readonly netns: string | undefined};

/** Why apply refused to start. */
export const missingRightsMessage = 'live apply needs the rights to change routes (root, or the CAP_NET_ADMIN capability); nothing was changed';

/** The `ip` command line as a person would type it. */
export function describeIpCommand(target: LiveTarget, command: readonly string[]): string {
	return `ip ${target.netns === undefined ? '' : `-n ${target.netns} `}${command.join(' ')}`;
}

/** The wanted routes and how the kernel differs from them, or why the comparison could not be made. */
export function compareWithKernel(device: Device, target: LiveTarget): {ok: true; wanted: WantedRoute[]; differences: LiveDifference[]} | {ok: false; error: string} {
	const wanted = wantedRoutes(device, target.vm);
	if (!wanted.ok) {
		return wanted;
	}
	try {
		return {ok: true, wanted: wanted.routes, differences: diffRoutes(wanted.routes, readKernelRoutes(target.netns))};
	} catch (error) {
		if (error instanceof KernelError) {
			return {ok: false, error: error.message};
		}
		throw error;
	}
}

/** What apply did (or, dry, would do): the commands, and the wanted routes another protocol's route blocks. */
export type ApplyResult =
	| {readonly ok: true; readonly commands: readonly string[]; readonly blocked: readonly LiveDifference[]}
	| {readonly ok: false; readonly error: string};

/** Makes the kernel match the device, stopping at the first failing command; `dryRun` only lists the commands. */
export function applyToKernel(device: Device, target: LiveTarget, dryRun = false): ApplyResult {
	if (!dryRun && !mayChangeRoutes()) {
		return {ok: false, error: missingRightsMessage};
	}
	const comparison = compareWithKernel(device, target);
	if (!comparison.ok) {
		return comparison;
	}
	const commands = planApply(comparison.differences);
	if (!dryRun) {
		let run: ReturnType<typeof runIpBatch>;
		try {
			run = runIpBatch(target.netns, commands);
		} catch (error) {
			if (error instanceof KernelError) {
				return {ok: false, error: `${error.message}; nothing was changed`};
			}
			throw error;
		}
		if (run.error !== undefined) {
			const failed = commands[run.applied] ?? commands.at(-1)!;
			return {ok: false, error: `${describeIpCommand(target, failed)} failed (${run.error}); ${run.applied} of ${commands.length} changes were applied`};
		}
	}
	return {ok: true, commands: commands.map(command => describeIpCommand(target, command)), blocked: comparison.differences.filter(difference => difference.kind === 'blocked')};
}
