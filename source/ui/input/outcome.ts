/**
 * What a key press comes to, for the pure per-mode input handlers: the UI actions to dispatch and at most
 * one effect for the dashboard to carry out (saving, quitting, the live VM, remembering a trace).
 */

import type {Key} from 'ink';
import type {Device} from '../../domain/device.js';
import type {RouteChange} from '../../domain/routes.js';
import type {EditGuard} from '../../domain/stale-edit.js';
import type {DeviceSnapshot} from '../contract.js';
import {type CommandId, type KeyContext, type Mode, resolveKey} from '../keymap.js';
import type {UiAction, UiState} from '../state.js';
import type {View} from '../view.js';

/** Something a key asks for that is more than a change of UI state. */
export type Effect =
	| {readonly kind: 'exit'}
	/** Saves a route change; `refused` gives the actions for a change the store refused. */
	| {
			readonly kind: 'save';
			readonly change: (device: Device) => RouteChange;
			readonly guard: EditGuard;
			readonly refused?: (current: DeviceSnapshot | undefined) => UiAction[];
			/** Whether the change takes back the last one saved here (`u`). */
			readonly undo?: boolean;
	  }
	| {readonly kind: 'plan-live'}
	| {readonly kind: 'apply-live'}
	| {readonly kind: 'remember-trace'; readonly destination: string};

/** What a key press comes to. */
export type Outcome = {readonly actions: readonly UiAction[]; readonly effect?: Effect};

/** Everything a handler decides from: the state, the view derived from it, the device and what the keymap needs. */
export type InputContext = {
	readonly state: UiState;
	readonly view: View;
	readonly device: Device;
	readonly revision: number;
	readonly keys: KeyContext;
	/** How many rows a page move goes. */
	readonly pageSize: number;
	/** The box an overlay is shown in, which its scrolling keys move through. */
	readonly overlaySize: {readonly width: number; readonly height: number};
	/** The destination last traced, offered when a trace opens. */
	readonly recentTrace?: string;
};

/** A key press that changes nothing. */
export const nothing: Outcome = {actions: []};

/** The outcome of some actions without an effect. */
export const act = (...actions: UiAction[]): Outcome => ({actions});

/** Shows a notice. */
export const notify = (text: string, tone: 'info' | 'error' = 'info'): UiAction => ({type: 'notice-shown', notice: {text, tone}});

/**
 * Resolves a key through the keymap in a mode and hands the command to the mode's handler; a disabled
 * binding says why in the status line instead.
 */
export function runBinding(mode: Mode, context: InputContext, input: string, key: Key, handle: (command: CommandId) => Outcome): Outcome {
	const resolved = resolveKey(mode, context.keys, input, key);
	if (!resolved) {
		return nothing;
	}
	if (resolved.disabledReason !== undefined) {
		return act(notify(resolved.disabledReason, 'error'));
	}
	return resolved.binding.command === 'interrupt' ? {actions: [], effect: {kind: 'exit'}} : handle(resolved.binding.command);
}

/** A text field after an erase or a typed character. */
export function editText(value: string, command: 'type' | 'erase', input: string): string {
	return command === 'erase' ? value.slice(0, -1) : value + input;
}
