import {Box, Text} from 'ink';
import {fit} from '../../view-models/fit.js';
import {displayWidth, wrapText} from '../../view-models/text-table.js';
import {theme, type Tone, toneColour} from '../theme.js';

/** One line of a text panel, with an optional semantic tone. */
export type PanelLine = {
	readonly text: string;
	readonly tone?: Tone;
	/** How far a continued line goes in when the line is broken: its own indent and four more when left out. */
	readonly hang?: number;
};

/** Props of a bordered panel of lines: help, details, trace. */
export type TextPanelProps = {
	readonly title: string;
	readonly lines: readonly PanelLine[];
	readonly width: number;
	readonly height: number;
	/** How many lines the panel is scrolled down by (kept within what there is to see). */
	readonly scroll?: number;
};

/** The lines broken to a width: nothing a person must read is cut. A continued line keeps its indent and goes in further. */
export function wrapPanelLines(lines: readonly PanelLine[], width: number): PanelLine[] {
	return lines.flatMap(line => {
		if (displayWidth(line.text) <= width) {
			return [line];
		}
		const indent = /^ */.exec(line.text)?.[0] ?? '';
		const hang = ' '.repeat(Math.min(Math.max(0, width - 10), line.hang ?? indent.length + 4));
		const body = line.text.slice(indent.length);
		const first = wrapText(body, Math.max(1, width - indent.length))[0] ?? '';
		const continued = body.slice(first.length).trimStart();
		return [{...line, text: `${indent}${first}`}, ...(continued === '' ? [] : wrapText(continued, Math.max(1, width - hang.length)).map(part => ({...line, text: `${hang}${part}`})))];
	});
}

/** What of a panel's lines is in view: the lines (broken to the width), the scroll kept within them, and the furthest it can go. */
export type PanelWindow = {readonly shown: readonly PanelLine[]; readonly scroll: number; readonly maxScroll: number; readonly total: number; readonly room: number};

/** The lines in view of a panel of this size scrolled by `scroll`; when they do not all fit, the last line says where the view is. */
export function panelWindow(lines: readonly PanelLine[], width: number, height: number, scroll = 0): PanelWindow {
	const inner = Math.max(1, width - 4);
	const all = wrapPanelLines(lines, inner);
	const room = Math.max(0, height - 3);
	if (all.length <= room) {
		return {shown: all, scroll: 0, maxScroll: 0, total: all.length, room};
	}
	const view = Math.max(1, room - 1);
	const maxScroll = all.length - view;
	const at = Math.max(0, Math.min(scroll, maxScroll));
	const position = `lines ${at + 1}–${at + view} of ${all.length}${at < maxScroll ? ' · ↓ PgDn for more' : ''}${at > 0 ? ' · ↑ PgUp back' : ''}`;
	return {shown: [...all.slice(at, at + view), {text: position, tone: 'muted'}], scroll: at, maxScroll, total: all.length, room: view};
}

/** A bordered panel of text lines, broken to its width and scrolled: nothing spills out of it, and nothing is cut. */
export function TextPanel({title, lines, width, height, scroll = 0}: TextPanelProps) {
	const inner = Math.max(1, width - 4);
	const {shown} = panelWindow(lines, width, height, scroll);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.focusBorder} width={width} height={height} paddingX={1}>
			<Text bold wrap="truncate">
				{fit(title, inner)}
			</Text>
			{shown.map((line, index) => (
				<Text key={index} wrap="truncate" color={toneColour(line.tone)} bold={line.tone === 'strong'}>
					{fit(line.text, inner)}
				</Text>
			))}
		</Box>
	);
}
