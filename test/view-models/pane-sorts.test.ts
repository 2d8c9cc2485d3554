import fc from 'fast-check';
import {expect, test} from 'vitest';
import {isIPv4Address, toNumber} from '../../source/domain/ip.js';
import {addressKey, prefixLengthKey} from '../../source/view-models/pane-sorts.js';

/** The key as the sort defines it: the address's number times 64 plus the length (32 for a bare address); anything else its text. */
function expectedKey(text: string): number | string {
	const slash = text.indexOf('/');
	const address = slash === -1 ? text : text.slice(0, slash);
	const length = slash === -1 ? 32 : Number(text.slice(slash + 1));
	return isIPv4Address(address) && Number.isInteger(length) && length >= 0 && length <= 32 ? toNumber(address) * 64 + length : text;
}

test('an address or prefix sorts by its address, then its length; anything else by its text', () => {
	expect(['10.1.0.0/16', '10.1.0.0/8', '10.1.0.1', '10.1.0.0/33', '10.1.0.0/016', '<pending>'].map(addressKey)).toEqual([
		167_837_696 * 64 + 16,
		167_837_696 * 64 + 8,
		167_837_697 * 64 + 32,
		'10.1.0.0/33',
		167_837_696 * 64 + 16,
		'<pending>',
	]);
	const octet = fc.oneof(fc.integer({min: 0, max: 255}).map(String), fc.stringMatching(/^[0-9]{1,4}$/));
	const length = fc.oneof(fc.integer({min: 0, max: 40}).map(String), fc.stringMatching(/^[0-9 ]{0,3}$/));
	const prefix = fc.tuple(octet, octet, octet, octet, fc.option(length)).map(([a, b, c, d, bits]) => `${a}.${b}.${c}.${d}${bits === null ? '' : `/${bits}`}`);
	fc.assert(
		fc.property(fc.oneof(prefix, fc.string()), text => {
			expect(addressKey(text)).toBe(expectedKey(text));
			const key = expectedKey(text);
			expect(prefixLengthKey(text)).toBe(typeof key === 'number' ? (key % 64) * 2 ** 32 + Math.floor(key / 64) : key);
		}),
		{numRuns: 2000},
	);
});
