/**
 * The built edgenet as other Unix users can run it. The test's own checkout may sit in a directory only
 * its owner can enter (a fresh clone under `mktemp -d` does), so the Node binary and `dist/` are copied
 * into a temp directory of their own that everyone may read. The store and route commands load nothing
 * from node_modules, so the copy runs them as the checkout does.
 */

import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {cleanEnv, cliPath} from '../e2e/harness.js';
import {buildWorker} from './build-worker.js';

/** A copy of the Node binary and of the built edgenet that every user may run, with the workers a test asked for. */
export type RunnableCopy = {
	readonly node: string;
	readonly cli: string;
	/** The path of each worker (`test/support/<name>.ts`), bundled with its packages. */
	readonly workers: Readonly<Record<string, string>>;
	/** Runs the copied edgenet as another Unix user (runuser: with that user's groups), from `/`, with no home. */
	runAs(user: string, args: readonly string[]): {readonly status: number | null; readonly stdout: string; readonly stderr: string};
	/** Removes the copy. */
	remove(): void;
};

/** Copies a file or a directory tree, leaving it readable (and, for directories and programs, enterable) by everyone. */
function copyReadable(source: string, target: string, mode: number): void {
	fs.cpSync(source, target, {recursive: true});
	const open = (entry: string) => {
		const stats = fs.statSync(entry);
		fs.chmodSync(entry, stats.isDirectory() ? 0o755 : mode);
		if (stats.isDirectory()) {
			for (const name of fs.readdirSync(entry)) {
				open(path.join(entry, name));
			}
		}
	};
	open(target);
}

/** Makes a copy of Node, `dist/` and the named workers under the system temp directory that any user may run. */
export async function copyForOtherUsers(workers: readonly string[] = []): Promise<RunnableCopy> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-runnable-'));
	fs.chmodSync(dir, 0o755);
	const node = path.join(dir, 'node');
	copyReadable(process.execPath, node, 0o755);
	const dist = path.join(dir, 'dist');
	copyReadable(path.dirname(cliPath), dist, 0o644);
	const built: Record<string, string> = {};
	for (const name of workers) {
		built[name] = await buildWorker(name, {outDir: dir, selfContained: true});
		fs.chmodSync(built[name], 0o644);
	}
	const cli = path.join(dist, path.basename(cliPath));
	return {
		node,
		cli,
		workers: built,
		runAs(user, args) {
			const result = spawnSync('runuser', ['-u', user, '--', node, cli, ...args], {encoding: 'utf8', cwd: '/', env: cleanEnv({HOME: '/nonexistent'}), timeout: 20_000});
			return {status: result.status, stdout: result.stdout, stderr: result.stderr};
		},
		remove() {
			fs.rmSync(dir, {recursive: true, force: true});
		},
	};
}
