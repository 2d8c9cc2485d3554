import {useEffect, useRef} from 'react';
import type {DashboardPreferences} from '../contract.js';
import type {PaneId} from '../keymap.js';
import type {UiState} from '../state.js';

/** How many trace destinations the dashboard remembers. */
const recentTraceCount = 10;

/** What the dashboard remembers between runs. */
export type PreferencesHandle = {
	/** The destination last traced. */
	readonly recentTrace: () => string | undefined;
	/** Remembers a traced destination, most recent first. */
	readonly rememberTrace: (destination: string) => void;
};

/** The panes' sorts as the preferences keep them: the panes that are sorted. */
function sortsToKeep(sorts: UiState['sorts']): NonNullable<DashboardPreferences['sorts']> {
	return Object.fromEntries(Object.entries(sorts).flatMap(([pane, sort]) => (sort ? [[pane, {column: sort.column, descending: sort.descending}]] : [])));
}

/** Remembers the focused pane and the panes' sorts as they change, and the destinations traced. */
export function usePreferences(
	preferences: DashboardPreferences | undefined,
	onChange: ((preferences: DashboardPreferences) => void) | undefined,
	focus: PaneId,
	sorts: UiState['sorts'],
): PreferencesHandle {
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
	useEffect(() => {
		const kept = sortsToKeep(sorts);
		if (JSON.stringify(kept) !== JSON.stringify(remembered.current.sorts ?? {})) {
			remember({sorts: kept});
		}
	}, [sorts]);
	return {
		recentTrace: () => remembered.current.recentTraces?.[0],
		rememberTrace(destination) {
			remember({recentTraces: [destination, ...(remembered.current.recentTraces ?? []).filter(entry => entry !== destination)].slice(0, recentTraceCount)});
		},
	};
}
