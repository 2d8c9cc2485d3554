/** Child processes of tests: their output as it arrives, waiting for a line of it, and their end. */

import {type ChildProcess, spawn} from 'node:child_process';
import fs from 'node:fs';

/** How a process ended, and everything it wrote. */
export type Finished = {readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stdout: string; readonly stderr: string};

/** A process that runs. */
export type Running = {
	readonly child: ChildProcess;
	readonly stdout: () => string;
	readonly stderr: () => string;
	readonly finished: Promise<Finished>;
	/** Resolves once the stream shows the text; rejects if the process ends first or after the timeout. */
	readonly waitFor: (stream: 'stdout' | 'stderr', text: string, timeoutMs?: number) => Promise<void>;
};

/** Starts a process with piped output; the caller keeps `child` to kill it after the test. */
export function startProcess(command: string, args: readonly string[], options: {readonly env?: NodeJS.ProcessEnv; readonly cwd?: string} = {}): Running {
	const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe'], env: options.env, cwd: options.cwd});
	const output = {stdout: '', stderr: ''};
	child.stdout.on('data', chunk => {
		output.stdout += String(chunk);
	});
	child.stderr.on('data', chunk => {
		output.stderr += String(chunk);
	});
	const finished = new Promise<Finished>(resolve => {
		child.on('close', (code, signal) => {
			resolve({code, signal, ...output});
		});
	});
	let ended = false;
	void finished.then(() => {
		ended = true;
	});
	return {
		child,
		stdout: () => output.stdout,
		stderr: () => output.stderr,
		finished,
		async waitFor(stream, text, timeoutMs = 15_000) {
			const deadline = Date.now() + timeoutMs;
			while (!output[stream].includes(text)) {
				if (ended || Date.now() > deadline) {
					throw new Error(`${ended ? 'the process ended' : 'timed out'} before its ${stream} showed ${JSON.stringify(text)}; stdout: ${output.stdout.slice(-500)} stderr: ${output.stderr.slice(-500)}`);
				}
				await new Promise(resolve => setTimeout(resolve, 10));
			}
		},
	};
}

/**
 * Resolves once the kernel shows the process stopped (state `T` in `/proc/<pid>/stat`). A process that
 * stops itself right after printing must be seen stopped before it is sent SIGCONT: a SIGCONT that comes
 * first is lost, and the process then stops for good.
 */
export async function waitUntilStopped(running: Running, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const state = () => {
		try {
			return fs.readFileSync(`/proc/${running.child.pid}/stat`, 'utf8').split(') ')[1]?.[0];
		} catch {
			return undefined;
		}
	};
	while (state() !== 'T') {
		if (running.child.exitCode !== null || running.child.signalCode !== null || Date.now() > deadline) {
			throw new Error(`process ${running.child.pid} did not stop; stdout: ${running.stdout().slice(-500)} stderr: ${running.stderr().slice(-500)}`);
		}
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}
