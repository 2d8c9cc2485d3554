/** Keys in the trace: type the destination, choose the source, run the trace or close it. Pure. */

import type {Key} from 'ink';
import {scrollTarget} from './modal-input.js';
import {act, type InputContext, nothing, type Outcome, runBinding} from './outcome.js';
import {cursorOf, editAt, textEditOf} from './text-edit.js';

/** What a key does in the trace. */
export function handleTraceKey(context: InputContext, input: string, key: Key): Outcome {
	const {state, view} = context;
	if (state.overlay.kind !== 'trace') {
		return nothing;
	}
	const {trace} = state.overlay;
	return runBinding('trace', context, input, key, command => {
		switch (command) {
			case 'trace-close': {
				return act({type: 'overlay-closed'});
			}
			case 'trace-run': {
				const destination = trace.destination.trim();
				return {actions: [{type: 'trace-submitted'}], ...(destination === '' ? {} : {effect: {kind: 'remember-trace', destination}})};
			}
			case 'trace-page-down':
			case 'trace-page-up': {
				const to = scrollTarget(context, command);
				return to === undefined ? nothing : act({type: 'overlay-scrolled', to});
			}
			case 'trace-field': {
				return act({type: 'trace-focus-toggled'});
			}
			case 'trace-source': {
				return act({type: 'trace-source-cycled', delta: key.leftArrow ? -1 : 1, count: view.sources.length});
			}
			default: {
				const edit = textEditOf(command);
				if (edit === undefined) {
					return nothing;
				}
				const edited = editAt({text: trace.destination, cursor: cursorOf(trace.destination, trace.cursor)}, edit, input);
				return act({type: 'trace-edited', destination: edited.text, cursor: edited.cursor});
			}
		}
	});
}
