// Bundles cli.tsx into dist/ (dist/cli.js is the `edgenet` bin). The dashboard is split into a chunk
// of its own, loaded only when a terminal asks for it, so commands start without loading Ink or React.
import {rm} from 'node:fs/promises';
import {builtinModules} from 'node:module';
import {build} from 'esbuild';

/**
 * The small packages every command loads: bundled, so a command does not resolve them in node_modules
 * at each start (nor translate ipaddr.js from CommonJS). The rest stay external and load when used.
 */
const bundledPackages = new Set(['ipaddr.js', 'env-paths', 'is-safe-filename']);

const keepExternal = {
	name: 'keep-external',
	setup(context) {
		context.onResolve({filter: /^[^./]/}, args => {
			const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
			return args.path.startsWith('node:') || bundledPackages.has(name) ? undefined : {path: args.path, external: true};
		});
	},
};

/**
 * Node's built-in modules as `process.getBuiltinModule` returns them. An `import fs from 'node:fs'` makes
 * Node build an ES module facade that reads every export, and reading `fs.ReadStream` loads the stream
 * modules (about 6 ms at each start); `node:process` costs about 3 ms the same way. The bundle takes the
 * modules as CommonJS would instead: the default export, and by name the properties the code imports.
 */
const builtinsWithoutFacade = {
	name: 'builtins-without-facade',
	setup(context) {
		const names = new Set(builtinModules.filter(name => !name.startsWith('_')));
		context.onResolve({filter: /^(node:)?[a-z_/]+$/}, args => {
			const name = args.path.replace(/^node:/, '');
			return names.has(name) || args.path.startsWith('node:') ? {path: name, namespace: 'builtin'} : undefined;
		});
		context.onLoad({filter: /.*/, namespace: 'builtin'}, args => {
			const module = process.getBuiltinModule(`node:${args.path}`);
			const named = Object.keys(module).filter(key => /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default');
			// Each named export is a pure call, so the bundle keeps only those something imports: reading the
			// others would run their getters (some load modules of their own).
			return {
				contents: [
					`const builtin = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`,
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

await rm('dist', {recursive: true, force: true});
await build({
	entryPoints: {cli: 'cli.tsx'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	platform: 'node',
	format: 'esm',
	target: 'node22',
	plugins: [builtinsWithoutFacade, keepExternal],
	jsx: 'automatic',
	banner: {js: '#!/usr/bin/env node'},
	sourcemap: 'linked',
	logLevel: 'warning',
});
