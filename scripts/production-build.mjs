// The production build edgenet ships, as a function: `npm run build` (scripts/build.mjs) builds the program
// with it, and `npm run bench` builds its reference Ink apps with it the same way. Bundles an entry and
// everything it runs (Ink, React, yoga and the other packages), minified, with React's production build;
// the output loads nothing from node_modules. Code is split by what loads it (`import()`), so a command
// loads only the chunks it uses.
import fs from 'node:fs/promises';
import {builtinModules, createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {stringWidthSource} from './string-width-narrow.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Node's built-in modules as `process.getBuiltinModule` returns them. An `import fs from 'node:fs'` makes
 * Node build an ES module facade that reads every export, and reading `fs.ReadStream` loads the stream
 * modules (about 6 ms at each start); `node:process` costs about 3 ms the same way. The bundle takes the
 * modules as CommonJS would instead: the default export, and by name the properties the code imports.
 * A `require()` of a built-in module (in the CommonJS packages) gets the module itself, and an `import()`
 * of one is left to Node.
 *
 * Loading `node:crypto` costs about 4 ms, and only a pod's veth name uses it (its `createHash`): a module
 * in `loadedOnFirstCall` is loaded when one of its functions is first called or its default export first
 * read, not at start.
 */
const loadedOnFirstCall = new Set(['crypto']);

const builtinsWithoutFacade = {
	name: 'builtins-without-facade',
	setup(context) {
		const names = new Set(builtinModules.filter(name => !name.startsWith('_')));
		context.onResolve({filter: /^(node:)?[a-z_/]+$/}, args => {
			const name = args.path.replace(/^node:/, '');
			if (!names.has(name) && !args.path.startsWith('node:')) {
				return undefined;
			}
			if (args.kind === 'dynamic-import') {
				// Left to Node: a module of the bundle's own would keep every export (and read each at start).
				return {path: `node:${name}`, external: true};
			}
			return {path: name, namespace: args.kind === 'require-call' ? 'builtin-require' : 'builtin'};
		});
		context.onLoad({filter: /.*/, namespace: 'builtin-require'}, args => ({
			contents: `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`,
			loader: 'js',
		}));
		context.onLoad({filter: /.*/, namespace: 'builtin'}, args => {
			const module = process.getBuiltinModule(`node:${args.path}`);
			const named = Object.keys(module).filter(key => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
			const specifier = JSON.stringify(`node:${args.path}`);
			if (loadedOnFirstCall.has(args.path)) {
				const functions = named.filter(key => typeof module[key] === 'function' && /^[a-z]/.test(key));
				return {
					contents: [
						'let builtin;',
						`const load = () => (builtin ??= process.getBuiltinModule(${specifier}));`,
						'export default /* @__PURE__ */ new Proxy({}, {get: (_, key) => load()[key], has: (_, key) => key in load()});',
						...functions.map(key => `export const ${key} = (...args) => load().${key}(...args);`),
					].join('\n'),
					loader: 'js',
				};
			}
			// Each named export is a pure call, so the bundle keeps only those something imports: reading the
			// others would run their getters (some load modules of their own).
			return {
				contents: [
					`const builtin = process.getBuiltinModule(${specifier});`,
					'const pick = key => builtin[key];',
					'export default builtin;',
					...named.map((key, index) => `const value${index} = /* @__PURE__ */ pick(${JSON.stringify(key)});`),
					`export {${named.map((key, index) => `value${index} as ${key}`).join(', ')}};`,
				].join('\n'),
				loader: 'js',
			};
		});
	},
};

/**
 * yoga's WebAssembly, compiled from bytes. Its Emscripten loader embeds the module as a base64 `data:`
 * URL and, wherever `fetch` exists, fetches that URL, which loads Node's HTTP client (undici, tens of
 * milliseconds) to decode a string. The loader takes an `instantiateWasm` hook instead: the build moves the
 * base64 text out of the URL, and the hook decodes it with Buffer and instantiates the module at once.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(context) {
		context.onLoad({filter: /[/\\]yoga-layout[/\\]dist[/\\]binaries[/\\]yoga-wasm-base64-esm\.js$/}, async args => {
			const source = await fs.readFile(args.path, 'utf8');
			// The one assignment of the module's URL: `H="data:application/octet-stream;base64,AGFzbQ…"`.
			const prefix = 'H="data:application/octet-stream;base64,';
			const start = source.indexOf(prefix);
			const end = source.indexOf('"', start + prefix.length);
			const exported = 'export default loadYoga;';
			if (start === -1 || end === -1 || source.indexOf(prefix, end) !== -1 || !source.trimEnd().endsWith(exported) || !source.includes('h.instantiateWasm')) {
				throw new Error(`${args.path} is not the yoga loader the build knows: update the yoga-without-fetch plugin`);
			}
			const wasm = source.slice(start + prefix.length, end);
			const loader = source.slice(0, start) + prefix + '"' + source.slice(end + 1, source.lastIndexOf(exported));
			return {
				contents: [
					loader,
					`const wasmBase64 = ${JSON.stringify(wasm)};`,
					'function instantiateWasm(imports, receiveInstance) {',
					"\tconst instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasmBase64, 'base64')), imports);",
					'\treceiveInstance(instance);',
					'\treturn instance.exports;',
					'}',
					'export default (options = {}) => loadYoga({instantiateWasm, ...options});',
				].join('\n'),
				loader: 'js',
			};
		});
	},
};

/**
 * conf without its JSON schema validator and its version comparisons. conf imports ajv (and ajv-formats)
 * at its top but uses them only for its `schema` option, and semver only for its `migrations` option;
 * edgenet gives neither (preferences.ts checks the file's shape on reading), so the bundle gets stand-ins
 * that refuse to be used instead: semver alone costs a few milliseconds to load.
 */
const confWithoutSchemaOrMigrations = {
	name: 'conf-without-schema-or-migrations',
	setup(context) {
		context.onResolve({filter: /^(ajv(-formats)?(\/|$)|semver$)/}, args =>
			/[/\\]conf[/\\]/.test(args.importer) ? {path: args.path, namespace: args.path === 'semver' ? 'no-migrations' : 'no-schema'} : undefined,
		);
		context.onLoad({filter: /.*/, namespace: 'no-schema'}, () => ({
			contents: [
				"const refuse = () => { throw new Error('this build of edgenet has no JSON schema validator (conf\\'s schema option)'); };",
				'export class Ajv2020 { constructor() { refuse(); } }',
				'export default {default: refuse};',
			].join('\n'),
			loader: 'js',
		}));
		context.onLoad({filter: /.*/, namespace: 'no-migrations'}, () => ({
			contents: [
				"const refuse = () => { throw new Error('this build of edgenet has no version comparisons (conf\\'s migrations option)'); };",
				'export default new Proxy({}, {get: refuse});',
			].join('\n'),
			loader: 'js',
		}));
	},
};

/**
 * Packages built into a CommonJS file of their own (dist/<name>.cjs) and loaded from it, not bundled
 * into a chunk: a chunk is parsed whole when it loads, and string-width's Unicode property patterns alone
 * cost about 10 ms to parse. edgenet's code loads it when a cell is not printable ASCII
 * (`createRequire(import.meta.url)('string-width')` in text-table.ts, which the build points at the file);
 * the packages the dashboard bundles (Ink) import the same file, so it is loaded once.
 */
const onDemand = ['string-width'];

/** The source of an on-demand package's file: string-width with its narrow-text test (string-width-narrow.mjs), any other the package itself. */
const onDemandSource = name => (name === 'string-width' ? stringWidthSource() : `module.exports = require(${JSON.stringify(name)});`);
const createRequireCall = /createRequire\(import\.meta\.url\)\((['"])([^'"./][^'"]*)\1\)/g;

const packagesOnDemand = {
	name: 'packages-on-demand',
	setup(context) {
		context.onLoad({filter: /[/\\]source[/\\].*\.tsx?$/}, async args => {
			const source = await fs.readFile(args.path, 'utf8');
			if (args.path.includes('node_modules') || !source.includes('createRequire(')) {
				return undefined;
			}
			const contents = source.replaceAll(createRequireCall, (call, quote, name) =>
				onDemand.includes(name) ? `createRequire(import.meta.url)(${quote}./${name}.cjs${quote})` : call,
			);
			return {contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts'};
		});
		const names = new RegExp(`^(${onDemand.join('|')})$`);
		context.onResolve({filter: names}, args => (args.namespace === 'on-demand' ? undefined : {path: args.path, namespace: 'on-demand'}));
		context.onLoad({filter: /.*/, namespace: 'on-demand'}, args => ({
			contents: [
				"import {createRequire} from 'node:module';",
				`const loaded = createRequire(import.meta.url)(${JSON.stringify(`./${args.path}.cjs`)});`,
				'export default loaded.default;',
			].join('\n'),
			loader: 'js',
			resolveDir: root,
		}));
	},
};

/**
 * yaml as ES modules. For Node its package gives CommonJS, and esbuild makes a CommonJS package that is
 * loaded by `import()` into a chunk with a default export only, so `const {stringify} = await import('yaml')`
 * would find no `stringify`. The package's other build is the same code as ES modules (its "default"
 * export, made for browsers, using nothing of the browser), whose chunk has the named exports.
 */
const yamlAsModules = {
	name: 'yaml-as-modules',
	setup(context) {
		context.onResolve({filter: /^yaml$/}, () => ({path: path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('yaml/package.json')), 'browser/index.js')}));
	},
};

/** Packages a bundled package loads only when asked to at run time, and that edgenet does not ship: Ink's React DevTools connection (DEV=true). */
const notShipped = ['react-devtools-core'];

/**
 * Builds the entry points (name to file, relative to the repository) into `outdir`, emptied first; returns
 * esbuild's metafile. The shebang makes an entry an executable.
 */
export async function productionBuild({entryPoints, outdir}) {
	outdir = path.resolve(root, outdir);
	await fs.rm(outdir, {recursive: true, force: true});
	const result = await build({
		absWorkingDir: root,
		entryPoints,
		outdir,
		bundle: true,
		splitting: true,
		platform: 'node',
		format: 'esm',
		target: 'node22',
		define: {'process.env.NODE_ENV': '"production"'},
		external: notShipped,
		plugins: [builtinsWithoutFacade, yogaWithoutFetch, confWithoutSchemaOrMigrations, packagesOnDemand, yamlAsModules],
		jsx: 'automatic',
		minify: true,
		legalComments: 'linked',
		banner: {js: '#!/usr/bin/env node'},
		sourcemap: 'linked',
		metafile: true,
		logLevel: 'warning',
	});
	for (const name of onDemand) {
		await build({
			absWorkingDir: root,
			stdin: {contents: onDemandSource(name), resolveDir: root, loader: 'js'},
			outfile: path.join(outdir, `${name}.cjs`),
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node22',
			plugins: [builtinsWithoutFacade],
			minify: true,
			legalComments: 'linked',
			logLevel: 'warning',
		});
	}
	return result.metafile;
}
