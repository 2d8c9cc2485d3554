/** Fitting display strings into terminal columns without cutting a character in half. */

import {sanitize} from './sanitize.js';
import {displayWidth, graphemesOf, isPrintableAscii, widestCells} from './text-table.js';

/** The text cut to at most `width` columns, ending in `…` when cut; whole graphemes only. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}
	if (displayWidth(text) <= width) {
		return text;
	}
	if (isPrintableAscii(text)) {
		return `${text.slice(0, width - 1)}…`;
	}
	let result = '';
	let used = 0;
	for (const {segment} of graphemesOf(text)) {
		const segmentWidth = displayWidth(segment);
		if (used + segmentWidth > width - 1) {
			break;
		}
		result += segment;
		used += segmentWidth;
	}
	return `${result}…`;
}

/** The text padded or cut to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = truncate(text, width);
	const fill = ' '.repeat(Math.max(0, width - displayWidth(cut)));
	return align === 'right' ? fill + cut : cut + fill;
}

/** A column as far as its width goes: its heading, and how readily it gives way (see TextColumn). */
type SizedColumn = {readonly heading: string; readonly essential?: boolean; readonly optional?: boolean};

/** An ordinary column is cut down to this before an optional column is hidden. */
const comfortableWidth = 16;

/** The narrowest width at which the different values stay different once cut (at least 1). */
function distinctWidth(values: readonly string[]): number {
	const unique = [...new Set(values)];
	const isDistinct = (width: number) => new Set(unique.map(value => truncate(value, width))).size === unique.length;
	let low = 1;
	let high = Math.max(1, ...unique.map(value => displayWidth(value)));
	while (low < high) {
		const middle = Math.floor((low + high) / 2);
		if (isDistinct(middle)) {
			high = middle;
		} else {
			low = middle + 1;
		}
	}
	return low;
}

/**
 * The widths of a table's columns for the rows in view: each as wide as its widest cell or heading. When the
 * line is too long, what loses least gives way first:
 * 1. a column with nothing in view but its heading is hidden, from the right;
 * 2. ordinary columns are cut, down to 16, the one whose next cut shortens the fewest cells first (the widest of equals);
 * 3. optional columns (their values are in the details) are hidden from the right, unless that would leave two
 *    different rows looking the same;
 * 4. ordinary columns are cut down to their floor, then essential ones (addresses) down to theirs;
 * 5. only then below the floors.
 * A column's floor is its heading (never cut) and the width that keeps its different values different, so two
 * rows never look the same while the floors hold. Room a hidden column leaves over brings a hidden optional
 * column back, cut to fit (an essential one only whole).
 */
export function columnWidths(columns: readonly SizedColumn[], rows: ReadonlyArray<readonly string[]>, available: number, gap = 2): number[] {
	const natural = widestCells(columns, rows);
	const total = (widths: readonly number[]) => {
		const shown = widths.filter(width => width > 0);
		return shown.reduce((sum, width) => sum + width, 0) + gap * Math.max(0, shown.length - 1);
	};
	if (total(natural) <= available) {
		return natural;
	}
	const indexes = columns.map((_, index) => index);
	const cells = indexes.map(index => rows.map(row => row[index] ?? ''));
	// Each column's cell widths, widest first: how many cells a cut shortens is a search, not a scan.
	const cellWidths = cells.map(column => column.map(cell => displayWidth(cell)).sort((a, b) => b - a));
	const floors = indexes.map(index => Math.min(natural[index]!, Math.max(displayWidth(columns[index]!.heading), distinctWidth(cells[index]!))));
	const isBlank = (index: number) => (cellWidths[index]![0] ?? 0) === 0;
	const isEssential = (index: number) => columns[index]!.essential === true;
	const isOptional = (index: number) => columns[index]!.optional === true;
	/** How many cells of a column a cut from `width` to one less shortens. */
	const shortened = (index: number, width: number) => {
		const column = cellWidths[index]!;
		let low = 0;
		let high = column.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (column[middle]! >= width) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}
		return low;
	};
	const cut = (widths: number[], gives: (index: number) => boolean, limit: (index: number) => number) => {
		let over = total(widths) - available;
		while (over > 0) {
			let best = -1;
			let bestHurt = 0;
			for (const index of indexes) {
				const width = widths[index]!;
				if (width === 0 || width <= limit(index) || !gives(index)) {
					continue;
				}
				const hurt = shortened(index, width);
				if (best === -1 || hurt < bestHurt || (hurt === bestHurt && width > widths[best]!)) {
					best = index;
					bestHurt = hurt;
				}
			}
			if (best === -1) {
				return;
			}
			widths[best]!--;
			over--;
		}
	};
	const hidden = new Set<number>();
	const isOrdinary = (index: number) => !isEssential(index) && !isOptional(index);
	/** The widths with the hidden columns hidden, cut as far as a stage allows and no further than needed. */
	const widthsAt = (stage: 0 | 1 | 2 | 3) => {
		const widths = natural.map((width, index) => (hidden.has(index) ? 0 : width));
		if (stage >= 1) {
			cut(widths, isOrdinary, index => Math.max(floors[index]!, Math.min(natural[index]!, comfortableWidth)));
		}
		if (stage >= 2) {
			cut(widths, isOrdinary, index => floors[index]!);
			cut(widths, index => !isOptional(index), index => floors[index]!);
		}
		if (stage >= 3) {
			cut(widths, index => !isEssential(index), () => 1);
			cut(widths, () => true, () => 1);
		}
		return widths;
	};
	const fits = (widths: readonly number[]) => total(widths) <= available;
	const rightToLeft = (keep: (index: number) => boolean) => indexes.filter(index => keep(index)).reverse();
	/** How many rows look different with only the columns `shown` shown (cut no further than their floors). */
	const differentRows = (shown: (index: number) => boolean) => new Set(rows.map(row => JSON.stringify(indexes.filter(index => shown(index)).map(index => row[index] ?? '')))).size;
	const allDifferent = differentRows(() => true);

	for (const index of rightToLeft(isBlank)) {
		if (fits(widthsAt(0))) {
			break;
		}
		hidden.add(index);
	}
	let widths = widthsAt(1);
	for (const index of rightToLeft(index => isOptional(index) && !hidden.has(index))) {
		if (fits(widths)) {
			break;
		}
		if (differentRows(other => other !== index && !hidden.has(other)) === allDifferent) {
			hidden.add(index);
			widths = widthsAt(1);
		}
	}
	if (!fits(widths)) {
		widths = widthsAt(2);
	}
	if (!fits(widths)) {
		widths = widthsAt(3);
	}
	for (const index of indexes) {
		const room = available - total(widths) - gap;
		if (hidden.has(index) && !isBlank(index) && room >= (isEssential(index) ? natural[index]! : floors[index]!)) {
			widths[index] = Math.min(natural[index]!, room);
		}
	}
	return widths;
}

/** One table line: sanitised cells fitted to their columns; a column of width 0 is hidden. */
export function fitRow(cells: readonly string[], widths: readonly number[], aligns: ReadonlyArray<'left' | 'right'> = [], gap = 2): string {
	return widths
		.flatMap((width, index) => (width > 0 ? [fit(sanitize(cells[index] ?? ''), width, aligns[index] ?? 'left')] : []))
		.join(' '.repeat(gap));
}

