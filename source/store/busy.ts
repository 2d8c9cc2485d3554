/**
 * Waiting while another process holds the database: one loop of attempts with growing pauses, run
 * without blocking by transactions (the dashboard keeps drawing while it waits) and blocking by the
 * opening of an older store, which upgrades it before anything reads it.
 */

import type {DatabaseSync} from 'node:sqlite';
import {isBusy, StoreError} from './store-error.js';

/** How long a transaction waits for another writer before giving up. */
const busyWaitMs = 15_000;

/**
 * Runs `statement` until the database is not busy, yielding each pause to wait before the next attempt:
 * 5 ms doubling to 100 ms (with jitter), calling `onFirstWait` before the first. After `busyWaitMs` it
 * gives up with what `givenUp` makes of the last error.
 */
function* attempts(database: DatabaseSync, statement: string, givenUp: (error: unknown) => Error, onFirstWait?: () => void): Generator<number, void, void> {
	const deadline = Date.now() + busyWaitMs;
	for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
		try {
			database.exec(statement);
			return;
		} catch (error) {
			if (!isBusy(error)) {
				throw error;
			}
			if (Date.now() > deadline) {
				throw givenUp(error);
			}
		}
		if (pause === 5) {
			onFirstWait?.();
		}
		yield pause + Math.random() * pause;
	}
}

const sleep = (ms: number) =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

/** Runs `statement` until the database is not busy, waiting between attempts without blocking the process. */
export async function whileBusy(database: DatabaseSync, statement: string, givenUp: (error: unknown) => Error, onFirstWait?: () => void): Promise<void> {
	for (const pause of attempts(database, statement, givenUp, onFirstWait)) {
		await sleep(pause);
	}
}

/** A cell nothing ever changes, waited on to pause the thread. */
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** Runs `statement` until the database is not busy, the thread paused between attempts (for work that must be done before anything else). */
export function whileBusyBlocking(database: DatabaseSync, statement: string, givenUp: (error: unknown) => Error, onFirstWait?: () => void): void {
	for (const pause of attempts(database, statement, givenUp, onFirstWait)) {
		Atomics.wait(pauseCell, 0, 0, pause);
	}
}

/** Why a transaction did not start: another writer held the store for the whole wait. */
export function stayedBusy(file: string): StoreError {
	return new StoreError(
		`The store ${file} stayed busy for ${busyWaitMs / 1000} s: another edgenet is holding it in a transaction (perhaps a stopped one: look for a suspended edgenet with \`jobs\` or \`ps\`). Nothing was changed. Try again.`,
	);
}
