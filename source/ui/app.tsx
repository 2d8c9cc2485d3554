import {Box, Text, useApp, useInput, useWindowSize, type Key} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {Device} from '../domain/device.js';
import {lookupRoute} from '../domain/lookup.js';
import type {Route} from '../domain/device.js';
import {checkRoute, type RouteCheck, type RouteField} from '../domain/route-checks.js';
import {findRoute} from '../domain/route-context.js';
import type {RouteView} from '../domain/route-status.js';
import {addRoute, removeRoute, type RouteChange, updateRoute} from '../domain/routes.js';
import type {EditGuard} from '../domain/stale-edit.js';
import {fit} from '../view-models/fit.js';
import {type LiveView, type PaneRows, toPodsPane, toPortsPane, toRoutesPane, toSwitchesPane, toVmsPane} from '../view-models/panes.js';
import {sanitize} from '../view-models/sanitize.js';
import {toTraceLines} from '../view-models/trace.js';
import {RouteForm} from './components/route-form.js';
import {TablePane} from './components/table-pane.js';
import {type PanelLine, TextPanel} from './components/text-panel.js';
import {type CommandId, footerHints, helpLines, type PaneId, paneIds, resolveKey} from './keymap.js';
import {computeLayout, type Layout, visibleRowCount} from './layout.js';
import {addForm, editForm, type FormState, initialUiState, newTrace, type UiAction, type UiState, uiReducer} from './state.js';
import {splitKeyChunk} from './key-chunks.js';
import {theme} from './theme.js';

/** The device at one revision of the store. */
export type DeviceSnapshot = {
	readonly device: Device;
	readonly revision: number;
	/** Stored routes the route rules refuse (`route … on Port3: why`), which the device leaves out. */
	readonly problems?: readonly string[];
};

/** What saving a change came to: the saved device, or why nothing was saved (with the store as it is now, when it could be read). */
export type ChangeOutcome =
	| ({readonly ok: true; readonly message: string} & DeviceSnapshot)
	| {readonly ok: false; readonly message: string; readonly current?: DeviceSnapshot};

/** A change of the store seen by the dashboard: a new snapshot, or why the file cannot be read. */
export type StoreChange = {readonly ok: true; readonly snapshot: DeviceSnapshot} | {readonly ok: false; readonly message: string};

/** Props of the dashboard's root. */
export type AppProps = {
	/** The device as the store holds it when the dashboard opens. */
	readonly initial: DeviceSnapshot;
	/** The store file, named in the header. */
	readonly storeLabel: string;
	/** Whether keys that change the store are withheld. */
	readonly readOnly: boolean;
	/** Applies a route change to the store in a transaction, refusing it if the edited route changed since the guard's revision. */
	readonly onChange: (change: (device: Device) => RouteChange, guard: EditGuard, onWait: () => void) => Promise<ChangeOutcome>;
	/** Subscribes to changes of the store made by anyone; returns the unsubscribe function. */
	readonly subscribe?: (listener: (change: StoreChange) => void) => () => void;
	/** With `--live`: the VM whose kernel the routes are compared with, and the operations on it. */
	readonly live?: LiveOperations;
	/** What the user's preferences remember of this store: the focused pane, the recent trace destinations. */
	readonly preferences?: DashboardPreferences;
	/** Called when something the preferences remember changes. */
	readonly onPreferencesChange?: (preferences: DashboardPreferences) => void;
	/** A notice to show once the dashboard opens (such as a preferences file that was replaced). */
	readonly startNotice?: string;
};

/** What the dashboard remembers between runs, per store. */
export type DashboardPreferences = {
	readonly focusedPane?: PaneId;
	/** Most recent first. */
	readonly recentTraces?: readonly string[];
};

/** How many trace destinations the dashboard remembers. */
const recentTraceCount = 10;

/** What the dashboard can do with a live VM's kernel. */
export type LiveOperations = {
	/** Names the VM (and namespace) in the header. */
	readonly label: string;
	/** Compares the device's routes with the kernel's. */
	readonly check: (device: Device) => LiveView;
	/** The `ip` commands that would make the kernel match, or why they cannot be worked out. */
	readonly plan: (device: Device) => {readonly ok: true; readonly changes: readonly string[]} | {readonly ok: false; readonly message: string};
	/** Runs them. */
	readonly apply: (device: Device) => {readonly ok: boolean; readonly message: string};
};

const paneTitles: Record<PaneId, string> = {
	ports: 'Ports',
	switches: 'Virtual switches',
	vms: 'Kubernetes VMs',
	pods: 'Pods & services',
	routes: 'Custom routes',
};

/** Short titles for the tabs of the compact layout. */
const tabTitles: Record<PaneId, string> = {ports: 'Ports', switches: 'Switches', vms: 'VMs', pods: 'Pods', routes: 'Routes'};

const focusCommands: Partial<Record<CommandId, PaneId>> = {
	'focus-ports': 'ports',
	'focus-switches': 'switches',
	'focus-vms': 'vms',
	'focus-pods': 'pods',
	'focus-routes': 'routes',
};

type FilteredPane = PaneRows & {
	/** How many rows the filter keeps. */
	readonly shownCount: number;
	/** The `index`th row the filter keeps. */
	readonly shownRow: (index: number) => readonly string[];
	/** Where the `index`th row the filter keeps is in the unfiltered rows. */
	readonly sourceOf: (index: number) => number | undefined;
};

/** The rows a filter keeps; no filter keeps every row without building any. */
function applyFilter(pane: PaneRows, filter: string): FilteredPane {
	if (filter === '') {
		return {...pane, shownCount: pane.count, shownRow: pane.row, sourceOf: index => (index >= 0 && index < pane.count ? index : undefined)};
	}
	const needle = filter.toLowerCase();
	const kept: number[] = [];
	for (let index = 0; index < pane.count; index++) {
		if (pane.row(index).some(cell => cell.toLowerCase().includes(needle))) {
			kept.push(index);
		}
	}
	return {...pane, shownCount: kept.length, shownRow: index => pane.row(kept[index] ?? -1), sourceOf: index => kept[index]};
}

/** The stored fields of a route shown with its status and warnings. */
function plainRoute(route: RouteView): Route {
	return {interface: route.interface, destinationPrefix: route.destinationPrefix, nextHop: route.nextHop, metric: route.metric};
}

const noSources: readonly string[] = [];

/** The sources a trace can start from: the VMs, outside the cluster, and every pod. */
function traceSources(device: Device): string[] {
	return ['worker', 'master', 'outside', ...device.pods.map(pod => `${pod.namespace}/${pod.name}`)];
}

function isPrintable(input: string, key: Key): boolean {
	return input.length > 0 && !key.ctrl && !key.meta && !/[\u0000-\u001F\u007F]/.test(input);
}

const paneBuilders: Record<PaneId, (device: Device, live: LiveView | undefined) => PaneRows> = {
	ports: toPortsPane,
	switches: toSwitchesPane,
	vms: toVmsPane,
	pods: toPodsPane,
	routes: toRoutesPane,
};

/** What the screen and the keys both work from, derived from the device and the UI state. */
type View = {
	/** A pane's rows after its filter; built the first time a pane is shown or asked about. */
	readonly filteredOf: (pane: PaneId) => FilteredPane;
	readonly focused: FilteredPane;
	readonly selectedIndex: number;
	readonly selectedSource: number | undefined;
	readonly selectedRoute: RouteView | undefined;
	readonly sources: readonly string[];
	readonly formCheck: RouteCheck | undefined;
};

type ViewCache = {
	device?: Device;
	live?: LiveView;
	panes: Partial<Record<PaneId, PaneRows>>;
	filtered: Partial<Record<PaneId, {filter: string; rows: FilteredPane}>>;
	sources?: string[];
	form?: {device: Device; form: FormState; check: RouteCheck};
};

/**
 * Derives the view, reusing what has not changed: a pane's rows while the device is the same (built only
 * once the pane is shown), its filtered rows while its filter is the same. Keys are handled against the
 * latest state, which may be ahead of the last render when keys arrive faster than frames.
 */
function useViewDeriver() {
	const cache = useRef<ViewCache>({panes: {}, filtered: {}});
	return (device: Device, state: UiState, live?: LiveView): View => {
		const memo = cache.current;
		if (memo.device !== device) {
			memo.device = device;
			memo.panes = {};
			memo.filtered = {};
			memo.sources = undefined;
		}
		if (memo.live !== live) {
			memo.live = live;
			delete memo.panes.routes;
			delete memo.filtered.routes;
		}
		const paneOf = (pane: PaneId): PaneRows => (memo.panes[pane] ??= paneBuilders[pane](device, live));
		const filteredOf = (pane: PaneId): FilteredPane => {
			const cached = memo.filtered[pane];
			if (cached && cached.filter === state.filters[pane]) {
				return cached.rows;
			}
			const rows = applyFilter(paneOf(pane), state.filters[pane]);
			memo.filtered[pane] = {filter: state.filters[pane], rows};
			return rows;
		};
		const focused = filteredOf(state.focus);
		const selectedIndex = Math.max(0, Math.min(state.selected[state.focus], focused.shownCount - 1));
		const selectedSource = focused.sourceOf(selectedIndex);
		const selectedRoute = state.focus === 'routes' && selectedSource !== undefined ? focused.routes?.[selectedSource] : undefined;
		let formCheck: RouteCheck | undefined;
		if (state.overlay.kind === 'form') {
			const {form} = state.overlay;
			if (memo.form?.device !== device || memo.form.form !== form) {
				memo.form = {device, form, check: checkRoute(device, form.fields, form.original ? {replacing: form.original} : {})};
			}
			formCheck = memo.form.check;
		}
		// Every pod is a source: listed only while a trace is open, so a large device's first frame need not read its pods.
		const sources = state.overlay.kind === 'trace' ? (memo.sources ??= traceSources(device)) : noSources;
		return {filteredOf, focused, selectedIndex, selectedSource, selectedRoute, sources, formCheck};
	};
}

/** The dashboard: header, five panes laid out for the terminal, overlays, and a footer generated from the keymap. */
export function App({initial, storeLabel, readOnly, onChange, subscribe, live, preferences, onPreferencesChange, startNotice}: AppProps) {
	const {exit} = useApp();
	const {columns, rows: terminalRows} = useWindowSize();
	const openingState: UiState = {
		...initialUiState,
		focus: preferences?.focusedPane ?? initialUiState.focus,
		notice: startNotice === undefined ? null : {text: startNotice, tone: 'error'},
	};
	// The latest device, revision and UI state, updated as each key is handled; React renders from copies of them.
	const latest = useRef({device: initial.device, revision: initial.revision, problems: initial.problems ?? [], state: openingState});
	const remembered = useRef<DashboardPreferences>(preferences ?? {});
	const remember = (change: DashboardPreferences) => {
		remembered.current = {...remembered.current, ...change};
		onPreferencesChange?.(remembered.current);
	};
	const [rendered, setRendered] = useState(latest.current);
	const derive = useViewDeriver();
	const dispatch = (action: UiAction) => {
		latest.current = {...latest.current, state: uiReducer(latest.current.state, action)};
		setRendered(latest.current);
	};
	const setSnapshot = (snapshot: DeviceSnapshot) => {
		latest.current = {...latest.current, device: snapshot.device, revision: snapshot.revision, problems: snapshot.problems ?? latest.current.problems};
		setRendered(latest.current);
	};
	useEffect(
		() =>
			subscribe?.(change => {
				if (!change.ok) {
					dispatch({type: 'store-problem', message: change.message});
					return;
				}
				if (latest.current.state.storeProblem !== null) {
					dispatch({type: 'store-problem', message: null});
				}
				if (change.snapshot.revision !== latest.current.revision) {
					setSnapshot(change.snapshot);
					dispatch({type: 'notice-shown', notice: {text: 'updated from another session', tone: 'info'}});
				}
			}),
		[subscribe],
	);
	const [liveView, setLiveView] = useState<LiveView | undefined>(undefined);
	const liveViewRef = useRef<LiveView | undefined>(undefined);
	const refreshLive = () => {
		if (live) {
			liveViewRef.current = live.check(latest.current.device);
			setLiveView(liveViewRef.current);
		}
	};
	useEffect(() => {
		refreshLive();
		if (!live) {
			return undefined;
		}
		const timer = setInterval(refreshLive, 5000);
		return () => {
			clearInterval(timer);
		};
	}, [live, rendered.device]);
	const {device, state, problems} = rendered;
	useEffect(() => {
		if (state.focus !== remembered.current.focusedPane) {
			remember({focusedPane: state.focus});
		}
	}, [state.focus]);
	const view = derive(device, state, liveView);
	// A banner about an unreadable store takes a line from the panes.
	const banner =
		state.storeProblem === null
			? problems.length === 0
				? null
				: `store holds ${problems.length} route${problems.length === 1 ? '' : 's'} that break${problems.length === 1 ? 's' : ''} the route rules, not used: ${problems.join('; ')}`
			: `store unreadable, nothing is saved until it is valid again: ${state.storeProblem}`;
	const rows = terminalRows - (banner === null ? 0 : 1);
	const layout = computeLayout(columns, rows, state.focus);

	const save = async (change: (current: Device) => RouteChange, guard: EditGuard, onRefused?: (current?: DeviceSnapshot) => void) => {
		const outcome = await onChange(change, guard, () => {
			dispatch({type: 'notice-shown', notice: {text: 'waiting for the store lock…', tone: 'info'}});
		});
		if (outcome.ok) {
			setSnapshot(outcome);
			dispatch({type: 'change-saved', text: outcome.message});
		} else {
			if (outcome.current) {
				setSnapshot(outcome.current);
			}
			onRefused?.(outcome.current);
			dispatch({type: 'notice-shown', notice: {text: outcome.message, tone: 'error'}});
		}
	};

	const run = (command: CommandId) => {
		const {device, state, revision} = latest.current;
		const {focused, selectedRoute} = derive(device, state, liveViewRef.current);
		const currentLayout = computeLayout(columns, rows, state.focus);
		const pageSize =
			currentLayout.kind === 'full'
				? visibleRowCount(currentLayout.rows.flat().find(box => box.pane === state.focus)!)
				: currentLayout.kind === 'compact'
					? visibleRowCount(currentLayout.pane)
					: 1;
		const count = focused.shownCount;
		const pane = focusCommands[command];
		if (pane) {
			dispatch({type: 'pane-focused', pane});
			return;
		}
		const actions: Partial<Record<CommandId, () => UiAction | undefined>> = {
			'focus-next': () => ({type: 'focus-cycled', delta: 1}),
			'focus-previous': () => ({type: 'focus-cycled', delta: -1}),
			'move-down': () => ({type: 'selection-moved', delta: 1, count}),
			'move-up': () => ({type: 'selection-moved', delta: -1, count}),
			'page-down': () => ({type: 'selection-moved', delta: Math.max(1, pageSize), count}),
			'page-up': () => ({type: 'selection-moved', delta: -Math.max(1, pageSize), count}),
			first: () => ({type: 'selection-set', to: 'first', count}),
			last: () => ({type: 'selection-set', to: 'last', count}),
			details: () => (count > 0 ? {type: 'overlay-opened', overlay: {kind: 'details'}} : undefined),
			filter: () => ({type: 'filter-started'}),
			help: () => ({type: 'overlay-opened', overlay: {kind: 'help'}}),
			'route-add': () => {
				const port = device.ports.find(candidate => candidate.computeEnabled) ?? device.ports.find(candidate => candidate.ipConfig === 'static');
				return {type: 'overlay-opened', overlay: {kind: 'form', form: addForm(port?.name ?? '', revision)}};
			},
			'route-edit': () =>
				selectedRoute
					? {type: 'overlay-opened', overlay: {kind: 'form', form: editForm(plainRoute(selectedRoute), revision)}}
					: {type: 'notice-shown', notice: {text: 'no route is selected', tone: 'error'}},
			'route-delete': () =>
				selectedRoute
					? {
							type: 'overlay-opened',
							overlay: {kind: 'confirm-delete', key: {interface: selectedRoute.interface, destinationPrefix: selectedRoute.destinationPrefix}, revision, snapshot: plainRoute(selectedRoute)},
						}
					: {type: 'notice-shown', notice: {text: 'no route is selected', tone: 'error'}},
			'route-trace': () => ({type: 'overlay-opened', overlay: {kind: 'trace', trace: {...newTrace, destination: remembered.current.recentTraces?.[0] ?? ''}}}),
			'live-apply': () => {
				const plan = live?.plan(device);
				if (!plan) {
					return undefined;
				}
				if (!plan.ok) {
					return {type: 'notice-shown', notice: {text: plan.message, tone: 'error'}};
				}
				return plan.changes.length === 0
					? {type: 'notice-shown', notice: {text: "the VM's kernel already matches the store", tone: 'info'}}
					: {type: 'overlay-opened', overlay: {kind: 'confirm-apply', changes: plan.changes}};
			},
		};
		if (command === 'quit') {
			exit();
			return;
		}
		const action = actions[command]?.();
		if (action) {
			dispatch(action);
		}
	};

	const editText = (value: string, input: string, key: Key): string | undefined => {
		if (key.backspace || key.delete) {
			return value.slice(0, -1);
		}
		return isPrintable(input, key) ? value + input : undefined;
	};

	const handleForm = (input: string, key: Key) => {
		const {device, state} = latest.current;
		const form = state.overlay.kind === 'form' ? state.overlay.form : undefined;
		const {formCheck} = derive(device, state);
		if (!form || !formCheck) {
			return;
		}
		if (key.escape) {
			dispatch({type: 'overlay-closed'});
			dispatch({type: 'notice-shown', notice: {text: 'cancelled: nothing changed', tone: 'info'}});
		} else if (key.return) {
			if (!formCheck.ok) {
				dispatch({type: 'form-refused'});
				return;
			}
			const {fields, original, revision, snapshot} = form;
			const key = original ?? {interface: formCheck.route.interface, destinationPrefix: formCheck.route.destinationPrefix};
			void save(
				current => (original ? updateRoute(current, original, fields) : addRoute(current, fields)),
				{revision, key, snapshot},
				current => {
					dispatch({type: 'form-refused'});
					if (current) {
						dispatch({type: 'form-rebased', revision: current.revision, snapshot: findRoute(current.device, key) ?? null});
					}
				},
			);
		} else if ((key.tab && key.shift) || key.upArrow) {
			dispatch({type: 'form-focus-moved', delta: -1});
		} else if (key.tab || key.downArrow) {
			dispatch({type: 'form-focus-moved', delta: 1});
		} else if (form.focus === 'interface') {
			const names = device.ports.map(port => port.name);
			const index = names.indexOf(form.fields.interface);
			if (key.leftArrow || key.rightArrow || input === ' ') {
				const next = names[(index + (key.leftArrow ? -1 : 1) + names.length) % names.length] ?? form.fields.interface;
				dispatch({type: 'form-edited', field: 'interface', value: next});
			}
		} else {
			const field: RouteField = form.focus;
			const value = editText(form.fields[field], input, key);
			if (value !== undefined) {
				dispatch({type: 'form-edited', field, value});
			}
		}
	};

	const handleTrace = (input: string, key: Key) => {
		const {device, state} = latest.current;
		const {sources} = derive(device, state);
		if (state.overlay.kind !== 'trace') {
			return;
		}
		const {trace} = state.overlay;
		if (key.escape) {
			dispatch({type: 'overlay-closed'});
		} else if (key.return) {
			dispatch({type: 'trace-submitted'});
			const destination = trace.destination.trim();
			if (destination !== '') {
				remember({recentTraces: [destination, ...(remembered.current.recentTraces ?? []).filter(entry => entry !== destination)].slice(0, recentTraceCount)});
			}
		} else if (key.tab || key.upArrow || key.downArrow) {
			dispatch({type: 'trace-focus-toggled'});
		} else if (trace.focus === 'source' && (key.leftArrow || key.rightArrow)) {
			dispatch({type: 'trace-source-cycled', delta: key.leftArrow ? -1 : 1, count: sources.length});
		} else if (trace.focus === 'destination') {
			const value = editText(trace.destination, input, key);
			if (value !== undefined) {
				dispatch({type: 'trace-edited', destination: value});
			}
		}
	};

	useInput((chunk, chunkKey) => {
		for (const [input, key] of splitKeyChunk(chunk, chunkKey)) {
			handleKey(input, key);
		}
	});

	function handleKey(input: string, key: Key) {
		const {state} = latest.current;
		if (key.ctrl && input === 'c') {
			exit();
			return;
		}
		if (state.notice && !state.filtering) {
			dispatch({type: 'notice-cleared'});
		}
		switch (state.overlay.kind) {
			case 'form': {
				handleForm(input, key);
				return;
			}
			case 'trace': {
				handleTrace(input, key);
				return;
			}
			case 'confirm-delete': {
				const {key: target, revision, snapshot} = state.overlay;
				dispatch({type: 'overlay-closed'});
				if (input === 'y' || input === 'Y') {
					void save(current => removeRoute(current, target), {revision, key: target, snapshot});
				} else {
					dispatch({type: 'notice-shown', notice: {text: 'not deleted', tone: 'info'}});
				}
				return;
			}
			case 'confirm-apply': {
				dispatch({type: 'overlay-closed'});
				if ((input === 'y' || input === 'Y') && live) {
					const result = live.apply(latest.current.device);
					refreshLive();
					dispatch({type: 'notice-shown', notice: {text: result.message, tone: result.ok ? 'info' : 'error'}});
				} else {
					dispatch({type: 'notice-shown', notice: {text: 'not applied: the kernel is unchanged', tone: 'info'}});
				}
				return;
			}
			case 'help':
			case 'details': {
				if (key.escape || key.return || input === 'q' || input === '?') {
					dispatch({type: 'overlay-closed'});
				}
				return;
			}
			case 'none': {
				break;
			}
		}
		if (state.filtering) {
			if (key.escape) {
				dispatch({type: 'filter-closed', keep: false});
			} else if (key.return || key.downArrow || key.upArrow) {
				dispatch({type: 'filter-closed', keep: true});
			} else {
				const value = editText(state.filters[state.focus], input, key);
				if (value !== undefined) {
					dispatch({type: 'filter-typed', text: value});
				}
			}
			return;
		}
		if (key.escape && state.filters[state.focus] !== '') {
			dispatch({type: 'filter-closed', keep: false});
			return;
		}
		const command = resolveKey(state.focus, readOnly, input, key, live !== undefined);
		if (command) {
			run(command);
		}
	}

	if (layout.kind === 'too-small') {
		return <Text wrap="truncate">{layout.message}</Text>;
	}
	const liveLabel = live ? ` · live: ${sanitize(live.label)}${liveView && 'error' in liveView ? ' (kernel unreadable)' : ''}` : '';
	const header = `edgenet · device ${sanitize(device.name)} · store ${sanitize(storeLabel)}${readOnly ? ' · READ-ONLY' : ''}${liveLabel}`;
	return (
		<Box flexDirection="column" width={layout.width}>
			<Text bold wrap="truncate">
				{fit(header, layout.width)}
			</Text>
			{banner === null ? null : (
				<Text bold wrap="truncate" color={theme.danger}>
					{fit(sanitize(banner), layout.width)}
				</Text>
			)}
			<Body
				layout={layout}
				state={state}
				filteredOf={view.filteredOf}
				device={device}
				sources={view.sources}
				formCheck={view.formCheck}
				// Details are worked out only while they are shown: a pod's details search every service.
				focusedDetails={state.overlay.kind !== 'details' || view.selectedSource === undefined ? [] : view.focused.details(view.selectedSource)}
				readOnly={readOnly}
				isLive={live !== undefined}
			/>
			<Footer state={state} readOnly={readOnly} isLive={live !== undefined} width={layout.width} />
		</Box>
	);
}

type BodyProps = {
	readonly layout: Exclude<Layout, {kind: 'too-small'}>;
	readonly state: UiState;
	readonly filteredOf: (pane: PaneId) => FilteredPane;
	readonly device: Device;
	readonly sources: readonly string[];
	readonly formCheck: ReturnType<typeof checkRoute> | undefined;
	readonly focusedDetails: ReadonlyArray<readonly [string, string]>;
	readonly readOnly: boolean;
	readonly isLive: boolean;
};

function Body({layout, state, filteredOf, device, sources, formCheck, focusedDetails, readOnly, isLive}: BodyProps) {
	const bodyWidth = layout.width;
	const bodyHeight = layout.kind === 'full' ? layout.rows.reduce((sum, row) => sum + (row[0]?.height ?? 0), 0) : layout.pane.height + 1;
	const overlay = state.overlay;
	if (overlay.kind === 'form' && formCheck) {
		return <RouteForm form={overlay.form} check={formCheck} width={bodyWidth} height={bodyHeight} />;
	}
	if (overlay.kind === 'help') {
		const lines: PanelLine[] = helpLines(state.focus, readOnly, isLive).map(line => ({text: `${line.keys.padEnd(12)} ${line.description}${line.scope === 'routes' ? '  (routes pane)' : ''}`}));
		if (readOnly) {
			lines.push({text: ''}, {text: 'read-only: keys that change the store are not offered', tone: 'muted'});
		}
		lines.push({text: ''}, {text: 'Esc or ? closes this help', tone: 'muted'});
		return <TextPanel title={`Keys — ${paneTitles[state.focus]}`} lines={lines} width={bodyWidth} height={bodyHeight} />;
	}
	if (overlay.kind === 'confirm-apply') {
		return (
			<TextPanel
				title={`Apply ${overlay.changes.length} change${overlay.changes.length === 1 ? '' : 's'} to the VM's kernel? y/N`}
				lines={[...overlay.changes.map(change => ({text: sanitize(change)})), {text: ''}, {text: "only edgenet's own routes (protocol 237) are added or removed", tone: 'muted'}]}
				width={bodyWidth}
				height={bodyHeight}
			/>
		);
	}
	if (overlay.kind === 'details') {
		const width = Math.max(...focusedDetails.map(([label]) => label.length), 0);
		return (
			<TextPanel
				title={`${paneTitles[state.focus]} — details (Esc closes)`}
				lines={focusedDetails.map(([label, value]) => ({text: `${label.padEnd(width)}  ${value}`}))}
				width={bodyWidth}
				height={bodyHeight}
			/>
		);
	}
	if (overlay.kind === 'trace') {
		const {trace} = overlay;
		const source = sources[trace.sourceIndex] ?? 'worker';
		const lines: PanelLine[] = [
			{text: `${trace.focus === 'destination' ? '›' : ' '} destination  ${sanitize(trace.destination)}${trace.focus === 'destination' ? '▏' : ''}   (an address or a service name)`, tone: trace.focus === 'destination' ? 'strong' : undefined},
			{text: `${trace.focus === 'source' ? '›' : ' '} from         ‹ ${sanitize(source)} ›`, tone: trace.focus === 'source' ? 'strong' : undefined},
			{text: 'Enter trace · Tab switch field · ←/→ choose the source · Esc close', tone: 'muted'},
			{text: ''},
		];
		if (trace.traced) {
			const answer = lookupRoute(device, sources[trace.traced.sourceIndex] ?? 'worker', trace.traced.destination);
			if (answer.ok) {
				lines.push(...toTraceLines(answer.value));
			} else {
				lines.push({text: sanitize(answer.error), tone: 'error'});
			}
		}
		return <TextPanel title="Trace: where does traffic go?" lines={lines} width={bodyWidth} height={bodyHeight} />;
	}
	const pane = (pane: PaneId, width: number, height: number) => {
		const rows = filteredOf(pane);
		return (
			<TablePane
				key={pane}
				title={paneTitles[pane]}
				number={paneIds.indexOf(pane) + 1}
				columns={rows.columns}
				count={rows.shownCount}
				row={rows.shownRow}
				total={rows.count}
				selectedIndex={state.selected[pane]}
				width={width}
				height={height}
				isFocused={state.focus === pane}
				filter={state.filters[pane]}
				isFiltering={state.filtering && state.focus === pane}
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
	const tabs = paneIds.map((id, index) => (id === state.focus ? `[${index + 1} ${tabTitles[id]}]` : ` ${index + 1} ${tabTitles[id]} `)).join(' ');
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">{fit(tabs, bodyWidth)}</Text>
			{pane(layout.pane.pane, layout.pane.width, layout.pane.height)}
		</Box>
	);
}

function Footer({state, readOnly, isLive, width}: {readonly state: UiState; readonly readOnly: boolean; readonly isLive: boolean; readonly width: number}) {
	if (state.overlay.kind === 'confirm-delete') {
		const {key} = state.overlay;
		return (
			<Text bold wrap="truncate" color={theme.danger}>
				{fit(`Delete the route for ${sanitize(key.destinationPrefix)} on ${sanitize(key.interface)}? y/N`, width)}
			</Text>
		);
	}
	if (state.notice) {
		return (
			<Text wrap="truncate" color={state.notice.tone === 'error' ? theme.danger : theme.success}>
				{fit(sanitize(state.notice.text.replaceAll('\n', ' · ')), width)}
			</Text>
		);
	}
	if (state.filtering) {
		return <Text wrap="truncate">{fit('type to filter · Enter keep · Esc clear', width)}</Text>;
	}
	if (state.overlay.kind === 'confirm-apply') {
		return (
			<Text bold wrap="truncate" color={theme.danger}>
				{fit('y applies the changes listed above; any other key leaves the kernel as it is', width)}
			</Text>
		);
	}
	const hints = footerHints(state.focus, readOnly, isLive)
		.map(hint => `${hint.keys} ${hint.label}`)
		.join('  ');
	return (
		<Text wrap="truncate" color={theme.keyHint}>
			{fit(hints, width)}
		</Text>
	);
}
