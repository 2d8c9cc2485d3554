/** Keys on the panes: focus, selection, filter, the overlays, and the route commands. Pure. */

import type {Key} from 'ink';
import {type Route, serviceDnsName} from '../../domain/device.js';
import {undoEdit} from '../../domain/routes.js';
import type {RouteView} from '../../domain/route-status.js';
import {vmOfRow} from '../../view-models/device-rows.js';
import {paneIds} from '../../view-models/pane-names.js';
import {sortColumnIds} from '../../view-models/pane-sorts.js';
import type {CommandId} from '../keymap.js';
import {addForm, editForm, newTrace, nextSort, type TraceState, type UiAction} from '../state.js';
import {traceSourceIndex, type View} from '../view.js';
import {act, type InputContext, nothing, notify, type Outcome, runBinding} from './outcome.js';

/** The stored fields of a route shown with its status and warnings. */
function plainRoute(route: RouteView): Route {
	return {interface: route.interface, destinationPrefix: route.destinationPrefix, nextHop: route.nextHop, metric: route.metric};
}

/** Clears the focused pane's filter, the row selected in the filtered rows staying selected. */
export function clearFilter(view: View): UiAction {
	return {type: 'filter-closed', keep: false, selected: view.focused.unfilteredIndexOf(view.selectedIndex) ?? 0};
}

function runCommand(context: InputContext, command: CommandId): Outcome {
	const {device, revision, view, pageSize} = context;
	const count = view.focused.shownCount;
	const focused = paneIds.find(pane => command === `focus-${pane}`);
	if (focused) {
		return act({type: 'pane-focused', pane: focused});
	}
	const move = (delta: number): UiAction => ({type: 'selection-moved', delta, count});
	const route = view.selectedRoute;
	const sortColumn = sortColumnIds.find(column => command === `sort-${column}`);
	if (sortColumn) {
		// The selected item stays selected, wherever the new order puts it.
		const sort = nextSort(context.state.sorts[context.state.focus], sortColumn);
		return act({type: 'pane-sorted', sort, selected: view.focusedSortedBy(sort).shownIndexOf(view.selectedSource) ?? 0});
	}
	switch (command) {
		case 'focus-next':
		case 'focus-previous': {
			return act({type: 'focus-cycled', delta: command === 'focus-next' ? 1 : -1});
		}
		case 'move-down':
		case 'move-up': {
			return act(move(command === 'move-down' ? 1 : -1));
		}
		case 'page-down':
		case 'page-up': {
			return act(move((command === 'page-down' ? 1 : -1) * Math.max(1, pageSize)));
		}
		case 'first':
		case 'last': {
			return act({type: 'selection-set', to: command, count});
		}
		case 'details': {
			return count > 0 ? act({type: 'overlay-opened', overlay: {kind: 'details'}}) : nothing;
		}
		case 'filter': {
			return act({type: 'filter-started'});
		}
		case 'clear-filter': {
			return act(clearFilter(view));
		}
		case 'help': {
			return act({type: 'overlay-opened', overlay: {kind: 'help'}});
		}
		case 'quit': {
			return {actions: [], effect: {kind: 'exit'}};
		}
		case 'route-add': {
			const port = device.ports.find(candidate => candidate.computeEnabled) ?? device.ports.find(candidate => candidate.ipConfig === 'static');
			return act({type: 'overlay-opened', overlay: {kind: 'form', form: addForm(port?.name ?? '', revision)}});
		}
		case 'route-edit': {
			return route ? act({type: 'overlay-opened', overlay: {kind: 'form', form: editForm(plainRoute(route), revision)}}) : nothing;
		}
		case 'route-delete': {
			if (!route) {
				return nothing;
			}
			const key = {interface: route.interface, destinationPrefix: route.destinationPrefix};
			return act({type: 'overlay-opened', overlay: {kind: 'confirm-delete', key, revision, snapshot: plainRoute(route)}});
		}
		case 'route-trace': {
			return act({type: 'overlay-opened', overlay: {kind: 'trace', trace: traceOfSelection(context)}});
		}
		case 'route-undo': {
			const last = context.state.undo.at(-1);
			if (!last) {
				return nothing;
			}
			const {edit} = last;
			// Refused, like any edit, when another session changed the route since.
			const now = edit.after ?? null;
			const key = now ?? edit.before!;
			return {
				actions: [],
				effect: {kind: 'save', change: current => undoEdit(current, edit), guard: {revision: last.revision, key: {interface: key.interface, destinationPrefix: key.destinationPrefix}, snapshot: now}, undo: true},
			};
		}
		case 'live-apply': {
			return {actions: [], effect: {kind: 'plan-live'}};
		}
		default: {
			return nothing;
		}
	}
}

/**
 * The trace `t` opens, from what is selected: from a VM or a pod (the last destination traced offered), to a
 * service's DNS name (from the worker), run at once when both ends are known; else the last destination traced.
 */
function traceOfSelection(context: InputContext): TraceState {
	const {device, state, view} = context;
	const index = view.selectedSource;
	const recent = context.recentTrace ?? '';
	if (index !== undefined && state.focus === 'pods') {
		const service = device.services[index];
		if (service) {
			const destination = serviceDnsName(device.cluster, service);
			return {...newTrace, destination, traced: {destination, sourceIndex: newTrace.sourceIndex}};
		}
		const podIndex = index - device.services.length;
		if (device.pods[podIndex]) {
			const sourceIndex = traceSourceIndex({podIndex});
			return {...newTrace, destination: recent, sourceIndex, ...(recent === '' ? {} : {traced: {destination: recent, sourceIndex}})};
		}
	}
	if (index !== undefined && state.focus === 'vms') {
		const vm = vmOfRow(device, index);
		if (vm) {
			const sourceIndex = traceSourceIndex(vm.name);
			return {...newTrace, destination: recent, sourceIndex, ...(recent === '' ? {} : {traced: {destination: recent, sourceIndex}})};
		}
	}
	return {...newTrace, destination: recent};
}

/** What a key does on the panes. */
export function handleMainKey(context: InputContext, input: string, key: Key): Outcome {
	return runBinding('main', context, input, key, command => runCommand(context, command));
}

/** What the live VM's plan comes to once worked out: the confirmation listing the changes, or why there is nothing to do. */
export function planOutcome(plan: {readonly ok: true; readonly changes: readonly string[]} | {readonly ok: false; readonly message: string}): Outcome {
	if (!plan.ok) {
		return act(notify(plan.message, 'error'));
	}
	return plan.changes.length === 0 ? act(notify("the VM's kernel already matches the store")) : act({type: 'overlay-opened', overlay: {kind: 'confirm-apply', changes: plan.changes}});
}
