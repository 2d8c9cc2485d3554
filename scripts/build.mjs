// `npm run build`: the production build of edgenet into dist/ (see production-build.mjs). dist/cli.js is
// the `edgenet` bin: source/start.ts, which loads the composition root (cli.tsx) as a chunk of its own; the
// dashboard (Ink, React, yoga) and the preferences (conf) are chunks that only the dashboard loads, and yaml
// one that only an export to YAML loads. `npm run build -- --analyze` lists what each file holds.
import {analyzeMetafile} from 'esbuild';
import {productionBuild} from './production-build.mjs';

const metafile = await productionBuild({entryPoints: {cli: 'source/start.ts'}, outdir: 'dist'});
if (process.argv.includes('--analyze')) {
	console.log(await analyzeMetafile(metafile));
}
