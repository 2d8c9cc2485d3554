/** Keys in the trace: type the destination, choose the source, run the trace or close it. Pure. */

import type {Key} from 'ink';
import {matchingSources} from '../view.js';
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
				const query = trace.sourceQuery ?? '';
				if (query === '') {
					return act({type: 'trace-source-cycled', delta: key.leftArrow ? -1 : 1, count: view.sources.length});
				}
				// With a search typed, ← → go through its matches only.
				const matches = matchingSources(view.sources, query);
				const at = matches.indexOf(trace.sourceIndex);
				const next = matches[(at + (key.leftArrow ? -1 : 1) + matches.length) % matches.length];
				return next === undefined ? nothing : act({type: 'trace-source-set', sourceIndex: next, query});
			}
			case 'trace-source-type':
			case 'trace-source-erase': {
				const query = command === 'trace-source-erase' ? (trace.sourceQuery ?? '').slice(0, -1) : `${trace.sourceQuery ?? ''}${input}`;
				const [first] = query === '' ? [] : matchingSources(view.sources, query);
				return act({type: 'trace-source-set', sourceIndex: first ?? trace.sourceIndex, query});
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
