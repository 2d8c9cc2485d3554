/**
 * Semantic colour tokens: components name what a thing is, never a colour. With NO_COLOR or TERM=dumb the
 * program drops every colour before Ink loads (cli.tsx), so nothing here may carry meaning alone: the
 * selection also has a marker character.
 */

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

/** Marks the selected row without colour. */
export const selectionMarker = '›';
