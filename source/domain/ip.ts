import ipaddr from 'ipaddr.js';

/** An IPv4 network: its address (host bits zero) and prefix length, with the numeric bounds used for comparisons. */
export type Network = {
	readonly address: string;
	readonly prefixLength: number;
	/** First address of the network as an unsigned 32-bit number. */
	readonly first: number;
	/** Last (broadcast) address of the network as an unsigned 32-bit number. */
	readonly last: number;
};

/** An interface address in CIDR form, such as a port's `192.168.10.5/24`: the host address and the network it sits on. */
export type InterfaceAddress = {
	readonly address: string;
	readonly value: number;
	readonly network: Network;
};

/** A contiguous, inclusive range of IPv4 addresses, written `first-last`. */
export type AddressRange = {
	readonly first: number;
	readonly last: number;
};

/** The outcome of parsing user or file input: a value, or a message saying what is wrong. */
export type Parsed<T> = {readonly ok: true; readonly value: T} | {readonly ok: false; readonly error: string};

const ok = <T>(value: T): Parsed<T> => ({ok: true, value});
const fail = <T>(error: string): Parsed<T> => ({ok: false, error});

/** Whether a string is a dotted-quad IPv4 address (no shorthand forms such as `10.1` or hex parts). */
export function isIPv4Address(text: string): boolean {
	return canonicalValue(text) !== undefined || ipaddr.IPv4.isValidFourPartDecimal(text);
}

/**
 * The value of an address already written the canonical way (four decimal parts 0-255, no leading zeros),
 * which nearly every stored address is: read character by character, without ipaddr's general parser.
 */
function canonicalValue(text: string, end = text.length): number | undefined {
	let value = 0;
	let part = 0;
	let digits = 0;
	let dots = 0;
	for (let index = 0; index < end; index++) {
		const code = text.charCodeAt(index);
		if (code >= 48 && code <= 57) {
			if (digits === 3 || (digits === 1 && part === 0)) {
				return undefined;
			}
			part = part * 10 + code - 48;
			digits++;
		} else if (code === 46 && digits > 0 && part <= 255 && dots < 3) {
			value = value * 256 + part;
			part = 0;
			digits = 0;
			dots++;
		} else {
			return undefined;
		}
	}
	return dots === 3 && digits > 0 && part <= 255 ? value * 256 + part : undefined;
}

/** The values of addresses not written the canonical way, which ipaddr reads: few, and slow to read. */
const otherNumbers = new Map<string, number>();

/** The address as an unsigned 32-bit number, for ordering and range arithmetic. */
export function toNumber(address: string): number {
	// A canonical address is read as fast as it could be looked up: nothing is kept for it.
	const canonical = canonicalValue(address);
	if (canonical !== undefined) {
		return canonical;
	}
	const known = otherNumbers.get(address);
	if (known !== undefined) {
		return known;
	}
	if (otherNumbers.size >= 200_000) {
		otherNumbers.clear();
	}
	const value = bytesToNumber(ipaddr.IPv4.parse(address).toByteArray());
	otherNumbers.set(address, value);
	return value;
}

function bytesToNumber(bytes: readonly number[]): number {
	return (((bytes[0] ?? 0) << 24) >>> 0) + ((bytes[1] ?? 0) << 16) + ((bytes[2] ?? 0) << 8) + (bytes[3] ?? 0);
}

/**
 * The address as an unsigned 32-bit number, or undefined for text that is no dotted-quad IPv4 address (as
 * `isIPv4Address` judges it): the canonical form is read in one pass.
 */
export function addressValue(text: string): number | undefined {
	return canonicalValue(text) ?? (isIPv4Address(text) ? toNumber(text) : undefined);
}

/**
 * A prefix written the canonical way (`10.1.0.0/16`: a canonical address, a slash, a length 0-32 without a
 * leading zero) as its address's number and its length, read in one pass; undefined for any other text.
 */
export function canonicalPrefixParts(text: string): {readonly value: number; readonly length: number} | undefined {
	const slash = text.indexOf('/');
	const digits = text.length - slash - 1;
	if (slash === -1 || digits < 1 || digits > 2) {
		return undefined;
	}
	const first = text.charCodeAt(slash + 1) - 48;
	const second = digits === 2 ? text.charCodeAt(slash + 2) - 48 : 0;
	if (first < 0 || first > 9 || second < 0 || second > 9 || (digits === 2 && first === 0)) {
		return undefined;
	}
	const length = digits === 2 ? first * 10 + second : first;
	const value = length <= 32 ? canonicalValue(text, slash) : undefined;
	return value === undefined ? undefined : {value, length};
}

/** The dotted-quad form of an unsigned 32-bit number. */
export function fromNumber(value: number): string {
	return `${(value >>> 24) & 255}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

const parseOtherAddress = memoize(parseAddressText);

/** Parses a dotted-quad IPv4 address. */
export function parseAddress(text: string): Parsed<string> {
	// A canonical address (nearly every stored one: 20,000 pods' among them) is its own answer, and is not kept.
	return canonicalValue(text) === undefined ? parseOtherAddress(text) : ok(text);
}

function parseAddressText(text: string): Parsed<string> {
	const trimmed = text.trim();
	if (canonicalValue(trimmed) !== undefined) {
		return ok(trimmed);
	}
	if (!isIPv4Address(trimmed)) {
		return fail(`"${text}" is not ${dottedQuadFault(trimmed) ?? 'an IPv4 address; write four numbers 0-255 separated by dots, such as 192.168.10.1'}`);
	}
	return ok(ipaddr.IPv4.parse(trimmed).toString());
}

/** Whether the text has the shape of an IPv4 address, four numbers separated by dots, valid or not (`300.1.1.1` has it). */
export function looksLikeIPv4Address(text: string): boolean {
	return /^\d+\.\d+\.\d+\.\d+$/.test(text.trim());
}

const ordinals = ['first', 'second', 'third', 'fourth'] as const;

/** What is wrong with four dot-separated numbers that are not an IPv4 address: a number above 255 or one with a leading zero. */
function dottedQuadFault(text: string): string | undefined {
	if (!looksLikeIPv4Address(text)) {
		return undefined;
	}
	const parts = text.split('.');
	const index = parts.findIndex(part => Number(part) > 255);
	if (index !== -1) {
		return `a valid IPv4 address: its ${ordinals[index]} number, ${parts[index]}, is out of range (each of the four is 0-255)`;
	}
	const padded = parts.findIndex(part => part.length > 1 && part.startsWith('0'));
	return padded === -1
		? undefined
		: `a valid IPv4 address: its ${ordinals[padded]} number, ${parts[padded]}, has a leading zero, which some tools read as octal; write ${Number(parts[padded])}`;
}

function parsePrefixLength(text: string): number | undefined {
	if (!/^\d{1,2}$/.test(text)) {
		return undefined;
	}
	const length = Number(text);
	return length <= 32 ? length : undefined;
}

/** The network of the given prefix length that holds the address (`address`, the value's canonical text, saves writing it again when it is the network's own). */
export function networkOf(value: number, prefixLength: number, address?: string): Network {
	const size = 2 ** (32 - prefixLength);
	const first = value - (value % size);
	return {address: address !== undefined && first === value ? address : fromNumber(first), prefixLength, first, last: first + size - 1};
}

/** Splits `a.b.c.d/n` (or a bare address, taken as `/32` when `bareIsHost`) into address and prefix length. */
function splitCidr(text: string, bareIsHost: boolean): Parsed<{address: string; value: number; prefixLength: number}> {
	const trimmed = text.trim();
	const slash = trimmed.indexOf('/');
	if (slash === -1) {
		if (!bareIsHost) {
			return fail(`"${text}" has no prefix length; write it as address/length, such as 192.168.10.5/24`);
		}
		const address = parseAddress(trimmed);
		return address.ok ? ok({address: address.value, value: toNumber(address.value), prefixLength: 32}) : fail(`"${text}" is not an IPv4 address or prefix; write it as 192.168.20.0/24, or a bare address for a single host`);
	}
	const addressPart = trimmed.slice(0, slash);
	const lengthPart = trimmed.slice(slash + 1);
	// Stored addresses are canonical: read once, and given to ipaddr only when they are not.
	const canonical = canonicalValue(addressPart);
	if (canonical === undefined && !ipaddr.IPv4.isValidFourPartDecimal(addressPart)) {
		return fail(`"${text}" is not an IPv4 prefix: "${addressPart}" is not an IPv4 address; write it as 192.168.20.0/24`);
	}
	const prefixLength = parsePrefixLength(lengthPart);
	if (prefixLength === undefined) {
		return fail(`"${text}" is not an IPv4 prefix: the prefix length must be a whole number from 0 to 32`);
	}
	if (canonical !== undefined) {
		return ok({address: addressPart, value: canonical, prefixLength});
	}
	const parsed = ipaddr.IPv4.parse(addressPart);
	return ok({address: parsed.toString(), value: bytesToNumber(parsed.toByteArray()), prefixLength});
}

/** Remembers recent parses: a device's prefixes are parsed again and again (checks, warnings, lookups), and a parse is pure. */
function memoize<T>(parse: (text: string) => Parsed<T>): (text: string) => Parsed<T> {
	const cache = new Map<string, Parsed<T>>();
	return text => {
		let result = cache.get(text);
		if (result === undefined) {
			if (cache.size >= 200_000) {
				cache.clear();
			}
			result = parse(text);
			cache.set(text, result);
		}
		return result;
	};
}

/**
 * Parses a network prefix such as `192.168.20.0/24`; a bare address means `/32`.
 * Host bits must be zero, as the kernel requires ("Invalid prefix for given prefix length").
 */
export const parsePrefix = memoize(parsePrefixText);

function parsePrefixText(text: string): Parsed<Network> {
	const parts = splitCidr(text, true);
	if (!parts.ok) {
		return parts;
	}
	const network = networkOf(parts.value.value, parts.value.prefixLength, parts.value.address);
	if (network.first !== parts.value.value) {
		return fail(`"${text.trim()}" has host bits set (Invalid prefix for given prefix length); did you mean ${formatNetwork(network)}?`);
	}
	return ok(network);
}

/** Parses an interface address in CIDR form, such as `192.168.10.5/24`; host bits are the interface's own address. */
export const parseInterfaceAddress = memoize(parseInterfaceAddressText);

function parseInterfaceAddressText(text: string): Parsed<InterfaceAddress> {
	const parts = splitCidr(text, false);
	if (!parts.ok) {
		return parts;
	}
	const {value} = parts.value;
	return ok({address: parts.value.address, value, network: networkOf(value, parts.value.prefixLength)});
}

/** Parses a range written `first-last`, both dotted-quad addresses, first not after last. */
export function parseRange(text: string): Parsed<AddressRange> {
	const [firstText, lastText, ...rest] = text.split('-').map(part => part.trim());
	if (firstText === undefined || lastText === undefined || rest.length > 0) {
		return fail(`"${text}" is not an address range; write it as first-last, such as 192.168.10.20-192.168.10.22`);
	}
	if (!isIPv4Address(firstText) || !isIPv4Address(lastText)) {
		return fail(`"${text}" is not an address range: both ends must be IPv4 addresses, such as 192.168.10.20-192.168.10.22`);
	}
	const first = toNumber(firstText);
	const last = toNumber(lastText);
	if (first > last) {
		return fail(`"${text}" is not an address range: ${firstText} comes after ${lastText}`);
	}
	return ok({first, last});
}

/** `a.b.c.d/n` */
export function formatNetwork(network: Network): string {
	return `${network.address}/${network.prefixLength}`;
}

/** `first-last` */
export function formatRange(range: AddressRange): string {
	return `${fromNumber(range.first)}-${fromNumber(range.last)}`;
}

/** How many addresses a range or network spans. */
export function sizeOf(span: AddressRange): number {
	return span.last - span.first + 1;
}

/** Whether an address (as a number) lies in a range or network. */
export function contains(span: AddressRange, value: number): boolean {
	return value >= span.first && value <= span.last;
}

/** Whether one range or network lies wholly inside another. */
export function within(inner: AddressRange, outer: AddressRange): boolean {
	return inner.first >= outer.first && inner.last <= outer.last;
}

/** Whether two ranges or networks share at least one address. */
export function overlaps(a: AddressRange, b: AddressRange): boolean {
	return a.first <= b.last && b.first <= a.last;
}
