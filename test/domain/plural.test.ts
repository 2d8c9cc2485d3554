import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {groupDigits, plural} from '../../source/domain/plural.js';

describe('counts in messages', () => {
	test('a count of one takes the singular, any other the plural', () => {
		expect([plural(1, 'route'), plural(0, 'route'), plural(2, 'address', 'addresses')]).toEqual(['1 route', '0 routes', '2 addresses']);
	});

	test('digits are grouped in threes as en-US writes them', () => {
		expect([0, 7, 999, 1000, 65_536, 1_048_576, -12_345].map(groupDigits)).toEqual(['0', '7', '999', '1,000', '65,536', '1,048,576', '-12,345']);
		fc.assert(
			fc.property(fc.integer({min: -(2 ** 53) + 1, max: 2 ** 53 - 1}), value => {
				expect(groupDigits(value)).toBe(value.toLocaleString('en-US'));
			}),
		);
	});
});
