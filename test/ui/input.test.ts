import {editAt} from '../../source/ui/input/text-edit.js';
import {describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {handleKey, keyContextOf, modeOf} from '../../source/ui/input/handle-key.js';
import type {InputContext} from '../../source/ui/input/outcome.js';
import {bindingOf, type CommandId, readOnlyReason} from '../../source/ui/keymap.js';
import {addForm, initialUiState, type UiState} from '../../source/ui/state.js';
import {createViewDeriver} from '../../source/ui/view.js';
import {noKey, pressOf} from '../support/keys.js';

const demo = createDemoDevice();


/** The demo device with routes 10.1.0.0/16 (metric 30), 10.2.0.0/16 (10) and 10.10.0.0/16 (20) after its own 192.168.20.0/24 (100). */
const routed = {...demo, routes: [...demo.routes, ...(['10.1.0.0/16', '10.2.0.0/16', '10.10.0.0/16'] as const).map((destinationPrefix, index) => ({interface: 'Port3', destinationPrefix, nextHop: '192.168.10.1', metric: [30, 10, 20][index]!}))]};

/** What the command's key comes to in a state. */
function press(state: UiState, command: CommandId, options: {readOnly?: boolean; device?: typeof demo} = {}) {
	return handleKey(contextOf(state, options.readOnly, options.device), ...pressOf(bindingOf(command).keys[0]!));
}

describe('the key handlers', () => {
	test('on the panes, a key becomes a UI action; quitting is an effect', () => {
		expect(press(initialUiState, 'page-down').actions).toEqual([{type: 'selection-moved', delta: 5, count: 1}]);
		expect(press(initialUiState, 'focus-pods').actions).toEqual([{type: 'pane-focused', pane: 'pods'}]);
		expect(press(initialUiState, 'quit')).toEqual({actions: [], effect: {kind: 'exit'}});
	});

	test('read-only: a key that changes the store becomes its reason in the status line, and nothing else', () => {
		expect(press(initialUiState, 'route-delete', {readOnly: true})).toEqual({actions: [{type: 'notice-shown', notice: {text: readOnlyReason, tone: 'error'}}]});
	});

	test('delete asks first, on the revision it was pressed on; y saves, any other key does not', () => {
		const [open] = press(initialUiState, 'route-delete').actions;
		expect(open).toMatchObject({type: 'overlay-opened', overlay: {kind: 'confirm-delete', revision: 7, key: {interface: 'Port3', destinationPrefix: '192.168.20.0/24'}}});
		const asking: UiState = {...initialUiState, overlay: open!.type === 'overlay-opened' ? open.overlay : {kind: 'none'}};
		expect(modeOf(asking)).toBe('confirm');
		expect(press(asking, 'confirm-yes').effect).toMatchObject({kind: 'save', guard: {revision: 7}});
		expect(handleKey(contextOf(asking), 'n', noKey)).toEqual({actions: [{type: 'overlay-closed'}, {type: 'notice-shown', notice: {text: 'not deleted', tone: 'info'}}]});
	});

	test('in the form, Enter on a refused route marks the form, and Esc closes it changing nothing', () => {
		const form: UiState = {...initialUiState, overlay: {kind: 'form', form: addForm('Port3', 7)}};
		// Enter says what blocks the save and goes to the first field that does.
		const onMetric: UiState = {...initialUiState, overlay: {kind: 'form', form: {...addForm('Port3', 7), focus: 'metric'}}};
		expect(press(onMetric, 'form-save')).toEqual({
			actions: [
				{type: 'form-refused', focus: 'destinationPrefix'},
				{type: 'notice-shown', notice: {text: 'not saved: destination: enter an IPv4 prefix such as 192.168.20.0/24, or an address for a single host', tone: 'error'}},
			],
		});
		expect(press(form, 'form-cancel').actions).toEqual([{type: 'overlay-closed'}, {type: 'notice-shown', notice: {text: 'cancelled: nothing changed', tone: 'info'}}]);
		expect(handleKey(contextOf(form), '1', noKey).actions).toEqual([{type: 'form-edited', field: 'destinationPrefix', value: '1', cursor: 1}]);
	});

	test('in the filter, typed text narrows the pane, and a notice stays while typing', () => {
		const filtering: UiState = {...initialUiState, filtering: true, notice: {text: 'x', tone: 'info'}};
		expect(modeOf(filtering)).toBe('filter');
		expect(handleKey(contextOf(filtering), 'w', noKey).actions).toEqual([{type: 'filter-typed', text: 'w'}]);
		expect(press(filtering, 'filter-keep').actions).toEqual([{type: 'filter-closed', keep: true}]);
	});

	test('Esc on a filter leaves the row that was selected among the results selected among all the rows', () => {
		// By destination: 10.1, 10.2, 10.10, 192.168.20; `10.1` keeps 10.1 and 10.10, and the second of those is selected.
		const filtered: UiState = {...initialUiState, filters: {...initialUiState.filters, routes: '10.1'}, selected: {...initialUiState.selected, routes: 1}};
		expect(press({...filtered, filtering: true}, 'filter-cancel', {device: routed}).actions).toEqual([{type: 'filter-closed', keep: false, selected: 2}]);
		expect(press(filtered, 'clear-filter', {device: routed}).actions).toEqual([{type: 'filter-closed', keep: false, selected: 2}]);
	});

	test('↓ in the filter keeps it and moves into the results; ↑ keeps it and moves back', () => {
		const typing: UiState = {...initialUiState, filtering: true, filters: {...initialUiState.filters, routes: '10.'}};
		expect(press(typing, 'filter-down', {device: routed}).actions).toEqual([{type: 'filter-closed', keep: true}, {type: 'selection-moved', delta: 1, count: 3}]);
		expect(press(typing, 'filter-up', {device: routed}).actions).toEqual([{type: 'filter-closed', keep: true}, {type: 'selection-moved', delta: -1, count: 3}]);
	});

	test('a sort key sorts the focused pane, the selected route staying selected wherever it goes', () => {
		// 10.10.0.0/16 is third by destination and second by metric.
		const onTenTen: UiState = {...initialUiState, selected: {...initialUiState.selected, routes: 2}};
		expect(press(onTenTen, 'sort-metric', {device: routed}).actions).toEqual([{type: 'pane-sorted', sort: {column: 'metric', descending: false}, selected: 1}]);
		const byMetric: UiState = {...onTenTen, sorts: {...onTenTen.sorts, routes: {column: 'metric', descending: false}}, selected: {...onTenTen.selected, routes: 1}};
		expect(press(byMetric, 'sort-metric', {device: routed}).actions).toEqual([{type: 'pane-sorted', sort: {column: 'metric', descending: true}, selected: 2}]);
	});
});

/** What a handler decides from, on the demo device at revision 7. */
function contextOf(state: UiState, readOnly = false, device = demo): InputContext {
	const view = createViewDeriver()(device, state, undefined);
	return {state, view, device, revision: 7, keys: keyContextOf(state, view, readOnly, false), pageSize: 5, overlaySize: {width: 79, height: 21}};
}

describe('line editing', () => {
	test('each edit works at the cursor, as a shell line editor does', () => {
		const field = {text: 'ab cd', cursor: 2};
		expect(editAt(field, 'type', 'X')).toEqual({text: 'abX cd', cursor: 3});
		expect(editAt(field, 'erase')).toEqual({text: 'a cd', cursor: 1});
		expect(editAt(field, 'delete')).toEqual({text: 'abcd', cursor: 2});
		expect(editAt(field, 'left')).toEqual({text: 'ab cd', cursor: 1});
		expect(editAt(field, 'right')).toEqual({text: 'ab cd', cursor: 3});
		expect(editAt(field, 'home')).toEqual({text: 'ab cd', cursor: 0});
		expect(editAt(field, 'end')).toEqual({text: 'ab cd', cursor: 5});
		expect(editAt(field, 'cut-to-start')).toEqual({text: ' cd', cursor: 0});
		expect(editAt({text: 'ab cd  ', cursor: 7}, 'cut-word')).toEqual({text: 'ab ', cursor: 3});
		expect(editAt({text: 'ab', cursor: 0}, 'erase')).toEqual({text: 'ab', cursor: 0});
		expect(editAt({text: 'ab', cursor: 2}, 'delete')).toEqual({text: 'ab', cursor: 2});
	});
});
