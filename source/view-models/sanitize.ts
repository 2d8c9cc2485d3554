/**
 * Makes any string from data safe to show on a terminal: control characters, escape sequences and
 * bidirectional overrides become visible placeholders, so data can neither drive the terminal
 * (retitle the window, write the clipboard, move the cursor) nor fake a row with a newline.
 */

import {unsafeCharacters} from '../domain/safe-text.js';

function placeholder(character: string): string {
	const code = character.codePointAt(0) ?? 0;
	if (code < 0x20) {
		// The Unicode control pictures: ESC becomes ␛, a newline ␊.
		return String.fromCodePoint(0x24_00 + code);
	}
	if (code === 0x7F) {
		return '\u2421';
	}
	return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** The text with every unsafe character replaced by a visible placeholder. */
export function sanitize(text: string): string {
	return text.replace(unsafeCharacters, placeholder);
}
