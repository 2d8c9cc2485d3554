import {useEffect, useRef} from 'react';
import type {DashboardPreferences} from '../contract.js';
import type {PaneId} from '../keymap.js';

/** How many trace destinations the dashboard remembers. */
const recentTraceCount = 10;

/** What the dashboard remembers between runs. */
export type PreferencesHandle = {
	/** The destination last traced. */
	readonly recentTrace: () => string | undefined;
	/** Remembers a traced destination, most recent first. */
	readonly rememberTrace: (destination: string) => void;
};

/** Remembers the focused pane as it changes, and the destinations traced. */
export function usePreferences(preferences: DashboardPreferences | undefined, onChange: ((preferences: DashboardPreferences) => void) | undefined, focus: PaneId): PreferencesHandle {
	const remembered = useRef<DashboardPreferences>(preferences ?? {});
	const remember = (change: DashboardPreferences) => {
		remembered.current = {...remembered.current, ...change};
		onChange?.(remembered.current);
	};
	useEffect(() => {
		if (focus !== remembered.current.focusedPane) {
			remember({focusedPane: focus});
		}
	}, [focus]);
	return {
		recentTrace: () => remembered.current.recentTraces?.[0],
		rememberTrace(destination) {
			remember({recentTraces: [destination, ...(remembered.current.recentTraces ?? []).filter(entry => entry !== destination)].slice(0, recentTraceCount)});
		},
	};
}
