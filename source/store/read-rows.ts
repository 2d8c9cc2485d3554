/**
 * Reading the store's tables into the device model's layers, one function per layer. Runs inside the
 * caller's transaction.
 */

import type {DatabaseSync} from 'node:sqlite';
import {type Cluster, encapsulations, type InternalSwitch, type Nic, type Pod, type Port, type Service, type ServicePort, serviceTypes, type Vm, type VmName} from '../domain/device.js';

type Row = Record<string, unknown>;

/** A column's value as text (SQLite may hand back any type). */
export const asText = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));
const asNullableText = (value: unknown): string | null => (value === null || value === undefined ? null : asText(value));
/** A column's value as a number. */
export const asNumber = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN);

function parseJson<T>(value: unknown, fallback: T): T {
	try {
		return JSON.parse(asText(value)) as T;
	} catch {
		return fallback;
	}
}

/** The device row: its name and the revision of the last commit. */
export function readName(database: DatabaseSync): {readonly name: string; readonly revision: number} | undefined {
	const row = database.prepare('SELECT name, revision FROM device WHERE id = 1').get() as Row | undefined;
	return row ? {name: asText(row['name']), revision: asNumber(row['revision'])} : undefined;
}

/** The revision at which each table was last written. */
export function readTableRevisions(database: DatabaseSync): Map<string, number> {
	const rows = database.prepare('SELECT name, revision FROM table_revisions').all() as Row[];
	return new Map(rows.map(row => [asText(row['name']), asNumber(row['revision'])]));
}

/** Reads the physical ports. */
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

/** Reads the internal switch. */
export function readInternalSwitch(database: DatabaseSync): InternalSwitch {
	const row = (database.prepare(`SELECT * FROM switches WHERE kind = 'internal'`).get() as Row | undefined) ?? {};
	return {name: asText(row['name']), subnet: asText(row['subnet']), natAddress: asText(row['nat_address'])};
}

/** Reads the cluster's settings. */
export function readCluster(database: DatabaseSync): Cluster {
	const row = (database.prepare('SELECT * FROM cluster WHERE id = 1').get() as Row | undefined) ?? {};
	return {
		computeConfigured: row['compute_configured'] === 1 || row['compute_configured'] === 1n,
		nodeIpRange: asNullableText(row['node_ip_range']),
		serviceIpRange: asNullableText(row['service_ip_range']),
		podCidr: asText(row['pod_cidr']),
		serviceCidr: asText(row['service_cidr']),
		dnsDomain: asText(row['dns_domain']),
		encapsulation: encapsulations.find(value => value === row['encapsulation']) ?? 'none',
	};
}

/** Reads the VMs with their NICs. */
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

/** For reading many rows: a column's value as text, the same string for every row with the same text. */
export function sharedTexts(): (value: unknown) => string {
	const texts = new Map<string, string>();
	return value => {
		const text = asText(value);
		const held = texts.get(text);
		if (held !== undefined) {
			return held;
		}
		texts.set(text, text);
		return text;
	};
}

/** Rows as arrays of values: for the big tables, several times faster than rows as objects. */
export function allRows(database: DatabaseSync, sql: string): unknown[][] {
	const statement = database.prepare(sql);
	statement.setReturnArrays(true);
	return statement.all() as unknown as unknown[][];
}

/** Rows as arrays of values, one at a time: for the big tables read into objects, no array of every row is held beside them. */
export function eachRow(database: DatabaseSync, sql: string): Iterable<unknown[]> {
	const statement = database.prepare(sql);
	statement.setReturnArrays(true);
	return statement.iterate() as unknown as Iterable<unknown[]>;
}

/**
 * Reads the pods, row by row. Pods share a few namespaces, nodes and label sets among thousands: each
 * distinct one is held once, shared by the pods that have it (the labels as one object, never changed),
 * rather than once per pod.
 */
export function readPods(database: DatabaseSync): Pod[] {
	const shared = sharedTexts();
	const labelSets = new Map<string, Readonly<Record<string, string>>>();
	const pods: Pod[] = [];
	for (const [namespace, name, node, ip, labels] of eachRow(database, 'SELECT namespace, name, node, ip, labels FROM pods ORDER BY id')) {
		const json = asText(labels);
		let parsed = labelSets.get(json);
		if (!parsed) {
			parsed = Object.freeze(parseJson<Record<string, string>>(json, {}));
			labelSets.set(json, parsed);
		}
		pods.push({namespace: shared(namespace), name: asText(name), node: shared(node) as VmName, ip: asText(ip), labels: parsed});
	}
	return pods;
}

/**
 * One column of a table as a list: SQLite builds it as one JSON array, which costs a fraction of reading
 * 20,000 rows one by one through the driver.
 */
function columnOf(database: DatabaseSync, sql: string): string[] {
	const list = parseJson<unknown>(allRows(database, sql)[0]?.[0], []);
	return Array.isArray(list) ? list.map(asText) : [];
}

/** The pods' addresses, without the pods. */
export function readPodAddresses(database: DatabaseSync): string[] {
	return columnOf(database, 'SELECT json_group_array(ip) FROM pods');
}

/** The services' cluster and external addresses, without the services. */
export function readServiceAddresses(database: DatabaseSync): string[] {
	return columnOf(database, 'SELECT json_group_array(ip) FROM (SELECT cluster_ip AS ip FROM services UNION ALL SELECT external_ip FROM services WHERE external_ip IS NOT NULL)');
}

/** Reads the services. */
export function readServices(database: DatabaseSync): Service[] {
	return allRows(database, 'SELECT namespace, name, type, cluster_ip, external_ip, external_hostname, selector, ports FROM services ORDER BY id').map(([namespace, name, type, clusterIp, externalIp, externalHostname, selector, ports]) => ({
		namespace: asText(namespace),
		name: asText(name),
		type: serviceTypes.find(value => value === type) ?? 'ClusterIP',
		clusterIp: asText(clusterIp),
		externalIp: asNullableText(externalIp),
		externalHostname: asNullableText(externalHostname),
		selector: parseJson<Record<string, string>>(selector, {}),
		ports: parseJson<ServicePort[]>(ports, []),
	}));
}
