/** Keys in the add/edit form: move between fields, edit them, choose the interface, save or cancel. Pure. */

import type {Key} from 'ink';
import {type RouteField, routablePorts, routeFields} from '../../domain/route-checks.js';
import {findRoute} from '../../domain/route-context.js';
import {addRoute, updateRoute} from '../../domain/routes.js';
import {act, type InputContext, nothing, notify, type Outcome, runBinding} from './outcome.js';
import {cursorOf, editAt, textEditOf} from './text-edit.js';

/** What a key does in the form. */
export function handleFormKey(context: InputContext, input: string, key: Key): Outcome {
	const {state, device, view} = context;
	const form = state.overlay.kind === 'form' ? state.overlay.form : undefined;
	const check = view.formCheck;
	if (!form || !check) {
		return nothing;
	}
	return runBinding('form', context, input, key, command => {
		switch (command) {
			case 'form-cancel': {
				return act({type: 'overlay-closed'}, notify('cancelled: nothing changed'));
			}
			case 'form-save': {
				if (!check.ok) {
					// Say what blocks the save, and go to the first field that does.
					const first = routeFields.find(field => check.errors[field] !== undefined);
					const reason = first === undefined ? undefined : check.errors[first];
					return act({type: 'form-refused', ...(first === undefined ? {} : {focus: first})}, notify(`not saved: ${reason ?? 'the route breaks the rules'}`, 'error'));
				}
				const {fields, original, revision, snapshot} = form;
				const routeKey = original ?? {interface: check.route.interface, destinationPrefix: check.route.destinationPrefix};
				return {
					actions: [],
					effect: {
						kind: 'save',
						change: current => (original ? updateRoute(current, original, fields) : addRoute(current, fields)),
						guard: {revision, key: routeKey, snapshot},
						refused: current => [{type: 'form-refused'}, ...(current ? [{type: 'form-rebased', revision: current.revision, snapshot: findRoute(current.device, routeKey) ?? null} as const] : [])],
					},
				};
			}
			case 'form-next':
			case 'form-previous': {
				return act({type: 'form-focus-moved', delta: command === 'form-next' ? 1 : -1});
			}
			case 'form-choose': {
				// Only the ports a route can go on are offered; the form says why the others are not.
				const usable = routablePorts(device);
				const names = (usable.length > 0 ? usable : device.ports).map(port => port.name);
				const index = names.indexOf(form.fields.interface);
				const next = names[(index + (key.leftArrow ? -1 : 1) + names.length) % names.length] ?? form.fields.interface;
				return act({type: 'form-edited', field: 'interface', value: next});
			}
			default: {
				const edit = textEditOf(command);
				if (edit === undefined) {
					return nothing;
				}
				const field: RouteField = form.focus;
				const edited = editAt({text: form.fields[field], cursor: cursorOf(form.fields[field], form.cursor)}, edit, input);
				return act({type: 'form-edited', field, value: edited.text, cursor: edited.cursor});
			}
		}
	});
}
