/** Bundles a test helper script so a test can run it as a real, separate process. */

import path from 'node:path';
import {build} from 'esbuild';

const cacheDir = path.join(import.meta.dirname, '../../node_modules/.cache/edgenet-tests');

/** Where a worker is written, and whether it must run without node_modules (packages bundled in, as for another Unix user). */
export type WorkerOptions = {
	readonly outDir?: string;
	readonly selfContained?: boolean;
};

/** Bundles `test/support/<name>.ts` and returns the path of the runnable file. */
export async function buildWorker(name: string, options: WorkerOptions = {}): Promise<string> {
	const outfile = path.join(options.outDir ?? cacheDir, `${name}.mjs`);
	await build({
		entryPoints: [path.join(import.meta.dirname, `${name}.ts`)],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node22',
		packages: options.selfContained ? 'bundle' : 'external',
		logLevel: 'warning',
	});
	return outfile;
}
