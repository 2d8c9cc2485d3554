import {Box, Text} from 'ink';
import {fit} from '../../view-models/fit.js';
import {paneEntries, type PaneId, paneIds} from '../../view-models/pane-registry.js';
import type {KeyContext} from '../keymap.js';
import type {Layout} from '../layout.js';
import type {UiState} from '../state.js';
import type {FilteredPane} from '../view.js';
import {TablePane} from './table-pane.js';

/** Props of the panes as the layout places them. */
export type PaneGridProps = {
	readonly layout: Exclude<Layout, {kind: 'too-small'}>;
	readonly state: UiState;
	readonly filteredOf: (pane: PaneId) => FilteredPane;
	readonly keys: KeyContext;
};

/** What the routes pane says with no route: how to add one from where the person is, or that none can be added here. */
export function noRoutesText(keys: KeyContext, isFocused: boolean): string {
	if (keys.readOnly) {
		// Why it is read-only is said when a change key is pressed, and in the header.
		return 'no custom routes (read-only: none can be added here)';
	}
	return isFocused ? 'no custom routes yet: press a to add one' : 'no custom routes yet: press 5, then a, to add one';
}

/** The tabs of the compact layout, the focused one in brackets. */
export function paneTabs(focused: PaneId): string {
	return paneEntries.map((entry, index) => (entry.id === focused ? `[${index + 1} ${entry.tabTitle}]` : ` ${index + 1} ${entry.tabTitle} `)).join(' ');
}

/** Every pane in rows (the full layout), or the focused pane under a line of tabs (the compact one). */
export function PaneGrid({layout, state, filteredOf, keys}: PaneGridProps) {
	const pane = (id: PaneId, width: number, height: number) => {
		const rows = filteredOf(id);
		return (
			<TablePane
				key={id}
				title={rows.title}
				number={paneIds.indexOf(id) + 1}
				columns={rows.columns}
				count={rows.shownCount}
				row={rows.shownRow}
				total={rows.count}
				selectedIndex={state.selected[id]}
				width={width}
				height={height}
				isFocused={state.focus === id}
				filter={state.filters[id]}
				isFiltering={state.filtering && state.focus === id}
				{...(rows.sortLabel === undefined ? {} : {sortLabel: rows.sortLabel})}
				{...(id === 'routes' ? {emptyText: noRoutesText(keys, state.focus === id)} : {})}
			/>
		);
	};
	if (layout.kind === 'full') {
		return (
			<Box flexDirection="column">
				{layout.rows.map((row, index) => (
					<Box key={index} flexDirection="row">
						{row.map(box => pane(box.pane, box.width, box.height))}
					</Box>
				))}
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">{fit(paneTabs(state.focus), layout.width)}</Text>
			{pane(layout.pane.pane, layout.pane.width, layout.pane.height)}
		</Box>
	);
}
