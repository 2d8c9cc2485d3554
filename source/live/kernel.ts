/**
 * The one place that talks to the Linux kernel's routing table, through iproute2 (`ip -j route`),
 * on this machine or inside a network namespace.
 */

import fs from 'node:fs';
import type {KernelRoute} from '../domain/live.js';
import {jsonEscape} from '../domain/safe-text.js';

/** A failure of `ip`, with what it said. */
export class KernelError extends Error {
	override readonly name = 'KernelError';
}

function ip(netns: string | undefined, args: readonly string[], input?: string): string {
	try {
		// Loaded when the kernel is first asked, not by every command.
		const {execFileSync} = process.getBuiltinModule('node:child_process');
		return execFileSync('ip', [...(netns === undefined ? [] : ['-n', netns]), ...args], {encoding: 'utf8', ...(input === undefined ? {stdio: ['ignore', 'pipe', 'pipe']} : {input, stdio: ['pipe', 'pipe', 'pipe']})});
	} catch (error) {
		const failure = error as NodeJS.ErrnoException & {stderr?: string};
		if (failure.code === 'ENOENT') {
			throw new KernelError('the `ip` command (iproute2) is not installed here; install it to compare with the kernel');
		}
		throw new KernelError((failure.stderr ?? failure.message).trim());
	}
}

/** The main routing table, as `ip -j route show table main` prints it. */
export function readKernelRoutes(netns?: string): KernelRoute[] {
	// iproute2 writes control characters of device names raw inside its JSON strings, which JSON forbids.
	// Outside strings its JSON holds no control character but whitespace, so escaping the others is safe.
	const text = ip(netns, ['-j', 'route', 'show', 'table', 'main']).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, jsonEscape);
	try {
		return JSON.parse(text === '' ? '[]' : text) as KernelRoute[];
	} catch {
		throw new KernelError(`ip -j route printed something that is not JSON: ${text.slice(0, 80)}`);
	}
}

/**
 * Runs `ip` commands (such as `route add …`) in one `ip -batch` process, in order, stopping at the first
 * that fails. Returns how many succeeded, and what the failing one said.
 */
export function runIpBatch(netns: string | undefined, commands: readonly (readonly string[])[]): {readonly applied: number; readonly error?: string} {
	if (commands.length === 0) {
		return {applied: 0};
	}
	// ip's batch reader splits lines into words itself and reads `#`, quotes and backslashes: only plain words may go in.
	const unsafe = commands.flat().find(word => !/^[A-Za-z0-9_.:/-]+$/.test(word));
	if (unsafe !== undefined) {
		throw new KernelError(`refusing to pass ${JSON.stringify(unsafe)} to ip: it is not a plain word (an address, a number or an interface name)`);
	}
	try {
		ip(netns, ['-batch', '-'], commands.map(command => `${command.join(' ')}\n`).join(''));
		return {applied: commands.length};
	} catch (error) {
		if (!(error instanceof KernelError)) {
			throw error;
		}
		// ip names the failing line of its input: "Command failed -:<line>", after the kernel's own words.
		const failed = /Command failed -:(\d+)/.exec(error.message);
		const line = failed ? Number(failed[1]) : 1;
		return {applied: line - 1, error: error.message.replace(/\s*Command failed -:\d+\s*$/, '').trim() || error.message};
	}
}

/** Whether this process may change routes: it holds the network administration capability (root normally does). */
export function mayChangeRoutes(): boolean {
	try {
		const status = fs.readFileSync('/proc/self/status', 'utf8');
		const match = /CapEff:\s+([0-9a-f]+)/.exec(status);
		// CAP_NET_ADMIN is bit 12 of the effective capability set.
		return match ? (BigInt(`0x${match[1]}`) & (1n << 12n)) !== 0n : process.getuid?.() === 0;
	} catch {
		return process.getuid?.() === 0;
	}
}
