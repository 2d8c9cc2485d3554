/**
 * The stale-edit guard: an edit remembers the revision and the route it was opened on, and is refused
 * when another session changed that same route first, so a save never overwrites a change unseen.
 */

import type {Device, Route} from './device.js';
import {findRoute} from './route-context.js';
import type {RouteKey} from './route-key.js';
import type {RouteChange} from './routes.js';

/** What an edit was opened on: the store revision, the route's key, and the route as it was then (null for a new one). */
export type EditGuard = {
	readonly revision: number;
	readonly key: RouteKey;
	readonly snapshot: Route | null;
};

/** The message of an edit refused because another session changed the same route first. */
export const staleEditMessage = 'changed by another session — reloaded; review and save again';

function sameRoute(a: Route | null | undefined, b: Route | null | undefined): boolean {
	if (!a || !b) {
		return !a && !b;
	}
	return a.interface === b.interface && a.destinationPrefix === b.destinationPrefix && a.nextHop === b.nextHop && a.metric === b.metric;
}

/**
 * Refuses an edit opened on an older revision when the route it edits has changed since (changed, removed,
 * or added by someone else); changes to other routes do not stop it. Returns the refusal, or nothing.
 */
export function checkStaleEdit(device: Device, revision: number, guard: EditGuard): RouteChange | undefined {
	if (revision === guard.revision || sameRoute(findRoute(device, guard.key), guard.snapshot)) {
		return undefined;
	}
	return {ok: false, errors: {destinationPrefix: staleEditMessage}, message: staleEditMessage};
}
