/**
 * Over a slow link several keys arrive in one read ("\t5", "192.168.1.1\r"), and Ink hands such a chunk
 * over as one input. This splits a chunk back into the key presses a person made.
 */

import type {Key} from 'ink';

const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
} as Key;

/** The key presses in one input chunk. Escape sequences are left whole for Ink's own parser. */
export function splitKeyChunk(input: string, key: Key): Array<readonly [string, Key]> {
	// A newline is Enter too: a terminal still in cooked mode (before the program switched it) sends one for Enter.
	if (input === '\n' && !key.return) {
		return [['', {...noKey, return: true}]];
	}
	if (input.length <= 1 || input.includes('\u001B') || key.ctrl || key.meta) {
		return [[input, key]];
	}
	const presses: Array<readonly [string, Key]> = [];
	for (const character of input) {
		if (character === '\t') {
			presses.push(['', {...noKey, tab: true}]);
		} else if (character === '\r' || character === '\n') {
			presses.push(['', {...noKey, return: true}]);
		} else if (character === '\u007F' || character === '\b') {
			presses.push(['', {...noKey, backspace: true}]);
		} else if (character >= '\u0001' && character <= '\u001A') {
			// Ctrl and a letter (Ctrl-A is 1): as Ink reports it, the letter with ctrl set.
			presses.push([String.fromCodePoint(character.codePointAt(0)! + 96), {...noKey, ctrl: true}]);
		} else if (character >= ' ') {
			presses.push([character, {...noKey, shift: character !== character.toLowerCase()}]);
		}
	}
	return presses;
}
