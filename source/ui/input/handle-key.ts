/** The one entry of key handling: which mode the dashboard is in, what the keymap needs to know, and the mode's handler. Pure. */

import type {Key} from 'ink';
import type {KeyContext, Mode} from '../keymap.js';
import type {UiState} from '../state.js';
import type {View} from '../view.js';
import {handleFormKey} from './form-input.js';
import {handleMainKey} from './main-input.js';
import {handleConfirmKey, handleFilterKey, handleOverlayKey} from './modal-input.js';
import type {InputContext, Outcome} from './outcome.js';
import {handleTraceKey} from './trace-input.js';

/** The mode the keys are in. */
export function modeOf(state: UiState): Mode {
	switch (state.overlay.kind) {
		case 'form':
		case 'trace': {
			return state.overlay.kind;
		}
		case 'confirm-delete':
		case 'confirm-apply': {
			return 'confirm';
		}
		case 'help':
		case 'details': {
			return 'overlay';
		}
		case 'none': {
			return state.filtering ? 'filter' : 'main';
		}
	}
}

/** What the keymap needs to know of the dashboard now. */
export function keyContextOf(state: UiState, view: View, readOnly: boolean, isLive: boolean): KeyContext {
	const {overlay} = state;
	return {
		pane: state.focus,
		readOnly,
		isLive,
		hasRoute: view.selectedRoute !== undefined,
		hasFilter: state.filters[state.focus] !== '',
		hasRows: view.focused.shownCount > 0,
		canUndo: state.undo.length > 0,
		...(overlay.kind === 'form' ? {formField: overlay.form.focus} : {}),
		...(overlay.kind === 'trace' ? {traceField: overlay.trace.focus} : {}),
	};
}

const handlers: Record<Mode, (context: InputContext, input: string, key: Key) => Outcome> = {
	main: handleMainKey,
	form: handleFormKey,
	trace: handleTraceKey,
	confirm: handleConfirmKey,
	overlay: handleOverlayKey,
	filter: handleFilterKey,
};

/** What a key press comes to: any key but one typed into the filter clears the notice first. */
export function handleKey(context: InputContext, input: string, key: Key): Outcome {
	const outcome = handlers[modeOf(context.state)](context, input, key);
	return context.state.notice && !context.state.filtering ? {...outcome, actions: [{type: 'notice-cleared'}, ...outcome.actions]} : outcome;
}
