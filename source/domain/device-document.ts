/**
 * The device as one JSON document a person can read: what `edgenet export device` prints, what
 * `edgenet import device` and the migration of an old `device.json` read. Pure: parsing returns
 * problems as values, each naming the field (`ports[2].address`) and what would be accepted.
 */

import type {Device, Port} from './device.js';
import {duplicateIn, fail, integer, type Json, object, readDevice, ShapeError} from './device-document-fields.js';
import {formatJson} from './safe-text.js';

/** The document format this program reads and writes. A document with a higher number is refused. */
export const deviceDocumentVersion = 1;

/** The document: its format version and the device, in the key order the device model gives. */
export type DeviceDocument = {
	readonly schemaVersion: number;
	readonly device: Device;
};

/** A parsed document; `revision` is kept from an old store file so its migration keeps counting. */
export type ParsedDocument =
	| {readonly ok: true; readonly device: Device; readonly revision: number | undefined}
	| {readonly ok: false; readonly error: string};

/** The device with every object's keys in the model's order, so the same device always prints the same bytes. */
export function toDeviceDocument(device: Device): DeviceDocument {
	return {schemaVersion: deviceDocumentVersion, device: normalizeDevice(device)};
}

/** A port as a plain object in the model's key order. */
export function normalizePort(port: Port): Port {
	return {
		name: port.name,
		speedGbps: port.speedGbps,
		ipConfig: port.ipConfig,
		address: port.address,
		gateway: port.gateway,
		dns: [...port.dns],
		computeEnabled: port.computeEnabled,
		connectsTo: port.connectsTo,
	};
}

/** The same device as plain objects in the model's key order (drops anything the model does not have). */
export function normalizeDevice(device: Device): Device {
	return {
		name: device.name,
		ports: device.ports.map(port => normalizePort(port)),
		internalSwitch: {name: device.internalSwitch.name, subnet: device.internalSwitch.subnet, natAddress: device.internalSwitch.natAddress},
		cluster: {
			computeConfigured: device.cluster.computeConfigured,
			nodeIpRange: device.cluster.nodeIpRange,
			serviceIpRange: device.cluster.serviceIpRange,
			podCidr: device.cluster.podCidr,
			serviceCidr: device.cluster.serviceCidr,
			dnsDomain: device.cluster.dnsDomain,
			encapsulation: device.cluster.encapsulation,
		},
		vms: device.vms.map(vm => ({name: vm.name, nodeName: vm.nodeName, nics: vm.nics.map(nic => ({name: nic.name, network: nic.network, address: nic.address}))})),
		pods: device.pods.map(pod => ({namespace: pod.namespace, name: pod.name, node: pod.node, ip: pod.ip, labels: {...pod.labels}})),
		services: device.services.map(service => ({
			namespace: service.namespace,
			name: service.name,
			type: service.type,
			clusterIp: service.clusterIp,
			externalIp: service.externalIp,
			externalHostname: service.externalHostname,
			selector: {...service.selector},
			ports: service.ports.map(port => ({name: port.name, protocol: port.protocol, port: port.port, targetPort: port.targetPort})),
		})),
		routes: device.routes.map(route => ({interface: route.interface, destinationPrefix: route.destinationPrefix, nextHop: route.nextHop, metric: route.metric})),
	};
}

/** The document as text: two-space indented JSON (unsafe characters as `\u` escapes) and a final newline. */
export function formatDeviceDocument(device: Device): string {
	return formatJson(toDeviceDocument(device));
}

/**
 * Reads a device document (`{schemaVersion, device}`, as `export device` prints it and as the old
 * `device.json` store held it, with its `revision`). The routes are checked by the route rules elsewhere.
 */
export function parseDeviceDocument(value: unknown): ParsedDocument {
	try {
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			fail('the document', 'a JSON object with schemaVersion and device', value);
		}
		const record = value as Json;
		const version = record['schemaVersion'];
		if (typeof version === 'number' && version > deviceDocumentVersion) {
			return {
				ok: false,
				error: `it was written by a newer edgenet (schema ${version}; this edgenet reads schema ${deviceDocumentVersion}); upgrade edgenet to read it`,
			};
		}
		const keys = 'revision' in record ? ['schemaVersion', 'revision', 'device'] : ['schemaVersion', 'device'];
		object(record, 'the document', keys);
		integer(1, deviceDocumentVersion)(version, 'schemaVersion');
		const revision = 'revision' in record ? integer(0, Number.MAX_SAFE_INTEGER)(record['revision'], 'revision') : undefined;
		const parsed = readDevice(record['device'], 'device');
		const duplicate = duplicateIn(parsed);
		return duplicate ? {ok: false, error: duplicate} : {ok: true, device: parsed, revision};
	} catch (error) {
		if (error instanceof ShapeError) {
			return {ok: false, error: error.message};
		}
		throw error;
	}
}

/** Reads a document from text (a UTF-8 byte-order mark is allowed). */
export function parseDeviceDocumentText(input: string): ParsedDocument {
	const body = input.replace(/^\uFEFF/, '');
	if (body.trim() === '') {
		return {ok: false, error: 'it is empty'};
	}
	let value: unknown;
	try {
		value = JSON.parse(body);
	} catch (error) {
		return {ok: false, error: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`};
	}
	return parseDeviceDocument(value);
}
