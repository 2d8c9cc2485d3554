/**
 * The stream the dashboard is drawn on: the terminal's own, except that each text written to it is sent in
 * fewer bytes that leave the terminal in the same state. Ink's incremental redraw writes two patterns that
 * cost a one-row move more than the rows it changes:
 *
 * - it steps over every unchanged line with CSI E (cursor to the start of the next line), from the top of
 *   the screen to the first changed line and from the last changed one to the bottom: on a 30-line screen
 *   some 75 bytes. A run of n is sent as one CSI n E, which moves the cursor the same (both stop at the
 *   bottom margin without scrolling);
 * - a changed line is written from its first changed column, after every colour and style set before that
 *   column on the line, replayed: a pane's border colour and its reset (`ESC[36m ESC[39m`) on every changed
 *   line of a pane. A colour set and at once reset is sent as the reset alone, which leaves the same colour.
 */

/** Two or more CSI E in a row. */
const nextLineRun = /(?:\u001B\[E){2,}/g;

/** A foreground (background) colour set right before the foreground (background) colour's reset: the set does nothing. */
const colourUndone = /\u001B\[(?:(?:3[0-7]|9[0-7]|38;5;\d+|38;2;\d+;\d+;\d+)m(?=\u001B\[39m)|(?:4[0-7]|10[0-7]|48;5;\d+|48;2;\d+;\d+;\d+)m(?=\u001B\[49m))/g;

/** The text in fewer bytes with the same effect on the terminal: runs of CSI E as one CSI n E, colours set and at once reset left out. */
export function compactTerminalText(text: string): string {
	const moves = text.includes('\u001B[E\u001B[E') ? text.replace(nextLineRun, run => `\u001B[${run.length / 3}E`) : text;
	return moves.includes('\u001B[39m') || moves.includes('\u001B[49m') ? moves.replace(colourUndone, '') : moves;
}

/**
 * The stream as Ink needs it (its size, TTY, resize events and the rest are the stream's own), whose text
 * writes are compacted.
 */
export function compactTerminalOutput(stream: NodeJS.WriteStream): NodeJS.WriteStream {
	const write = (chunk: unknown, ...rest: unknown[]): boolean =>
		Reflect.apply(stream.write, stream, [typeof chunk === 'string' ? compactTerminalText(chunk) : chunk, ...rest]) as boolean;
	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') {
				return write;
			}
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
	});
}
