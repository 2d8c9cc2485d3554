/**
 * Writing back only the layers of the device a change touched (routes row by row), and the revision
 * that marks them. Runs inside the caller's transaction.
 */

import type {DatabaseSync, StatementSync} from 'node:sqlite';
import type {Cluster, Device, InternalSwitch, Pod, Port, Service, Vm} from '../domain/device.js';
import {type RouteIds, writeRoutes} from './route-rows.js';
import type {DataTable} from './schema.js';

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
		.prepare('INSERT OR REPLACE INTO cluster (id, compute_configured, node_ip_range, service_ip_range, pod_cidr, service_cidr, dns_domain, encapsulation) VALUES (1, ?, ?, ?, ?, ?, ?, ?)')
		.run(cluster.computeConfigured ? 1 : 0, cluster.nodeIpRange, cluster.serviceIpRange, cluster.podCidr, cluster.serviceCidr, cluster.dnsDomain, cluster.encapsulation);
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
	insertAll(database.prepare('INSERT INTO services (id, namespace, name, type, cluster_ip, external_ip, external_hostname, selector, ports) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'), services, (service, index) => [
		index + 1,
		service.namespace,
		service.name,
		service.type,
		service.clusterIp,
		service.externalIp,
		service.externalHostname,
		JSON.stringify(service.selector),
		JSON.stringify(service.ports),
	]);
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
