// Bundles cli.tsx into dist/ (dist/cli.js is the `edgenet` bin). The dashboard is split into a chunk
// of its own, loaded only when a terminal asks for it, so commands start without loading Ink or React.
import {rm} from 'node:fs/promises';
import {build} from 'esbuild';

await rm('dist', {recursive: true, force: true});
await build({
	entryPoints: {cli: 'cli.tsx'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	platform: 'node',
	format: 'esm',
	target: 'node22',
	packages: 'external',
	jsx: 'automatic',
	banner: {js: '#!/usr/bin/env node'},
	sourcemap: 'linked',
	logLevel: 'warning',
});
