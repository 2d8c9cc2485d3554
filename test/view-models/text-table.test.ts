import {describe, expect, test} from 'vitest';
import {formatTextTable, type TextColumn, wrapIndented, wrapText} from '../../source/view-models/text-table.js';

describe('wrapText', () => {
	test('breaks at spaces, keeping each line within the width', () => {
		expect(wrapText('list, add, change, remove and look up the custom routes', 20)).toEqual(['list, add, change,', 'remove and look up', 'the custom routes']);
		expect(wrapText('fits', 20)).toEqual(['fits']);
		expect(wrapText('', 20)).toEqual(['']);
	});

	test('breaks after a comma inside a word, and cuts a word longer than a line', () => {
		expect(wrapText('5671/TCP,443/TCP,8883/TCP', 17)).toEqual(['5671/TCP,443/TCP,', '8883/TCP']);
		expect(wrapText('net.azure-devices.edge.module=edgeHub', 16)).toEqual(['net.azure-device', 's.edge.module=ed', 'geHub']);
	});

	test('measures wide characters by the columns they take', () => {
		expect(wrapText('漢字 漢字 漢字', 9)).toEqual(['漢字 漢字', '漢字']);
	});

	test('wrapIndented hangs the lines after the first under its text', () => {
		expect(wrapIndented('edgenet export device|powershell|iproute [--vm master|worker]', 40, 'Usage: ')).toEqual([
			'Usage: edgenet export',
			'       device|powershell|iproute [--vm',
			'       master|worker]',
		]);
	});
});

describe('formatTextTable with a width', () => {
	const columns: TextColumn[] = [{heading: 'NAME'}, {heading: 'ADDRESS'}, {heading: 'PORTS', wrap: true}, {heading: 'NOTE', wrap: true}];
	const rows = [
		['web', '172.28.0.3', '80/TCP,443/TCP', 'the front end of the shop, reached through MetalLB'],
		['db', '172.28.0.4', '5432/TCP', '-'],
	];

	test('a table that fits is laid out as without one', () => {
		expect(formatTextTable(columns, rows, 200)).toEqual(formatTextTable(columns, rows));
	});

	test('wraps a wrap column in place while its words fit, and puts one that does not under each row', () => {
		expect(formatTextTable(columns, rows, 36)).toEqual([
			'NAME  ADDRESS     PORTS',
			'web   172.28.0.3  80/TCP,443/TCP',
			'  note: the front end of the shop,',
			'        reached through MetalLB',
			'db    172.28.0.4  5432/TCP',
		]);
		expect(formatTextTable(columns, rows, 28)).toEqual([
			'NAME  ADDRESS     PORTS',
			'web   172.28.0.3  80/TCP,',
			'                  443/TCP',
			'  note: the front end of the',
			'        shop, reached',
			'        through MetalLB',
			'db    172.28.0.4  5432/TCP',
		]);
	});

	test('never cuts a column that does not wrap', () => {
		expect(formatTextTable(columns, rows, 10)[1]).toBe('web   172.28.0.3');
	});
});
