/**
 * What the screen and the keys both work from, derived from the device, the UI state and the live view.
 * One deriver per dashboard keeps what has not changed, so a key press costs what it changes.
 */

import type {Device} from '../domain/device.js';
import {lookupRoute} from '../domain/lookup.js';
import {checkRoute, portRefusal, type RouteCheck} from '../domain/route-checks.js';
import type {RouteView} from '../domain/route-status.js';
import {type PaneId, paneRegistry} from '../view-models/pane-registry.js';
import type {LiveView, PaneRows} from '../view-models/panes.js';
import {sanitize} from '../view-models/sanitize.js';
import type {FormState, UiState} from './state.js';

/** A pane's rows after its filter. */
export type FilteredPane = PaneRows & {
	/** How many rows the filter keeps. */
	readonly shownCount: number;
	/** The `index`th row the filter keeps. */
	readonly shownRow: (index: number) => readonly string[];
	/** Where the `index`th row the filter keeps is in the unfiltered rows. */
	readonly sourceOf: (index: number) => number | undefined;
	/** Where the `index`th row shown will be once the filter is cleared. */
	readonly unfilteredIndexOf: (index: number) => number | undefined;
};

/** What a filter is matched against in each row: its filter columns' texts as shown (sanitised), lower-cased; worked out once per row per pane. */
const haystacks = new WeakMap<PaneRows, Array<string | undefined>>();

function haystackOf(pane: PaneRows, row: number): string {
	let rows = haystacks.get(pane);
	if (!rows) {
		rows = [];
		haystacks.set(pane, rows);
	}
	// The texts joined by a line break, which no typed filter holds: a filter matches within one column.
	return (rows[row] ??= pane.filterColumns.map(column => sanitize(column.text(row)).toLowerCase()).join('\n'));
}

/**
 * The rows a filter keeps: those with the text in one of the pane's filter columns, ignoring case.
 * Matching reads the filter columns' texts, not the drawn rows, so no row is built; no filter keeps every row.
 */
export function applyFilter(pane: PaneRows, filter: string): FilteredPane {
	if (filter === '') {
		const inPane = (index: number) => (index >= 0 && index < pane.count ? index : undefined);
		return {...pane, shownCount: pane.count, shownRow: pane.row, sourceOf: inPane, unfilteredIndexOf: inPane};
	}
	const needle = filter.toLowerCase();
	const kept: number[] = [];
	for (let index = 0; index < pane.count; index++) {
		if (haystackOf(pane, index).includes(needle)) {
			kept.push(index);
		}
	}
	return {...pane, shownCount: kept.length, shownRow: index => pane.row(kept[index] ?? -1), sourceOf: index => kept[index], unfilteredIndexOf: index => kept[index]};
}

/** The answer of the last trace run: the lookup's result, or undefined before one was run. */
export type TraceAnswer = ReturnType<typeof lookupRoute>;

/** What the screen and the keys work from. */
export type View = {
	/** A pane's rows after its filter; built the first time a pane is shown or asked about. */
	readonly filteredOf: (pane: PaneId) => FilteredPane;
	readonly focused: FilteredPane;
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
			const why = refusal === 'uses DHCP' ? 'DHCP' : 'no compute';
			groups.set(why, [...(groups.get(why) ?? []), port.name]);
		}
	}
	return groups.size === 0 ? undefined : `not offered: ${[...groups].map(([why, names]) => `${names.join(', ')} (${why})`).join('; ')}`;
}

/** The sources a trace can start from: the VMs, outside the cluster, and every pod. */
function traceSources(device: Device): string[] {
	return ['worker', 'master', 'outside', ...device.pods.map(pod => `${pod.namespace}/${pod.name}`)];
}

const noSources: readonly string[] = [];

type Cache = {
	device?: Device;
	live?: LiveView;
	panes: Partial<Record<PaneId, PaneRows>>;
	filtered: Partial<Record<PaneId, {filter: string; rows: FilteredPane}>>;
	sources?: string[];
	form?: {device: Device; form: FormState; check: RouteCheck};
	trace?: {device: Device; destination: string; source: string; answer: TraceAnswer};
};

/**
 * A deriver of the view that reuses what has not changed: a pane's rows while the device (and, for the
 * routes pane, the live view) is the same, built only once the pane is shown; its filtered rows while its
 * filter is the same; the form's check while the form is the same; a trace's answer while what was traced is.
 */
export function createViewDeriver(): (device: Device, state: UiState, live: LiveView | undefined) => View {
	const memo: Cache = {panes: {}, filtered: {}};
	return (device, state, live) => {
		if (memo.device !== device) {
			memo.device = device;
			memo.panes = {};
			memo.filtered = {};
			memo.sources = undefined;
		}
		if (memo.live !== live) {
			memo.live = live;
			for (const entry of Object.values(paneRegistry)) {
				if (entry.usesLive) {
					delete memo.panes[entry.id];
					delete memo.filtered[entry.id];
				}
			}
		}
		const paneOf = (pane: PaneId): PaneRows => (memo.panes[pane] ??= paneRegistry[pane].build(device, live));
		const filteredOf = (pane: PaneId): FilteredPane => {
			const cached = memo.filtered[pane];
			if (cached && cached.filter === state.filters[pane]) {
				return cached.rows;
			}
			const rows = applyFilter(paneOf(pane), state.filters[pane]);
			memo.filtered[pane] = {filter: state.filters[pane], rows};
			return rows;
		};
		const focused = filteredOf(state.focus);
		const selectedIndex = Math.max(0, Math.min(state.selected[state.focus], focused.shownCount - 1));
		const selectedSource = focused.sourceOf(selectedIndex);
		const selectedRoute = state.focus === 'routes' && selectedSource !== undefined ? focused.routes?.[selectedSource] : undefined;
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
		return {filteredOf, focused, selectedIndex, selectedSource, selectedRoute, sources, formCheck, traceAnswer, ...(portsNotOffered === undefined ? {} : {portsNotOffered})};
	};
}
