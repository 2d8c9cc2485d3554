import {createRequire} from 'node:module';
import {sanitize} from './sanitize.js';

let wideWidth: ((text: string) => number) | undefined;

/** Whether the text is printable ASCII only: one column, and one grapheme, a character. */
export function isPrintableAscii(text: string): boolean {
	return /^[\u0020-\u007E]*$/.test(text);
}

/**
 * Terminal columns of a cell. Printable ASCII is one column a character; anything else (wide CJK,
 * emoji, combining marks) is measured by string-width, loaded only then: most commands never need it.
 */
export function displayWidth(text: string): number {
	if (isPrintableAscii(text)) {
		return text.length;
	}
	wideWidth ??= (createRequire(import.meta.url)('string-width') as {default: (text: string) => number}).default;
	return wideWidth(text);
}

/** A piece of text no line breaks inside, and the spaces before it as the text has them (none after a comma inside a word). */
type Piece = {readonly text: string; readonly before: string};

/** The pieces of a text: its words, each also broken after a comma (`53/UDP,53/TCP` may wrap after `53/UDP,`). */
function piecesOf(text: string): Piece[] {
	const pieces: Piece[] = [];
	for (const [, before = '', word = ''] of text.trim().matchAll(/( *)([^ ]+)/g)) {
		word.split(/(?<=,)(?=.)/).forEach((part, index) => {
			pieces.push({text: part, before: index === 0 ? before : ''});
		});
	}
	return pieces;
}

let segmenter: Intl.Segmenter | undefined;

/** The text's graphemes (what a person sees as one character). The segmenter is made on first use: making it costs several milliseconds, which a command that cuts no text need not pay. */
export function graphemesOf(text: string): Iterable<{readonly segment: string}> {
	segmenter ??= new Intl.Segmenter();
	return segmenter.segment(text);
}

/** A piece longer than a whole line, cut into lines of `width` columns, between whole graphemes. */
function cut(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const {segment} of graphemesOf(text)) {
		if (line !== '' && displayWidth(line + segment) > width) {
			lines.push(line);
			line = '';
		}
		line += segment;
	}
	return line === '' ? lines : [...lines, line];
}

/**
 * Breaks text into lines of at most `width` columns, at spaces and after commas; a word longer than a
 * line is cut between graphemes. Spaces inside a line stay as they are; those at a break go. Empty text is
 * one empty line.
 */
export function wrapText(text: string, width: number): string[] {
	const limit = Math.max(1, width);
	if (displayWidth(text) <= limit) {
		return [text];
	}
	const lines: string[] = [];
	let line = '';
	for (const piece of piecesOf(text)) {
		const joined = line === '' ? piece.text : `${line}${piece.before}${piece.text}`;
		if (displayWidth(joined) <= limit) {
			line = joined;
			continue;
		}
		if (line !== '') {
			lines.push(line);
		}
		const chunks = displayWidth(piece.text) > limit ? cut(piece.text, limit) : [piece.text];
		lines.push(...chunks.slice(0, -1));
		line = chunks.at(-1) ?? '';
	}
	return line === '' && lines.length > 0 ? lines : [...lines, line];
}

/** Text wrapped to fit `width` columns after an indent: the first line after `first`, the others after as many spaces (a hanging indent). */
export function wrapIndented(text: string, width: number, first: string): string[] {
	const rest = ' '.repeat(displayWidth(first));
	return wrapText(text, width - rest.length).map((line, index) => `${index === 0 ? first : rest}${line}`);
}

/** A column of a plain-text table: its heading and how its cells align. */
export type TextColumn = {
	readonly heading: string;
	readonly align?: 'left' | 'right';
	/** An address or other value that is cut only when nothing else can give way. */
	readonly essential?: boolean;
	/** A column a narrow pane may hide (its value is in the row's details). */
	readonly optional?: boolean;
	/**
	 * Text that a plain-text table of limited width wraps within its column, or, when the column cannot
	 * have the width of its longest word, prints on a line of its own under each row (`pods: …`).
	 */
	readonly wrap?: boolean;
};

/** Each column's width: its widest cell or heading (one pass, however many rows). */
export function widestCells(columns: readonly TextColumn[], rows: ReadonlyArray<readonly string[]>): number[] {
	return columns.map((column, index) => {
		let widest = displayWidth(column.heading);
		for (const row of rows) {
			widest = Math.max(widest, displayWidth(row[index] ?? ''));
		}
		return widest;
	});
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
	const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
	return align === 'right' ? fill + text : text + fill;
}

/** The width of a cell's longest piece that no line break goes inside: the narrowest a wrapped column can be. */
function longestPiece(text: string): number {
	let longest = 0;
	for (const piece of piecesOf(text)) {
		longest = Math.max(longest, displayWidth(piece.text));
	}
	return longest;
}

/** The most lines a wrapped cell may take in the grid; a column with a taller one stands under its rows instead. */
const maxWrappedLines = 3;

type Fit = {readonly widths: readonly number[]; readonly inGrid: ReadonlySet<number>; readonly below: readonly number[]};

/**
 * How a table too wide for `width` fits it: each wrapped column's width in the grid, and the wrapped
 * columns moved under the rows. Wrapped columns leave the grid from the right until the others' words fit
 * (one that then fits again comes back); what width is left goes to those in the grid, up to their widest
 * cells. A column whose text would still take more than `maxWrappedLines` lines leaves too.
 */
function fitWidths(columns: readonly TextColumn[], cells: ReadonlyArray<readonly string[]>, natural: readonly number[], width: number): Fit {
	const wrapped = columns.flatMap((column, index) => (column.wrap ? [index] : []));
	const narrowest = new Map(
		wrapped.map(index => {
			let longest = displayWidth(columns[index]!.heading);
			for (const row of cells) {
				longest = Math.max(longest, longestPiece(row[index] ?? ''));
			}
			return [index, Math.min(longest, natural[index] ?? 0)];
		}),
	);
	const least = (index: number) => narrowest.get(index) ?? natural[index] ?? 0;
	const fit = (tall: ReadonlySet<number>): Fit => {
		const inGrid = new Set(columns.flatMap((_, index) => (tall.has(index) ? [] : [index])));
		const gridWidth = (widthOf: (index: number) => number) => [...inGrid].reduce((sum, index) => sum + widthOf(index), 0) + 2 * (inGrid.size - 1);
		for (const index of [...wrapped].reverse()) {
			if (gridWidth(least) <= width) {
				break;
			}
			inGrid.delete(index);
		}
		// A column that left for a wider one to its right may fit once that one has gone too.
		for (const index of wrapped) {
			if (!inGrid.has(index) && !tall.has(index)) {
				inGrid.add(index);
				if (gridWidth(least) > width) {
					inGrid.delete(index);
				}
			}
		}
		const widths = columns.map((_, index) => (inGrid.has(index) ? least(index) : 0));
		let spare = width - gridWidth(index => widths[index] ?? 0);
		for (const index of wrapped) {
			if (inGrid.has(index) && spare > 0) {
				const grown = Math.min(natural[index] ?? 0, (widths[index] ?? 0) + spare);
				spare -= grown - (widths[index] ?? 0);
				widths[index] = grown;
			}
		}
		return {widths, inGrid, below: wrapped.filter(index => !inGrid.has(index))};
	};
	const tall = new Set<number>();
	for (;;) {
		const layout = fit(tall);
		const tallest = [...wrapped].reverse().find(index => layout.inGrid.has(index) && cells.some(row => wrapText(row[index] ?? '', layout.widths[index] ?? 1).length > maxWrappedLines));
		if (tallest === undefined) {
			return layout;
		}
		tall.add(tallest);
	}
}

/**
 * Lays rows out as aligned plain-text columns under their headings, two spaces apart. Every cell is
 * sanitised. Given a `width` the table is wider than, its `wrap` columns give way: their text wraps within
 * the column, or stands under its row as `heading: text` when even its words do not fit (the other columns
 * are never cut).
 */
export function formatTextTable(columns: readonly TextColumn[], rows: ReadonlyArray<readonly string[]>, width?: number): string[] {
	const cells = rows.map(row => columns.map((_, index) => sanitize(row[index] ?? '')));
	const natural = widestCells(columns, cells);
	const line = (row: readonly string[], widths: readonly number[], shown: (index: number) => boolean = () => true) =>
		columns
			.flatMap((column, index) => (shown(index) ? [pad(row[index] ?? '', widths[index] ?? 0, column.align ?? 'left')] : []))
			.join('  ')
			.trimEnd();
	const headings = columns.map(column => column.heading);
	const total = natural.reduce((sum, value) => sum + value, 0) + 2 * (columns.length - 1);
	if (width === undefined || total <= width) {
		return [line(headings, natural), ...cells.map(row => line(row, natural))];
	}
	const {widths, inGrid, below} = fitWidths(columns, cells, natural, width);
	const shown = (index: number) => inGrid.has(index);
	const lines = [line(headings, widths, shown)];
	for (const row of cells) {
		const wrapped = columns.map((column, index) => (column.wrap && shown(index) ? wrapText(row[index] ?? '', widths[index] ?? 1) : [row[index] ?? '']));
		const height = Math.max(...wrapped.map(cell => cell.length));
		for (let part = 0; part < height; part++) {
			lines.push(line(wrapped.map(cell => cell[part] ?? ''), widths, shown));
		}
		for (const index of below) {
			const text = row[index] ?? '';
			if (text !== '' && text !== '-') {
				lines.push(...wrapIndented(text, width, `  ${columns[index]!.heading.toLowerCase()}: `));
			}
		}
	}
	return lines;
}
