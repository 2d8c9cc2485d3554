import {Box, Text} from 'ink';
import {fit} from '../../view-models/fit.js';
import {theme, type Tone, toneColour} from '../theme.js';

/** One line of a text panel, with an optional semantic tone. */
export type PanelLine = {readonly text: string; readonly tone?: Tone};

/** Props of a bordered panel of lines: help, details, trace. */
export type TextPanelProps = {
	readonly title: string;
	readonly lines: readonly PanelLine[];
	readonly width: number;
	readonly height: number;
};

/** A bordered panel of text lines, cut to fit: nothing wraps or spills out of it. */
export function TextPanel({title, lines, width, height}: TextPanelProps) {
	const inner = Math.max(1, width - 4);
	const room = Math.max(0, height - 3);
	const shown = lines.length > room ? [...lines.slice(0, Math.max(0, room - 1)), {text: `… ${lines.length - room + 1} more lines`, tone: 'muted' as const}] : lines;
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
