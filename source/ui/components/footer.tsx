import {Text} from 'ink';
import {fit} from '../../view-models/fit.js';
import {sanitize} from '../../view-models/sanitize.js';
import {footerHints, type KeyContext, type Mode} from '../keymap.js';
import type {UiState} from '../state.js';
import {theme, toneColour} from '../theme.js';

/** Props of the footer. */
export type FooterProps = {
	readonly state: UiState;
	readonly mode: Mode;
	readonly keys: KeyContext;
	readonly width: number;
};

/** The footer's line of keys for a mode, generated from the keymap. */
export function footerText(mode: Mode, keys: KeyContext): string {
	return footerHints(mode, keys)
		.map(hint => `${hint.keys} ${hint.label}`)
		.join('  ');
}

/** The last line: the question of a confirmation, else the notice, else the keys that work in the mode. */
export function Footer({state, mode, keys, width}: FooterProps) {
	const hints = footerText(mode, keys);
	if (state.overlay.kind === 'confirm-delete') {
		const {key} = state.overlay;
		return (
			<Text bold wrap="truncate" color={theme.danger}>
				{fit(`Delete the route for ${sanitize(key.destinationPrefix)} on ${sanitize(key.interface)}?  ${hints}`, width)}
			</Text>
		);
	}
	if (state.notice) {
		return (
			<Text wrap="truncate" color={toneColour(state.notice.tone)}>
				{fit(sanitize(state.notice.text.replaceAll('\n', ' · ')), width)}
			</Text>
		);
	}
	return (
		<Text bold={mode === 'confirm'} wrap="truncate" color={mode === 'confirm' ? theme.danger : theme.keyHint}>
			{fit(hints, width)}
		</Text>
	);
}
