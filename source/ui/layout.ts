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
	/** How many rows a pane has to show (after its filter); asked only when every pane shows. None when left out. */
	readonly rowCounts?: (pane: PaneId) => number;
};

/** Lines of a pane box that are not rows: two borders, the title and the column headings. */
const paneChrome = 4;

/** The rows the routes pane (the one that edits) keeps however few routes there are, so an added one shows. */
export const routesPaneMinimumRows = 3;

/**
 * The heights of stacked rows of boxes sharing `lines`: each gets its minimum, then the free lines go one at
 * a time to the lowest row still short of what it needs, so no row gets a line more than it needs while
 * another is cut. Lines nobody needs go to the last row.
 */
export function shareLines(lines: number, needs: readonly number[], minimums: readonly number[]): number[] {
	const heights = [...minimums];
	let free = lines - heights.reduce((sum, height) => sum + height, 0);
	while (free > 0) {
		let lowest = -1;
		for (const [index, height] of heights.entries()) {
			if (height < (needs[index] ?? 0) && (lowest === -1 || height < heights[lowest]!)) {
				lowest = index;
			}
		}
		if (lowest === -1) {
			break;
		}
		heights[lowest]!++;
		free--;
	}
	if (free > 0 && heights.length > 0) {
		heights[heights.length - 1]! += free;
	}
	return heights;
}

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
		// Each row of boxes needs the rows of its fullest pane; the routes pane keeps room for a few routes.
		const need = (...panes: PaneId[]) => paneChrome + Math.max(1, ...panes.map(pane => options.rowCounts?.(pane) ?? 0));
		const [ports, middle, pods, routes] = shareLines(
			body,
			[need('ports'), need('switches', 'vms'), need('pods'), need('routes')],
			[paneChrome + 1, paneChrome + 1, paneChrome + 1, paneChrome + routesPaneMinimumRows],
		) as [number, number, number, number];
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
	return Math.max(0, box.height - paneChrome);
}
