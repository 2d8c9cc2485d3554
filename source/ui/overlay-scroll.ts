/**
 * The size of what is between the header and the footer, which an overlay takes over whole, and what of an
 * open help, details or trace is in view there: the keys scroll by the same window the screen shows.
 */

import {detailsPanelLines} from './components/details-panel.js';
import {helpPanelLines} from './components/help-panel.js';
import {panelWindow, type PanelWindow} from './components/text-panel.js';
import {tracePanelLines} from './components/trace-panel.js';
import type {KeyContext} from './keymap.js';
import type {Layout} from './layout.js';
import type {UiState} from './state.js';
import type {View} from './view.js';

/** The box between the header and the footer: the panes' lines, which an overlay takes over whole. */
export function bodySize(layout: Exclude<Layout, {kind: 'too-small'}>): {readonly width: number; readonly height: number} {
	return {width: layout.width, height: layout.kind === 'full' ? layout.rows.reduce((sum, row) => sum + (row[0]?.height ?? 0), 0) : layout.pane.height + 1};
}

/** What of the open help, details or trace is in view in a box of this size; undefined when none is open. */
export function overlayWindow(state: UiState, view: View, keys: KeyContext, size: {readonly width: number; readonly height: number}): PanelWindow | undefined {
	const {overlay} = state;
	const lines =
		overlay.kind === 'help'
			? helpPanelLines(keys)
			: overlay.kind === 'details'
				? detailsPanelLines(view.selectedSource === undefined ? [] : view.focused.details(view.selectedSource))
				: overlay.kind === 'trace'
					? tracePanelLines(overlay.trace, view.sources, view.traceAnswer)
					: undefined;
	return lines ? panelWindow(lines, size.width, size.height, state.overlayScroll) : undefined;
}
