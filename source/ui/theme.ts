/**
 * Semantic colour tokens: components name what a thing is, never a colour. With NO_COLOR or TERM=dumb the
 * program drops every colour before Ink loads (cli.tsx), so nothing here may carry meaning alone: the
 * selection also has a marker character, and the focused pane a border of other characters.
 */

/** The colour of each semantic token. */
export const theme = {
	focusBorder: 'cyan',
	border: 'gray',
	title: 'white',
	selectedRow: 'cyan',
	danger: 'red',
	warning: 'yellow',
	success: 'green',
	muted: 'gray',
	keyHint: 'cyan',
} as const;

/** What a line of text is, for its colour: a fault, a caution, a done thing, a note, or emphasis (bold, no colour). */
export type Tone = 'error' | 'warning' | 'info' | 'muted' | 'strong';

/** The one mapping of a tone to a colour; undefined leaves the terminal's own colour. */
export function toneColour(tone: Tone | undefined): string | undefined {
	switch (tone) {
		case 'error': {
			return theme.danger;
		}
		case 'warning': {
			return theme.warning;
		}
		case 'info': {
			return theme.success;
		}
		case 'muted': {
			return theme.muted;
		}
		default: {
			return undefined;
		}
	}
}

/** Marks the selected row of the focused pane without colour. */
export const selectionMarker = '›';

/** Marks the selected row of a pane without focus: quieter, so only the focused pane shows `›`. */
export const restingSelectionMarker = '·';

/** How a pane's border is drawn: the focused pane's in other characters, so focus shows without colour too. */
export const borderStyles = {focused: 'double', resting: 'round'} as const;
