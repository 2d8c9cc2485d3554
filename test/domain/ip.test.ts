import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {addressValue, formatNetwork, fromNumber, isIPv4Address, parseAddress, parseInterfaceAddress, parsePrefix, parseRange, toNumber} from '../../source/domain/ip.js';

const octet = fc.integer({min: 0, max: 255});
const address = fc.tuple(octet, octet, octet, octet).map(parts => parts.join('.'));

describe('parsing never throws', () => {
	test('on any string', () => {
		fc.assert(
			fc.property(fc.string(), text => {
				parseAddress(text);
				parsePrefix(text);
				parseInterfaceAddress(text);
				parseRange(text);
			}),
		);
	});

	test('on address-like strings, each parser accepts exactly what the rules allow, and a refusal quotes the text', () => {
		const piece = fc.oneof(address, fc.stringMatching(/^[0-9.x]{0,15}$/));
		const addressLike = fc.oneof(
			fc.stringMatching(/^[0-9./x-]{0,24}$/),
			piece,
			fc.tuple(piece, fc.stringMatching(/^[0-9x/]{0,3}$/)).map(([ip, length]) => `${ip}/${length}`),
			fc.tuple(piece, piece).map(([first, last]) => `${first}-${last}`),
		);
		fc.assert(
			fc.property(addressLike, text => {
				const trimmed = text.trim();
				const slash = trimmed.indexOf('/');
				const host = slash === -1 ? quadValue(trimmed) : undefined;
				const cidr = slash === -1 ? undefined : cidrOf(trimmed.slice(0, slash), trimmed.slice(slash + 1));
				const ends = text.split('-').map(part => quadValue(part.trim()));
				const expected = {
					address: quadValue(trimmed) !== undefined,
					prefix: host !== undefined || (cidr !== undefined && cidr.value % 2 ** (32 - cidr.length) === 0),
					interfaceAddress: cidr !== undefined,
					range: ends.length === 2 && ends[0] !== undefined && ends[1] !== undefined && ends[0] <= ends[1],
				};
				const results = {address: parseAddress(text), prefix: parsePrefix(text), interfaceAddress: parseInterfaceAddress(text), range: parseRange(text)};
				expect(Object.fromEntries(Object.entries(results).map(([name, result]) => [name, result.ok]))).toEqual(expected);
				for (const result of Object.values(results)) {
					if (!result.ok) {
						expect(result.error).toContain(`"${trimmed}"`);
					}
				}
			}),
			{numRuns: 2000},
		);
	});
});

/** The value of four decimal parts 0-255 without leading zeros, the one form the parsers accept; written apart from them to check them. */
function quadValue(text: string): number | undefined {
	if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(text)) {
		return undefined;
	}
	const parts = text.split('.').map(Number);
	return parts.every(part => part <= 255) ? parts.reduce((value, part) => value * 256 + part, 0) : undefined;
}

/** An address and a prefix length of one or two digits up to 32, or nothing. */
function cidrOf(addressText: string, lengthText: string): {readonly value: number; readonly length: number} | undefined {
	const value = quadValue(addressText);
	const length = /^\d{1,2}$/.test(lengthText) ? Number(lengthText) : Number.NaN;
	return value !== undefined && length <= 32 ? {value, length} : undefined;
}

describe('prefixes', () => {
	test('every accepted prefix round-trips', () => {
		fc.assert(
			fc.property(address, fc.integer({min: 0, max: 32}), (ip, length) => {
				const parsed = parsePrefix(`${ip}/${length}`);
				if (parsed.ok) {
					const again = parsePrefix(formatNetwork(parsed.value));
					expect(again).toEqual(parsed);
					expect(formatNetwork(parsed.value)).toBe(`${ip}/${length}`);
				} else {
					expect(parsed.error).toContain('host bits set');
				}
			}),
		);
	});

	test('a prefix reads the same written the canonical way as any other accepted way', () => {
		// A leading space and a zero-padded length are accepted; the canonical text is read without ipaddr.
		for (const text of ['0.0.0.0/0', '10.0.0.0/8', '192.168.10.0/24', '255.255.255.255/32']) {
			expect(parsePrefix(text)).toEqual({ok: true, value: expect.objectContaining({address: text.split('/')[0]})});
		}
		const value = fc.integer({min: 0, max: 2 ** 32 - 1});
		fc.assert(
			fc.property(value, fc.integer({min: 0, max: 32}), fc.boolean(), (address, length, masked) => {
				const first = masked ? address - (address % 2 ** (32 - length)) : address;
				const canonical = parsePrefix(`${fromNumber(first)}/${length}`);
				const padded = parsePrefix(` ${fromNumber(first)}/${String(length).padStart(2, '0')}`);
				expect(padded).toEqual(canonical.ok ? canonical : {ok: false, error: expect.stringContaining('host bits set')});
				if (masked) {
					expect(canonical).toEqual({ok: true, value: {address: fromNumber(first), prefixLength: length, first, last: first + 2 ** (32 - length) - 1}});
				}
			}),
		);
	});

	test('the suggested network is itself accepted', () => {
		fc.assert(
			fc.property(address, fc.integer({min: 0, max: 32}), (ip, length) => {
				const parsed = parsePrefix(`${ip}/${length}`);
				if (!parsed.ok) {
					const suggestion = /did you mean (\S+)\?/.exec(parsed.error)?.[1];
					expect(suggestion && parsePrefix(suggestion).ok).toBe(true);
				}
			}),
		);
	});

	test('shorthand and non-decimal forms are refused', () => {
		for (const text of ['10.1', '0x0a.0.0.1', '010.0.0.1/8x', '1.2.3.4/', '1.2.3.4/-1', '256.1.1.1', '1.2.3.4/8/8', '10.0.0.0/33', '10.0.0.0/3a', '10.0.0.0/024', '10.0.0.1/24']) {
			expect(parsePrefix(text).ok).toBe(false);
		}
	});

	test('addresses round-trip', () => {
		fc.assert(
			fc.property(address, ip => {
				expect(parseAddress(ip)).toEqual({ok: true, value: ip});
			}),
		);
	});
});

describe('an address that is four numbers but not a valid one', () => {
	test('says which number is wrong and why', () => {
		expect(parseAddress('300.1.1.1')).toEqual({ok: false, error: '"300.1.1.1" is not a valid IPv4 address: its first number, 300, is out of range (each of the four is 0-255)'});
		expect(parseAddress('10.0.0.256')).toEqual({ok: false, error: '"10.0.0.256" is not a valid IPv4 address: its fourth number, 256, is out of range (each of the four is 0-255)'});
		expect(parseAddress('192.168.010.1')).toEqual({
			ok: false,
			error: '"192.168.010.1" is not a valid IPv4 address: its third number, 010, has a leading zero, which some tools read as octal; write 10',
		});
		expect(parseAddress('10.0.0')).toEqual({ok: false, error: '"10.0.0" is not an IPv4 address; write four numbers 0-255 separated by dots, such as 192.168.10.1'});
	});
});

describe("an address's number read without the cache", () => {
	test('is the number of every dotted quad (four decimal parts, no leading zeros), and nothing for any other text', () => {
		expect(['10.0.0.1', '255.255.255.255', '0.0.0.0', '010.0.0.1', '10.0.0.01', ' 10.0.0.1', '10.0.0', '256.0.0.1', '10.0.0.1/24', ''].map(addressValue)).toEqual([
			167_772_161, 4_294_967_295, 0, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
		]);
		const dottedQuad = fc.tuple(fc.stringMatching(/^[0-9]{1,4}$/), fc.stringMatching(/^[0-9]{1,4}$/), fc.stringMatching(/^[0-9]{1,4}$/), fc.stringMatching(/^[0-9]{1,4}$/)).map(parts => parts.join('.'));
		fc.assert(
			fc.property(fc.oneof(address, dottedQuad, fc.string()), text => {
				expect(addressValue(text)).toBe(isIPv4Address(text) ? toNumber(text) : undefined);
			}),
		);
	});
});
