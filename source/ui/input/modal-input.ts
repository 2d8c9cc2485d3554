/** Keys in the small modes: a confirmation, the help and details overlays, and the filter being typed. Pure. */

import type {Key} from 'ink';
import {removeRoute} from '../../domain/routes.js';
import type {CommandId} from '../keymap.js';
import {overlayWindow} from '../overlay-scroll.js';
import {clearFilter} from './main-input.js';
import {act, editText, type InputContext, nothing, notify, type Outcome, runBinding} from './outcome.js';

/** What a key does while a confirmation is asked: y goes ahead, any other key leaves everything as it is. */
export function handleConfirmKey(context: InputContext, input: string, key: Key): Outcome {
	const {overlay} = context.state;
	return runBinding('confirm', context, input, key, command => {
		const yes = command === 'confirm-yes';
		if (overlay.kind === 'confirm-delete') {
			const {key: target, revision, snapshot} = overlay;
			return yes
				? {actions: [{type: 'overlay-closed'}], effect: {kind: 'save', change: current => removeRoute(current, target), guard: {revision, key: target, snapshot}}}
				: act({type: 'overlay-closed'}, notify('not deleted'));
		}
		if (overlay.kind === 'confirm-apply') {
			return yes ? {actions: [{type: 'overlay-closed'}], effect: {kind: 'apply-live'}} : act({type: 'overlay-closed'}, notify('not applied: the kernel is unchanged'));
		}
		return nothing;
	});
}

/** Where a scrolling key takes the open overlay: a line, a page, the top or the end of what there is to see. */
export function scrollTarget(context: InputContext, command: CommandId): number | undefined {
	const window = overlayWindow(context.state, context.view, context.keys, context.overlaySize);
	if (!window) {
		return undefined;
	}
	const page = Math.max(1, window.room - 1);
	const targets: Partial<Record<CommandId, number>> = {
		'scroll-down': window.scroll + 1,
		'scroll-up': window.scroll - 1,
		'scroll-page-down': window.scroll + page,
		'trace-page-down': window.scroll + page,
		'scroll-page-up': window.scroll - page,
		'trace-page-up': window.scroll - page,
		'scroll-top': 0,
		'scroll-bottom': window.maxScroll,
	};
	const target = targets[command];
	return target === undefined ? undefined : Math.max(0, Math.min(window.maxScroll, target));
}

/** What a key does in the help or the details: scrolling them, and closing them. */
export function handleOverlayKey(context: InputContext, input: string, key: Key): Outcome {
	return runBinding('overlay', context, input, key, command => {
		if (command === 'overlay-close') {
			return act({type: 'overlay-closed'});
		}
		const to = scrollTarget(context, command);
		return to === undefined ? nothing : act({type: 'overlay-scrolled', to});
	});
}

/** What a key does while the focused pane's filter is typed: Esc clears it (the selected row staying selected), Enter keeps it, ↓ and ↑ keep it and move into the results. */
export function handleFilterKey(context: InputContext, input: string, key: Key): Outcome {
	const {state, view} = context;
	return runBinding('filter', context, input, key, command => {
		switch (command) {
			case 'filter-cancel': {
				return act(clearFilter(view));
			}
			case 'filter-keep': {
				return act({type: 'filter-closed', keep: true});
			}
			case 'filter-down':
			case 'filter-up': {
				return act({type: 'filter-closed', keep: true}, {type: 'selection-moved', delta: command === 'filter-down' ? 1 : -1, count: view.focused.shownCount});
			}
			case 'filter-type':
			case 'filter-erase': {
				return act({type: 'filter-typed', text: editText(state.filters[state.focus], command === 'filter-erase' ? 'erase' : 'type', input)});
			}
			default: {
				return nothing;
			}
		}
	});
}
