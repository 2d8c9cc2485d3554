import {renderToString} from 'ink';
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, test} from 'vitest';
import {Footer, footerText} from '../../source/ui/components/footer.js';
import type {KeyContext} from '../../source/ui/keymap.js';
import {initialUiState} from '../../source/ui/state.js';

const routes: KeyContext = {pane: 'routes', readOnly: false, isLive: false, hasRoute: true, hasFilter: false};

describe('the footer', () => {
	test('with room for every hint, every hint shows', () => {
		expect(footerText('main', routes, 119)).toBe('a add  e edit  d delete  t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit  D/L/H/P/M/S sort');
	});

	test('at 80 columns the least important hints go first, and ? help and q quit stay last', () => {
		expect(footerText('main', routes, 79)).toBe('a add  e edit  d delete  t trace  Enter details  / filter  ? help  q quit');
		expect(footerText('main', {...routes, isLive: true}, 79)).toBe('a add  e edit  d delete  A apply  t trace  Enter details  ? help  q quit');
		expect(footerText('main', {...routes, pane: 'pods'}, 79)).toBe('t trace  Tab pane  ↓ move  Enter details  / filter  ? help  q quit');
	});

	test('however narrow, ? help and q quit are never dropped', () => {
		expect(footerText('main', {...routes, isLive: true}, 20)).toBe('? help  q quit');
		expect(footerText('main', routes, 5)).toBe('? help  q quit');
	});

	test('a long question of a confirmation is cut, never its answers', () => {
		const state = {...initialUiState, overlay: {kind: 'confirm-delete', key: {interface: 'Port3', destinationPrefix: '192.168.200.0/24'}, revision: 1, snapshot: {interface: 'Port3', destinationPrefix: '192.168.200.0/24', nextHop: '192.168.10.1', metric: 1}}} as const;
		const line = stripVTControlCharacters(renderToString(<Footer state={state} mode="confirm" keys={routes} width={50} />, {columns: 50}));
		expect(line).toBe('Delete the route for 192…  y yes  any other key no');
	});
});
