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
