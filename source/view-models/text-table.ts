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

/** A piece of text no line breaks inside, and whether a space stands before it (a piece after a comma inside a word has none). */
type Piece = {readonly text: string; readonly spaced: boolean};

/** The pieces of a text: its words, each also broken after a comma (`53/UDP,53/TCP` may wrap after `53/UDP,`). */
function piecesOf(text: string): Piece[] {
	const pieces: Piece[] = [];
	for (const word of text.split(' ')) {
		if (word === '') {
			continue;
		}
		const parts = word.split(/(?<=,)(?=.)/);
		parts.forEach((part, index) => {
			pieces.push({text: part, spaced: index === 0});
		});
	}
	return pieces;
}

/** A piece longer than a whole line, cut into lines of `width` columns. */
function cut(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const character of text) {
		if (line !== '' && displayWidth(line + character) > width) {
			lines.push(line);
			line = '';
		}
		line += character;
	}
	return line === '' ? lines : [...lines, line];
}

/**
 * Breaks text into lines of at most `width` columns, at spaces and after commas; a word longer than a
 * line is cut. Runs of spaces between words become one. Empty text is one empty line.
 */
export function wrapText(text: string, width: number): string[] {
	const limit = Math.max(1, width);
	if (displayWidth(text) <= limit) {
		return [text];
	}
	const lines: string[] = [];
	let line = '';
	for (const piece of piecesOf(text)) {
		const joined = line === '' ? piece.text : `${line}${piece.spaced ? ' ' : ''}${piece.text}`;
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

/** Lays rows out as aligned plain-text columns under their headings, two spaces apart. Every cell is sanitised. */
export function formatTextTable(columns: readonly TextColumn[], rows: ReadonlyArray<readonly string[]>): string[] {
	const cells = rows.map(row => columns.map((_, index) => sanitize(row[index] ?? '')));
	const widths = widestCells(columns, cells);
	const line = (row: readonly string[]) =>
		columns
			.map((column, index) => pad(row[index] ?? '', widths[index] ?? 0, column.align ?? 'left'))
			.join('  ')
			.trimEnd();
	return [line(columns.map(column => column.heading)), ...cells.map(row => line(row))];
}
