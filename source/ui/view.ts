/**
 * What the screen and the keys both work from, derived from the device, the UI state and the live view.
 * One deriver per dashboard keeps what has not changed, so a key press costs what it changes.
 */

import type {Device} from '../domain/device.js';
import {lookupRoute} from '../domain/lookup.js';
import {checkRoute, portRefusal, type RouteCheck} from '../domain/route-checks.js';
import type {RouteView} from '../domain/route-status.js';
import {type PaneId, paneRegistry} from '../view-models/pane-registry.js';
import {compareSortKeys, type PaneSort, type SortKey, sortLabel} from '../view-models/pane-sorts.js';
import type {LiveView, PaneRows} from '../view-models/panes.js';
import {sanitize} from '../view-models/sanitize.js';
import type {FormState, UiState} from './state.js';

/** A pane's rows in its sort order, after its filter. */
export type FilteredPane = PaneRows & {
	/** How many rows the filter keeps. */
	readonly shownCount: number;
	/** The `index`th row the filter keeps. */
	readonly shownRow: (index: number) => readonly string[];
	/** Where the `index`th row the filter keeps is in the unfiltered rows. */
	readonly sourceOf: (index: number) => number | undefined;
	/** Where row `source` of the unfiltered rows is among those shown, if the filter keeps it. */
	readonly shownIndexOf: (source: number | undefined) => number | undefined;
	/** Where the `index`th row shown will be once the filter is cleared. */
	readonly unfilteredIndexOf: (index: number) => number | undefined;
	/** How the rows are sorted, for the title (`sorted by metric ↓`); undefined in the device's order. */
	readonly sortLabel?: string;
	/** With a filter: the positions in the sort order of the rows it keeps. */
	readonly kept?: Int32Array;
};

/** A pane's rows in a sort order: the row at each position, and the position of each row. */
export type SortOrder = {readonly rowAt: Int32Array; readonly positionOf: Int32Array};

/** Each pane's ascending order by each column it was sorted by: a reversed sort, or a sort back to a column, costs no new keys. */
const ascendingOrders = new WeakMap<PaneRows, Map<string, Int32Array>>();

function ascendingOrder(pane: PaneRows, column: string, keyOf: (index: number) => SortKey): Int32Array {
	let orders = ascendingOrders.get(pane);
	if (!orders) {
		orders = new Map();
		ascendingOrders.set(pane, orders);
	}
	let rowAt = orders.get(column);
	if (!rowAt) {
		rowAt = sortedRows(pane.count, keyOf);
		orders.set(column, rowAt);
	}
	return rowAt;
}

/** The row numbers ordered by their keys, ties in row order. */
function sortedRows(count: number, keyOf: (index: number) => SortKey): Int32Array {
	const rowAt = Int32Array.from({length: count}, (_, index) => index);
	// Most sorts (addresses, metrics) have plain numbers for keys: they go straight into a typed array; the
	// first key that is not a number sets them all aside.
	const numbers = new Float64Array(count);
	let keys: SortKey[] | undefined;
	let largest = 0;
	for (let index = 0; index < count; index++) {
		const key = keyOf(index);
		if (keys) {
			keys.push(key);
		} else if (typeof key === 'number') {
			numbers[index] = key;
			largest = Number.isInteger(key) && key >= 0 && largest >= 0 ? Math.max(largest, key) : -1;
		} else {
			keys = [...numbers.subarray(0, index), key];
		}
	}
	if (keys) {
		const mixed = keys;
		return rowAt.sort((a, b) => compareSortKeys(mixed[a]!, mixed[b]!) || a - b);
	}
	if (largest < 0 || (largest + 1) * count > Number.MAX_SAFE_INTEGER) {
		return rowAt.sort((a, b) => numbers[a]! - numbers[b]! || a - b);
	}
	// Whole numbers from 0 small enough to hold the row number as well (key × count + row stays exact in a
	// double) sort as the typed array itself, with no comparison function.
	for (let row = 0; row < count; row++) {
		numbers[row] = numbers[row]! * count + row;
	}
	numbers.sort();
	for (let position = 0; position < count; position++) {
		rowAt[position] = numbers[position]! % count;
	}
	return rowAt;
}

/**
 * The order of a pane's rows under a sort, from the pane's sort keys: one key per row, then the row
 * numbers sorted by them (ties in the device's order); descending is that order reversed. No row is built.
 * Undefined keeps the device's order, as does a column the pane does not sort by.
 */
export function sortOrder(pane: PaneRows, sort: PaneSort | undefined): SortOrder | undefined {
	const keyOf = sort === undefined ? undefined : pane.sortKeys[sort.column];
	if (!sort || !keyOf) {
		return undefined;
	}
	const ascending = ascendingOrder(pane, sort.column, keyOf);
	const rowAt = sort.descending ? ascending.slice().reverse() : ascending;
	const positionOf = new Int32Array(pane.count);
	for (let position = 0; position < rowAt.length; position++) {
		positionOf[rowAt[position]!] = position;
	}
	return {rowAt, positionOf};
}

/** Text that shows as it is (printable ASCII) and has no capital: what it shows, lower-cased, is the text itself. */
const plainLowerCase = /^[\u0020-\u0040\u005B-\u007E]*$/;

/**
 * Whether row `row` holds the needle (lower-cased) in one of the pane's filter columns, as the column is
 * shown (sanitised) and ignoring case. Nothing is kept: most texts (names, addresses) are searched where
 * they lie; only a text with a capital or a character shown otherwise is copied, for this search alone.
 */
function rowMatches(pane: PaneRows, row: number, needle: string): boolean {
	for (const column of pane.filterColumns) {
		const text = column.text(row);
		if (plainLowerCase.test(text) ? text.includes(needle) : sanitize(text).toLowerCase().includes(needle)) {
			return true;
		}
	}
	return false;
}

/** The first position in an ascending list holding `value`, if any. */
function indexIn(sorted: Int32Array, value: number): number | undefined {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (sorted[middle]! < value) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}
	return sorted[low] === value ? low : undefined;
}

/**
 * The rows a filter keeps, in the sort order given: those with the text in one of the pane's filter
 * columns, ignoring case; `within`, the only positions to search, when they are known to hold every match.
 * Matching reads the filter columns' texts, not the drawn rows, so no row is built; no filter keeps every row.
 */
export function applyFilter(pane: PaneRows, filter: string, sort?: PaneSort, order: SortOrder | undefined = sortOrder(pane, sort), within?: Int32Array): FilteredPane {
	const inPane = (index: number) => index >= 0 && index < pane.count;
	const rowAt = (position: number) => (order ? order.rowAt[position] : inPane(position) ? position : undefined);
	const positionOf = (row: number) => (order ? order.positionOf[row] : row);
	const label = order && sort ? {sortLabel: sortLabel(sort)} : {};
	if (filter === '') {
		return {
			...pane,
			...label,
			shownCount: pane.count,
			shownRow: index => pane.row(rowAt(index) ?? -1),
			sourceOf: rowAt,
			shownIndexOf: source => (source !== undefined && inPane(source) ? positionOf(source) : undefined),
			unfilteredIndexOf: index => (inPane(index) ? index : undefined),
		};
	}
	const needle = filter.toLowerCase();
	const kept: number[] = [];
	if (within) {
		for (const position of within) {
			if (rowMatches(pane, rowAt(position)!, needle)) {
				kept.push(position);
			}
		}
	} else {
		for (let position = 0; position < pane.count; position++) {
			if (rowMatches(pane, rowAt(position)!, needle)) {
				kept.push(position);
			}
		}
	}
	const positions = Int32Array.from(kept);
	return {
		...pane,
		...label,
		shownCount: positions.length,
		shownRow: index => pane.row(rowAt(positions[index] ?? -1) ?? -1),
		sourceOf: index => rowAt(positions[index] ?? -1),
		shownIndexOf: source => (source !== undefined && inPane(source) ? indexIn(positions, positionOf(source)!) : undefined),
		unfilteredIndexOf: index => positions[index],
		kept: positions,
	};
}

/** The answer of the last trace run: the lookup's result, or undefined before one was run. */
export type TraceAnswer = ReturnType<typeof lookupRoute>;

/** What the screen and the keys work from. */
export type View = {
	/** A pane's rows after its filter; built the first time a pane is shown or asked about. */
	readonly filteredOf: (pane: PaneId) => FilteredPane;
	readonly focused: FilteredPane;
	/** The focused pane's rows, filtered as they are, under another sort: where a sort key takes the selection. */
	readonly focusedSortedBy: (sort: PaneSort | undefined) => FilteredPane;
	readonly selectedIndex: number;
	readonly selectedSource: number | undefined;
	readonly selectedRoute: RouteView | undefined;
	/** The sources a trace can start from; listed only while the trace is open. */
	readonly sources: readonly string[];
	/** The domain's verdict on the form's fields, while the form is open. */
	readonly formCheck: RouteCheck | undefined;
	/** While the form is open: the ports its interface selector does not offer, and why, if any. */
	readonly portsNotOffered?: string;
	/** The answer of the trace last run, while the trace is open. */
	readonly traceAnswer: TraceAnswer | undefined;
};

/** The ports a route cannot go on, grouped by why: `not offered: Port1, Port2 (no compute); Port4, Port5, Port6 (DHCP)`. */
function notOffered(device: Device): string | undefined {
	const groups = new Map<string, string[]>();
	for (const port of device.ports) {
		const refusal = portRefusal(device, port);
		if (refusal !== undefined) {
			const why = refusal === 'dhcp' ? 'DHCP' : 'no compute';
			groups.set(why, [...(groups.get(why) ?? []), port.name]);
		}
	}
	return groups.size === 0 ? undefined : `not offered: ${[...groups].map(([why, names]) => `${names.join(', ')} (${why})`).join('; ')}`;
}

/** The sources a trace can start from before the pods. */
const fixedSources = ['worker', 'master', 'outside'] as const;

/** Where a source is in the trace's list of sources: a VM or outside by name, the device's `index`th pod after them. */
export function traceSourceIndex(source: (typeof fixedSources)[number] | {readonly podIndex: number}): number {
	return typeof source === 'string' ? fixedSources.indexOf(source) : fixedSources.length + source.podIndex;
}

/** The sources whose name holds the text (ignoring case), those that start with it first: what the source field offers as it is typed. */
export function matchingSources(sources: readonly string[], query: string): number[] {
	const needle = query.toLowerCase();
	const starting: number[] = [];
	const containing: number[] = [];
	for (const [index, source] of sources.entries()) {
		const name = source.toLowerCase();
		if (name.startsWith(needle) || name.includes(`/${needle}`)) {
			starting.push(index);
		} else if (name.includes(needle)) {
			containing.push(index);
		}
	}
	return [...starting, ...containing];
}

/** The sources a trace can start from: the VMs, outside the cluster, and every pod. */
function traceSources(device: Device): string[] {
	return [...fixedSources, ...device.pods.map(pod => `${pod.namespace}/${pod.name}`)];
}

const noSources: readonly string[] = [];

type Cache = {
	device?: Device;
	live?: LiveView;
	panes: Partial<Record<PaneId, PaneRows>>;
	filtered: Partial<Record<PaneId, {filter: string; sort: PaneSort | undefined; rows: FilteredPane}>>;
	orders: Partial<Record<PaneId, {sort: PaneSort | undefined; order: SortOrder | undefined}>>;
	sources?: string[];
	form?: {device: Device; form: FormState; check: RouteCheck};
	trace?: {device: Device; destination: string; source: string; answer: TraceAnswer};
};

/** The pane with its last details kept: the frame, the scroll window and the keys all ask for the open details, which are built once. */
function rememberingDetails(pane: PaneRows): PaneRows {
	let last: {index: number; details: ReturnType<PaneRows['details']>} | undefined;
	return {
		...pane,
		details(index) {
			if (last?.index !== index) {
				last = {index, details: pane.details(index)};
			}
			return last.details;
		},
	};
}

const sameSort = (a: PaneSort | undefined, b: PaneSort | undefined) => a?.column === b?.column && a?.descending === b?.descending;

/**
 * A deriver of the view that reuses what has not changed: a pane's rows while the device (and, for the
 * routes pane, the live view) is the same, built only once the pane is shown; its sort order while its
 * sort is the same, and its filtered rows while its filter is too; the form's check while the form is the
 * same; a trace's answer while what was traced is.
 */
export function createViewDeriver(): (device: Device, state: UiState, live: LiveView | undefined) => View {
	const memo: Cache = {panes: {}, filtered: {}, orders: {}};
	return (device, state, live) => {
		if (memo.device !== device) {
			memo.device = device;
			memo.panes = {};
			memo.filtered = {};
			memo.orders = {};
			memo.sources = undefined;
		}
		if (memo.live !== live) {
			memo.live = live;
			for (const entry of Object.values(paneRegistry)) {
				if (entry.usesLive) {
					delete memo.panes[entry.id];
					delete memo.filtered[entry.id];
					delete memo.orders[entry.id];
				}
			}
		}
		const paneOf = (pane: PaneId): PaneRows => (memo.panes[pane] ??= rememberingDetails(paneRegistry[pane].build(device, live)));
		const orderOf = (pane: PaneId, sort: PaneSort | undefined): SortOrder | undefined => {
			const cached = memo.orders[pane];
			if (cached && sameSort(cached.sort, sort)) {
				return cached.order;
			}
			const order = sortOrder(paneOf(pane), sort);
			memo.orders[pane] = {sort, order};
			return order;
		};
		const arranged = (pane: PaneId, sort: PaneSort | undefined): FilteredPane => {
			const filter = state.filters[pane];
			const cached = memo.filtered[pane];
			if (cached && cached.filter === filter && sameSort(cached.sort, sort)) {
				return cached.rows;
			}
			// A filter typed on from the last one keeps only rows the last one kept: those alone are searched.
			const narrowing = cached && sameSort(cached.sort, sort) && cached.filter !== '' && filter.toLowerCase().includes(cached.filter.toLowerCase()) ? cached.rows.kept : undefined;
			const rows = applyFilter(paneOf(pane), filter, sort, orderOf(pane, sort), narrowing);
			memo.filtered[pane] = {filter, sort, rows};
			return rows;
		};
		const filteredOf = (pane: PaneId): FilteredPane => arranged(pane, state.sorts[pane]);
		const focused = filteredOf(state.focus);
		const focusedSortedBy = (sort: PaneSort | undefined) => arranged(state.focus, sort);
		const selectedIndex = Math.max(0, Math.min(state.selected[state.focus], focused.shownCount - 1));
		const selectedSource = focused.sourceOf(selectedIndex);
		const selectedRoute = state.focus === 'routes' && selectedSource !== undefined ? focused.route?.(selectedSource) : undefined;
		const {overlay} = state;
		let formCheck: RouteCheck | undefined;
		let portsNotOffered: string | undefined;
		if (overlay.kind === 'form') {
			portsNotOffered = notOffered(device);
			const {form} = overlay;
			if (memo.form?.device !== device || memo.form.form !== form) {
				memo.form = {device, form, check: checkRoute(device, form.fields, form.original ? {replacing: form.original} : {})};
			}
			formCheck = memo.form.check;
		}
		// Every pod is a source: listed only while a trace is open, so a large device's first frame need not read its pods.
		const sources = overlay.kind === 'trace' ? (memo.sources ??= traceSources(device)) : noSources;
		let traceAnswer: TraceAnswer | undefined;
		if (overlay.kind === 'trace' && overlay.trace.traced) {
			const {destination, sourceIndex} = overlay.trace.traced;
			const source = sources[sourceIndex] ?? 'worker';
			if (memo.trace?.device !== device || memo.trace.destination !== destination || memo.trace.source !== source) {
				memo.trace = {device, destination, source, answer: lookupRoute(device, source, destination)};
			}
			traceAnswer = memo.trace.answer;
		}
		return {filteredOf, focused, focusedSortedBy, selectedIndex, selectedSource, selectedRoute, sources, formCheck, traceAnswer, ...(portsNotOffered === undefined ? {} : {portsNotOffered})};
	};
}
