/**
 * Between the device model and the store's tables: reading each layer's rows into model objects, and
 * writing back only the layers a change touched (routes row by row). Runs inside the caller's transaction.
 */

import type {DatabaseSync, StatementSync} from 'node:sqlite';
import type {Cluster, Device, InternalSwitch, Nic, Pod, Port, Route, Service, ServicePort, Vm, VmName} from '../domain/device.js';
import type {RouteLookup} from '../domain/route-context.js';
import type {RouteEdit} from '../domain/routes.js';
import type {DataTable} from './schema.js';

type Row = Record<string, unknown>;

const asText = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));
const asNullableText = (value: unknown): string | null => (value === null || value === undefined ? null : asText(value));
const asNumber = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN);

function parseJson<T>(value: unknown, fallback: T): T {
	try {
		return JSON.parse(asText(value)) as T;
	} catch {
		return fallback;
	}
}

/** The row id of every route read or written by this process, so a change can be written row by row. */
export type RouteIds = WeakMap<Route, number>;

export function readName(database: DatabaseSync): {readonly name: string; readonly revision: number} | undefined {
	const row = database.prepare('SELECT name, revision FROM device WHERE id = 1').get() as Row | undefined;
	return row ? {name: asText(row['name']), revision: asNumber(row['revision'])} : undefined;
}

export function readTableRevisions(database: DatabaseSync): Map<string, number> {
	const rows = database.prepare('SELECT name, revision FROM table_revisions').all() as Row[];
	return new Map(rows.map(row => [asText(row['name']), asNumber(row['revision'])]));
}

export function readPorts(database: DatabaseSync): Port[] {
	return (database.prepare('SELECT * FROM ports ORDER BY position').all() as Row[]).map(row => ({
		name: asText(row['name']),
		speedGbps: asNumber(row['speed_gbps']),
		ipConfig: row['ip_config'] === 'dhcp' ? 'dhcp' : 'static',
		address: asNullableText(row['address']),
		gateway: asNullableText(row['gateway']),
		dns: parseJson<unknown[]>(row['dns'], []).map(entry => asText(entry)),
		computeEnabled: row['compute_enabled'] === 1 || row['compute_enabled'] === 1n,
		connectsTo: asText(row['connects_to']),
	}));
}

export function readInternalSwitch(database: DatabaseSync): InternalSwitch {
	const row = (database.prepare(`SELECT * FROM switches WHERE kind = 'internal'`).get() as Row | undefined) ?? {};
	return {name: asText(row['name']), subnet: asText(row['subnet']), natAddress: asText(row['nat_address'])};
}

export function readCluster(database: DatabaseSync): Cluster {
	const row = (database.prepare('SELECT * FROM cluster WHERE id = 1').get() as Row | undefined) ?? {};
	return {
		computeConfigured: row['compute_configured'] === 1 || row['compute_configured'] === 1n,
		nodeIpRange: asNullableText(row['node_ip_range']),
		serviceIpRange: asNullableText(row['service_ip_range']),
		podCidr: asText(row['pod_cidr']),
		serviceCidr: asText(row['service_cidr']),
		dnsDomain: asText(row['dns_domain']),
	};
}

export function readVms(database: DatabaseSync): Vm[] {
	const nics = new Map<string, Nic[]>();
	for (const row of database.prepare('SELECT * FROM nics ORDER BY vm, position').all() as Row[]) {
		const vm = asText(row['vm']);
		const list = nics.get(vm) ?? [];
		list.push({name: asText(row['name']), network: row['network'] === 'external' ? 'external' : 'internal', address: asText(row['address'])});
		nics.set(vm, list);
	}
	return (database.prepare('SELECT * FROM vms ORDER BY position').all() as Row[]).map(row => {
		const name = asText(row['name']) as VmName;
		return {name, nodeName: asText(row['node_name']), nics: nics.get(name) ?? []};
	});
}

/** Rows as arrays of values: for the big tables, several times faster than rows as objects. */
function allRows(database: DatabaseSync, sql: string): unknown[][] {
	const statement = database.prepare(sql);
	statement.setReturnArrays(true);
	return statement.all() as unknown as unknown[][];
}

export function readPods(database: DatabaseSync): Pod[] {
	return allRows(database, 'SELECT namespace, name, node, ip, labels FROM pods ORDER BY id').map(([namespace, name, node, ip, labels]) => ({
		namespace: asText(namespace),
		name: asText(name),
		node: asText(node) as VmName,
		ip: asText(ip),
		labels: parseJson<Record<string, string>>(labels, {}),
	}));
}

export function readServices(database: DatabaseSync): Service[] {
	return allRows(database, 'SELECT namespace, name, type, cluster_ip, external_ip, selector, ports FROM services ORDER BY id').map(([namespace, name, type, clusterIp, externalIp, selector, ports]) => ({
		namespace: asText(namespace),
		name: asText(name),
		type: type === 'LoadBalancer' ? 'LoadBalancer' : 'ClusterIP',
		clusterIp: asText(clusterIp),
		externalIp: asNullableText(externalIp),
		selector: parseJson<Record<string, string>>(selector, {}),
		ports: parseJson<ServicePort[]>(ports, []),
	}));
}

const routeColumns = 'SELECT id, interface, destination, next_hop, metric FROM routes';

function routeOf([id, iface, destination, nextHop, metric]: unknown[], ids: RouteIds): Route {
	const route: Route = {interface: asText(iface), destinationPrefix: asText(destination), nextHop: asText(nextHop), metric: asNumber(metric)};
	ids.set(route, asNumber(id));
	return route;
}

export function readRoutes(database: DatabaseSync, ids: RouteIds): Route[] {
	return allRows(database, `${routeColumns} ORDER BY id`).map(row => routeOf(row, ids));
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

function insertAll<T>(statement: StatementSync, items: readonly T[], values: (item: T, index: number) => Array<string | number | null>): void {
	for (const [index, item] of items.entries()) {
		statement.run(...values(item, index));
	}
}

function writePorts(database: DatabaseSync, ports: readonly Port[]): void {
	database.exec('DELETE FROM ports');
	insertAll(database.prepare('INSERT INTO ports (position, name, speed_gbps, ip_config, address, gateway, dns, compute_enabled, connects_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'), ports, (port, index) => [
		index,
		port.name,
		port.speedGbps,
		port.ipConfig,
		port.address,
		port.gateway,
		JSON.stringify(port.dns),
		port.computeEnabled ? 1 : 0,
		port.connectsTo,
	]);
}

function writeSwitch(database: DatabaseSync, internal: InternalSwitch): void {
	database.exec('DELETE FROM switches');
	database.prepare(`INSERT INTO switches (name, kind, subnet, nat_address) VALUES (?, 'internal', ?, ?)`).run(internal.name, internal.subnet, internal.natAddress);
}

function writeCluster(database: DatabaseSync, cluster: Cluster): void {
	database
		.prepare('INSERT OR REPLACE INTO cluster (id, compute_configured, node_ip_range, service_ip_range, pod_cidr, service_cidr, dns_domain) VALUES (1, ?, ?, ?, ?, ?, ?)')
		.run(cluster.computeConfigured ? 1 : 0, cluster.nodeIpRange, cluster.serviceIpRange, cluster.podCidr, cluster.serviceCidr, cluster.dnsDomain);
}

function writeVms(database: DatabaseSync, vms: readonly Vm[]): void {
	database.exec('DELETE FROM nics; DELETE FROM vms');
	const insertVm = database.prepare('INSERT INTO vms (position, name, node_name) VALUES (?, ?, ?)');
	const insertNic = database.prepare('INSERT INTO nics (vm, position, name, network, address) VALUES (?, ?, ?, ?, ?)');
	for (const [index, vm] of vms.entries()) {
		insertVm.run(index, vm.name, vm.nodeName);
		insertAll(insertNic, vm.nics, (nic, position) => [vm.name, position, nic.name, nic.network, nic.address]);
	}
}

function writePods(database: DatabaseSync, pods: readonly Pod[]): void {
	database.exec('DELETE FROM pods');
	insertAll(database.prepare('INSERT INTO pods (id, namespace, name, node, ip, labels) VALUES (?, ?, ?, ?, ?, ?)'), pods, (pod, index) => [
		index + 1,
		pod.namespace,
		pod.name,
		pod.node,
		pod.ip,
		JSON.stringify(pod.labels),
	]);
}

function writeServices(database: DatabaseSync, services: readonly Service[]): void {
	database.exec('DELETE FROM services');
	insertAll(database.prepare('INSERT INTO services (id, namespace, name, type, cluster_ip, external_ip, selector, ports) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'), services, (service, index) => [
		index + 1,
		service.namespace,
		service.name,
		service.type,
		service.clusterIp,
		service.externalIp,
		JSON.stringify(service.selector),
		JSON.stringify(service.ports),
	]);
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

function writeRoutes(database: DatabaseSync, before: readonly Route[], after: readonly Route[], ids: RouteIds): void {
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

/**
 * Writes the layers that differ between the device as read and the device a change returned (compared by
 * identity: the domain's operations return the untouched layers as they were). Returns the tables written.
 */
export function writeChanges(database: DatabaseSync, before: Device | undefined, after: Device, ids: RouteIds): DataTable[] {
	const changed: DataTable[] = [];
	if (before?.ports !== after.ports) {
		writePorts(database, after.ports);
		changed.push('ports');
	}
	if (before?.internalSwitch !== after.internalSwitch) {
		writeSwitch(database, after.internalSwitch);
		changed.push('switches');
	}
	if (before?.cluster !== after.cluster) {
		writeCluster(database, after.cluster);
		changed.push('cluster');
	}
	if (before?.vms !== after.vms) {
		writeVms(database, after.vms);
		changed.push('vms');
	}
	if (before?.pods !== after.pods) {
		writePods(database, after.pods);
		changed.push('pods');
	}
	if (before?.services !== after.services) {
		writeServices(database, after.services);
		changed.push('services');
	}
	if (before?.routes !== after.routes) {
		if (before) {
			writeRoutes(database, before.routes, after.routes, ids);
		} else {
			database.exec('DELETE FROM routes');
			writeRoutes(database, [], after.routes, ids);
		}
		changed.push('routes');
	}
	return changed;
}

/** Sets the device's name and new revision, and marks the tables written at that revision. */
export function writeRevision(database: DatabaseSync, name: string, revision: number, changed: readonly DataTable[]): void {
	database.prepare('INSERT OR REPLACE INTO device (id, name, revision) VALUES (1, ?, ?)').run(name, revision);
	const mark = database.prepare('INSERT OR REPLACE INTO table_revisions (name, revision) VALUES (?, ?)');
	for (const table of changed) {
		mark.run(table, revision);
	}
}
