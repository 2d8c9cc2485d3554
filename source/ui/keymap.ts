/**
 * The one table of keyboard bindings. The root input hook resolves keys through it (focused pane first,
 * then global); the footer and the `?` help are generated from it.
 */

import type {Key} from 'ink';

/** Every command a key can run. */
export const commandIds = [
	'focus-next',
	'focus-previous',
	'focus-ports',
	'focus-switches',
	'focus-vms',
	'focus-pods',
	'focus-routes',
	'move-down',
	'move-up',
	'page-down',
	'page-up',
	'first',
	'last',
	'details',
	'filter',
	'help',
	'quit',
	'route-add',
	'route-edit',
	'route-delete',
	'route-trace',
	'live-apply',
] as const;

export type CommandId = (typeof commandIds)[number];

/** The panes, in focus order (keys 1-5). */
export const paneIds = ['ports', 'switches', 'vms', 'pods', 'routes'] as const;

export type PaneId = (typeof paneIds)[number];

/** Where a binding works: everywhere, or only with the routes pane focused. */
export type Scope = 'global' | 'routes';

/** One key press a binding answers to. */
export type KeySpec = {
	readonly input?: string;
	readonly key?: 'tab' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'return' | 'home' | 'end';
	readonly shift?: boolean;
	readonly ctrl?: boolean;
};

/** A keyboard binding. */
export type Binding = {
	readonly command: CommandId;
	readonly keys: readonly KeySpec[];
	/** How the keys are written in the help. */
	readonly keyLabel: string;
	readonly scope: Scope;
	/** What the command does, for the help. */
	readonly description: string;
	/** The footer's word for it; bindings without one stay out of the footer. */
	readonly short?: string;
	/** Whether it changes the store or the system (withheld in read-only mode). */
	readonly mutates: boolean;
	/** Whether it works only with a live VM (`--live`). */
	readonly live?: boolean;
};

/** Every binding of the dashboard. */
export const bindings: readonly Binding[] = [
	{command: 'focus-next', keys: [{key: 'tab', shift: false}], keyLabel: 'Tab', scope: 'global', description: 'focus the next pane', short: 'pane', mutates: false},
	{command: 'focus-previous', keys: [{key: 'tab', shift: true}], keyLabel: 'Shift-Tab', scope: 'global', description: 'focus the previous pane', mutates: false},
	{command: 'focus-ports', keys: [{input: '1'}], keyLabel: '1', scope: 'global', description: 'focus Ports', mutates: false},
	{command: 'focus-switches', keys: [{input: '2'}], keyLabel: '2', scope: 'global', description: 'focus Virtual switches', mutates: false},
	{command: 'focus-vms', keys: [{input: '3'}], keyLabel: '3', scope: 'global', description: 'focus Kubernetes VMs', mutates: false},
	{command: 'focus-pods', keys: [{input: '4'}], keyLabel: '4', scope: 'global', description: 'focus Pods & services', mutates: false},
	{command: 'focus-routes', keys: [{input: '5'}], keyLabel: '5', scope: 'global', description: 'focus Custom routes', mutates: false},
	{command: 'move-down', keys: [{key: 'downArrow'}, {input: 'j'}], keyLabel: '↓ j', scope: 'global', description: 'select the next row', short: 'move', mutates: false},
	{command: 'move-up', keys: [{key: 'upArrow'}, {input: 'k'}], keyLabel: '↑ k', scope: 'global', description: 'select the previous row', mutates: false},
	{command: 'page-down', keys: [{key: 'pageDown'}], keyLabel: 'PgDn', scope: 'global', description: 'move down a page', mutates: false},
	{command: 'page-up', keys: [{key: 'pageUp'}], keyLabel: 'PgUp', scope: 'global', description: 'move up a page', mutates: false},
	{command: 'first', keys: [{input: 'g'}, {key: 'home'}], keyLabel: 'g Home', scope: 'global', description: 'select the first row', mutates: false},
	{command: 'last', keys: [{input: 'G'}, {key: 'end'}], keyLabel: 'G End', scope: 'global', description: 'select the last row', mutates: false},
	{command: 'details', keys: [{key: 'return'}], keyLabel: 'Enter', scope: 'global', description: "show the selected item's details", short: 'details', mutates: false},
	{command: 'filter', keys: [{input: '/'}], keyLabel: '/', scope: 'global', description: 'filter the focused pane (Esc clears)', short: 'filter', mutates: false},
	{command: 'route-add', keys: [{input: 'a'}], keyLabel: 'a', scope: 'routes', description: 'add a route', short: 'add', mutates: true},
	{command: 'route-edit', keys: [{input: 'e'}], keyLabel: 'e', scope: 'routes', description: 'edit the selected route', short: 'edit', mutates: true},
	{command: 'route-delete', keys: [{input: 'd'}], keyLabel: 'd', scope: 'routes', description: 'delete the selected route (asks first)', short: 'delete', mutates: true},
	{command: 'route-trace', keys: [{input: 't'}], keyLabel: 't', scope: 'routes', description: 'trace where traffic to an address goes', short: 'trace', mutates: false},
	{command: 'live-apply', keys: [{input: 'A'}], keyLabel: 'A', scope: 'routes', description: "make the VM's kernel match the store (lists the changes first)", short: 'apply', mutates: true, live: true},
	{command: 'help', keys: [{input: '?'}], keyLabel: '?', scope: 'global', description: 'show the keys', short: 'help', mutates: false},
	{command: 'quit', keys: [{input: 'q'}, {input: 'c', ctrl: true}], keyLabel: 'q Ctrl-C', scope: 'global', description: 'quit', short: 'quit', mutates: false},
];

/** The scope of a pane's own bindings. */
export function scopeOf(pane: PaneId): Scope | undefined {
	return pane === 'routes' ? 'routes' : undefined;
}

/** The bindings that work now: the focused pane's first, then the global ones; read-only mode withholds the mutating ones. */
export function activeBindings(pane: PaneId, readOnly: boolean, live = false): Binding[] {
	const scope = scopeOf(pane);
	const usable = (binding: Binding) => !(readOnly && binding.mutates) && (live || !binding.live);
	return [...bindings.filter(binding => binding.scope === scope && usable(binding)), ...bindings.filter(binding => binding.scope === 'global' && usable(binding))];
}

function matches(spec: KeySpec, input: string, key: Key): boolean {
	if (spec.ctrl !== undefined && spec.ctrl !== key.ctrl) {
		return false;
	}
	if (spec.key !== undefined) {
		if (!key[spec.key]) {
			return false;
		}
		return spec.shift === undefined || spec.shift === key.shift;
	}
	if (!spec.ctrl && key.ctrl) {
		return false;
	}
	return spec.input === input;
}

/** The command a key press runs in the focused pane, if any. */
export function resolveKey(pane: PaneId, readOnly: boolean, input: string, key: Key, live = false): CommandId | undefined {
	return activeBindings(pane, readOnly, live).find(binding => binding.keys.some(spec => matches(spec, input, key)))?.command;
}

/** The footer: the short labels of the bindings that work now, focused pane's first. */
export function footerHints(pane: PaneId, readOnly: boolean, live = false): Array<{readonly keys: string; readonly label: string}> {
	return activeBindings(pane, readOnly, live)
		.filter(binding => binding.short !== undefined)
		.map(binding => ({keys: binding.keyLabel.split(' ')[0] ?? binding.keyLabel, label: binding.short!}));
}

/** The help: every binding that works now, with its keys and description. */
export function helpLines(pane: PaneId, readOnly: boolean, live = false): Array<{readonly keys: string; readonly description: string; readonly scope: Scope}> {
	return activeBindings(pane, readOnly, live).map(binding => ({keys: binding.keyLabel, description: binding.description, scope: binding.scope}));
}
