/**
 * Where the panes go for a terminal size. Pure: tested at 80x24 and larger.
 * The frame is always one line shorter than the terminal: a frame of the terminal's full height makes
 * Ink clear the whole screen on every render.
 */

import type {PaneId} from '../view-models/pane-names.js';

/** The smallest terminal the dashboard lays out in. */
export const minimumSize = {columns: 80, rows: 24} as const;

/** The size from which all five panes show at once. */
export const fullSize = {columns: 120, rows: 40} as const;

/** One pane's box, borders included. */
export type PaneBox = {readonly pane: PaneId; readonly width: number; readonly height: number};

/** Where the panes go: too small to lay out, every pane at once, or the focused pane under tabs. */
export type Layout =
	| {readonly kind: 'too-small'; readonly message: string; readonly width: number}
	/** All panes, in rows of boxes. */
	| {readonly kind: 'full'; readonly width: number; readonly rows: ReadonlyArray<readonly PaneBox[]>}
	/** One pane large under a line of tabs naming them all. */
	| {readonly kind: 'compact'; readonly width: number; readonly pane: PaneBox};

/** Lines the header and the footer take. */
export const chromeLines = 2;

/** What else decides the layout besides the terminal's size and the focused pane. */
export type LayoutOptions = {
	/** Lines taken above the panes besides the header (a banner). */
	readonly reservedLines?: number;
};

/** The message shown instead of the dashboard: the terminal's size beside the smallest it lays out in. */
export function tooSmallMessage(columns: number, rows: number): string {
	return `terminal too small: ${columns}x${rows}, need at least ${minimumSize.columns}x${minimumSize.rows}`;
}

/** Lays the dashboard out for a terminal of the given size, with the given pane focused. */
export function computeLayout(columns: number, rows: number, focused: PaneId, options: LayoutOptions = {}): Layout {
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return {kind: 'too-small', message: tooSmallMessage(columns, rows), width: Math.max(1, columns - 1)};
	}
	// Leave the last column and the last line alone: writing the last cell makes some terminals scroll.
	const width = columns - 1;
	const body = rows - 1 - chromeLines - (options.reservedLines ?? 0);
	if (columns >= fullSize.columns && rows >= fullSize.rows) {
		// Ports and switches fit their rows exactly; pods and routes share what is left, routes (the pane that edits) the larger half.
		const ports = 10;
		const middle = 8;
		const pods = Math.floor((body - ports - middle) / 2);
		const routes = body - ports - middle - pods;
		const switchesWidth = Math.floor(width * 0.55);
		return {
			kind: 'full',
			width,
			rows: [
				[{pane: 'ports', width, height: ports}],
				[
					{pane: 'switches', width: switchesWidth, height: middle},
					{pane: 'vms', width: width - switchesWidth, height: middle},
				],
				[{pane: 'pods', width, height: pods}],
				[{pane: 'routes', width, height: routes}],
			],
		};
	}
	return {kind: 'compact', width, pane: {pane: focused, width, height: body - 1}};
}

/** How many data rows a pane box shows: the box less its two borders, the title line and the column heading. */
export function visibleRowCount(box: PaneBox): number {
	return Math.max(0, box.height - 4);
}
