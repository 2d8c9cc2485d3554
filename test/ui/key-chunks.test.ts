import type {Key} from 'ink';
import {expect, test} from 'vitest';
import {splitKeyChunk} from '../../source/ui/key-chunks.js';

const plain = {} as Key;

test('a chunk of typed keys is split into the presses', () => {
	const presses = splitKeyChunk('\t5\r', plain).map(([input, key]) => (key.tab ? 'Tab' : key.return ? 'Enter' : input));
	expect(presses).toEqual(['Tab', '5', 'Enter']);
});

test('backspace inside a chunk', () => {
	expect(splitKeyChunk('a\u007F', plain).map(([input, key]) => (key.backspace ? 'BS' : input))).toEqual(['a', 'BS']);
});

test('a single key and escape sequences are left to Ink', () => {
	expect(splitKeyChunk('q', plain)).toEqual([['q', plain]]);
	expect(splitKeyChunk('\u001B[A', plain)).toEqual([['\u001B[A', plain]]);
});

test('a lone newline is Enter', () => {
	expect(splitKeyChunk('\n', plain).map(([, key]) => key.return)).toEqual([true]);
});

test('a Ctrl key inside a chunk is that key, not dropped (Tab and Ctrl-U typed quickly over SSH)', () => {
	const presses = splitKeyChunk('\t\u0015', plain);
	expect(presses.map(([input, key]) => [input, key.tab, key.ctrl])).toEqual([
		['', true, false],
		['u', false, true],
	]);
});
