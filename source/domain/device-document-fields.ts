/**
 * The readers of a device document's fields: each checks one value against what the model accepts and
 * refuses it with the field's path and what would be accepted. Only the document parser calls them.
 */

import {type Cluster, type Device, encapsulations, type InternalSwitch, isInterfaceName, isLoadBalancerHostname, isPortName, loadBalancerHostnameRule, isStoredName, maximumPort, type Nic, type Pod, type Port, type Route, type Service, type ServicePort, serviceTypes, type Vm} from './device.js';
import {maximumMetric} from './route-checks.js';

/** Thrown inside the parser only, and turned into a value before it returns. */
export class ShapeError extends Error {}

/** A JSON object as read, before its fields are checked. */
export type Json = Record<string, unknown>;

const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function describeValue(value: unknown): string {
	if (value === null) {
		return 'null';
	}
	if (Array.isArray(value)) {
		return 'a list';
	}
	if (typeof value === 'string') {
		return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
	}
	return typeof value === 'object' ? 'an object' : String(value);
}

/** Refuses a value: names the field, what was expected, and what was found (never the whole value). */
export function fail(path: string, wanted: string, value: unknown): never {
	throw new ShapeError(`${path}: expected ${wanted}, got ${describeValue(value)}`);
}

/** Reads an object with exactly these fields (and any of the optional ones): a missing or unknown field is refused by name. */
export function object(value: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): Json {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		fail(path, 'an object', value);
	}
	const record = value as Json;
	for (const key of keys) {
		if (!(key in record)) {
			throw new ShapeError(`${path}: the field "${key}" is missing`);
		}
	}
	const unknown = Object.keys(record).find(key => !keys.includes(key) && !optional.includes(key));
	if (unknown !== undefined) {
		throw new ShapeError(`${path}: unknown field ${JSON.stringify(unknown)} (the fields are ${[...keys, ...optional].join(', ')})`);
	}
	return record;
}

function list<T>(value: unknown, path: string, item: (value: unknown, path: string) => T): T[] {
	if (!Array.isArray(value)) {
		fail(path, 'a list', value);
	}
	return value.map((entry, index) => item(entry, `${path}[${index}]`));
}

function text(value: unknown, path: string): string {
	if (!isStoredName(value)) {
		fail(path, 'a name of 1 to 253 characters', value);
	}
	return value;
}

function interfaceName(value: unknown, path: string): string {
	return typeof value === 'string' && isInterfaceName(value) ? value : fail(path, 'a Linux interface name (up to 15 letters, digits, _, . or -, such as eth1)', value);
}

function anyText(value: unknown, path: string): string {
	return typeof value === 'string' ? value : fail(path, 'a string', value);
}

function hostname(value: unknown, path: string): string {
	return typeof value === 'string' && isLoadBalancerHostname(value) ? value : fail(path, `${loadBalancerHostnameRule}, such as lb-1.example.com`, value);
}

function ipv4(value: unknown, path: string): string {
	return typeof value === 'string' && ipv4Pattern.test(value) ? value : fail(path, 'an IPv4 address such as 192.168.10.1', value);
}

function cidr(value: unknown, path: string): string {
	if (typeof value === 'string') {
		const [address, length, ...rest] = value.split('/');
		if (rest.length === 0 && address !== undefined && ipv4Pattern.test(address) && length !== undefined && /^(3[0-2]|[12]?\d)$/.test(length)) {
			return value;
		}
	}
	return fail(path, 'an IPv4 address or prefix in CIDR form such as 192.168.10.0/24', value);
}

function range(value: unknown, path: string): string {
	if (typeof value === 'string') {
		const [first, last, ...rest] = value.split('-');
		if (rest.length === 0 && first !== undefined && last !== undefined && ipv4Pattern.test(first) && ipv4Pattern.test(last)) {
			return value;
		}
	}
	return fail(path, 'an address range such as 192.168.10.20-192.168.10.22', value);
}

function nullable<T>(check: (value: unknown, path: string) => T) {
	return (value: unknown, path: string): T | null => (value === null ? null : check(value, path));
}

function oneOf<T extends string>(choices: readonly T[]) {
	return (value: unknown, path: string): T =>
		typeof value === 'string' && (choices as readonly string[]).includes(value) ? (value as T) : fail(path, `one of ${choices.join(', ')}`, value);
}

function boolean(value: unknown, path: string): boolean {
	return typeof value === 'boolean' ? value : fail(path, 'true or false', value);
}

/** A reader of whole numbers from `minimum` to `maximum`. */
export function integer(minimum: number, maximum: number) {
	return (value: unknown, path: string): number =>
		typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= maximum ? value : fail(path, `a whole number from ${minimum} to ${maximum}`, value);
}

function labels(value: unknown, path: string): Record<string, string> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		fail(path, 'an object of strings', value);
	}
	const result: Record<string, string> = {};
	for (const [key, entry] of Object.entries(value as Json)) {
		result[key] = anyText(entry, `${path}.${key}`);
	}
	return result;
}

function port(value: unknown, path: string): Port {
	const record = object(value, path, ['name', 'speedGbps', 'ipConfig', 'address', 'gateway', 'dns', 'computeEnabled', 'connectsTo']);
	const speed = record['speedGbps'];
	return {
		name: text(record['name'], `${path}.name`),
		speedGbps: typeof speed === 'number' && Number.isFinite(speed) && speed > 0 ? speed : fail(`${path}.speedGbps`, 'a speed in Gbit/s above 0', speed),
		ipConfig: oneOf(['static', 'dhcp'] as const)(record['ipConfig'], `${path}.ipConfig`),
		address: nullable(cidr)(record['address'], `${path}.address`),
		gateway: nullable(ipv4)(record['gateway'], `${path}.gateway`),
		dns: list(record['dns'], `${path}.dns`, ipv4),
		computeEnabled: boolean(record['computeEnabled'], `${path}.computeEnabled`),
		connectsTo: anyText(record['connectsTo'], `${path}.connectsTo`),
	};
}

function internalSwitch(value: unknown, path: string): InternalSwitch {
	const record = object(value, path, ['name', 'subnet', 'natAddress']);
	return {name: text(record['name'], `${path}.name`), subnet: cidr(record['subnet'], `${path}.subnet`), natAddress: ipv4(record['natAddress'], `${path}.natAddress`)};
}

function cluster(value: unknown, path: string): Cluster {
	// Documents written before the encapsulation setting have none: Calico's routes are then unencapsulated.
	const record = object(value, path, ['computeConfigured', 'nodeIpRange', 'serviceIpRange', 'podCidr', 'serviceCidr', 'dnsDomain'], ['encapsulation']);
	return {
		computeConfigured: boolean(record['computeConfigured'], `${path}.computeConfigured`),
		nodeIpRange: nullable(range)(record['nodeIpRange'], `${path}.nodeIpRange`),
		serviceIpRange: nullable(range)(record['serviceIpRange'], `${path}.serviceIpRange`),
		podCidr: cidr(record['podCidr'], `${path}.podCidr`),
		serviceCidr: cidr(record['serviceCidr'], `${path}.serviceCidr`),
		dnsDomain: text(record['dnsDomain'], `${path}.dnsDomain`),
		encapsulation: record['encapsulation'] === undefined ? 'none' : oneOf(encapsulations)(record['encapsulation'], `${path}.encapsulation`),
	};
}

const vmName = oneOf(['master', 'worker'] as const);

function nic(value: unknown, path: string): Nic {
	const record = object(value, path, ['name', 'network', 'address']);
	return {name: interfaceName(record['name'], `${path}.name`), network: oneOf(['internal', 'external'] as const)(record['network'], `${path}.network`), address: cidr(record['address'], `${path}.address`)};
}

function vm(value: unknown, path: string): Vm {
	const record = object(value, path, ['name', 'nodeName', 'nics']);
	return {name: vmName(record['name'], `${path}.name`), nodeName: text(record['nodeName'], `${path}.nodeName`), nics: list(record['nics'], `${path}.nics`, nic)};
}

function pod(value: unknown, path: string): Pod {
	const record = object(value, path, ['namespace', 'name', 'node', 'ip', 'labels']);
	return {
		namespace: text(record['namespace'], `${path}.namespace`),
		name: text(record['name'], `${path}.name`),
		node: vmName(record['node'], `${path}.node`),
		ip: ipv4(record['ip'], `${path}.ip`),
		labels: labels(record['labels'], `${path}.labels`),
	};
}

const portNumber = integer(1, maximumPort);

function servicePort(value: unknown, path: string): ServicePort {
	const record = object(value, path, ['name', 'protocol', 'port', 'targetPort']);
	return {
		name: nullable(anyText)(record['name'], `${path}.name`),
		protocol: oneOf(['TCP', 'UDP', 'SCTP'] as const)(record['protocol'], `${path}.protocol`),
		port: portNumber(record['port'], `${path}.port`),
		targetPort: typeof record['targetPort'] === 'string' && isPortName(record['targetPort']) ? record['targetPort'] : portNumber(record['targetPort'], `${path}.targetPort`),
	};
}

function service(value: unknown, path: string): Service {
	const record = object(value, path, ['namespace', 'name', 'type', 'clusterIp', 'externalIp', 'selector', 'ports'], ['externalHostname']);
	return {
		namespace: text(record['namespace'], `${path}.namespace`),
		name: text(record['name'], `${path}.name`),
		type: oneOf(serviceTypes)(record['type'], `${path}.type`),
		clusterIp: ipv4(record['clusterIp'], `${path}.clusterIp`),
		externalIp: nullable(ipv4)(record['externalIp'], `${path}.externalIp`),
		externalHostname: record['externalHostname'] === undefined ? null : nullable(hostname)(record['externalHostname'], `${path}.externalHostname`),
		selector: labels(record['selector'], `${path}.selector`),
		ports: list(record['ports'], `${path}.ports`, servicePort),
	};
}

function route(value: unknown, path: string): Route {
	const record = object(value, path, ['interface', 'destinationPrefix', 'nextHop', 'metric']);
	return {
		interface: text(record['interface'], `${path}.interface`),
		destinationPrefix: cidr(record['destinationPrefix'], `${path}.destinationPrefix`),
		nextHop: ipv4(record['nextHop'], `${path}.nextHop`),
		metric: integer(0, maximumMetric)(record['metric'], `${path}.metric`),
	};
}

/** Reads a device, every field checked and named by its path (`device.ports[2].address`). */
export function readDevice(value: unknown, path: string): Device {
	const record = object(value, path, ['name', 'ports', 'internalSwitch', 'cluster', 'vms', 'pods', 'services', 'routes']);
	return {
		name: text(record['name'], `${path}.name`),
		ports: list(record['ports'], `${path}.ports`, port),
		internalSwitch: internalSwitch(record['internalSwitch'], `${path}.internalSwitch`),
		cluster: cluster(record['cluster'], `${path}.cluster`),
		vms: list(record['vms'], `${path}.vms`, vm),
		pods: list(record['pods'], `${path}.pods`, pod),
		services: list(record['services'], `${path}.services`, service),
		routes: list(record['routes'], `${path}.routes`, route),
	};
}

/** Names the first of several objects with the same key, which the device keeps one of. */
function findDuplicate<T>(items: readonly T[], path: string, keyOf: (item: T) => string, describe: (item: T) => string): string | undefined {
	const seen = new Map<string, number>();
	for (const [index, item] of items.entries()) {
		const key = keyOf(item);
		const first = seen.get(key);
		if (first !== undefined) {
			return `${path}[${index}]: ${describe(item)} appears twice (also ${path}[${first}]); keep one`;
		}
		seen.set(key, index);
	}
	return undefined;
}

/** The first object the device lists twice (a port, VM, pod or service with the same key), named by its paths. */
export function duplicateIn(parsed: Device): string | undefined {
	return (
		findDuplicate(parsed.ports, 'device.ports', port => port.name.toLowerCase(), port => `port ${port.name}`) ??
		findDuplicate(parsed.vms, 'device.vms', vm => vm.name, vm => `the ${vm.name} VM`) ??
		findDuplicate(parsed.pods, 'device.pods', pod => `${pod.namespace}/${pod.name}`, pod => `pod ${pod.namespace}/${pod.name}`) ??
		findDuplicate(parsed.services, 'device.services', service => `${service.namespace}/${service.name}`, service => `service ${service.namespace}/${service.name}`)
	);
}
