import {describe, expect, test} from 'vitest';
import {activeBindings, bindings, commandIds, footerHints, helpLines, type KeyContext, modes, paneIds, readOnlyReason, resolveKey} from '../../source/ui/keymap.js';
import {noKey, pressOf} from '../support/keys.js';


const routes: KeyContext = {pane: 'routes', readOnly: false, isLive: false, hasRoute: true, hasFilter: false};
const footer = (...args: Parameters<typeof footerHints>) => footerHints(...args).map(hint => `${hint.keys} ${hint.label}`).join('  ');
const command = (...args: Parameters<typeof resolveKey>) => resolveKey(...args)?.binding.command;

/** Every context a mode's bindings depend on: each pane, read-only or not, live or not, with and without a selected route and a filter, each field of the form and the trace. */
const contexts: KeyContext[] = paneIds.flatMap(pane =>
	[false, true].flatMap(readOnly =>
		[false, true].flatMap(isLive =>
			[false, true].flatMap(hasRoute =>
				[false, true].flatMap(hasFilter =>
					['interface', 'destinationPrefix', 'nextHop', 'metric'].flatMap(formField =>
						(['destination', 'source'] as const).map(traceField => ({pane, readOnly, isLive, hasRoute, hasFilter, formField, traceField})),
					),
				),
			),
		),
	),
);


describe('the keymap', () => {
	test('every command has a binding with keys and a description; one bound in several modes has the same keys in each', () => {
		expect([...new Set(bindings.map(binding => binding.command))].sort()).toEqual([...commandIds].sort());
		for (const command of commandIds) {
			const bound = bindings.filter(binding => binding.command === command);
			expect(new Set(bound.map(binding => binding.scope)).size).toBe(bound.length);
			expect(new Set(bound.map(binding => JSON.stringify(binding.keys))).size).toBe(1);
		}
		for (const binding of bindings) {
			expect(binding.keys.length).toBeGreaterThan(0);
			expect(binding.description.length).toBeGreaterThan(0);
		}
	});

	test('no two bindings offered together share a key, in any mode and any context: each key of each binding, pressed, is that binding', () => {
		for (const mode of modes) {
			for (const context of contexts) {
				for (const binding of activeBindings(mode, context)) {
					// Typed text and "any other key" are what is left once every named key is taken.
					for (const spec of binding.keys.filter(candidate => !candidate.text && !candidate.other)) {
						expect(command(mode, context, ...pressOf(spec)), `${mode} ${JSON.stringify(context)} ${JSON.stringify(spec)}`).toBe(binding.command);
					}
				}
			}
		}
	});

	test('the help of the routes pane lists its keys, then the panes', () => {
		expect(helpLines('main', routes).map(line => line.keys)).toEqual(['a', 'e', 'd', 'u', 't', 'Tab', 'Shift-Tab', '1', '2', '3', '4', '5', '↓ j', '↑ k', 'PgDn', 'PgUp', 'g Home', 'G End', 'Enter', '/', '?', 'q', 'D', 'L', 'H', 'P', 'M', 'S', 'Ctrl-C']);
		expect(helpLines('main', {...routes, pane: 'ports'}).map(line => line.keys)).not.toContain('a');
		expect(helpLines('main', {...routes, hasFilter: true}).map(line => line.description)).toContain("clear the focused pane's filter");
	});

	test('the footer of the routes pane lists its own keys first; undo once there is a change of this dashboard to take back', () => {
		expect(footer('main', routes)).toBe('a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort');
		expect(footer('main', {...routes, canUndo: true})).toBe('a add  e edit  d delete  u undo  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort');
	});

	test('the footer of the other panes has no route keys, and traces from what is selected there', () => {
		expect(footer('main', {...routes, pane: 'ports'})).toBe('t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  N/I sort');
	});

	test('each mode has a footer of its own keys only', () => {
		expect(footer('form', {...routes, formField: 'destinationPrefix'})).toBe('Enter save  Tab next field  Shift-Tab previous  Esc cancel');
		expect(footer('form', {...routes, formField: 'interface'})).toBe('Enter save  Tab next field  Shift-Tab previous  ←/→ interface  Esc cancel');
		expect(footer('trace', {...routes, traceField: 'destination'})).toBe('Enter trace  Tab switch field  Esc close');
		expect(footer('trace', {...routes, traceField: 'source'})).toBe('Enter trace  Tab switch field  ←/→ source  Esc close');
		expect(footer('confirm', routes)).toBe('y yes  any other key no');
		expect(footer('overlay', routes)).toBe('Esc close');
		expect(footer('filter', routes)).toBe('type to filter  Enter keep  Esc clear');
		for (const mode of modes.filter(candidate => candidate !== 'main')) {
			expect(footer(mode, routes)).not.toMatch(/a add|e edit|d delete/);
		}
	});

	test('read-only hides every key that changes the store, and a key pressed all the same says why', () => {
		const readOnly = {...routes, readOnly: true};
		expect(footerHints('main', readOnly).map(hint => hint.label)).toEqual(['trace', 'pane', 'move', 'details', 'filter', 'help', 'quit', 'sort']);
		for (const input of ['a', 'e', 'd']) {
			expect(resolveKey('main', readOnly, input, noKey)?.disabledReason).toBe(readOnlyReason);
		}
		expect(helpLines('main', readOnly).find(line => line.keys === 'a')?.disabledReason).toBe(readOnlyReason);
		expect(resolveKey('main', routes, 'a', noKey)).toEqual({binding: expect.objectContaining({command: 'route-add'})});
	});

	test('on an empty routes pane edit and delete leave the footer and say why when pressed', () => {
		const empty = {...routes, hasRoute: false};
		expect(footer('main', empty)).toBe('a add  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort');
		expect(resolveKey('main', empty, 'e', noKey)?.disabledReason).toBe('no route is selected');
		expect(resolveKey('main', empty, 'd', noKey)?.disabledReason).toBe('no route is selected');
	});

	test('each pane offers Shift and a letter for each column it sorts by, one footer entry for them all', () => {
		const sortKeysOf = (pane: KeyContext['pane']) => footerHints('main', {...routes, pane}).find(hint => hint.label === 'sort')?.keys;
		expect(paneIds.map(pane => sortKeysOf(pane))).toEqual(['N/I', 'N/I/K', 'N/I', 'N/I/K/E', 'D/L/H/P/M/S']);
		expect(command('main', routes, 'M', {...noKey, shift: true})).toBe('sort-metric');
		expect(command('main', {...routes, pane: 'pods'}, 'M', {...noKey, shift: true})).toBeUndefined();
		expect(command('main', {...routes, pane: 'pods'}, 'N', {...noKey, shift: true})).toBe('sort-name');
		// The lower-case letters stay what they were.
		expect(command('main', routes, 'd', noKey)).toBe('route-delete');
		expect(helpLines('main', routes).find(line => line.keys === 'D')?.description).toBe('sort by destination: address, then prefix length, numerically; again to reverse');
	});

	test('in the filter, ↓ and ↑ go into the results and Enter keeps the filter; capitals are typed', () => {
		expect(command('filter', routes, '', {...noKey, downArrow: true})).toBe('filter-down');
		expect(command('filter', routes, '', {...noKey, upArrow: true})).toBe('filter-up');
		expect(command('filter', routes, '', {...noKey, return: true})).toBe('filter-keep');
		expect(command('filter', routes, 'M', {...noKey, shift: true})).toBe('filter-type');
	});

	test('the live apply key is offered only with a live VM, and disabled read-only', () => {
		const shifted = {...noKey, shift: true};
		expect(command('main', routes, 'A', shifted)).toBeUndefined();
		expect(command('main', {...routes, isLive: true}, 'A', shifted)).toBe('live-apply');
		expect(resolveKey('main', {...routes, isLive: true, readOnly: true}, 'A', shifted)?.disabledReason).toBe(readOnlyReason);
		expect(footerHints('main', {...routes, isLive: true}).map(hint => hint.label)).toContain('apply');
	});

	test('keys resolve in the focused pane', () => {
		const ports = {...routes, pane: 'ports' as const};
		expect(command('main', ports, 'a', noKey)).toBeUndefined();
		expect(command('main', ports, 'j', noKey)).toBe('move-down');
		expect(command('main', ports, '', {...noKey, downArrow: true})).toBe('move-down');
		expect(command('main', ports, '', {...noKey, tab: true})).toBe('focus-next');
		expect(command('main', ports, '', {...noKey, tab: true, shift: true})).toBe('focus-previous');
		expect(command('main', ports, 'G', {...noKey, shift: true})).toBe('last');
		expect(command('main', {...routes, pane: 'vms'}, '5', noKey)).toBe('focus-routes');
	});

	test('Ctrl-C quits in every mode, even where any other key answers a question', () => {
		for (const mode of modes) {
			expect(command(mode, {...routes, formField: 'nextHop', traceField: 'destination'}, 'c', {...noKey, ctrl: true})).toBe('interrupt');
		}
		expect(command('confirm', routes, 'n', noKey)).toBe('confirm-no');
		expect(command('confirm', routes, 'y', noKey)).toBe('confirm-yes');
	});

	test('typed characters go into the field being edited; the interface field takes ←, → and Space instead', () => {
		expect(command('form', {...routes, formField: 'nextHop'}, ' ', noKey)).toBe('form-type');
		expect(command('form', {...routes, formField: 'interface'}, ' ', noKey)).toBe('form-choose');
		expect(command('form', {...routes, formField: 'interface'}, 'x', noKey)).toBeUndefined();
		expect(command('filter', routes, 'q', noKey)).toBe('filter-type');
		// On the source field, typing finds a source by name.
		expect(command('trace', {...routes, traceField: 'source'}, 'x', noKey)).toBe('trace-source-type');
	});
});
