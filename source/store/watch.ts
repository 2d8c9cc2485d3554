/** Live refresh: tells an open dashboard of each commit another process makes, and of the store becoming unreadable or readable again. */

import fs from 'node:fs';
import path from 'node:path';
import type {DatabaseSync} from 'node:sqlite';
import type {StoreEvent, StoreState} from './state.js';

/** How often an open dashboard looks for commits of other sessions (`PRAGMA data_version`). */
const pollMs = 250;

/** A number that changes when another connection commits to the database. */
export function dataVersion(database: DatabaseSync): number {
	return Number((database.prepare('PRAGMA data_version').get() as {data_version: number}).data_version);
}

/**
 * Watches the store: polls `PRAGMA data_version` (which changes only when another connection commits)
 * and the file's presence, and looks at once when the directory changes. Tells the listener of each
 * commit by another session, of the store becoming unreadable, and of it becoming readable again.
 */
export function watchStore(
	store: {readonly file: string; readonly read: () => StoreState; readonly dataVersion: () => number; readonly generation: () => number},
	listener: (event: StoreEvent) => void,
): () => void {
	let lastVersion: number | undefined;
	let lastGeneration = store.generation();
	let failing: string | undefined;
	let timer: NodeJS.Timeout | undefined;
	const check = () => {
		timer = undefined;
		try {
			const state = store.read();
			const version = store.dataVersion();
			// Reading opens the file again when it was replaced (or, read as immutable, written): a new generation.
			const generation = store.generation();
			if (failing !== undefined || version !== lastVersion || generation !== lastGeneration) {
				lastVersion = version;
				lastGeneration = generation;
				failing = undefined;
				listener({ok: true, state});
			}
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			if (message !== failing) {
				failing = message;
				listener({ok: false, message});
			}
		}
	};
	const poll = setInterval(check, pollMs);
	poll.unref();
	let watcher: fs.FSWatcher | undefined;
	try {
		watcher = fs.watch(path.dirname(store.file), {persistent: false}, () => {
			clearTimeout(timer);
			timer = setTimeout(check, 30);
		});
		watcher.on('error', () => undefined);
	} catch {
		// Polling alone still sees every change within a second.
	}
	// A change made between the caller's last read and the watcher's start would go unseen: look once now.
	timer = setTimeout(check, 0);
	return () => {
		clearTimeout(timer);
		clearInterval(poll);
		watcher?.close();
	};
}
