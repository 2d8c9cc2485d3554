/** Longer runs of the store under contention than `npm test` makes: `npm run stress`. */

import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {beforeAll, expect, test} from 'vitest';
import {openStore, storeFilePath} from '../source/store/store.js';
import {buildWorker} from '../test/support/build-worker.js';

const processes = Number(process.env['STRESS_PROCESSES'] ?? 4);
const routesEach = Number(process.env['STRESS_ROUTES'] ?? 500);
const rounds = Number(process.env['STRESS_ROUNDS'] ?? 3);

let worker: string;

beforeAll(async () => {
	worker = await buildWorker('add-routes');
});

test.each(Array.from({length: rounds}, (_, index) => index + 1))(`${processes} processes x ${routesEach} routes keep every route (round %i)`, async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-stress-'));
	try {
		openStore(dir);
		const codes = await Promise.all(
			Array.from(
				{length: processes},
				(_, index) =>
					new Promise<number | null>(resolve => {
						spawn(process.execPath, [worker, dir, String(index + 1), String(routesEach)], {stdio: 'inherit'}).on('exit', resolve);
					}),
			),
		);
		expect(codes.every(code => code === 0)).toBe(true);
		const routes = (JSON.parse(fs.readFileSync(storeFilePath(dir), 'utf8')) as {device: {routes: unknown[]}}).device.routes;
		expect(routes).toHaveLength(processes * routesEach + 1);
	} finally {
		fs.rmSync(dir, {recursive: true, force: true});
	}
}, 600_000);
