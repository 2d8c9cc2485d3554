/**
 * The route rows: read with the row id each route object came from, looked up through the table's
 * indexes, and written row by row (an edit of one route touches one row). Runs inside the caller's
 * transaction.
 */

import type {DatabaseSync, StatementSync} from 'node:sqlite';
import type {Route} from '../domain/device.js';
import type {RouteLookup} from '../domain/route-context.js';
import type {RouteEdit} from '../domain/routes.js';
import {asNumber, asText, eachRow, sharedTexts} from './read-rows.js';

/** The row id of every route read or written by this process, so a change can be written row by row. */
export type RouteIds = WeakMap<Route, number>;

const routeColumns = 'SELECT id, interface, destination, next_hop, metric FROM routes';

function routeOf([id, iface, destination, nextHop, metric]: unknown[], ids: RouteIds, text: (value: unknown) => string = asText): Route {
	const route: Route = {interface: text(iface), destinationPrefix: asText(destination), nextHop: text(nextHop), metric: asNumber(metric)};
	ids.set(route, asNumber(id));
	return route;
}

/** Reads every route row, in row order, keeping each route's row id. Routes share a few interfaces and next hops among thousands: each is held once. */
export function readRoutes(database: DatabaseSync, ids: RouteIds): Route[] {
	const shared = sharedTexts();
	const routes: Route[] = [];
	for (const row of eachRow(database, `${routeColumns} ORDER BY id`)) {
		routes.push(routeOf(row, ids, shared));
	}
	return routes;
}

/**
 * The routes the rules ask for, each question answered from the table's indexes (UNIQUE (destination,
 * metric) and (interface, destination) lead with the columns asked for), so a change of one route reads
 * only the routes of its prefix. Call inside the transaction that writes the change.
 */
export function routeLookup(database: DatabaseSync, ids: RouteIds): RouteLookup {
	const withPrefix = database.prepare(`${routeColumns} WHERE destination = ? ORDER BY id`);
	const onInterface = database.prepare(`${routeColumns} WHERE interface = ? ORDER BY id`);
	withPrefix.setReturnArrays(true);
	onInterface.setReturnArrays(true);
	// A check asks for the same prefix up to three times (key, metric, best route): the same objects each time.
	const prefixes = new Map<string, Route[]>();
	const rows = (statement: StatementSync, value: string) => (statement.all(value) as unknown as unknown[][]).map(row => routeOf(row, ids));
	return {
		routesWithPrefix(prefix) {
			let routes = prefixes.get(prefix);
			if (!routes) {
				routes = rows(withPrefix, prefix);
				prefixes.set(prefix, routes);
			}
			return routes;
		},
		routesOnInterface: name => rows(onInterface, name),
	};
}

/** The statements that write route rows, keeping each route object's row id. */
function routeWriter(database: DatabaseSync, ids: RouteIds) {
	const insert = database.prepare('INSERT INTO routes (interface, destination, next_hop, metric) VALUES (?, ?, ?, ?)');
	const update = database.prepare('UPDATE routes SET interface = ?, destination = ?, next_hop = ?, metric = ? WHERE id = ?');
	const remove = database.prepare('DELETE FROM routes WHERE id = ?');
	return {
		insert(route: Route) {
			ids.set(route, Number(insert.run(route.interface, route.destinationPrefix, route.nextHop, route.metric).lastInsertRowid));
		},
		update(id: number, route: Route) {
			update.run(route.interface, route.destinationPrefix, route.nextHop, route.metric, id);
			ids.set(route, id);
		},
		remove(id: number) {
			remove.run(id);
		},
	};
}

/** Writes one route's edit: the row of the route it replaces or removes is found by the id it was read with. */
export function writeRouteEdit(database: DatabaseSync, edit: RouteEdit, ids: RouteIds): void {
	const {before, after} = edit;
	const id = before === undefined ? undefined : ids.get(before);
	if (before !== undefined && id === undefined) {
		throw new Error(`the route ${before.destinationPrefix} on ${before.interface} to change was not read from this store`);
	}
	const writer = routeWriter(database, ids);
	if (after === undefined) {
		writer.remove(id!);
	} else if (id === undefined) {
		writer.insert(after);
	} else {
		writer.update(id, after);
	}
}

type RoutePlan = {readonly deletes: number[]; readonly updates: Array<readonly [number, Route]>; readonly inserts: Route[]};

/**
 * How to turn the stored routes into the new list row by row: routes kept (the same objects) keep their
 * rows, a route replaced in place takes over its predecessor's row, new ones go at the end. Returns
 * nothing when the new order cannot be reached that way (the caller rewrites the list).
 */
function planRoutes(before: readonly Route[], after: readonly Route[], ids: RouteIds): RoutePlan | undefined {
	return planInPlace(before, after, ids) ?? planBySets(before, after, ids);
}

/** The common changes without building sets: routes replaced where they stand (no row yet: new objects), new ones at the end. */
function planInPlace(before: readonly Route[], after: readonly Route[], ids: RouteIds): RoutePlan | undefined {
	if (after.length < before.length) {
		return undefined;
	}
	const updates: Array<readonly [number, Route]> = [];
	const inserts: Route[] = [];
	for (let index = 0; index < after.length; index++) {
		const route = after[index]!;
		const previous = before[index];
		if (previous === route) {
			continue;
		}
		if (ids.has(route)) {
			return undefined;
		}
		if (previous === undefined) {
			inserts.push(route);
			continue;
		}
		const id = ids.get(previous);
		if (id === undefined) {
			return undefined;
		}
		updates.push([id, route]);
	}
	return {deletes: [], updates, inserts};
}

function planBySets(before: readonly Route[], after: readonly Route[], ids: RouteIds): RoutePlan | undefined {
	const kept = new Set(after);
	const previous = new Set(before);
	const replaced = new Set<Route>();
	const updates: Array<readonly [number, Route]> = [];
	const inserts: Route[] = [];
	let lastId = -1;
	for (const [index, route] of after.entries()) {
		let id: number | undefined;
		if (previous.has(route)) {
			id = ids.get(route);
		} else {
			const predecessor = before.length === after.length ? before[index] : undefined;
			if (predecessor && !kept.has(predecessor) && ids.has(predecessor)) {
				id = ids.get(predecessor);
				replaced.add(predecessor);
				updates.push([id!, route]);
			} else {
				inserts.push(route);
				continue;
			}
		}
		if (id === undefined || id <= lastId || inserts.length > 0) {
			return undefined;
		}
		lastId = id;
	}
	const deletes: number[] = [];
	for (const route of before) {
		if (!kept.has(route) && !replaced.has(route)) {
			const id = ids.get(route);
			if (id === undefined) {
				return undefined;
			}
			deletes.push(id);
		}
	}
	return {deletes, updates, inserts};
}

/** Turns the stored routes into the new list: row by row where the plan allows, else by rewriting the rows this process read. */
export function writeRoutes(database: DatabaseSync, before: readonly Route[], after: readonly Route[], ids: RouteIds): void {
	const writer = routeWriter(database, ids);
	const plan = planRoutes(before, after, ids);
	if (!plan) {
		// Only the rows this process read go: rows the route rules kept out of view stay for a person to see.
		for (const route of before) {
			const id = ids.get(route);
			if (id !== undefined) {
				writer.remove(id);
			}
		}
		for (const route of after) {
			writer.insert(route);
		}
		return;
	}
	for (const id of plan.deletes) {
		writer.remove(id);
	}
	for (const [id, route] of plan.updates) {
		writer.update(id, route);
	}
	for (const route of plan.inserts) {
		writer.insert(route);
	}
}
