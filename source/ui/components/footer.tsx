import {Text} from 'ink';
import {fit, truncate} from '../../view-models/fit.js';
import {sanitize} from '../../view-models/sanitize.js';
import {displayWidth} from '../../view-models/text-table.js';
import {type FooterPriority, footerHints, type KeyContext, type Mode} from '../keymap.js';
import type {UiState} from '../state.js';
import {theme, toneColour} from '../theme.js';

/** Props of the footer. */
export type FooterProps = {
	readonly state: UiState;
	readonly mode: Mode;
	readonly keys: KeyContext;
	readonly width: number;
};

const rank: Record<FooterPriority, number> = {low: 0, normal: 1, always: 2};

/**
 * The footer's line of keys for a mode, generated from the keymap, in at most `width` columns: while it is
 * too long the least important hint goes, the last of equals first; a hint kept `always` (help, quit) never goes.
 */
export function footerText(mode: Mode, keys: KeyContext, width = Number.POSITIVE_INFINITY): string {
	let hints = footerHints(mode, keys);
	const line = () => hints.map(hint => `${hint.keys} ${hint.label}`).join('  ');
	while (displayWidth(line()) > width) {
		let least = -1;
		for (const [index, hint] of hints.entries()) {
			if (hint.priority !== 'always' && (least === -1 || rank[hint.priority] <= rank[hints[least]!.priority])) {
				least = index;
			}
		}
		if (least === -1) {
			break;
		}
		hints = hints.filter((_, index) => index !== least);
	}
	return line();
}

/** The last line: the question of a confirmation, else the notice, else the keys that work in the mode. */
export function Footer({state, mode, keys, width}: FooterProps) {
	const hints = footerText(mode, keys, width);
	if (state.overlay.kind === 'confirm-delete') {
		const {key} = state.overlay;
		// The question gives way to the answers: cut, it still asks; without its keys it cannot be answered.
		const question = truncate(`Delete the route for ${sanitize(key.destinationPrefix)} on ${sanitize(key.interface)}?`, width - displayWidth(hints) - 2);
		return (
			<Text bold wrap="truncate" color={theme.danger}>
				{fit(`${question}  ${hints}`, width)}
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
