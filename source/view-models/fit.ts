/** Fitting display strings into terminal columns without cutting a character in half. */

import {sanitize} from './sanitize.js';
import {displayWidth, isPrintableAscii, widestCells} from './text-table.js';

const segmenter = new Intl.Segmenter();

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
	for (const {segment} of segmenter.segment(text)) {
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

/**
 * The widths of a table's columns: each as wide as its widest cell. When the line is too long, the widest
 * ordinary column gives way first, down to 16; then optional columns (their values are in the details) are
 * hidden from the right; then ordinary columns go down to 6; addresses (`essential` columns) are cut last.
 */
export function columnWidths(
	columns: ReadonlyArray<{readonly heading: string; readonly essential?: boolean; readonly optional?: boolean}>,
	rows: ReadonlyArray<readonly string[]>,
	available: number,
	gap = 2,
): number[] {
	const widths = widestCells(columns, rows);
	const excess = () => widths.reduce((sum, value) => sum + value, 0) + gap * Math.max(0, widths.filter(width => width > 0).length - 1) - available;
	const shrink = (essential: boolean, floor: number) => {
		let over = excess();
		while (over > 0) {
			let widest = -1;
			for (const [index, column] of columns.entries()) {
				const width = widths[index] ?? 0;
				if (Boolean(column.essential) === essential && width > floor && (widest === -1 || width > (widths[widest] ?? 0))) {
					widest = index;
				}
			}
			if (widest === -1) {
				return;
			}
			widths[widest] = (widths[widest] ?? 0) - 1;
			over--;
		}
	};
	shrink(false, 16);
	for (let index = columns.length - 1; index >= 0 && excess() > 0; index--) {
		if (columns[index]?.optional) {
			widths[index] = 0;
		}
	}
	shrink(false, 6);
	shrink(true, 6);
	return widths;
}

/** One table line: sanitised cells fitted to their columns; a column of width 0 is hidden. */
export function fitRow(cells: readonly string[], widths: readonly number[], aligns: ReadonlyArray<'left' | 'right'> = [], gap = 2): string {
	return widths
		.flatMap((width, index) => (width > 0 ? [fit(sanitize(cells[index] ?? ''), width, aligns[index] ?? 'left')] : []))
		.join(' '.repeat(gap));
}

/** The text broken into lines of at most `width` columns, at spaces where it can be, inside words where it must. */
export function wrapText(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line === '' ? word : `${line} ${word}`;
		if (displayWidth(candidate) <= width) {
			line = candidate;
			continue;
		}
		if (line !== '') {
			lines.push(line);
		}
		let rest = word;
		while (displayWidth(rest) > width) {
			const head = truncate(rest, width + 1).slice(0, -1);
			lines.push(head);
			rest = rest.slice(head.length);
		}
		line = rest;
	}
	lines.push(line);
	return lines;
}
