import {describe, expect, test} from 'vitest';
import {UsageError} from '../../source/commands/context.js';
import {closestMatch, editDistance, parseCommandArgs, parseVm, parseWholeNumber} from '../../source/commands/parse.js';

describe('parseVm', () => {
	test('names master or worker, and the worker when --vm is left out', () => {
		expect(parseVm('master')).toBe('master');
		expect(parseVm('worker')).toBe('worker');
		expect(parseVm(undefined)).toBe('worker');
	});

	test('refuses any other VM as a usage error naming what was given', () => {
		expect(() => parseVm('Master')).toThrow(new UsageError('--vm must be master or worker, got "Master"'));
		expect(() => parseVm('')).toThrow(new UsageError('--vm must be master or worker, got ""'));
	});
});

describe('parseWholeNumber', () => {
	test('reads digits, and gives the fallback when the option is left out', () => {
		expect(parseWholeNumber('routes', '0', 5)).toBe(0);
		expect(parseWholeNumber('routes', '120', 5)).toBe(120);
		expect(parseWholeNumber('routes', undefined, 5)).toBe(5);
	});

	test.each(['-1', '1.5', '1e3', ' 7', 'x', ''])('refuses %j as a usage error naming the option', text => {
		expect(() => parseWholeNumber('seed', text, 1)).toThrow(new UsageError(`--seed must be a whole number, got "${text}"`));
	});

	test('refuses a number past its maximum as a usage error that says the maximum', () => {
		expect(parseWholeNumber('routes', '1000', 5, 1000)).toBe(1000);
		expect(() => parseWholeNumber('routes', '1001', 5, 1000)).toThrow(new UsageError('--routes must be at most 1000, got 1001'));
	});
});

describe('parseCommandArgs', () => {
	test('an unknown option is a usage error naming it', () => {
		expect(() => parseCommandArgs(['--bogus'], {json: {type: 'boolean'}})).toThrow(new UsageError("Unknown option '--bogus'"));
	});

	test("an option's value is what follows it, a leading dash included; an option name there is a missing value", () => {
		const options = {metric: {type: 'string'}, json: {type: 'boolean'}} as const;
		expect(parseCommandArgs(['--metric', '-1', '--json'], options).values).toEqual({metric: '-1', json: true});
		expect(parseCommandArgs(['--metric=-1'], options).values).toEqual({metric: '-1'});
		expect(() => parseCommandArgs(['--metric', '--json'], options)).toThrow(new UsageError('--metric needs a value'));
		expect(() => parseCommandArgs(['--metric'], options)).toThrow(new UsageError('--metric needs a value'));
	});
});

describe('closestMatch', () => {
	test('counts a swap of neighbouring letters as one edit, ignoring case', () => {
		expect(editDistance('lsit', 'list')).toBe(1);
		expect(editDistance('STAUS', 'status')).toBe(1);
		expect(editDistance('kitten', 'sitting')).toBe(3);
		expect(editDistance('', 'abc')).toBe(3);
	});

	test('offers the nearest candidate within a third of the word, dashes aside, or the only one it begins', () => {
		expect(closestMatch('--intreface', ['--interface', '--destination', '--json'])).toBe('--interface');
		expect(closestMatch('--dest', ['--interface', '--destination'])).toBe('--destination');
		expect(closestMatch('lsit', ['list', 'add', 'set', 'remove', 'lookup'])).toBe('list');
		expect(closestMatch('frobnicate', ['list', 'add', 'set', 'remove', 'lookup'])).toBeUndefined();
		expect(closestMatch('--', ['--json'])).toBeUndefined();
	});
});
