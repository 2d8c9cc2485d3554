import {EventEmitter} from 'node:events';
import xterm from '@xterm/headless';
import fc from 'fast-check';
import {expect, test} from 'vitest';
import {compactTerminalOutput, compactTerminalText} from '../../source/ui/terminal-output.js';

const columns = 20;
const rows = 8;

/** What a terminal shows after the text: every cell's character and attributes, and where the cursor is. */
async function screenAfter(text: string) {
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true});
	await new Promise<void>(resolve => {
		terminal.write(text, resolve);
	});
	const buffer = terminal.buffer.active;
	const cells: string[] = [];
	for (let y = 0; y < rows; y++) {
		const line = buffer.getLine(y)!;
		for (let x = 0; x < columns; x++) {
			const cell = line.getCell(x)!;
			cells.push(`${cell.getChars()}|${cell.getFgColorMode()}:${cell.getFgColor()}|${cell.getBgColorMode()}:${cell.getBgColor()}|${cell.isInverse()}${cell.isBold()}${cell.isDim()}`);
		}
	}
	// A cell written after the text shows the colours and styles then in force.
	await new Promise<void>(resolve => {
		terminal.write('x', resolve);
	});
	const after = buffer.getLine(buffer.cursorY)!.getCell(Math.max(0, buffer.cursorX - 1))!;
	return {cells, cursor: [buffer.cursorX, buffer.cursorY], styleAfter: [after.getFgColor(), after.getBgColor(), after.isInverse(), after.isBold()]};
}

// What Ink's incremental redraw wrote for a one-row move on a 30-line screen, before compaction.
const inkMove =
	'\u001B[?2026h\u001B[29A\u001B[E\u001B[E\u001B[E\u001B[E\u001B[91G\u001B[K\u001B[36m\u001B[39m\u001B[1m2/10000\u001B[22m \u001B[36m║\u001B[39m\n\u001B[E' +
	'\u001B[3G\u001B[K\u001B[36m\u001B[39m  1.6.64.0 \u001B[36m║\u001B[39m\n' +
	`${'\u001B[E'.repeat(21)}\u001B[?2026l`;

test("runs of cursor-to-next-line are sent as one move, and a colour set only to be reset as the reset: Ink's one-row move", () => {
	expect(compactTerminalText(inkMove)).toBe(
		'\u001B[?2026h\u001B[29A\u001B[4E\u001B[91G\u001B[K\u001B[39m\u001B[1m2/10000\u001B[22m \u001B[36m║\u001B[39m\n\u001B[E' +
			'\u001B[3G\u001B[K\u001B[39m  1.6.64.0 \u001B[36m║\u001B[39m\n' +
			'\u001B[21E\u001B[?2026l',
	);
});

test('text with nothing to compact is given back as it is', () => {
	for (const text of ['', 'plain', '\u001B[E', '\u001B[36m║\u001B[39m x', '\u001B[7m\u001B[36m› row\u001B[39m\u001B[27m', '\u001B[1m\u001B[22m', '\u001B[2E\u001B[E x \u001B[E']) {
		expect(compactTerminalText(text)).toBe(text);
	}
});

test('extended colours set only to be reset are left out too', () => {
	expect(compactTerminalText('\u001B[38;5;33m\u001B[39m\u001B[48;2;1;2;3m\u001B[49m\u001B[100m\u001B[49mx')).toBe('\u001B[39m\u001B[49m\u001B[49mx');
});

test('a terminal shows the same after the compacted text as after the text: cells, colours, the cursor and the style in force', async () => {
	const pieces = fc.constantFrom(
		'\u001B[E',
		'\u001B[E\u001B[E',
		'\u001B[E\u001B[E\u001B[E\u001B[E\u001B[E\u001B[E\u001B[E\u001B[E\u001B[E\u001B[E',
		'\u001B[3A',
		'\u001B[7A',
		'\u001B[5G',
		'\u001B[K',
		'\n',
		'\r\n',
		'ab',
		'║ x',
		'\u001B[36m',
		'\u001B[39m',
		'\u001B[90m',
		'\u001B[38;5;200m',
		'\u001B[41m',
		'\u001B[49m',
		'\u001B[1m',
		'\u001B[22m',
		'\u001B[7m',
		'\u001B[27m',
	);
	await fc.assert(
		fc.asyncProperty(fc.array(pieces, {maxLength: 40}), async parts => {
			const text = parts.join('');
			const compacted = compactTerminalText(text);
			expect(compacted.length).toBeLessThanOrEqual(text.length);
			expect(await screenAfter(compacted)).toEqual(await screenAfter(text));
		}),
		{numRuns: 300},
	);
});

test('the stream Ink is given writes compacted text to the terminal and is the terminal otherwise', () => {
	const written: unknown[][] = [];
	const terminal = Object.assign(new EventEmitter(), {
		isTTY: true,
		columns: 100,
		rows: 30,
		write(...args: unknown[]) {
			written.push(args);
			return true;
		},
	}) as unknown as NodeJS.WriteStream;
	const stream = compactTerminalOutput(terminal);
	const done = () => {};
	expect(stream.write('\u001B[E\u001B[E', done)).toBe(true);
	stream.write(Buffer.from('\u001B[E\u001B[E'));
	expect(written[0]).toEqual(['\u001B[2E', done]);
	expect(written[1]![0]).toEqual(Buffer.from('\u001B[E\u001B[E'));
	expect([stream.isTTY, stream.columns, stream.rows]).toEqual([true, 100, 30]);
	(terminal as unknown as {columns: number}).columns = 80;
	expect(stream.columns).toBe(80);
	let resized = 0;
	const onResize = () => resized++;
	stream.on('resize', onResize);
	terminal.emit('resize');
	stream.off('resize', onResize);
	terminal.emit('resize');
	expect(resized).toBe(1);
});
