import {describe, expect, test} from 'vitest';
import {wrapIndented, wrapText} from '../../source/view-models/text-table.js';

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
