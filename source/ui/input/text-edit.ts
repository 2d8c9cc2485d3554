/**
 * Editing a one-line text field at a cursor, as a shell's line editor does: type and erase at the cursor,
 * move by a character or to either end, delete forward, and cut to the start or the word before. Pure.
 */

/** A field's text and where the cursor is in it (0 to the text's length). */
export type TextAt = {readonly text: string; readonly cursor: number};

/** What a key does to a field. */
export type TextEdit = 'type' | 'erase' | 'delete' | 'left' | 'right' | 'home' | 'end' | 'cut-to-start' | 'cut-word';

/** The cursor of a field, kept within its text; a field whose cursor was never set has it at the end. */
export function cursorOf(text: string, cursor: number | undefined): number {
	return cursor === undefined ? text.length : Math.max(0, Math.min(cursor, text.length));
}

/** A field after an edit at its cursor. */
export function editAt(field: TextAt, edit: TextEdit, input = ''): TextAt {
	const {text} = field;
	const at = cursorOf(text, field.cursor);
	switch (edit) {
		case 'type': {
			return {text: text.slice(0, at) + input + text.slice(at), cursor: at + input.length};
		}
		case 'erase': {
			return at === 0 ? {text, cursor: at} : {text: text.slice(0, at - 1) + text.slice(at), cursor: at - 1};
		}
		case 'delete': {
			return {text: text.slice(0, at) + text.slice(at + 1), cursor: at};
		}
		case 'left': {
			return {text, cursor: Math.max(0, at - 1)};
		}
		case 'right': {
			return {text, cursor: Math.min(text.length, at + 1)};
		}
		case 'home': {
			return {text, cursor: 0};
		}
		case 'end': {
			return {text, cursor: text.length};
		}
		case 'cut-to-start': {
			return {text: text.slice(at), cursor: 0};
		}
		case 'cut-word': {
			// Back over spaces, then over the word before them, as Ctrl-W does in a shell.
			const before = text.slice(0, at).replace(/\S*\s*$/, '');
			return {text: before + text.slice(at), cursor: before.length};
		}
	}
}

/** The edit a line-editing command makes; undefined for a command that is not one. */
export function textEditOf(command: string): TextEdit | undefined {
	const edits: Readonly<Record<string, TextEdit>> = {
		'cursor-left': 'left',
		'cursor-right': 'right',
		'cursor-home': 'home',
		'cursor-end': 'end',
		'delete-forward': 'delete',
		'cut-to-start': 'cut-to-start',
		'cut-word': 'cut-word',
		'form-type': 'type',
		'trace-type': 'type',
		'form-erase': 'erase',
		'trace-erase': 'erase',
	};
	return edits[command];
}

/** The field as shown with its cursor: the text in pieces around a `▏`, each piece shown through `show` (sanitised). */
export function withCursor(field: TextAt, show: (text: string) => string): string {
	const at = cursorOf(field.text, field.cursor);
	return `${show(field.text.slice(0, at))}▏${show(field.text.slice(at))}`;
}
