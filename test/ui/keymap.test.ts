import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import {bindings, commandIds, footerHints, helpLines, paneIds, resolveKey} from '../../source/ui/keymap.js';

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
} as Key;

describe('the keymap', () => {
	test('every command has exactly one binding with keys and a description', () => {
		expect(bindings.map(binding => binding.command).sort()).toEqual([...commandIds].sort());
		for (const binding of bindings) {
			expect(binding.keys.length).toBeGreaterThan(0);
			expect(binding.description.length).toBeGreaterThan(0);
		}
	});

	test('every binding of a pane appears in its help', () => {
		for (const pane of paneIds) {
			const help = helpLines(pane, false).map(line => line.description);
			for (const binding of bindings.filter(candidate => !candidate.live && (candidate.scope === 'global' || (pane === 'routes' && candidate.scope === 'routes')))) {
				expect(help).toContain(binding.description);
			}
		}
	});

	test('the footer of the routes pane lists its own keys first', () => {
		expect(footerHints('routes', false).map(hint => `${hint.keys} ${hint.label}`).join('  ')).toBe(
			'a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit',
		);
	});

	test('the footer of the other panes has no route keys', () => {
		expect(footerHints('ports', false).map(hint => `${hint.keys} ${hint.label}`).join('  ')).toBe('Tab pane  ↓ move  Enter details  / filter  ? help  q quit');
	});

	test('read-only withholds every key that changes the store', () => {
		expect(footerHints('routes', true).map(hint => hint.label)).toEqual(['trace', 'pane', 'move', 'details', 'filter', 'help', 'quit']);
		expect(helpLines('routes', true).map(line => line.keys)).not.toContain('a');
		expect(resolveKey('routes', true, 'a', noKey)).toBeUndefined();
		expect(resolveKey('routes', true, 'd', noKey)).toBeUndefined();
		expect(resolveKey('routes', false, 'a', noKey)).toBe('route-add');
	});

	test('the live apply key is offered only with a live VM, and never read-only', () => {
		expect(resolveKey('routes', false, 'A', {...noKey, shift: true})).toBeUndefined();
		expect(resolveKey('routes', false, 'A', {...noKey, shift: true}, true)).toBe('live-apply');
		expect(resolveKey('routes', true, 'A', {...noKey, shift: true}, true)).toBeUndefined();
		expect(footerHints('routes', false, true).map(hint => hint.label)).toContain('apply');
		expect(helpLines('routes', false, true).map(line => line.keys)).toContain('A');
	});

	test('keys resolve in the focused pane', () => {
		expect(resolveKey('ports', false, 'a', noKey)).toBeUndefined();
		expect(resolveKey('ports', false, 'j', noKey)).toBe('move-down');
		expect(resolveKey('ports', false, '', {...noKey, downArrow: true})).toBe('move-down');
		expect(resolveKey('ports', false, '', {...noKey, tab: true})).toBe('focus-next');
		expect(resolveKey('ports', false, '', {...noKey, tab: true, shift: true})).toBe('focus-previous');
		expect(resolveKey('ports', false, 'c', {...noKey, ctrl: true})).toBe('quit');
		expect(resolveKey('ports', false, 'G', {...noKey, shift: true})).toBe('last');
		expect(resolveKey('vms', false, '5', noKey)).toBe('focus-routes');
	});
});
