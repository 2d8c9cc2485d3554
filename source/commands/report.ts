/** What commands say besides their results: refusals (exit 1), usage errors (exit 2) and whole-store writes. */

import type {Device} from '../domain/device.js';
import {plural} from '../domain/plural.js';
import {sanitize} from '../view-models/sanitize.js';
import {type CommandContext, type ExitCode, exitCodes} from './context.js';

/** Each line of a message made safe for the terminal; the line breaks stay. */
const safeLines = (message: string) => message.split('\n').map(line => sanitize(line)).join('\n');

/** Says on standard error why the command did not do what it was asked; exit code 1. */
export function refuse(context: Pick<CommandContext, 'err'>, message: string): ExitCode {
	context.err(`edgenet: ${safeLines(message)}\n`);
	return exitCodes.refused;
}

/**
 * Refuses a change, saying that the store is as it was: one reason on the same line, or several
 * reasons (given as a list) each on a line of its own.
 */
export function refuseChange(context: Pick<CommandContext, 'err'>, reasons: string | readonly string[]): ExitCode {
	return refuse(context, `refused, nothing changed:${typeof reasons === 'string' ? ` ${reasons}` : reasons.map(reason => `\n  ${reason}`).join('')}`);
}

/** Says on standard error how the call was wrong and where its usage is explained; exit code 2. */
export function reportUsage(context: Pick<CommandContext, 'err'>, message: string, helpHint: string): ExitCode {
	context.err(`edgenet: ${safeLines(message)}\nRun \`${helpHint}\` for usage.\n`);
	return exitCodes.usage;
}

/** `2 routes, 7 pods, 5 services`: how much a device that a whole-store write wrote holds. */
export function deviceCounts(device: Device): string {
	return `${plural(device.routes.length, 'route')}, ${plural(device.pods.length, 'pod')}, ${plural(device.services.length, 'service')}`;
}

/** Says what a whole-store write wrote, and where the store as it was is kept. */
export function reportReplaced(context: CommandContext, what: string, result: {readonly path: string; readonly backup: string | undefined}): void {
	context.out(`Wrote ${sanitize(what)} to ${sanitize(result.path)}.\n`);
	reportBackup(context, result.backup);
}

/** Says where the store as it was before a whole-store write is kept, when a copy was made. */
export function reportBackup(context: Pick<CommandContext, 'out'>, backup: string | undefined): void {
	if (backup) {
		context.out(`The previous store is kept as ${sanitize(backup)}.\n`);
	}
}
