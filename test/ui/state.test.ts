import {describe, expect, test} from 'vitest';
import {addForm, editForm, initialUiState, newTrace, nextSort, sortsFrom, type UiState, uiReducer} from '../../source/ui/state.js';

const withForm: UiState = {...initialUiState, overlay: {kind: 'form', form: addForm('Port3')}};

describe('uiReducer', () => {
	test('pane-focused', () => {
		expect(uiReducer(initialUiState, {type: 'pane-focused', pane: 'pods'}).focus).toBe('pods');
	});

	test('focus-cycled wraps both ways', () => {
		expect(uiReducer(initialUiState, {type: 'focus-cycled', delta: 1}).focus).toBe('ports');
		expect(uiReducer(initialUiState, {type: 'focus-cycled', delta: -1}).focus).toBe('pods');
	});

	test('selection-moved stays within the rows', () => {
		const down = uiReducer(initialUiState, {type: 'selection-moved', delta: 5, count: 3});
		expect(down.selected.routes).toBe(2);
		expect(uiReducer(down, {type: 'selection-moved', delta: -10, count: 3}).selected.routes).toBe(0);
	});

	test('selection-set to the last row', () => {
		expect(uiReducer(initialUiState, {type: 'selection-set', to: 'last', count: 10_000}).selected.routes).toBe(9999);
	});

	test('filter-typed filters the focused pane and selects its first row', () => {
		const moved = uiReducer(initialUiState, {type: 'selection-moved', delta: 2, count: 5});
		const state = uiReducer(uiReducer(moved, {type: 'filter-started'}), {type: 'filter-typed', text: 'web'});
		expect(state.filters.routes).toBe('web');
		expect(state.selected.routes).toBe(0);
		expect(state.filtering).toBe(true);
	});

	test('filter-closed keeps or clears', () => {
		const typed = uiReducer({...initialUiState, filtering: true}, {type: 'filter-typed', text: 'x'});
		expect(uiReducer(typed, {type: 'filter-closed', keep: true})).toMatchObject({filtering: false, filters: {routes: 'x'}});
		expect(uiReducer(typed, {type: 'filter-closed', keep: false})).toMatchObject({filtering: false, filters: {routes: ''}});
	});

	test('filter-closed clearing the filter selects the row it is told: the one selected in the filtered rows', () => {
		const typed = uiReducer({...initialUiState, filtering: true}, {type: 'filter-typed', text: 'x'});
		expect(uiReducer(typed, {type: 'filter-closed', keep: false, selected: 41})).toMatchObject({filtering: false, filters: {routes: ''}, selected: {routes: 41}});
	});

	test('routes open sorted by destination, the other panes in the device order', () => {
		expect(initialUiState.sorts).toEqual({ports: undefined, switches: undefined, vms: undefined, pods: undefined, routes: {column: 'destination', descending: false}});
	});

	test('a sort key sorts by its column smallest first; pressed again, the other way round', () => {
		const byMetric = nextSort(initialUiState.sorts.routes, 'metric');
		expect(byMetric).toEqual({column: 'metric', descending: false});
		expect(nextSort(byMetric, 'metric')).toEqual({column: 'metric', descending: true});
		expect(nextSort({column: 'metric', descending: true}, 'metric')).toEqual({column: 'metric', descending: false});
		expect(nextSort(undefined, 'name')).toEqual({column: 'name', descending: false});
	});

	test('pane-sorted sorts the focused pane and moves the selection where it is told', () => {
		const state = uiReducer({...initialUiState, focus: 'pods'}, {type: 'pane-sorted', sort: {column: 'address', descending: true}, selected: 7});
		expect(state.sorts.pods).toEqual({column: 'address', descending: true});
		expect(state.sorts.routes).toEqual(initialUiState.sorts.routes);
		expect(state.selected.pods).toBe(7);
	});

	test('remembered sorts are taken only for a pane that sorts by that column', () => {
		expect(sortsFrom({routes: {column: 'metric', descending: true}, pods: {column: 'metric', descending: false}, nowhere: {column: 'name', descending: false}})).toEqual({
			...initialUiState.sorts,
			routes: {column: 'metric', descending: true},
		});
		expect(sortsFrom(undefined)).toEqual(initialUiState.sorts);
	});

	test('overlay-opened and overlay-closed', () => {
		const open = uiReducer(initialUiState, {type: 'overlay-opened', overlay: {kind: 'help'}});
		expect(open.overlay.kind).toBe('help');
		expect(uiReducer(open, {type: 'overlay-closed'}).overlay.kind).toBe('none');
	});

	test('form-edited changes one field', () => {
		const state = uiReducer(withForm, {type: 'form-edited', field: 'metric', value: '10'});
		expect(state.overlay.kind === 'form' && state.overlay.form.fields).toEqual({interface: 'Port3', destinationPrefix: '', nextHop: '', metric: '10'});
	});

	test('form-focus-moved cycles the four fields', () => {
		const next = uiReducer(withForm, {type: 'form-focus-moved', delta: 1});
		expect(next.overlay.kind === 'form' && next.overlay.form.focus).toBe('nextHop');
		const wrapped = uiReducer(uiReducer(next, {type: 'form-focus-moved', delta: 1}), {type: 'form-focus-moved', delta: 1});
		expect(wrapped.overlay.kind === 'form' && wrapped.overlay.form.focus).toBe('interface');
	});

	test('form-refused shows every message', () => {
		const state = uiReducer(withForm, {type: 'form-refused'});
		expect(state.overlay.kind === 'form' && state.overlay.form.submitted).toBe(true);
	});

	test('an edit form starts on the next hop and remembers the key', () => {
		const route = {interface: 'Port3', destinationPrefix: '192.168.20.0/24', nextHop: '192.168.10.1', metric: 100};
		const form = editForm(route, 7);
		expect(form).toMatchObject({mode: 'edit', focus: 'nextHop', original: {interface: 'Port3', destinationPrefix: '192.168.20.0/24'}, revision: 7, snapshot: route});
		expect(form.fields.metric).toBe('100');
	});

	test('trace actions', () => {
		let state: UiState = {...initialUiState, overlay: {kind: 'trace', trace: newTrace}};
		state = uiReducer(state, {type: 'trace-edited', destination: '192.168.20.7'});
		state = uiReducer(state, {type: 'trace-focus-toggled'});
		state = uiReducer(state, {type: 'trace-source-cycled', delta: -1, count: 4});
		state = uiReducer(state, {type: 'trace-submitted'});
		expect(state.overlay.kind === 'trace' && state.overlay.trace).toEqual({
			destination: '192.168.20.7',
			sourceIndex: 3,
			focus: 'source',
			traced: {destination: '192.168.20.7', sourceIndex: 3},
		});
	});

	test('change-saved closes the overlay and says what was saved', () => {
		const state = uiReducer(withForm, {type: 'change-saved', text: 'Added.'});
		expect(state.overlay.kind).toBe('none');
		expect(state.notice).toEqual({text: 'Added.', tone: 'info'});
	});

	test('form-rebased takes the reloaded revision and route', () => {
		const route = {interface: 'Port3', destinationPrefix: '192.168.20.0/24', nextHop: '192.168.10.9', metric: 5};
		const state = uiReducer(withForm, {type: 'form-rebased', revision: 9, snapshot: route});
		expect(state.overlay.kind === 'form' && [state.overlay.form.revision, state.overlay.form.snapshot]).toEqual([9, route]);
	});

	test('store-problem sets and clears the banner', () => {
		const problem = uiReducer(initialUiState, {type: 'store-problem', message: 'not valid JSON'});
		expect(problem.storeProblem).toBe('not valid JSON');
		expect(uiReducer(problem, {type: 'store-problem', message: null}).storeProblem).toBeNull();
	});

	test('notice-shown and notice-cleared', () => {
		const shown = uiReducer(initialUiState, {type: 'notice-shown', notice: {text: 'no', tone: 'error'}});
		expect(uiReducer(shown, {type: 'notice-cleared'}).notice).toBeNull();
	});
});
