import {describe, expect, test} from 'vitest';
import {columnWidths, fitRow, truncate} from '../../source/view-models/fit.js';

const sum = (widths: readonly number[]) => widths.filter(width => width > 0).reduce((total, width, index) => total + width + (index > 0 ? 2 : 0), 0);

describe('columnWidths', () => {
	test('a table that fits keeps every column as wide as its widest cell or heading', () => {
		expect(columnWidths([{heading: 'NAME'}, {heading: 'IP'}], [['web', '10.0.0.1'], ['db-0', '10.0.0.22']], 80)).toEqual([4, 9]);
	});

	test('a column with nothing in view but its heading is hidden before any cell is cut', () => {
		const columns = [{heading: 'NAME'}, {heading: 'EXTERNAL-IP', essential: true}, {heading: 'NODE'}];
		const rows = [
			['kube-system/coredns-6d4b75cb6d-7xk2p', '', 'on master'],
			['kube-system/coredns-6d4b75cb6d-q9vzm', '', 'on worker'],
		];
		expect(columnWidths(columns, rows, 47)).toEqual([36, 0, 9]);
	});

	test('the column whose cut shortens the fewest cells gives way first', () => {
		const columns = [{heading: 'A'}, {heading: 'B'}];
		// Cutting A shortens only its one long cell; cutting B would shorten all three.
		const rows = [
			['x'.repeat(30), 'y'.repeat(20)],
			['short', 'y'.repeat(20)],
			['short', 'y'.repeat(20)],
		];
		expect(columnWidths(columns, rows, 38)).toEqual([16, 20]);
	});

	test('ordinary columns are cut to 16 before optional columns are hidden from the right, and the room a hidden one leaves goes back to the cut columns', () => {
		const columns = [{heading: 'PORT'}, {heading: 'DNS', optional: true}, {heading: 'CONNECTS TO'}, {heading: 'SPEED', optional: true}];
		const rows = [
			['Port1', '10.128.44.2', 'private network: cameras and sensors', '25 GbE'],
			['Port2', '-', 'not connected', '1 GbE'],
		];
		// CONNECTS TO is cut to 16 first: that is enough at 44.
		expect(columnWidths(columns, rows, 44)).toEqual([5, 11, 16, 6]);
		// At 40 it is not: SPEED is hidden, and CONNECTS TO gets back all of the room it leaves.
		expect(columnWidths(columns, rows, 40)).toEqual([5, 11, 20, 0]);
		// At 30 DNS goes too, and CONNECTS TO is cut only to 23.
		expect(columnWidths(columns, rows, 30)).toEqual([5, 0, 23, 0]);
	});

	test('room nothing else needs brings a hidden optional column back, cut to fit; an essential one only whole', () => {
		const rows = [
			['webapp/web', 'web.webapp.svc.cluster.local'],
			['webapp/db', 'db.webapp.svc.cluster.local'],
		];
		expect(columnWidths([{heading: 'NAME'}, {heading: 'DNS NAME', optional: true}], rows, 30)).toEqual([10, 18]);
		expect(columnWidths([{heading: 'NAME'}, {heading: 'DNS NAME', optional: true, essential: true}], rows, 30)).toEqual([10, 0]);
	});

	test('a column is never cut so far that two different values in it look the same', () => {
		const columns = [{heading: 'NAME'}, {heading: 'LABELS'}];
		const names = ['kube-system/coredns-6d4b75cb6d-7xk2p', 'kube-system/coredns-6d4b75cb6d-q9vzm'];
		const rows = names.map(name => [name, 'k8s-app=kube-dns,pod-template-hash=6d4b75cb6d']);
		const widths = columnWidths(columns, rows, 60);
		expect(widths[0]).toBeGreaterThanOrEqual(33);
		expect(new Set(names.map(name => truncate(name, widths[0]!))).size).toBe(2);
		expect(sum(widths)).toBe(60);
	});

	test('an optional column that alone tells two rows apart is not hidden', () => {
		const columns = [{heading: 'NAME'}, {heading: 'NODE', optional: true}, {heading: 'NOTE'}];
		const rows = [
			['web', 'master', 'a long note that can be cut'],
			['web', 'worker', 'a long note that can be cut'],
		];
		const widths = columnWidths(columns, rows, 26);
		expect(widths[1]).toBe(6);
		const shown = rows.map(row => fitRow(row, widths));
		expect(shown[0]).not.toBe(shown[1]);
	});

	test('headings are never cut while a column can give way elsewhere', () => {
		const widths = columnWidths([{heading: 'DESTINATION', essential: true}, {heading: 'WARNINGS'}], [['10.0.0.0', 'overlaps the pod CIDR 172.27.0.0/16']], 30);
		expect(widths).toEqual([11, 17]);
	});
});
