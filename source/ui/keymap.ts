/**
 * The one table of keyboard bindings, for every mode of the dashboard: the panes, the form, the trace,
 * a confirmation, the help and details overlays, and the filter. The root input hook resolves keys
 * through it; the footer and the `?` help are generated from it. A binding that cannot work now says why.
 */

import type {Key} from 'ink';
import {type PaneId, paneIds, paneNames} from '../view-models/pane-names.js';
import {paneSortColumns, type SortColumnId, sortColumnIds, sortColumns} from '../view-models/pane-sorts.js';

export {type PaneId, paneIds} from '../view-models/pane-names.js';

/** Every command a key can run. */
export const commandIds = [
	'focus-next',
	'focus-previous',
	...paneIds.map(pane => `focus-${pane}` as const),
	'move-down',
	'move-up',
	'page-down',
	'page-up',
	'first',
	'last',
	'details',
	'filter',
	'clear-filter',
	'help',
	'quit',
	...sortColumnIds.map(column => `sort-${column}` as const),
	'filter-down',
	'filter-up',
	'route-add',
	'route-edit',
	'route-delete',
	'route-trace',
	'route-undo',
	'live-apply',
	'form-save',
	'form-next',
	'form-previous',
	'form-choose',
	'form-type',
	'form-erase',
	'cursor-left',
	'cursor-right',
	'cursor-home',
	'cursor-end',
	'delete-forward',
	'cut-to-start',
	'cut-word',
	'form-cancel',
	'trace-run',
	'trace-field',
	'trace-source',
	'trace-type',
	'trace-erase',
	'trace-source-type',
	'trace-source-erase',
	'trace-close',
	'confirm-yes',
	'confirm-no',
	'overlay-close',
	'scroll-down',
	'scroll-up',
	'scroll-page-down',
	'scroll-page-up',
	'scroll-top',
	'scroll-bottom',
	'trace-page-down',
	'trace-page-up',
	'filter-type',
	'filter-erase',
	'filter-keep',
	'filter-cancel',
	'interrupt',
] as const;

/** A command a key can run. */
export type CommandId = (typeof commandIds)[number];

/** What the keys are for at the moment: the panes, or the one view open over them. */
export const modes = ['main', 'form', 'trace', 'confirm', 'overlay', 'filter'] as const;

/** One of the dashboard's modes. */
export type Mode = (typeof modes)[number];

/** Where a binding works: a mode, the routes pane within the main mode, or every mode (`always`). */
export type Scope = Mode | 'routes' | 'always';

/** One key press a binding answers to: a named key, a character, any printable character (`text`), or any key no other binding takes (`other`). */
export type KeySpec = {
	readonly input?: string;
	readonly key?: 'tab' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'backspace' | 'delete' | 'home' | 'end';
	readonly shift?: boolean;
	readonly ctrl?: boolean;
	readonly text?: true;
	readonly other?: true;
};

/** What decides whether a binding is offered and whether it can work now. */
export type KeyContext = {
	readonly pane: PaneId;
	readonly readOnly: boolean;
	/** Why the dashboard is read-only, when not for `--read-only`. */
	readonly readOnlyReason?: string;
	readonly isLive: boolean;
	/** Whether a route is selected in the focused pane. */
	readonly hasRoute: boolean;
	/** Whether a route change saved from this dashboard can be taken back. */
	readonly canUndo?: boolean;
	/** Whether the focused pane has a filter. */
	readonly hasFilter: boolean;
	/** False when the focused pane shows no row (it has none, or its filter hides them all). */
	readonly hasRows?: boolean;
	/** The focused field of the form, when it is open. */
	readonly formField?: string;
	/** The focused field of the trace, when it is open. */
	readonly traceField?: 'destination' | 'source';
	/** Whether the open help, details or trace has more lines than it shows. */
	readonly overlayScrollable?: boolean;
};

/** A keyboard binding. */
export type Binding = {
	readonly command: CommandId;
	readonly scope: Scope;
	readonly keys: readonly KeySpec[];
	/** How the keys are written in the help. */
	readonly keyLabel: string;
	/** How the keys are written in the footer; the first key of `keyLabel` when left out. */
	readonly footerKey?: string;
	/** What the command does, for the help. */
	readonly description: string;
	/** The footer's word for it; bindings without one stay out of the footer. */
	readonly short?: string;
	/** How long the footer keeps it when short of room: `always` never goes, `low` goes first; `normal` when left out. */
	readonly footerPriority?: FooterPriority;
	/** Whether it changes the store or the system (disabled in read-only mode). */
	readonly mutates?: boolean;
	/** Whether it exists only with a live VM (`--live`). */
	readonly live?: boolean;
	/** When it is offered at all; always when left out. */
	readonly when?: (context: KeyContext) => boolean;
	/** Why it cannot work now, if it cannot. */
	readonly disabledReason?: (context: KeyContext) => string | undefined;
};

/** Why a key that changes the store does nothing in read-only mode. */
export const readOnlyReason = 'read-only: started with --read-only, so nothing in the store is changed';

/** Why a key that changes the store does nothing when this user may only read the store. */
export const storeReadOnlyReason = 'read-only: this store may only be read here (a read-only file system, or a store of another user)';

const noRoute = (context: KeyContext) => (context.hasRoute ? undefined : 'no route is selected');
const noRows = (context: KeyContext) => (context.hasRows === false ? 'the pane shows no row' : undefined);
const onInterface = (context: KeyContext) => context.formField === 'interface';
const onTextField = (context: KeyContext) => context.formField !== 'interface';
const erase: readonly KeySpec[] = [{key: 'backspace'}];
/** The line-editing keys of a text field, in the scope and for the fields they work in. */
const lineEditing = (scope: 'form' | 'trace', when: (context: KeyContext) => boolean): Binding[] => [
	{command: 'cursor-left', scope, keys: [{key: 'leftArrow'}], keyLabel: '←', description: 'move the cursor left', when},
	{command: 'cursor-right', scope, keys: [{key: 'rightArrow'}], keyLabel: '→', description: 'move the cursor right', when},
	{command: 'cursor-home', scope, keys: [{key: 'home'}, {input: 'a', ctrl: true}], keyLabel: 'Home Ctrl-A', description: 'move the cursor to the start', when},
	{command: 'cursor-end', scope, keys: [{key: 'end'}, {input: 'e', ctrl: true}], keyLabel: 'End Ctrl-E', description: 'move the cursor to the end', when},
	{command: 'delete-forward', scope, keys: [{key: 'delete'}], keyLabel: 'Delete', description: 'delete the character under the cursor', when},
	{command: 'cut-to-start', scope, keys: [{input: 'u', ctrl: true}], keyLabel: 'Ctrl-U', description: 'delete from the start to the cursor', when},
	{command: 'cut-word', scope, keys: [{input: 'w', ctrl: true}], keyLabel: 'Ctrl-W', description: 'delete the word before the cursor', when},
];
const scrollable = (context: KeyContext) => context.overlayScrollable === true;

/** The sort keys, k9s's way: Shift and a letter of the column (A and G are taken). */
const sortKeys: Readonly<Record<SortColumnId, string>> = {name: 'N', address: 'I', kind: 'K', 'external-ip': 'E', destination: 'D', 'prefix-length': 'L', 'next-hop': 'H', interface: 'P', metric: 'M', status: 'S'};

/** Every binding of the dashboard. */
export const bindings: readonly Binding[] = [
	{command: 'route-add', scope: 'routes', keys: [{input: 'a'}], keyLabel: 'a', description: 'add a route', short: 'add', mutates: true},
	{command: 'route-edit', scope: 'routes', keys: [{input: 'e'}], keyLabel: 'e', description: 'edit the selected route', short: 'edit', mutates: true, disabledReason: noRoute},
	{command: 'route-delete', scope: 'routes', keys: [{input: 'd'}], keyLabel: 'd', description: 'delete the selected route (asks first)', short: 'delete', mutates: true, disabledReason: noRoute},
	{command: 'route-trace', scope: 'main', keys: [{input: 't'}], keyLabel: 't', description: 'trace where traffic goes (from the selected VM or pod, to the selected service)', short: 'trace'},
	{command: 'route-undo', scope: 'routes', keys: [{input: 'u'}], keyLabel: 'u', description: 'undo the last route change made here (saved to the store like any change)', short: 'undo', mutates: true, disabledReason: context => (context.canUndo ? undefined : 'nothing changed here yet to undo')},
	{command: 'live-apply', scope: 'routes', keys: [{input: 'A'}], keyLabel: 'A', description: "make the VM's kernel match the store (lists the changes first)", short: 'apply', mutates: true, live: true},
	{command: 'focus-next', scope: 'main', keys: [{key: 'tab', shift: false}], keyLabel: 'Tab', description: 'focus the next pane', short: 'pane', footerPriority: 'low'},
	{command: 'focus-previous', scope: 'main', keys: [{key: 'tab', shift: true}], keyLabel: 'Shift-Tab', description: 'focus the previous pane'},
	...paneIds.map((pane, index): Binding => ({command: `focus-${pane}`, scope: 'main', keys: [{input: String(index + 1)}], keyLabel: String(index + 1), description: `focus ${paneNames[pane].title}`})),
	{command: 'move-down', scope: 'main', keys: [{key: 'downArrow'}, {input: 'j'}], keyLabel: '↓ j', description: 'select the next row', short: 'move', footerPriority: 'low', disabledReason: noRows},
	{command: 'move-up', scope: 'main', keys: [{key: 'upArrow'}, {input: 'k'}], keyLabel: '↑ k', description: 'select the previous row', disabledReason: noRows},
	{command: 'page-down', scope: 'main', keys: [{key: 'pageDown'}], keyLabel: 'PgDn', description: 'move down a page', disabledReason: noRows},
	{command: 'page-up', scope: 'main', keys: [{key: 'pageUp'}], keyLabel: 'PgUp', description: 'move up a page', disabledReason: noRows},
	{command: 'first', scope: 'main', keys: [{input: 'g'}, {key: 'home'}], keyLabel: 'g Home', description: 'select the first row', disabledReason: noRows},
	{command: 'last', scope: 'main', keys: [{input: 'G'}, {key: 'end'}], keyLabel: 'G End', description: 'select the last row', disabledReason: noRows},
	{command: 'details', scope: 'main', keys: [{key: 'return'}], keyLabel: 'Enter', description: "show the selected item's details", short: 'details', disabledReason: noRows},
	{command: 'filter', scope: 'main', keys: [{input: '/'}], keyLabel: '/', description: 'filter the focused pane by its names and addresses (routes: destination and interface)', short: 'filter'},
	{command: 'clear-filter', scope: 'main', keys: [{key: 'escape'}], keyLabel: 'Esc', description: "clear the focused pane's filter", when: context => context.hasFilter},
	{command: 'help', scope: 'main', keys: [{input: '?'}], keyLabel: '?', description: 'show the keys', short: 'help', footerPriority: 'always'},
	{command: 'quit', scope: 'main', keys: [{input: 'q'}], keyLabel: 'q', description: 'quit', short: 'quit', footerPriority: 'always'},
	...sortColumnIds.map(
		(column): Binding => ({
			command: `sort-${column}`,
			scope: 'main',
			keys: [{input: sortKeys[column]}],
			keyLabel: sortKeys[column],
			description: `sort by ${sortColumns[column].order}; again to reverse`,
			short: 'sort',
			footerPriority: 'low',
			when: context => paneSortColumns[context.pane].includes(column),
		}),
	),
	{command: 'filter-down', scope: 'filter', keys: [{key: 'downArrow'}], keyLabel: '↓', description: 'keep the filter and select the next row of the results'},
	{command: 'filter-up', scope: 'filter', keys: [{key: 'upArrow'}], keyLabel: '↑', description: 'keep the filter and select the previous row of the results'},
	{command: 'form-save', scope: 'form', keys: [{key: 'return'}], keyLabel: 'Enter', description: 'save the route (a route the rules refuse is not saved)', short: 'save'},
	{command: 'form-next', scope: 'form', keys: [{key: 'tab', shift: false}, {key: 'downArrow'}], keyLabel: 'Tab ↓', description: 'go to the next field', short: 'next field'},
	{command: 'form-previous', scope: 'form', keys: [{key: 'tab', shift: true}, {key: 'upArrow'}], keyLabel: 'Shift-Tab ↑', description: 'go to the previous field', short: 'previous'},
	{command: 'form-choose', scope: 'form', keys: [{key: 'leftArrow'}, {key: 'rightArrow'}, {input: ' '}], keyLabel: '← → Space', footerKey: '←/→', description: 'choose the interface', short: 'interface', when: onInterface},
	{command: 'form-type', scope: 'form', keys: [{text: true}], keyLabel: 'type', description: 'type into the field', when: onTextField},
	{command: 'form-erase', scope: 'form', keys: erase, keyLabel: 'Backspace', description: 'erase the character before the cursor', when: onTextField},
	...lineEditing('form', onTextField),
	{command: 'form-cancel', scope: 'form', keys: [{key: 'escape'}], keyLabel: 'Esc', description: 'close the form, changing nothing', short: 'cancel'},
	{command: 'trace-run', scope: 'trace', keys: [{key: 'return'}], keyLabel: 'Enter', description: 'trace the destination from the source', short: 'trace'},
	{command: 'trace-field', scope: 'trace', keys: [{key: 'tab'}, {key: 'upArrow'}, {key: 'downArrow'}], keyLabel: 'Tab ↑ ↓', description: 'switch between the destination and the source', short: 'switch field'},
	{command: 'trace-source', scope: 'trace', keys: [{key: 'leftArrow'}, {key: 'rightArrow'}], keyLabel: '← →', footerKey: '←/→', description: 'choose the source', short: 'source', when: context => context.traceField === 'source'},
	{command: 'trace-type', scope: 'trace', keys: [{text: true}], keyLabel: 'type', description: 'type an address or a service name', when: context => context.traceField === 'destination'},
	{command: 'trace-erase', scope: 'trace', keys: erase, keyLabel: 'Backspace', description: 'erase the character before the cursor', when: context => context.traceField === 'destination'},
	...lineEditing('trace', context => context.traceField === 'destination'),
	{command: 'trace-source-type', scope: 'trace', keys: [{text: true}], keyLabel: 'type', description: 'find a source by name (← → go through the matches)', when: context => context.traceField === 'source'},
	{command: 'trace-source-erase', scope: 'trace', keys: [{key: 'backspace'}], keyLabel: 'Backspace', description: 'erase the last character of the search', when: context => context.traceField === 'source'},
	{command: 'trace-page-down', scope: 'trace', keys: [{key: 'pageDown'}], keyLabel: 'PgDn', description: 'scroll the answer down a page', short: 'scroll', when: scrollable},
	{command: 'trace-page-up', scope: 'trace', keys: [{key: 'pageUp'}], keyLabel: 'PgUp', description: 'scroll the answer up a page', when: scrollable},
	{command: 'trace-close', scope: 'trace', keys: [{key: 'escape'}], keyLabel: 'Esc', description: 'close the trace', short: 'close'},
	{command: 'confirm-yes', scope: 'confirm', keys: [{input: 'y'}, {input: 'Y'}], keyLabel: 'y', description: 'go ahead', short: 'yes'},
	{command: 'confirm-no', scope: 'confirm', keys: [{other: true}], keyLabel: 'any other key', footerKey: 'any other key', description: 'leave everything as it is', short: 'no'},
	{command: 'scroll-down', scope: 'overlay', keys: [{key: 'downArrow'}, {input: 'j'}], keyLabel: '↓ j', footerKey: '↑/↓', description: 'scroll down a line', short: 'scroll', when: scrollable},
	{command: 'scroll-up', scope: 'overlay', keys: [{key: 'upArrow'}, {input: 'k'}], keyLabel: '↑ k', description: 'scroll up a line', when: scrollable},
	{command: 'scroll-page-down', scope: 'overlay', keys: [{key: 'pageDown'}, {input: ' '}], keyLabel: 'PgDn Space', description: 'scroll down a page', when: scrollable},
	{command: 'scroll-page-up', scope: 'overlay', keys: [{key: 'pageUp'}], keyLabel: 'PgUp', description: 'scroll up a page', when: scrollable},
	{command: 'scroll-top', scope: 'overlay', keys: [{input: 'g'}, {key: 'home'}], keyLabel: 'g Home', description: 'scroll to the top', when: scrollable},
	{command: 'scroll-bottom', scope: 'overlay', keys: [{input: 'G'}, {key: 'end'}], keyLabel: 'G End', description: 'scroll to the end', when: scrollable},
	{command: 'overlay-close', scope: 'overlay', keys: [{key: 'escape'}, {key: 'return'}, {input: 'q'}, {input: '?'}], keyLabel: 'Esc Enter q ?', description: 'close this view', short: 'close'},
	{command: 'filter-type', scope: 'filter', keys: [{text: true}], keyLabel: 'type', description: 'keep the rows that contain the text', short: 'to filter'},
	{command: 'filter-erase', scope: 'filter', keys: [{key: 'backspace'}, {key: 'delete'}], keyLabel: 'Backspace', description: 'erase the last character'},
	{command: 'filter-keep', scope: 'filter', keys: [{key: 'return'}], keyLabel: 'Enter', description: 'keep the filter and go back to the rows', short: 'keep'},
	{command: 'filter-cancel', scope: 'filter', keys: [{key: 'escape'}], keyLabel: 'Esc', description: 'clear the filter', short: 'clear'},
	{command: 'interrupt', scope: 'always', keys: [{input: 'c', ctrl: true}], keyLabel: 'Ctrl-C', description: 'quit at once, from any view'},
];

/** The scopes whose bindings work in a mode, most particular first. */
export function scopesOf(mode: Mode, pane: PaneId): Scope[] {
	return mode === 'main' ? [...(pane === 'routes' ? (['routes'] as const) : []), 'main', 'always'] : [mode, 'always'];
}

/** Why a binding cannot work now, if it cannot. */
export function disabledReasonOf(binding: Binding, context: KeyContext): string | undefined {
	return context.readOnly && binding.mutates ? (context.readOnlyReason ?? readOnlyReason) : binding.disabledReason?.(context);
}

/** The bindings offered in a mode now, most particular scope first; disabled ones included. */
export function activeBindings(mode: Mode, context: KeyContext): Binding[] {
	const offered = (binding: Binding) => (context.isLive || !binding.live) && (binding.when?.(context) ?? true);
	return scopesOf(mode, context.pane).flatMap(scope => bindings.filter(binding => binding.scope === scope && offered(binding)));
}

/** Whether a key press is a printable character, as typed into a text field. */
export function isPrintable(input: string, key: Key): boolean {
	return input.length > 0 && !key.ctrl && !key.meta && !/[\u0000-\u001F\u007F]/.test(input);
}

function matches(spec: KeySpec, input: string, key: Key): boolean {
	if (spec.other) {
		return true;
	}
	if (spec.text) {
		return isPrintable(input, key);
	}
	if (spec.ctrl !== undefined && spec.ctrl !== key.ctrl) {
		return false;
	}
	if (spec.key !== undefined) {
		return key[spec.key] && (spec.shift === undefined || spec.shift === key.shift);
	}
	return !(key.ctrl && !spec.ctrl) && spec.input === input;
}

/** What a key press comes to in a mode: the binding it runs, and why that does nothing now if it is disabled. */
export type ResolvedKey = {readonly binding: Binding; readonly disabledReason?: string};

/** The binding a key press runs: named keys and characters first, then text entry, then `any other key`. */
export function resolveKey(mode: Mode, context: KeyContext, input: string, key: Key): ResolvedKey | undefined {
	const active = activeBindings(mode, context);
	const kinds: Array<(spec: KeySpec) => boolean> = [spec => !spec.text && !spec.other, spec => spec.text === true, spec => spec.other === true];
	for (const isKind of kinds) {
		const binding = active.find(candidate => candidate.keys.some(spec => isKind(spec) && matches(spec, input, key)));
		if (binding) {
			const disabledReason = disabledReasonOf(binding, context);
			return disabledReason === undefined ? {binding} : {binding, disabledReason};
		}
	}
	return undefined;
}

/** One entry of the footer. */
export type FooterHint = {readonly keys: string; readonly label: string; readonly priority: FooterPriority};

/** How long the footer keeps a hint when it is short of room. */
export type FooterPriority = 'always' | 'normal' | 'low';

/** The footer: the short labels of the bindings that work now, most particular first; a disabled binding is left out, and bindings side by side with one label (the sort keys) are one entry, `D/M/S sort`. */
export function footerHints(mode: Mode, context: KeyContext): FooterHint[] {
	const hints: FooterHint[] = [];
	for (const binding of activeBindings(mode, context)) {
		if (binding.short === undefined || disabledReasonOf(binding, context) !== undefined) {
			continue;
		}
		const keys = binding.footerKey ?? binding.keyLabel.split(' ')[0] ?? binding.keyLabel;
		const last = hints.at(-1);
		if (last?.label === binding.short) {
			hints[hints.length - 1] = {...last, keys: `${last.keys}/${keys}`};
		} else {
			hints.push({keys, label: binding.short, priority: binding.footerPriority ?? 'normal'});
		}
	}
	return hints;
}

/** One line of the help. */
export type HelpLine = {readonly keys: string; readonly description: string; readonly scope: Scope; readonly disabledReason?: string};

/** The help: every binding offered in a mode, with its keys, its description and why it does nothing now, if it does not. */
export function helpLines(mode: Mode, context: KeyContext): HelpLine[] {
	return activeBindings(mode, context).map(binding => {
		const disabledReason = disabledReasonOf(binding, context);
		return {keys: binding.keyLabel, description: binding.description, scope: binding.scope, ...(disabledReason === undefined ? {} : {disabledReason})};
	});
}

/** The binding of a command. */
export function bindingOf(command: CommandId): Binding {
	return bindings.find(binding => binding.command === command)!;
}
