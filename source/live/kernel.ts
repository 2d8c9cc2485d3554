/**
 * The one place that talks to the Linux kernel's routing table, through iproute2 (`ip -j route`),
 * on this machine or inside a network namespace.
 */

import fs from 'node:fs';
import type {KernelRoute} from '../domain/live.js';

/** A failure of `ip`, with what it said. */
export class KernelError extends Error {
	override readonly name = 'KernelError';
}

function ip(netns: string | undefined, args: readonly string[]): string {
	try {
		// Loaded when the kernel is first asked, not by every command.
		const {execFileSync} = process.getBuiltinModule('node:child_process');
		return execFileSync('ip', [...(netns === undefined ? [] : ['-n', netns]), ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
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
	const text = ip(netns, ['-j', 'route', 'show', 'table', 'main']).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, character => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
	try {
		return JSON.parse(text === '' ? '[]' : text) as KernelRoute[];
	} catch {
		throw new KernelError(`ip -j route printed something that is not JSON: ${text.slice(0, 80)}`);
	}
}

/** Runs one `ip` command (such as `route add …`). */
export function runIp(netns: string | undefined, args: readonly string[]): void {
	ip(netns, args);
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
