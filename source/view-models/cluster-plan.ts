/**
 * The cluster's address plan in one line, for the dashboard's header: each range with how much of it is in
 * use, and the DNS domain; what does not fit the width is left off from the end, never cut in a word.
 */

import type {Device} from '../domain/device.js';
import {groupDigits} from '../domain/plural.js';
import {rangeUsage} from '../domain/range-usage.js';
import {displayWidth} from './text-table.js';

const plans = new WeakMap<Device, readonly string[]>();

/** The plan's parts: `pods 172.27.0.0/16 7/65,536 used`, …, `DNS cluster.local`; worked out once per device value. */
export function clusterPlanParts(device: Device): readonly string[] {
	let parts = plans.get(device);
	if (!parts) {
		parts = [
			...rangeUsage(device).map(usage => `${usage.label} ${usage.range} ${groupDigits(usage.used)}/${groupDigits(usage.size)} used`),
			`DNS ${device.cluster.dnsDomain}`,
		];
		plans.set(device, parts);
	}
	return parts;
}

/** As many of the plan's parts as fit the width, in order. */
export function clusterPlanLine(device: Device, width: number): string {
	let line = '';
	for (const part of clusterPlanParts(device)) {
		const next = line === '' ? part : `${line} · ${part}`;
		if (displayWidth(next) > width) {
			break;
		}
		line = next;
	}
	return line;
}
