import {Text} from 'ink';
import {plural} from '../../domain/plural.js';
import {fit} from '../../view-models/fit.js';
import {sanitize} from '../../view-models/sanitize.js';
import {theme} from '../theme.js';

/** Props of the header: what it names, and the banner under it, if any. */
export type HeaderProps = {
	readonly deviceName: string;
	readonly storeLabel: string;
	readonly readOnly: boolean;
	/** The live VM's label and whether its kernel could be read, with `--live`. */
	readonly live?: {readonly label: string; readonly unreadable: boolean};
	/** A banner about the store (unreadable, or holding routes the rules refuse); it takes a line from the panes. */
	readonly banner: string | null;
	/** The cluster's address plan with how much of each range is used, on a line of its own. */
	readonly plan: string;
	readonly width: number;
};

/** The banner for a store that cannot be read, or that holds routes the rules refuse; null when there is nothing to say. */
export function storeBanner(storeProblem: string | null, problems: readonly string[]): string | null {
	if (storeProblem !== null) {
		return `store unreadable, nothing is saved until it is valid again: ${storeProblem}`;
	}
	if (problems.length === 0) {
		return null;
	}
	return `store holds ${plural(problems.length, 'route that breaks', 'routes that break')} the route rules, not used: ${problems.join('; ')}`;
}

/** The first line (device, store, read-only, live VM) and the store banner. */
export function Header({deviceName, storeLabel, readOnly, live, banner, plan, width}: HeaderProps) {
	const liveLabel = live ? ` · live: ${sanitize(live.label)}${live.unreadable ? ' (kernel unreadable)' : ''}` : '';
	const header = `edgenet · device ${sanitize(deviceName)} · store ${sanitize(storeLabel)}${readOnly ? ' · READ-ONLY' : ''}${liveLabel}`;
	return (
		<>
			<Text bold wrap="truncate">
				{fit(header, width)}
			</Text>
			<Text wrap="truncate" color={theme.muted}>
				{fit(sanitize(plan), width)}
			</Text>
			{banner === null ? null : (
				<Text bold wrap="truncate" color={theme.danger}>
					{fit(sanitize(banner), width)}
				</Text>
			)}
		</>
	);
}
