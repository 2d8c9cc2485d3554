/** Mounts for tests of real file-system faults (mounting needs root): each one undone after its test, the last mounted first. */

import {execFileSync, spawnSync} from 'node:child_process';
import {afterEach} from 'vitest';

/** What a test file mounts with; call it once, at the top of the file, after the file's own afterEach (so mounts are undone before directories are removed). */
export function useMounts(): {
	/** Runs `mount <args> <target>`, undone after the test. */
	readonly mount: (args: readonly string[], target: string) => void;
	/** Makes `target` (the directory itself unless given) a read-only bind mount of a directory, undone after the test. */
	readonly mountReadOnly: (dir: string, target?: string) => void;
	/** Undoes the last mount now. */
	readonly unmountLast: () => void;
} {
	const mounts: string[] = [];
	const unmount = (target: string) => {
		if (spawnSync('umount', [target]).status !== 0) {
			spawnSync('umount', ['-l', target]);
		}
	};
	afterEach(() => {
		// The last mounted first: a bind mount may sit on a tmpfs.
		for (const target of mounts.splice(0).reverse()) {
			unmount(target);
		}
	});
	const mount = (args: readonly string[], target: string) => {
		execFileSync('mount', [...args, target], {stdio: 'pipe'});
		mounts.push(target);
	};
	return {
		mount,
		mountReadOnly(dir, target = dir) {
			mount(['--bind', dir], target);
			execFileSync('mount', ['-o', 'remount,ro,bind', target], {stdio: 'pipe'});
		},
		unmountLast() {
			const target = mounts.pop();
			if (target !== undefined) {
				unmount(target);
			}
		},
	};
}
