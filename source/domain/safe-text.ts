/**
 * The characters that must never reach a terminal raw, and JSON text that carries none of them: data can
 * then neither drive the terminal that shows it (C1 U+009B acts as CSI in xterm) nor reorder what a person
 * reads (bidi overrides), whether it is printed as text or as JSON.
 */

// DEL, C1 controls; bidi embeddings, overrides, isolates and marks; line and paragraph separators.
const beyondC0 = '\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069';

/** C0 controls and every character in `beyondC0`. */
export const unsafeCharacters = new RegExp(`[\u0000-\u001F${beyondC0}]`, 'gu');

// JSON.stringify writes C0 controls in strings as escapes already, and the newlines of its indentation must stay.
const unsafeInJson = new RegExp(`[${beyondC0}]`, 'gu');

/** A character as a JSON `\u` escape. */
export const jsonEscape = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A value as two-space indented JSON with a final newline, every unsafe character written as a `\u`
 * escape (JSON.stringify leaves DEL, C1 and bidi characters raw). Parsed, it is the same value.
 */
export function formatJson(value: unknown): string {
	// Outside strings JSON holds none of these characters, so every match is inside a string.
	return `${JSON.stringify(value, undefined, 2).replace(unsafeInJson, jsonEscape)}\n`;
}
