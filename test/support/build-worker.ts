/** Bundles a test helper script so a test can run it as a real, separate process. */

import path from 'node:path';
import {build} from 'esbuild';

const outDir = path.join(import.meta.dirname, '../../node_modules/.cache/edgenet-tests');

/** Bundles `test/support/<name>.ts` and returns the path of the runnable file. */
export async function buildWorker(name: string): Promise<string> {
	const outfile = path.join(outDir, `${name}.mjs`);
	await build({
		entryPoints: [path.join(import.meta.dirname, `${name}.ts`)],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node22',
		packages: 'external',
		logLevel: 'warning',
	});
	return outfile;
}
