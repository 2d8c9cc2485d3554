/** Keys in the small modes: a confirmation, the help and details overlays, and the filter being typed. Pure. */

import type {Key} from 'ink';
import {removeRoute} from '../../domain/routes.js';
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

/** What a key does in the help or the details: only closing them. */
export function handleOverlayKey(context: InputContext, input: string, key: Key): Outcome {
	return runBinding('overlay', context, input, key, command => (command === 'overlay-close' ? act({type: 'overlay-closed'}) : nothing));
}

/** What a key does while the focused pane's filter is typed. */
export function handleFilterKey(context: InputContext, input: string, key: Key): Outcome {
	const {state} = context;
	return runBinding('filter', context, input, key, command => {
		switch (command) {
			case 'filter-cancel': {
				return act({type: 'filter-closed', keep: false});
			}
			case 'filter-keep': {
				return act({type: 'filter-closed', keep: true});
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
