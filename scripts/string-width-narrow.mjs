// string-width as the build ships it (dist/string-width.cjs): the package itself, behind a test that answers
// at once for text made only of printable ASCII and of the narrow symbols terminal programs draw with (box
// drawing, arrows, punctuation such as … and ›, Latin letters with accents). string-width answers such text
// by segmenting it into graphemes and testing each against Unicode property patterns (\p{RGI_Emoji} and
// others) whose first use compiles them, some 20 ms at each start; the dashboard's frames are full of such
// symbols, while the package's own fast path is printable ASCII alone. The package itself (its segmenter
// and patterns, made when it loads) is loaded only when some text is neither.
//
// Which characters qualify is worked out here, at build time, with string-width itself and the same Unicode
// properties: a character is in the set when string-width gives it one column, it is no emoji, mark,
// control, format or default-ignorable character (so it never joins its neighbours into one grapheme, and
// text made of such characters has one grapheme, and one column, for each), and the segmenter agrees.
// test/e2e/build.test.ts compares the shipped file with the package for every character and for
// random text.
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The blocks searched for narrow symbols: Latin-1 Supplement to Latin Extended-B, and General Punctuation to Miscellaneous Symbols and Arrows. */
const searched = [
	[0x00_A0, 0x02_4F],
	[0x20_00, 0x2B_FF],
];

/** Characters that may be part of a longer grapheme or take other than their own width, whatever string-width says of them alone. */
const joining = /[\p{Extended_Pictographic}\p{Emoji_Presentation}\p{Emoji_Component}\p{Regional_Indicator}\p{Mark}\p{Default_Ignorable_Code_Point}\p{Control}\p{Format}\p{Surrogate}\p{Zl}\p{Zp}\p{Cn}]/v;

/** The narrow symbols' code points as ranges [first, last]. */
export function narrowRanges() {
	const stringWidth = createRequire(path.join(root, 'package.json'))('string-width').default;
	const segmenter = new Intl.Segmenter();
	const ranges = [];
	for (const [first, last] of searched) {
		for (let codePoint = first; codePoint <= last; codePoint++) {
			const character = String.fromCodePoint(codePoint);
			const narrow =
				!joining.test(character) &&
				stringWidth(character) === 1 &&
				stringWidth(`a${character}${character}b`) === 4 &&
				[...segmenter.segment(`a${character}${character}b`)].length === 4;
			if (!narrow) {
				continue;
			}
			const previous = ranges.at(-1);
			if (previous && previous[1] === codePoint - 1) {
				previous[1] = codePoint;
			} else {
				ranges.push([codePoint, codePoint]);
			}
		}
	}
	return ranges;
}

const escape = codePoint => `\\u${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** The source of dist/string-width.cjs: string-width's default export, with the narrow text answered first. */
export function stringWidthSource() {
	const ranges = narrowRanges()
		.map(([first, last]) => (first === last ? escape(first) : `${escape(first)}-${escape(last)}`))
		.join('');
	return [
		'let packageWidth;',
		"const stripAnsi = require('strip-ansi').default;",
		`const narrowOnly = /^[\\u0020-\\u007E${ranges}]*$/;`,
		'function stringWidth(input, options) {',
		"\tif (typeof input === 'string' && (options === undefined || (options.ambiguousIsNarrow !== false && !options.countAnsiEscapeCodes))) {",
		"\t\tconst text = input.includes('\\u001B') || input.includes('\\u009B') ? stripAnsi(input) : input;",
		'\t\tif (narrowOnly.test(text)) {',
		'\t\t\treturn text.length;',
		'\t\t}',
		'\t}',
		"\tpackageWidth ??= require('string-width').default;",
		'\treturn packageWidth(input, options);',
		'}',
		'module.exports = {default: stringWidth};',
	].join('\n');
}
