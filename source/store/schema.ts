/**
 * The database schema of the device store: one table per layer of the device model, with the keys the
 * route rules use and SQL constraints where a rule fits one. The domain rules check the rest on open.
 */

/**
 * The schema this program reads and writes, kept in `PRAGMA user_version`. A database with a higher
 * number is refused, never written; one with a lower number is upgraded (`upgradeStatements`).
 *
 * 1. The first database store.
 * 2. The cluster's Calico encapsulation; NodePort services; a load balancer's host name.
 */
export const currentSchemaVersion = 2;

/** The oldest schema this program reads (and upgrades). */
export const oldestSchemaVersion = 1;

/** Every table with the columns this program reads: a database missing one is refused. */
export const tableColumns = {
	device: ['id', 'name', 'revision', 'checked_revision', 'checked_rules'],
	route_problems: ['route_id', 'reason'],
	table_revisions: ['name', 'revision'],
	ports: ['position', 'name', 'speed_gbps', 'ip_config', 'address', 'gateway', 'dns', 'compute_enabled', 'connects_to'],
	switches: ['name', 'kind', 'subnet', 'nat_address'],
	cluster: ['id', 'compute_configured', 'node_ip_range', 'service_ip_range', 'pod_cidr', 'service_cidr', 'dns_domain', 'encapsulation'],
	vms: ['position', 'name', 'node_name'],
	nics: ['vm', 'position', 'name', 'network', 'address'],
	pods: ['id', 'namespace', 'name', 'node', 'ip', 'labels'],
	services: ['id', 'namespace', 'name', 'type', 'cluster_ip', 'external_ip', 'external_hostname', 'selector', 'ports'],
	routes: ['id', 'interface', 'destination', 'next_hop', 'metric'],
} as const;

/** The name of a table of the store. */
export type TableName = keyof typeof tableColumns;

/** The columns each schema added to a table: a database of an older schema has none of them until it is upgraded. */
export const columnsAdded: Readonly<Record<number, Partial<Record<TableName, readonly string[]>>>> = {
	2: {cluster: ['encapsulation'], services: ['external_hostname']},
};

/** The tables whose rows follow the device model; each has a revision in `table_revisions`, raised when it changes. */
export const dataTables = ['ports', 'switches', 'cluster', 'vms', 'pods', 'services', 'routes'] as const;

/** The name of a table whose rows follow the device model. */
export type DataTable = (typeof dataTables)[number];

const name = (column: string) => `${column} TEXT NOT NULL CHECK (length(${column}) BETWEEN 1 AND 253)`;
const cidr = (column: string) => `CHECK (${column} GLOB '[0-9]*.[0-9]*.[0-9]*.[0-9]*/[0-9]*')`;
const ipv4 = (column: string) => `CHECK (${column} GLOB '[0-9]*.[0-9]*.[0-9]*.[0-9]*' AND ${column} NOT GLOB '*[^0-9.]*')`;
const flag = (column: string) => `${column} INTEGER NOT NULL CHECK (${column} IN (0, 1))`;
const jsonOf = (column: string, type: 'object' | 'array') => `${column} TEXT NOT NULL CHECK (json_valid(${column}) AND json_type(${column}) = '${type}')`;

const encapsulation = `encapsulation TEXT NOT NULL DEFAULT 'none' CHECK (encapsulation IN ('none', 'ipip', 'vxlan'))`;

/** The services table, under the name given (the upgrade from schema 1 builds it anew beside the old one). */
const servicesTable = (table: string) => `CREATE TABLE ${table} (
		id INTEGER PRIMARY KEY,
		${name('namespace')},
		${name('name')},
		type TEXT NOT NULL CHECK (type IN ('ClusterIP', 'NodePort', 'LoadBalancer')),
		cluster_ip TEXT NOT NULL ${ipv4('cluster_ip')},
		external_ip TEXT ${ipv4('external_ip')},
		external_hostname TEXT CHECK (length(external_hostname) BETWEEN 1 AND 253),
		${jsonOf('selector', 'object')},
		${jsonOf('ports', 'array')},
		UNIQUE (namespace, name)
	) STRICT`;

/** The tables whose rows the route rules read: a change to any of them, by anyone, makes the last check of the routes stale. */
export const ruleTables = ['routes', 'ports', 'cluster', 'vms', 'nics'] as const;

/** The triggers that mark the routes unchecked when a row of a rule table changes, whoever changes it (edgenet or a hand-run sqlite3). */
export const checkTriggers: ReadonlyArray<{readonly name: string; readonly sql: string}> = ruleTables.flatMap(table =>
	(['INSERT', 'UPDATE', 'DELETE'] as const).map(operation => {
		const name = `${table}_${operation.toLowerCase()}_unchecks_routes`;
		return {
			name,
			sql: `CREATE TRIGGER ${name} AFTER ${operation} ON ${table} WHEN (SELECT checked_revision FROM device WHERE id = 1) IS NOT NULL BEGIN UPDATE device SET checked_revision = NULL WHERE id = 1; END`,
		};
	}),
);

/** The statements that create an empty store (in one transaction, with the schema version set after them). */
export const createStatements: readonly string[] = [
	`CREATE TABLE device (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		${name('name')},
		revision INTEGER NOT NULL CHECK (revision >= 0),
		checked_revision INTEGER,
		checked_rules INTEGER
	) STRICT`,
	// The stored routes the route rules refused when the routes were last checked (at device.checked_revision).
	`CREATE TABLE route_problems (
		route_id INTEGER PRIMARY KEY,
		reason TEXT NOT NULL
	) STRICT`,
	`CREATE TABLE table_revisions (
		name TEXT PRIMARY KEY,
		revision INTEGER NOT NULL CHECK (revision >= 0)
	) STRICT`,
	`CREATE TABLE ports (
		position INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 253),
		speed_gbps REAL NOT NULL CHECK (speed_gbps > 0),
		ip_config TEXT NOT NULL CHECK (ip_config IN ('static', 'dhcp')),
		address TEXT ${cidr('address')},
		gateway TEXT ${ipv4('gateway')},
		${jsonOf('dns', 'array')},
		${flag('compute_enabled')},
		connects_to TEXT NOT NULL
	) STRICT`,
	// The internal switch of the factory configuration; the external switches follow from the compute ports.
	`CREATE TABLE switches (
		${name('name')} PRIMARY KEY,
		kind TEXT NOT NULL UNIQUE CHECK (kind = 'internal'),
		subnet TEXT NOT NULL ${cidr('subnet')},
		nat_address TEXT NOT NULL ${ipv4('nat_address')}
	) STRICT`,
	`CREATE TABLE cluster (
		id INTEGER PRIMARY KEY CHECK (id = 1),
		${flag('compute_configured')},
		node_ip_range TEXT,
		service_ip_range TEXT,
		pod_cidr TEXT NOT NULL ${cidr('pod_cidr')},
		service_cidr TEXT NOT NULL ${cidr('service_cidr')},
		${name('dns_domain')},
		${encapsulation}
	) STRICT`,
	`CREATE TABLE vms (
		position INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE CHECK (name IN ('master', 'worker')),
		${name('node_name')}
	) STRICT`,
	`CREATE TABLE nics (
		vm TEXT NOT NULL REFERENCES vms (name) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
		position INTEGER NOT NULL,
		${name('name')},
		network TEXT NOT NULL CHECK (network IN ('internal', 'external')),
		address TEXT NOT NULL ${cidr('address')},
		PRIMARY KEY (vm, name)
	) STRICT`,
	`CREATE TABLE pods (
		id INTEGER PRIMARY KEY,
		${name('namespace')},
		${name('name')},
		node TEXT NOT NULL CHECK (node IN ('master', 'worker')),
		ip TEXT NOT NULL ${ipv4('ip')},
		${jsonOf('labels', 'object')},
		UNIQUE (namespace, name)
	) STRICT`,
	servicesTable('services'),
	// A route's key is (interface, destination), as Remove-HcsNetRoute names it; the VMs' kernel keeps one route per (destination, metric).
	`CREATE TABLE routes (
		id INTEGER PRIMARY KEY,
		interface TEXT NOT NULL COLLATE NOCASE REFERENCES ports (name) DEFERRABLE INITIALLY DEFERRED,
		destination TEXT NOT NULL ${cidr('destination')},
		next_hop TEXT NOT NULL ${ipv4('next_hop')},
		metric INTEGER NOT NULL CHECK (metric BETWEEN 0 AND 65535),
		UNIQUE (interface, destination),
		UNIQUE (destination, metric)
	) STRICT`,
	...checkTriggers.map(trigger => trigger.sql),
];

/**
 * The statements that take a database of one schema to the next, by the schema they start from; the
 * upgrade runs them all in one transaction. Row ids are kept, so the route check's record (which names
 * routes by row) and every revision stay as they were.
 */
export const upgradeStatements: Readonly<Record<number, readonly string[]>> = {
	1: [
		// Adding a column fires no trigger: the record of the last route check stays valid (no route rule reads the encapsulation yet).
		`ALTER TABLE cluster ADD COLUMN ${encapsulation}`,
		// SQLite cannot change a table's CHECK constraint: the table is made anew and its rows copied, ids and all. No
		// table refers to services and services refers to none, so foreign keys stay on; no trigger or index but its own is on it.
		servicesTable('services_new'),
		'INSERT INTO services_new (id, namespace, name, type, cluster_ip, external_ip, selector, ports) SELECT id, namespace, name, type, cluster_ip, external_ip, selector, ports FROM services',
		'DROP TABLE services',
		'ALTER TABLE services_new RENAME TO services',
	],
};

/**
 * For a database of an older schema that cannot be written (so cannot be upgraded): TEMP views, by the
 * schema they start from, that show its tables as this schema has them, with the values the upgrade
 * would give the new columns. They live in the connection only; the file is never touched.
 */
export const readAsCurrentStatements: Readonly<Record<number, readonly string[]>> = {
	1: [
		`CREATE TEMP VIEW cluster AS SELECT *, 'none' AS encapsulation FROM main.cluster`,
		'CREATE TEMP VIEW services AS SELECT id, namespace, name, type, cluster_ip, external_ip, NULL AS external_hostname, selector, ports FROM main.services',
	],
};
