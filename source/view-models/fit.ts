/** Fitting display strings into terminal columns without cutting a character in half. */

import stringWidth from 'string-width';
import {sanitize} from './sanitize.js';

const segmenter = new Intl.Segmenter();

/** The text cut to at most `width` columns, ending in `…` when cut; whole graphemes only. */
export function truncate(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}
	if (stringWidth(text) <= width) {
		return text;
	}
	let result = '';
	let used = 0;
	for (const {segment} of segmenter.segment(text)) {
		const segmentWidth = stringWidth(segment);
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
	const fill = ' '.repeat(Math.max(0, width - stringWidth(cut)));
	return align === 'right' ? fill + cut : cut + fill;
}

/**
 * The widths of a table's columns: each as wide as its widest cell; when the line is too long the
 * rightmost columns give way first (down to 6 columns each), since a table's leftmost columns say what a row is.
 */
export function columnWidths(headings: readonly string[], rows: ReadonlyArray<readonly string[]>, available: number, gap = 2): number[] {
	const widths = headings.map((heading, index) => Math.max(stringWidth(heading), ...rows.map(row => stringWidth(row[index] ?? ''))));
	const minimum = 6;
	let excess = widths.reduce((sum, value) => sum + value, 0) + gap * Math.max(0, widths.length - 1) - available;
	for (let index = widths.length - 1; index >= 0 && excess > 0; index--) {
		const width = widths[index] ?? 0;
		const give = Math.min(excess, Math.max(0, width - minimum));
		widths[index] = width - give;
		excess -= give;
	}
	return widths;
}

/** One table line: sanitised cells fitted to their columns. */
export function fitRow(cells: readonly string[], widths: readonly number[], aligns: ReadonlyArray<'left' | 'right'> = [], gap = 2): string {
	return widths.map((width, index) => fit(sanitize(cells[index] ?? ''), width, aligns[index] ?? 'left')).join(' '.repeat(gap));
}

/** The text broken into lines of at most `width` columns, at spaces where it can be, inside words where it must. */
export function wrapText(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line === '' ? word : `${line} ${word}`;
		if (stringWidth(candidate) <= width) {
			line = candidate;
			continue;
		}
		if (line !== '') {
			lines.push(line);
		}
		let rest = word;
		while (stringWidth(rest) > width) {
			const head = truncate(rest, width + 1).slice(0, -1);
			lines.push(head);
			rest = rest.slice(head.length);
		}
		line = rest;
	}
	lines.push(line);
	return lines;
}
