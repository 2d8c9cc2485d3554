import {describe, expect, test} from 'vitest';
import {computeLayout, visibleRowCount} from '../../source/ui/layout.js';

describe('computeLayout', () => {
	test('below 80x24 there is only the message, naming the size the terminal has beside the one it needs', () => {
		expect(computeLayout(79, 30, 'routes')).toEqual({kind: 'too-small', message: 'terminal too small: 79x30, need at least 80x24', width: 78});
		expect(computeLayout(100, 23, 'routes')).toMatchObject({kind: 'too-small', message: 'terminal too small: 100x23, need at least 80x24'});
		expect(computeLayout(40, 10, 'ports')).toMatchObject({message: 'terminal too small: 40x10, need at least 80x24'});
	});

	test("a banner takes a line from the panes, not from the terminal's size", () => {
		expect(computeLayout(80, 24, 'pods', {reservedLines: 1})).toEqual({kind: 'compact', width: 79, pane: {pane: 'pods', width: 79, height: 19}});
		expect(computeLayout(120, 40, 'pods', {reservedLines: 1}).kind).toBe('full');
	});

	test('at 80x24 the focused pane takes the body under the tabs, one line short of the terminal', () => {
		expect(computeLayout(80, 24, 'pods')).toEqual({kind: 'compact', width: 79, pane: {pane: 'pods', width: 79, height: 20}});
	});

	test('at 120x40 every pane shows, rows filling the frame exactly', () => {
		const layout = computeLayout(120, 40, 'routes');
		// Narrowing by a throw, not a return: a layout of another kind fails here instead of passing unchecked.
		if (layout.kind !== 'full') {
			throw new Error(`expected the full layout, got ${layout.kind}`);
		}
		expect(layout.rows.map(row => row.map(box => `${box.pane} ${box.width}x${box.height}`))).toEqual([
			['ports 119x10'],
			['switches 65x8', 'vms 54x8'],
			['pods 119x9'],
			['routes 119x10'],
		]);
		// Header and footer plus the panes: 39 lines, never the terminal's full 40.
		expect(2 + layout.rows.reduce((sum, row) => sum + row[0]!.height, 0)).toBe(39);
		for (const row of layout.rows) {
			expect(row.reduce((sum, box) => sum + box.width, 0)).toBe(119);
		}
	});

	test('larger terminals give the extra lines to pods and routes', () => {
		const layout = computeLayout(200, 60, 'routes');
		expect(layout.kind === 'full' && layout.rows.map(row => row[0]!.height)).toEqual([10, 8, 19, 20]);
	});

	test('a pane shows its height less borders, title and headings', () => {
		expect(visibleRowCount({pane: 'routes', width: 80, height: 10})).toBe(6);
	});
});
