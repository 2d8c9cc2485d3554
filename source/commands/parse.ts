/** Option parsing shared by every command: strict flags, the VM option, whole-number options, and "did you mean" for a mistyped word. */

import {parseArgs, type ParseArgsConfig} from 'node:util';
import {parseEncapsulation} from '../domain/cluster-settings.js';
import {type Encapsulation, encapsulations, type VmName} from '../domain/device.js';
import {UsageError} from './context.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options every invocation takes wherever they stand (taken out before a command parses its own), offered too for a mistyped option. */
const globalOptionNames = ['--store', '--read-only', '--help', '--version'] as const;

/**
 * Edit distance between two words, counting a swap of two neighbouring characters as one edit
 * (optimal string alignment), compared without regard to case.
 */
export function editDistance(a: string, b: string): number {
	const s = a.toLowerCase();
	const t = b.toLowerCase();
	let before: number[] = [];
	let previous = Array.from({length: t.length + 1}, (_, index) => index);
	for (let i = 1; i <= s.length; i++) {
		const current = [i];
		for (let j = 1; j <= t.length; j++) {
			const cost = s[i - 1] === t[j - 1] ? 0 : 1;
			let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
			if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
				best = Math.min(best, before[j - 2]! + 1);
			}
			current.push(best);
		}
		before = previous;
		previous = current;
	}
	return previous[t.length]!;
}

/**
 * The candidate a mistyped word most likely meant: the one it is a prefix of, when it is the only one,
 * else the nearest by edit distance within a third of the word's length (at least one edit). Leading
 * dashes are not compared. Undefined when nothing is near.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
	const bare = (text: string) => text.replace(/^-+/, '').toLowerCase();
	const wanted = bare(word);
	if (wanted === '') {
		return undefined;
	}
	const prefixed = candidates.filter(candidate => bare(candidate).startsWith(wanted));
	if (prefixed.length === 1 && wanted.length >= 2) {
		return prefixed[0];
	}
	const limit = Math.max(1, Math.floor(wanted.length / 3));
	let best: {candidate: string; distance: number} | undefined;
	for (const candidate of candidates) {
		const distance = editDistance(wanted, bare(candidate));
		if (distance <= limit && (!best || distance < best.distance)) {
			best = {candidate, distance};
		}
	}
	return best?.candidate;
}

/** `did you mean --interface?` for a word near one of the candidates, else undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
	const match = closestMatch(word, candidates);
	return match === undefined ? undefined : `did you mean ${match}?`;
}

/**
 * A usage error for a word that is none of `choices` (a subcommand, an export target): what was typed,
 * the choice it was probably meant to be, and every choice.
 */
export function unknownChoice(what: string, typed: string, choices: readonly string[]): UsageError {
	const suggestion = didYouMean(typed, choices);
	return new UsageError(`unknown ${what} "${typed}"; ${suggestion ? `${suggestion} Use` : 'use'} one of ${choices.join(', ')}`);
}

/**
 * Parses a command's arguments strictly; any unknown or malformed option is a UsageError naming it and
 * the option it was probably meant to be. The value of an option that takes one is whatever follows it,
 * even when it starts with a dash (`--metric -1`), so that the option's own check says what is wrong with
 * it; only an option name (`--json`) in its place means the value was left out.
 */
export function parseCommandArgs<T extends Options>(args: readonly string[], options: T, allowPositionals = false) {
	const names = Object.keys(options);
	const spelled = names.map(name => `--${name}`);
	const prepared: string[] = [];
	for (let index = 0; index < args.length; index++) {
		const argument = args[index]!;
		if (argument === '--') {
			prepared.push(...args.slice(index));
			break;
		}
		if (!argument.startsWith('--')) {
			prepared.push(argument);
			continue;
		}
		const equals = argument.indexOf('=');
		const name = argument.slice(2, equals === -1 ? undefined : equals);
		const option = Object.hasOwn(options, name) ? options[name] : undefined;
		if (!option) {
			const suggestion = didYouMean(name, [...spelled, ...globalOptionNames]);
			throw new UsageError(`Unknown option '--${name}'${suggestion ? `; ${suggestion}` : ''}`);
		}
		if (option.type !== 'string' || equals !== -1) {
			prepared.push(argument);
			continue;
		}
		const value = args[index + 1];
		if (value === undefined || value.startsWith('--')) {
			throw new UsageError(`--${name} needs a value`);
		}
		prepared.push(`--${name}=${value}`);
		index++;
	}
	try {
		return parseArgs({args: prepared, options, strict: true, allowPositionals});
	} catch (error) {
		const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
		throw new UsageError(message);
	}
}

/** The VM a `--vm master|worker` option names; the worker when the option is left out. */
export function parseVm(text: string | undefined): VmName {
	const vm = text ?? 'worker';
	if (vm !== 'master' && vm !== 'worker') {
		throw new UsageError(`--vm must be master or worker, got "${vm}"`);
	}
	return vm;
}

/** The value of a `--<name> <n>` option that takes a whole number up to `max`; `fallback` when the option is left out. */
export function parseWholeNumber(name: string, text: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
	if (text === undefined) {
		return fallback;
	}
	if (!/^\d+$/.test(text)) {
		throw new UsageError(`--${name} must be a whole number, got "${text}"`);
	}
	const value = Number(text);
	if (value > max) {
		throw new UsageError(`--${name} must be at most ${max}, got ${text}`);
	}
	return value;
}

/** The encapsulation an `--encapsulation <mode>` option names; a UsageError listing the choices for any other text. */
export function parseEncapsulationOption(text: string): Encapsulation {
	const encapsulation = parseEncapsulation(text);
	if (encapsulation === undefined) {
		throw new UsageError(`--encapsulation must be one of ${encapsulations.join(', ')} (Calico's encapsulation between the nodes), got "${text}"`);
	}
	return encapsulation;
}
