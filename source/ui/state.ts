/**
 * The dashboard's UI state and its one reducer. Pure: every action is a plain object with a kebab-case
 * type; tested without rendering.
 */

import type {Route} from '../domain/device.js';
import type {RouteEdit} from '../domain/routes.js';
import type {RouteField, RouteInput} from '../domain/route-checks.js';
import type {RouteKey} from '../domain/route-key.js';
import {routeFields} from '../domain/route-checks.js';
import {type PaneId, paneIds} from '../view-models/pane-names.js';
import {defaultSorts, type PaneSort, paneSortColumns, type SortColumnId} from '../view-models/pane-sorts.js';

/** The add/edit form. */
export type FormState = {
	readonly mode: 'add' | 'edit';
	/** The key of the route being edited. */
	readonly original?: RouteKey;
	readonly fields: RouteInput;
	readonly focus: RouteField;
	/** Where the cursor is in the focused field; at its end when left out. */
	readonly cursor?: number;
	/** Set when a save was tried and refused, to show every message. */
	readonly submitted: boolean;
	/** The store revision the form was opened (or last reloaded) on, and the route as it was then. */
	readonly revision: number;
	readonly snapshot: Route | null;
	/** When a save was refused because another session changed the route first: the route as the form was opened on it, and as the other session left it. */
	readonly conflict?: {readonly was: Route | null; readonly theirs: Route | null};
};

/** The trace view: a destination, a source, and the last destination traced. */
export type TraceState = {
	readonly destination: string;
	readonly sourceIndex: number;
	readonly focus: 'destination' | 'source';
	/** Where the cursor is in the destination; at its end when left out. */
	readonly cursor?: number;
	/** What was typed on the source field to find a source (a pod among thousands); empty when nothing was. */
	readonly sourceQuery?: string;
	readonly traced: {readonly destination: string; readonly sourceIndex: number} | null;
};

/** What is open over the panes, if anything. */
export type Overlay =
	| {readonly kind: 'none'}
	| {readonly kind: 'help'}
	| {readonly kind: 'details'}
	| {readonly kind: 'form'; readonly form: FormState}
	| {readonly kind: 'confirm-delete'; readonly key: RouteKey; readonly revision: number; readonly snapshot: Route}
	| {readonly kind: 'trace'; readonly trace: TraceState}
	| {readonly kind: 'confirm-apply'; readonly changes: readonly string[]};

/** The status line's message and whether it reports a fault. */
export type Notice = {readonly text: string; readonly tone: 'info' | 'error'};

/** Everything the dashboard shows besides the device. */
export type UiState = {
	readonly focus: PaneId;
	readonly selected: Readonly<Record<PaneId, number>>;
	readonly filters: Readonly<Record<PaneId, string>>;
	/** How each pane is sorted; undefined keeps the device's order. */
	readonly sorts: Readonly<Record<PaneId, PaneSort | undefined>>;
	/** Whether the focused pane's filter is being typed. */
	readonly filtering: boolean;
	readonly overlay: Overlay;
	/** How far the open help, details or trace is scrolled down, in lines. */
	readonly overlayScroll: number;
	readonly notice: Notice | null;
	/** Why the store file cannot be read right now, shown as a banner until it can. */
	readonly storeProblem: string | null;
	/** The route changes saved from this dashboard, the last one last: what `u` takes back, one at a time. */
	readonly undo: ReadonlyArray<{readonly edit: RouteEdit; readonly revision: number}>;
};

/** Every change of UI state, one kebab-case type each. */
export type UiAction =
	| {readonly type: 'pane-focused'; readonly pane: PaneId}
	| {readonly type: 'focus-cycled'; readonly delta: 1 | -1}
	| {readonly type: 'selection-moved'; readonly delta: number; readonly count: number}
	| {readonly type: 'selection-set'; readonly to: 'first' | 'last'; readonly count: number}
	/** A pane's selection put on the row at `index` (where its item now is). */
	| {readonly type: 'selection-placed'; readonly pane: PaneId; readonly index: number}
	| {readonly type: 'filter-started'}
	| {readonly type: 'filter-typed'; readonly text: string}
	/** `selected`: where the selected row is once the filter is cleared (the first row when left out). */
	| {readonly type: 'filter-closed'; readonly keep: boolean; readonly selected?: number}
	/** The focused pane sorted anew, `selected` being where its selected row is in the new order. */
	| {readonly type: 'pane-sorted'; readonly sort: PaneSort; readonly selected: number}
	| {readonly type: 'overlay-opened'; readonly overlay: Overlay}
	| {readonly type: 'overlay-closed'}
	| {readonly type: 'overlay-scrolled'; readonly to: number}
	| {readonly type: 'form-edited'; readonly field: RouteField; readonly value: string; readonly cursor?: number}
	| {readonly type: 'form-focus-moved'; readonly delta: 1 | -1}
	| {readonly type: 'form-refused'; readonly focus?: RouteField}
	| {readonly type: 'trace-edited'; readonly destination: string; readonly cursor?: number}
	| {readonly type: 'trace-source-cycled'; readonly delta: 1 | -1; readonly count: number}
	| {readonly type: 'trace-source-set'; readonly sourceIndex: number; readonly query: string}
	| {readonly type: 'trace-focus-toggled'}
	| {readonly type: 'trace-submitted'}
	/** `selected`: where the route the change added or edited is in the routes pane, to select it. */
	| {readonly type: 'change-saved'; readonly text: string; readonly edit?: {readonly edit: RouteEdit; readonly revision: number}; readonly undone?: boolean; readonly selected?: number}
	| {readonly type: 'notice-shown'; readonly notice: Notice}
	| {readonly type: 'notice-cleared'}
	| {readonly type: 'form-rebased'; readonly revision: number; readonly snapshot: Route | null}
	| {readonly type: 'store-problem'; readonly message: string | null};

const perPane = <T>(value: T) => Object.fromEntries(paneIds.map(pane => [pane, value])) as Record<PaneId, T>;

/** The state the dashboard opens in: the routes pane focused, the first rows selected. */
export const initialUiState: UiState = {
	focus: 'routes',
	selected: perPane(0),
	filters: perPane(''),
	sorts: {...perPane(undefined), ...defaultSorts},
	filtering: false,
	overlay: {kind: 'none'},
	overlayScroll: 0,
	notice: null,
	storeProblem: null,
	undo: [],
};

const clamp = (value: number, count: number) => Math.max(0, Math.min(value, count - 1));

const withSelected = (state: UiState, index: number): UiState => ({...state, selected: {...state.selected, [state.focus]: index}});

/** The sort a pane's sort key gives: that column smallest first, or, when the pane is sorted by it already, the other way round. */
export function nextSort(current: PaneSort | undefined, column: SortColumnId): PaneSort {
	return {column, descending: current?.column === column ? !current.descending : false};
}

/** Each pane's sort as remembered, where it is one the pane offers; every other pane keeps its default. */
export function sortsFrom(remembered: Readonly<Record<string, {readonly column: string; readonly descending: boolean}>> | undefined): UiState['sorts'] {
	const sorts: Record<PaneId, PaneSort | undefined> = {...initialUiState.sorts};
	for (const pane of paneIds) {
		const entry = remembered?.[pane];
		const column = paneSortColumns[pane].find(candidate => candidate === entry?.column);
		if (entry && column) {
			sorts[pane] = {column, descending: entry.descending === true};
		}
	}
	return sorts;
}

/** A new add form, its interface preset, opened on a store revision. */
export function addForm(defaultInterface: string, revision = 0): FormState {
	return {
		mode: 'add',
		fields: {interface: defaultInterface, destinationPrefix: '', nextHop: '', metric: ''},
		focus: 'destinationPrefix',
		submitted: false,
		revision,
		snapshot: null,
	};
}

/** An edit form for an existing route, opened on a store revision. */
export function editForm(route: Route, revision = 0): FormState {
	const fields: RouteInput = {interface: route.interface, destinationPrefix: route.destinationPrefix, nextHop: route.nextHop, metric: String(route.metric)};
	return {mode: 'edit', original: {interface: route.interface, destinationPrefix: route.destinationPrefix}, fields, focus: 'nextHop', submitted: false, revision, snapshot: route};
}

/** A new trace view. */
export const newTrace: TraceState = {destination: '', sourceIndex: 0, focus: 'destination', traced: null};

/** The one reducer of UI state. */
export function uiReducer(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'pane-focused': {
			return {...state, focus: action.pane, filtering: false};
		}
		case 'focus-cycled': {
			const index = paneIds.indexOf(state.focus);
			const next = paneIds[(index + action.delta + paneIds.length) % paneIds.length] ?? state.focus;
			return {...state, focus: next, filtering: false};
		}
		case 'selection-moved': {
			return withSelected(state, clamp(state.selected[state.focus] + action.delta, action.count));
		}
		case 'selection-placed': {
			return {...state, selected: {...state.selected, [action.pane]: action.index}};
		}
		case 'selection-set': {
			return withSelected(state, action.to === 'first' ? 0 : clamp(action.count - 1, action.count));
		}
		case 'filter-started': {
			return {...state, filtering: true};
		}
		case 'filter-typed': {
			return {...withSelected(state, 0), filters: {...state.filters, [state.focus]: action.text}};
		}
		case 'filter-closed': {
			return action.keep
				? {...state, filtering: false}
				: {...withSelected(state, action.selected ?? 0), filtering: false, filters: {...state.filters, [state.focus]: ''}};
		}
		case 'pane-sorted': {
			return {...withSelected(state, action.selected), sorts: {...state.sorts, [state.focus]: action.sort}};
		}
		case 'overlay-opened': {
			return {...state, overlay: action.overlay, overlayScroll: 0, filtering: false};
		}
		case 'overlay-closed': {
			return {...state, overlay: {kind: 'none'}, overlayScroll: 0};
		}
		case 'overlay-scrolled': {
			return {...state, overlayScroll: Math.max(0, action.to)};
		}
		case 'form-edited': {
			if (state.overlay.kind !== 'form') {
				return state;
			}
			const {form} = state.overlay;
			const {cursor: _cursor, ...rest} = form;
			return {...state, overlay: {kind: 'form', form: {...rest, fields: {...form.fields, [action.field]: action.value}, ...(action.cursor === undefined ? {} : {cursor: action.cursor})}}};
		}
		case 'form-focus-moved': {
			if (state.overlay.kind !== 'form') {
				return state;
			}
			const {form} = state.overlay;
			const index = routeFields.indexOf(form.focus);
			const focus = routeFields[(index + action.delta + routeFields.length) % routeFields.length] ?? form.focus;
			// The cursor goes to the end of the field moved to.
			const {cursor: _cursor, ...rest} = form;
			return {...state, overlay: {kind: 'form', form: {...rest, focus}}};
		}
		case 'form-refused': {
			return state.overlay.kind === 'form' ? {...state, overlay: {kind: 'form', form: {...state.overlay.form, submitted: true, focus: action.focus ?? state.overlay.form.focus}}} : state;
		}
		case 'trace-edited': {
			if (state.overlay.kind !== 'trace') {
				return state;
			}
			const {cursor: _cursor, ...trace} = state.overlay.trace;
			return {...state, overlay: {kind: 'trace', trace: {...trace, destination: action.destination, ...(action.cursor === undefined ? {} : {cursor: action.cursor})}}};
		}
		case 'trace-source-cycled': {
			if (state.overlay.kind !== 'trace' || action.count === 0) {
				return state;
			}
			const {trace} = state.overlay;
			return {...state, overlay: {kind: 'trace', trace: {...trace, sourceIndex: (trace.sourceIndex + action.delta + action.count) % action.count}}};
		}
		case 'trace-source-set': {
			return state.overlay.kind === 'trace' ? {...state, overlay: {kind: 'trace', trace: {...state.overlay.trace, sourceIndex: action.sourceIndex, sourceQuery: action.query}}} : state;
		}
		case 'trace-focus-toggled': {
			if (state.overlay.kind !== 'trace') {
				return state;
			}
			const {trace} = state.overlay;
			return {...state, overlay: {kind: 'trace', trace: {...trace, focus: trace.focus === 'destination' ? 'source' : 'destination'}}};
		}
		case 'trace-submitted': {
			if (state.overlay.kind !== 'trace') {
				return state;
			}
			const {trace} = state.overlay;
			return {...state, overlay: {kind: 'trace', trace: {...trace, traced: {destination: trace.destination, sourceIndex: trace.sourceIndex}}}, overlayScroll: 0};
		}
		case 'change-saved': {
			// An undo takes its change off the list; any other change goes on it.
			const undo = action.undone ? state.undo.slice(0, -1) : action.edit ? [...state.undo, action.edit] : state.undo;
			const selected = action.selected === undefined ? state.selected : {...state.selected, routes: action.selected};
			return {...state, overlay: {kind: 'none'}, overlayScroll: 0, notice: {text: action.text, tone: 'info'}, undo, selected};
		}
		case 'notice-shown': {
			return {...state, notice: action.notice};
		}
		case 'notice-cleared': {
			return {...state, notice: null};
		}
		case 'form-rebased': {
			if (state.overlay.kind !== 'form') {
				return state;
			}
			const {form} = state.overlay;
			return {...state, overlay: {kind: 'form', form: {...form, revision: action.revision, snapshot: action.snapshot, submitted: true, conflict: {was: form.conflict?.was ?? form.snapshot, theirs: action.snapshot}}}};
		}
		case 'store-problem': {
			return {...state, storeProblem: action.message};
		}
	}
}
