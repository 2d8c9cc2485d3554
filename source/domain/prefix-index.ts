/**
 * A VM's routing table arranged for longest-prefix lookups, built once per device value, so a lookup
 * probes at most 33 buckets instead of scanning every entry. Answers as the table scan does.
 */

import type {Device, Vm, VmName} from './device.js';
import {rankMatches, type RouteChoice, type TableEntry, vmRoutingTable} from './routing-table.js';

/** A VM's table arranged for longest-prefix lookups: for each prefix length, the entries by network, lowest metric first. */
export type RouteIndex = {
	readonly lengths: readonly number[];
	readonly byLength: ReadonlyMap<number, ReadonlyMap<number, readonly TableEntry[]>>;
};

/** Builds the longest-prefix index of a table: a lookup probes at most 33 buckets instead of scanning every entry. */
export function createRouteIndex(table: readonly TableEntry[]): RouteIndex {
	const byLength = new Map<number, Map<number, TableEntry[]>>();
	for (const entry of table) {
		let buckets = byLength.get(entry.network.prefixLength);
		if (!buckets) {
			buckets = new Map();
			byLength.set(entry.network.prefixLength, buckets);
		}
		const bucket = buckets.get(entry.network.first);
		if (bucket) {
			bucket.push(entry);
		} else {
			buckets.set(entry.network.first, [entry]);
		}
	}
	for (const buckets of byLength.values()) {
		for (const bucket of buckets.values()) {
			// Stable: equal metrics keep the table's order, as the scan does.
			bucket.sort((a, b) => a.metric - b.metric);
		}
	}
	return {lengths: [...byLength.keys()].sort((a, b) => b - a), byLength};
}

/** The same answer as `selectRoute`, from the index. */
export function selectIndexedRoute(index: RouteIndex, destination: number): RouteChoice | undefined {
	const matches: TableEntry[] = [];
	for (const length of index.lengths) {
		const size = 2 ** (32 - length);
		const bucket = index.byLength.get(length)?.get(destination - (destination % size));
		if (bucket) {
			matches.push(...bucket);
		}
	}
	return rankMatches(matches);
}

const indexes = new WeakMap<Device, Map<VmName, RouteIndex>>();

/** The VM's routing table index, built once per device value. */
export function vmRouteIndex(device: Device, vm: Vm): RouteIndex {
	let perVm = indexes.get(device);
	if (!perVm) {
		perVm = new Map();
		indexes.set(device, perVm);
	}
	let index = perVm.get(vm.name);
	if (!index) {
		index = createRouteIndex(vmRoutingTable(device, vm));
		perVm.set(vm.name, index);
	}
	return index;
}
