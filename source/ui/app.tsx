/**
 * The dashboard's root. It only composes: the state and the hooks that keep it (store sync, live VM,
 * preferences), the view derived from it, the pure per-mode key handlers, and one component per part
 * of the screen.
 */

import {Box, Text, useApp, useInput, useWindowSize} from 'ink';
import {useRef} from 'react';
import {Body} from './components/body.js';
import {Footer} from './components/footer.js';
import {Header, storeBanner} from './components/header.js';
import type {AppProps} from './contract.js';
import {type DashboardSnapshot, type DashboardState, useDashboardState} from './hooks/use-dashboard-state.js';
import {useIdleWarmUp} from './hooks/use-idle-warm-up.js';
import {useLiveView} from './hooks/use-live-view.js';
import {useOutcomeRunner} from './hooks/use-outcome-runner.js';
import {usePreferences} from './hooks/use-preferences.js';
import {useStoreSync} from './hooks/use-store-sync.js';
import {handleKey, keyContextOf, modeOf} from './input/handle-key.js';
import {splitKeyChunk} from './key-chunks.js';
import {computeLayout, type Layout, visibleRowCount} from './layout.js';
import {bodySize, overlayWindow} from './overlay-scroll.js';
import {initialUiState, sortsFrom, type UiState} from './state.js';
import {createViewDeriver} from './view.js';
import {clusterPlanLine} from '../view-models/cluster-plan.js';
import {paneIds} from '../view-models/pane-names.js';
import type {Route} from '../domain/device.js';
import {hasKey} from '../domain/route-key.js';

/** How many rows a page move goes in a layout: the focused pane's visible rows. */
function pageSizeOf(layout: Layout, focus: UiState['focus']): number {
	if (layout.kind === 'full') {
		const box = layout.rows.flat().find(candidate => candidate.pane === focus);
		return box ? visibleRowCount(box) : 1;
	}
	return layout.kind === 'compact' ? visibleRowCount(layout.pane) : 1;
}

/** The dashboard: header, five panes laid out for the terminal, overlays, and a footer generated from the keymap. */
export function App({initial, storeLabel, readOnly, readOnlyReason, onChange, subscribe, live, preferences, onPreferencesChange, startNotice}: AppProps) {
	const {exit} = useApp();
	const {columns, rows: terminalRows} = useWindowSize();
	const opening: UiState = {
		...initialUiState,
		focus: preferences?.focusedPane ?? initialUiState.focus,
		sorts: sortsFrom(preferences?.sorts),
		notice: startNotice === undefined ? null : {text: startNotice, tone: 'error'},
	};
	const dashboard = useDashboardState(initial, opening);
	const {latest, rendered} = dashboard;
	const liveView = useLiveView(live, rendered.device, () => latest.current.device);
	const remembered = usePreferences(preferences, onPreferencesChange, rendered.state.focus, rendered.state.sorts);
	const derive = useRef(createViewDeriver()).current;
	/** The routes pane's rows of a snapshot, filtered and sorted as shown (the form's check is not wanted here). */
	const routesPaneOf = ({device, state}: DashboardSnapshot) => derive(device, {...state, overlay: {kind: 'none'}}, liveView.current()).filteredOf('routes');
	const locateRoute = (route: Route) => {
		const {device} = latest.current;
		// The routes pane's rows are the device's routes, in the device's order before its sort.
		const source = device.routes.findIndex(candidate => hasKey(candidate, route));
		return source === -1 ? undefined : routesPaneOf(latest.current).shownIndexOf(source);
	};
	// A device from the store (another session's change, or the store's answer to a refused save) keeps the
	// selected route selected, wherever the new routes put it: a row number alone would now name another route.
	const keepingSelection: DashboardState = {
		...dashboard,
		setSnapshot(snapshot) {
			const before = latest.current;
			const pane = routesPaneOf(before);
			const source = pane.sourceOf(Math.max(0, Math.min(before.state.selected.routes, pane.shownCount - 1)));
			const selected = source === undefined ? undefined : before.device.routes[source];
			dashboard.setSnapshot(snapshot);
			const index = selected ? locateRoute(selected) : undefined;
			if (index !== undefined && index !== latest.current.state.selected.routes) {
				dashboard.dispatch({type: 'selection-placed', pane: 'routes', index});
			}
		},
	};
	useStoreSync(subscribe, keepingSelection);
	const run = useOutcomeRunner({state: keepingSelection, onChange, live, liveView, preferences: remembered, exit, locateRoute});
	const isLive = live !== undefined;
	// The view, keys and layout of a snapshot: the same for the frame and for the keys, the live view included.
	const describe = (snapshot: DashboardSnapshot) => {
		const view = derive(snapshot.device, snapshot.state, liveView.current());
		const banner = storeBanner(snapshot.state.storeProblem, snapshot.problems);
		// The plan's line, and a banner, take a line each from the panes; the panes share the rest by the rows they show (filtered, as drawn).
		const layout = computeLayout(columns, terminalRows, snapshot.state.focus, {
			reservedLines: 1 + (banner === null ? 0 : 1),
			rowCounts: pane => view.filteredOf(pane).shownCount,
		});
		const context = {...keyContextOf(snapshot.state, view, readOnly, isLive), ...(readOnlyReason === undefined ? {} : {readOnlyReason})};
		const window = layout.kind === 'too-small' ? undefined : overlayWindow(snapshot.state, view, context, bodySize(layout));
		return {view, banner, layout, keys: window && window.maxScroll > 0 ? {...context, overlayScrollable: true} : context};
	};

	// Every pane's first screen of rows, made ready after the frame: switching to a pane then costs its drawing only.
	useIdleWarmUp(rendered.device, device => {
		const snapshot = latest.current;
		if (snapshot.device !== device) {
			return;
		}
		const {view} = describe(snapshot);
		for (const pane of paneIds) {
			const shown = view.filteredOf(pane);
			for (let index = 0; index < Math.min(shown.shownCount, terminalRows); index++) {
				shown.shownRow(index);
			}
		}
	});

	useInput((chunk, chunkKey) => {
		for (const [input, key] of splitKeyChunk(chunk, chunkKey)) {
			const snapshot = latest.current;
			const {view, layout, keys} = describe(snapshot);
			const overlaySize = layout.kind === 'too-small' ? {width: 1, height: 1} : bodySize(layout);
			const context = {...snapshot, view, keys, pageSize: pageSizeOf(layout, snapshot.state.focus), overlaySize, recentTrace: remembered.recentTrace()};
			run(handleKey(context, input, key));
		}
	});

	const {state, device} = rendered;
	const {view, banner, layout, keys} = describe(rendered);
	if (layout.kind === 'too-small') {
		// Wrapped, not cut: the size it names matters most where the terminal is narrowest.
		return (
			<Box width={layout.width}>
				<Text wrap="wrap">{layout.message}</Text>
			</Box>
		);
	}
	const current = liveView.current();
	return (
		<Box flexDirection="column" width={layout.width}>
			<Header
				deviceName={device.name}
				storeLabel={storeLabel}
				readOnly={readOnly}
				{...(live ? {live: {label: live.label, unreadable: current !== undefined && 'error' in current}} : {})}
				banner={banner}
				plan={clusterPlanLine(device, layout.width)}
				width={layout.width}
			/>
			<Body layout={layout} state={state} view={view} keys={keys} />
			<Footer state={state} mode={modeOf(state)} keys={keys} width={layout.width} />
		</Box>
	);
}
