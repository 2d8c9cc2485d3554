import {describe, expect, test} from 'vitest';
import {computeLayout, shareLines, visibleRowCount} from '../../source/ui/layout.js';
import type {PaneId} from '../../source/view-models/pane-names.js';

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

	// The demo device's rows: 6 ports, 2 switches, 4 VM NICs, 12 pods and services, 1 route.
	const demoCounts = {ports: 6, switches: 2, vms: 4, pods: 12, routes: 1} as const;
	const heights = (columns: number, rows: number, counts: Record<PaneId, number>) => {
		const layout = computeLayout(columns, rows, 'routes', {rowCounts: pane => counts[pane]});
		// Narrowing by a throw, not a return: a layout of another kind fails here instead of passing unchecked.
		if (layout.kind !== 'full') {
			throw new Error(`expected the full layout, got ${layout.kind}`);
		}
		return layout;
	};

	test('at 120x40 every pane shows, rows filling the frame exactly, the lines shared by the rows each pane has', () => {
		const layout = heights(120, 40, demoCounts);
		// Ports (6 rows) and the switches and VMs (4) get all they need, the routes pane room for three routes, the pods 8 of their 12.
		expect(layout.rows.map(row => row.map(box => `${box.pane} ${box.width}x${box.height}`))).toEqual([
			['ports 119x10'],
			['switches 65x8', 'vms 54x8'],
			['pods 119x12'],
			['routes 119x7'],
		]);
		// Header and footer plus the panes: 39 lines, never the terminal's full 40.
		expect(2 + layout.rows.reduce((sum, row) => sum + row[0]!.height, 0)).toBe(39);
		for (const row of layout.rows) {
			expect(row.reduce((sum, box) => sum + box.width, 0)).toBe(119);
		}
	});

	test('no pane gets a line more than its rows need while another pane is cut', () => {
		const layout = heights(120, 40, {ports: 2, switches: 1, vms: 1, pods: 3, routes: 40});
		expect(layout.rows.map(row => row[0]!.height)).toEqual([6, 5, 7, 19]);
		const both = heights(120, 40, {ports: 6, switches: 2, vms: 4, pods: 50, routes: 50});
		// Ports and the middle row get what they need; pods and routes, both cut, share the rest evenly.
		expect(both.rows.map(row => row[0]!.height)).toEqual([10, 8, 10, 9]);
	});

	test('the routes pane keeps room for three routes however few there are', () => {
		expect(heights(120, 40, {ports: 6, switches: 2, vms: 4, pods: 500, routes: 0}).rows.map(row => row[0]!.height)).toEqual([10, 8, 12, 7]);
	});

	test('larger terminals give the lines no pane needs to the routes pane, where added routes show', () => {
		expect(heights(200, 60, demoCounts).rows.map(row => row[0]!.height)).toEqual([10, 8, 16, 23]);
	});

	test('shareLines: minimums first, then a line at a time to the lowest row still short, then the rest to the last', () => {
		expect(shareLines(20, [10, 3, 10], [2, 2, 2])).toEqual([9, 3, 8]);
		expect(shareLines(30, [10, 3, 10], [2, 2, 2])).toEqual([10, 3, 17]);
		expect(shareLines(6, [10, 3, 10], [2, 2, 2])).toEqual([2, 2, 2]);
	});

	test('a pane shows its height less borders, title and headings', () => {
		expect(visibleRowCount({pane: 'routes', width: 80, height: 10})).toBe(6);
	});
});
