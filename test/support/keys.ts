/** Key presses as Ink hands them to `useInput`, built from the keymap's key specs. */

import type {Key} from 'ink';
import type {KeySpec} from '../../source/ui/keymap.js';

/** A key event with nothing pressed. */
export const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
} as Key;

/** The input and key Ink hands over for a key spec of the keymap. */
export function pressOf(spec: KeySpec): [string, Key] {
	return spec.key ? ['', {...noKey, [spec.key]: true, shift: spec.shift ?? false}] : [spec.input ?? '', {...noKey, ctrl: spec.ctrl ?? false}];
}
