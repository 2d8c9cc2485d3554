/**
 * Longer runs of the store under contention than `npm test` makes: `npm run stress`.
 * STRESS_PROCESSES writers add STRESS_ROUTES routes each, STRESS_ROUNDS times; then STRESS_KILLS rounds in which one
 * writer is killed with SIGKILL at a seeded random moment (STRESS_SEED): no reported commit may be lost.
 */

import type {ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, expect, test} from 'vitest';
import {openStore} from '../source/store/store.js';
import {buildWorker} from '../test/support/build-worker.js';
import {startProcess} from '../test/support/processes.js';
import {storedRoutes} from '../test/support/store-digest.js';
import {seededRandom} from '../source/domain/generate.js';

const processes = Number(process.env['STRESS_PROCESSES'] ?? 4);
const routesEach = Number(process.env['STRESS_ROUTES'] ?? 500);
const rounds = Number(process.env['STRESS_ROUNDS'] ?? 3);
const kills = Number(process.env['STRESS_KILLS'] ?? 20);
const seed = Number(process.env['STRESS_SEED'] ?? 20_261_202);
console.log(`store stress: ${processes} processes x ${routesEach} routes, ${rounds} rounds, ${kills} kill rounds, seed ${seed}`);

let worker: string;
const children: ChildProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
	worker = await buildWorker('add-routes');
});

afterEach(() => {
	for (const child of children.splice(0)) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGKILL');
		}
	}
	for (const dir of dirs.splice(0)) {
		fs.rmSync(dir, {recursive: true, force: true});
	}
});

function newStore(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-stress-'));
	dirs.push(dir);
	openStore(dir).close();
	return dir;
}

/** Runs the add-routes worker; resolves with its exit and the prefixes it reported committed. */
function addRoutes(dir: string, tag: number, count: number): {readonly child: ChildProcess; readonly done: Promise<{code: number | null; signal: string | null; committed: string[]; stderr: string}>} {
	const running = startProcess(process.execPath, [worker, dir, String(tag), String(count)]);
	children.push(running.child);
	const done = running.finished.then(({code, signal, stdout, stderr}) => ({code, signal, stderr, committed: stdout.split('\n').filter(line => line.startsWith('committed ')).map(line => line.slice('committed '.length))}));
	return {child: running.child, done};
}

const workerRoutes = (tag: number, count: number) => Array.from({length: count}, (_, index) => `10.${tag}.${index >> 8}.${index & 255}/32 100`);

test.each(Array.from({length: rounds}, (_, index) => index + 1))(`${processes} processes x ${routesEach} routes keep every route (round %i)`, async () => {
	const dir = newStore();
	const results = await Promise.all(Array.from({length: processes}, async (_, index) => addRoutes(dir, index + 1, routesEach).done));
	expect(results.map(({code, stderr}) => ({code, stderr}))).toEqual(results.map(() => ({code: 0, stderr: ''})));
	const expected = ['192.168.20.0/24 100', ...Array.from({length: processes}, (_, index) => workerRoutes(index + 1, routesEach)).flat()].sort();
	expect(storedRoutes(dir).sort()).toEqual(expected);
}, 600_000);

test(`${processes} writers, one killed with SIGKILL at a random moment, ${kills} rounds: every reported commit is kept`, async () => {
	const random = seededRandom(seed);
	for (let round = 1; round <= kills; round++) {
		const dir = newStore();
		const victim = Math.floor(random() * processes);
		const delay = Math.round(50 + random() * 500);
		const writers = Array.from({length: processes}, (_, index) => addRoutes(dir, index + 1, index === victim ? 100_000 : routesEach));
		const timer = setTimeout(() => writers[victim]!.child.kill('SIGKILL'), delay);
		const results = await Promise.all(writers.map(async writer => writer.done));
		clearTimeout(timer);
		const reported = results.flatMap(result => result.committed.map(prefix => `${prefix} 100`));
		for (const [index, result] of results.entries()) {
			if (index !== victim) {
				expect(result.code, result.stderr).toBe(0);
				expect(result.committed).toHaveLength(routesEach);
			}
		}
		const stored = new Set(storedRoutes(dir));
		expect(reported.filter(route => !stored.has(route)), `round ${round} (seed ${seed}, writer ${victim + 1} killed after ${delay} ms): reported commits missing`).toEqual([]);
		const store = openStore(dir);
		expect(() => store.read()).not.toThrow();
		store.close();
	}
}, 600_000);
