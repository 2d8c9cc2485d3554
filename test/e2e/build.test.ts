import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import fc from 'fast-check';
import {afterAll, describe, expect, test} from 'vitest';
import {cleanEnv, cliPath} from './harness.js';

const require = createRequire(import.meta.url);
type Width = (text: string, options?: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean}) => number;
const shipped = (require(path.join(path.dirname(cliPath), 'string-width.cjs')) as {default: Width}).default;
const stringWidth = (require('string-width') as {default: Width}).default;

describe('string-width as the build ships it', () => {
	test('gives every character the width the package gives it, alone and between others', () => {
		const differ: string[] = [];
		for (let codePoint = 0; codePoint <= 0xff_ff; codePoint++) {
			if (codePoint >= 0xd8_00 && codePoint <= 0xdf_ff) {
				continue;
			}
			const character = String.fromCodePoint(codePoint);
			for (const text of [character, `a${character}─${character}›`]) {
				if (shipped(text) !== stringWidth(text)) {
					differ.push(`U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} in ${JSON.stringify(text)}`);
				}
			}
		}
		expect(differ).toEqual([]);
	});

	test('gives text of box drawing, arrows, accents, emoji, marks and colours the width the package gives it, with either option', () => {
		const pieces = ['a', ' ', '─', '║', '›', '…', '↑', '▏', 'é', 'e\u0301', '👍', '✔', '✔\uFE0F', '日', '\u200D', '\u001B[1m', '\u001B[0m', '\u009B31m', '\t', '½', '±'];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 12}), fc.boolean(), (parts, ambiguousIsNarrow) => {
				const text = parts.join('');
				expect(shipped(text)).toBe(stringWidth(text));
				expect(shipped(text, {ambiguousIsNarrow})).toBe(stringWidth(text, {ambiguousIsNarrow}));
				expect(shipped(text, {countAnsiEscapeCodes: true})).toBe(stringWidth(text, {countAnsiEscapeCodes: true}));
			}),
		);
	});
});

describe('each command loads only what it uses', () => {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-loads-'));
	const store = path.join(work, 'store');
	const hooks = path.join(work, 'record-loads.mjs');
	fs.writeFileSync(
		hooks,
		[
			"import fs from 'node:fs';",
			"import module from 'node:module';",
			'const loaded = new Set();',
			'module.registerHooks({load(url, context, next) { loaded.add(url); return next(url, context); }});',
			"process.on('exit', () => fs.writeFileSync(process.env.LOADED_FILES, [...loaded].join('\\n')));",
		].join('\n'),
	);
	afterAll(() => {
		fs.rmSync(work, {recursive: true, force: true});
	});

	/** The files of dist/ a run of edgenet loads. */
	function filesLoadedBy(args: readonly string[]): string[] {
		const record = path.join(work, 'loaded.txt');
		const result = spawnSync(process.execPath, ['--import', hooks, cliPath, ...args], {env: cleanEnv({LOADED_FILES: record}), encoding: 'utf8'});
		expect(result.stderr).toBe('');
		const dist = pathToFileURL(path.dirname(cliPath)).href;
		return fs
			.readFileSync(record, 'utf8')
			.split('\n')
			.filter(url => url.startsWith(`${dist}/`))
			.map(url => url.slice(dist.length + 1));
	}

	/** A file's name with the build's hash left out (`cli-*.js`). */
	const named = (files: readonly string[]) => files.map(file => file.replace(/-[A-Z0-9]{8}\.js$/, '-*.js'));

	test('--version loads the entry and the output writer, under 4 kB, and no command', () => {
		const loaded = filesLoadedBy(['--version']);
		expect(named(loaded).filter(file => file !== 'chunk-*.js')).toEqual(['cli.js']);
		expect(loaded.reduce((bytes, file) => bytes + fs.statSync(path.join(path.dirname(cliPath), file)).size, 0)).toBeLessThan(4096);
	});

	test('route list and status load neither the dashboard, the preferences, yaml nor string-width; --help no dashboard', () => {
		expect(spawnSync(process.execPath, [cliPath, 'reset', '--demo', '--store', store], {env: cleanEnv()}).status).toBe(0);
		for (const args of [['route', 'list', '--json', '--store', store], ['status', '--store', store]]) {
			const loaded = named(filesLoadedBy(args));
			expect(loaded).toContain('cli-*.js');
			expect(loaded.filter(file => /^(dashboard|preferences|browser|keymap)-|string-width/.test(file))).toEqual([]);
		}
		expect(named(filesLoadedBy(['--help'])).filter(file => /^(dashboard|preferences|browser|keymap)-/.test(file))).toEqual([]);
		// The names looked for are the chunks' real names: an export that writes YAML loads yaml's.
		expect(named(filesLoadedBy(['export', 'metallb', '--store', store]))).toContain('browser-*.js');
	});
});
