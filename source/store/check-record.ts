/**
 * The store's record of the last check of its routes by the route rules: at which revision, by which
 * version of the rules, and each refused route's reason by row. While the record holds, a process need
 * not check the routes again (the schema's triggers clear it when a route row changes).
 */

import type {DatabaseSync} from 'node:sqlite';
import type {Device} from '../domain/device.js';
import {auditRoutes, nameOf, type RouteAudit, type RouteProblem, routeRulesVersion} from '../domain/route-audit.js';
import type {RouteIds} from './route-rows.js';
import type {Connection} from './state.js';
/** What the store recorded of the last check of its routes: at which revision, by which rules, and each refused route's reason by row. */
function readCheckRecord(database: DatabaseSync): {readonly revision: number | null; readonly rules: number | null; readonly problems: ReadonlyMap<number, string>} {
	const row = database.prepare('SELECT checked_revision, checked_rules FROM device WHERE id = 1').get() as {checked_revision: number | null; checked_rules: number | null} | undefined;
	if (!row || row.checked_revision === null) {
		return {revision: null, rules: null, problems: new Map()};
	}
	const problems = new Map((database.prepare('SELECT route_id, reason FROM route_problems').all() as Array<{route_id: number; reason: string}>).map(entry => [Number(entry.route_id), String(entry.reason)]));
	return {revision: Number(row.checked_revision), rules: row.checked_rules === null ? null : Number(row.checked_rules), problems};
}

/** Records the check of the routes at a revision. Call inside a write transaction, after the rows are written. */
export function recordCheck(database: DatabaseSync, revision: number, problems: readonly RouteProblem[], ids: RouteIds): void {
	database.exec('DELETE FROM route_problems');
	const insert = database.prepare('INSERT OR REPLACE INTO route_problems (route_id, reason) VALUES (?, ?)');
	for (const problem of problems) {
		const id = ids.get(problem.route);
		if (id !== undefined) {
			insert.run(id, problem.reason);
		}
	}
	database.prepare('UPDATE device SET checked_revision = ?, checked_rules = ? WHERE id = 1').run(revision, routeRulesVersion);
}

/** The route rules applied to the stored routes, or what the store recorded of their last check when that record still holds. */
export function checkRoutes(connection: Connection, revision: number, device: Device): RouteAudit {
	const {ids} = connection;
	const record = readCheckRecord(connection.database);
	if (connection.checksRecorded && record.revision === revision && record.rules === routeRulesVersion) {
		const reasons = record.problems;
		if (reasons.size === 0) {
			return {valid: device.routes, problems: []};
		}
		const valid = device.routes.filter(route => !reasons.has(ids.get(route) ?? -1));
		const problems = device.routes
			.filter(route => reasons.has(ids.get(route) ?? -1))
			.map(route => ({route, name: nameOf(route), reason: reasons.get(ids.get(route)!)!}));
		return {valid, problems};
	}
	const audit = auditRoutes(device);
	connection.unrecorded = {revision, problems: audit.problems};
	return audit;
}

/** Whether the store's record of the last route check holds now and found every stored route within the rules. */
export function checkedWithoutProblems(connection: Connection, revision: number): boolean {
	if (!connection.checksRecorded) {
		return false;
	}
	const record = readCheckRecord(connection.database);
	return record.revision === revision && record.rules === routeRulesVersion && record.problems.size === 0;
}
