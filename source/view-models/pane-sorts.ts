/**
 * The orders the dashboard's panes can be sorted in: the sort columns, which pane offers which, the
 * routes pane's default, and how sort keys compare. A sort key is worked out from the device, never
 * from a drawn cell, so sorting a pane builds none of its rows.
 */

import {addressValue, canonicalPrefixParts} from '../domain/ip.js';
import type {PaneId} from './pane-names.js';

/** Every column a pane can be sorted by. */
export const sortColumnIds = ['name', 'address', 'kind', 'external-ip', 'destination', 'prefix-length', 'next-hop', 'interface', 'metric', 'status'] as const;

/** A column a pane can be sorted by. */
export type SortColumnId = (typeof sortColumnIds)[number];

/** How a sort column is named in a pane's title (`sorted by metric ↓`), and what its order is, for the help. */
export const sortColumns: Readonly<Record<SortColumnId, {readonly name: string; readonly order: string}>> = {
	name: {name: 'name', order: 'name (numbers in names in numeric order)'},
	address: {name: 'address', order: 'address, numerically'},
	kind: {name: 'kind', order: 'kind (services, then pods; internal, then external switches)'},
	'external-ip': {name: 'external IP', order: 'external IP, numerically (host names and <pending> after addresses)'},
	destination: {name: 'destination', order: 'destination: address, then prefix length, numerically'},
	'prefix-length': {name: 'prefix length', order: 'prefix length, then address'},
	'next-hop': {name: 'next hop', order: 'next hop, numerically'},
	interface: {name: 'interface', order: 'interface'},
	metric: {name: 'metric', order: 'metric'},
	status: {name: 'status', order: 'status (active, then pending)'},
};

/** The columns each pane can be sorted by. */
export const paneSortColumns: Readonly<Record<PaneId, readonly SortColumnId[]>> = {
	ports: ['name', 'address'],
	switches: ['name', 'kind', 'address'],
	vms: ['name', 'address'],
	pods: ['name', 'address', 'kind', 'external-ip'],
	routes: ['destination', 'prefix-length', 'next-hop', 'interface', 'metric', 'status'],
};

/** How a pane is sorted: by a column, smallest first unless descending. */
export type PaneSort = {readonly column: SortColumnId; readonly descending: boolean};

/** How a pane is sorted until a sort key is pressed: routes by destination; the other panes in the device's order. */
export const defaultSorts: Readonly<Partial<Record<PaneId, PaneSort>>> = {routes: {column: 'destination', descending: false}};

/** What a pane's title says of its sort: `sorted by metric ↓` (↑ smallest first, ↓ largest first). */
export function sortLabel(sort: PaneSort): string {
	return `sorted by ${sortColumns[sort.column].name} ${sort.descending ? '↓' : '↑'}`;
}

/** A row's sort key: numbers sort before text, each in its own natural order. */
export type SortKey = number | string;

/** Orders two sort keys. */
export function compareSortKeys(a: SortKey, b: SortKey): number {
	if (typeof a === typeof b) {
		return a < b ? -1 : a > b ? 1 : 0;
	}
	return typeof a === 'number' ? -1 : 1;
}

/**
 * The key of an address or prefix (`10.1.0.0/16`, `192.168.10.10/24`, a bare address): address then
 * prefix length, as one number; anything else (`<pending>`, a host name, `-`) as its text, after every address.
 */
export function addressKey(text: string): SortKey {
	// Stored prefixes are written the canonical way: read in one pass, without cutting the text.
	const prefix = canonicalPrefixParts(text);
	if (prefix) {
		return prefix.value * 64 + prefix.length;
	}
	const slash = text.indexOf('/');
	const address = slash === -1 ? text : text.slice(0, slash);
	const length = slash === -1 ? 32 : Number(text.slice(slash + 1));
	const value = addressValue(address);
	return value !== undefined && Number.isInteger(length) && length >= 0 && length <= 32 ? value * 64 + length : text;
}

/** The key of a prefix by its length first, then its address. */
export function prefixLengthKey(prefix: string): SortKey {
	const key = addressKey(prefix);
	return typeof key === 'number' ? (key % 64) * 2 ** 32 + Math.floor(key / 64) : key;
}

/** The key of a name, its numbers padded so `web-2` sorts before `web-10`. */
export function nameKey(name: string): string {
	return name.replace(/\d+/g, digits => digits.padStart(12, '0'));
}
