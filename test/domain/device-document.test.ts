import {describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {formatDeviceDocument, parseDeviceDocument, parseDeviceDocumentText} from '../../source/domain/device-document.js';
import {generateDevice} from '../../source/domain/generate.js';

const demo = createDemoDevice();
const document = (device: unknown) => ({schemaVersion: 1, device});
const errorOf = (value: unknown) => {
	const parsed = parseDeviceDocument(value);
	return parsed.ok ? 'accepted' : parsed.error;
};

describe('the device document', () => {
	test('the same device prints the same bytes, whatever order its objects were built in (labels keep theirs)', () => {
		const reverse = (value: unknown, key = ''): unknown => {
			if (Array.isArray(value)) {
				return value.map(item => reverse(item));
			}
			if (value && typeof value === 'object' && key !== 'labels' && key !== 'selector') {
				return Object.fromEntries(Object.entries(value).reverse().map(([name, inner]) => [name, reverse(inner, name)]));
			}
			return value;
		};
		const shuffled = reverse(demo) as typeof demo;
		expect(formatDeviceDocument(shuffled)).toBe(formatDeviceDocument(demo));
	});

	test('print → read → print is byte-identical on the demo and on a generated device', () => {
		const generated = generateDevice({routes: 50, pods: 40, services: 10, seed: 3});
		expect(generated.ok).toBe(true);
		for (const device of [demo, generated.ok ? generated.device : demo]) {
			const text = formatDeviceDocument(device);
			const parsed = parseDeviceDocumentText(text);
			expect(parsed.ok && formatDeviceDocument(parsed.device)).toBe(text);
		}
	});

	test('the encapsulation, a NodePort service and a load balancer host name print and read back; a document without them reads as none and no host name', () => {
		const device = {
			...demo,
			cluster: {...demo.cluster, encapsulation: 'ipip' as const},
			services: [...demo.services.slice(0, -1), {...demo.services.at(-1)!, type: 'NodePort' as const, externalIp: null}, {...demo.services[0]!, name: 'edge', externalIp: null, externalHostname: 'edge.lb.example.net'}],
		};
		const text = formatDeviceDocument(device);
		const parsed = parseDeviceDocumentText(text);
		expect(parsed.ok && parsed.device).toEqual(device);
		const old = JSON.parse(formatDeviceDocument(demo)) as {device: {cluster: Record<string, unknown>; services: Array<Record<string, unknown>>}};
		delete old.device.cluster['encapsulation'];
		for (const service of old.device.services) {
			delete service['externalHostname'];
		}
		const read = parseDeviceDocument(old);
		expect(read.ok && read.device).toEqual(demo);
	});

	test('a UTF-8 byte-order mark is allowed; an old store file keeps its revision', () => {
		const parsed = parseDeviceDocumentText(`\uFEFF${JSON.stringify({schemaVersion: 1, revision: 12, device: demo})}`);
		expect(parsed.ok && parsed.revision).toBe(12);
	});

	test.each<[string, unknown, string]>([
		['not an object', [1], 'the document: expected a JSON object with schemaVersion and device, got a list'],
		['no device', {schemaVersion: 1}, 'the document: the field "device" is missing'],
		['an unknown field', {...document(demo), extra: 1}, 'the document: unknown field "extra" (the fields are schemaVersion, device)'],
		['a newer document', {schemaVersion: 7, device: {}}, 'it was written by a newer edgenet (schema 7; this edgenet reads schema 1); upgrade edgenet to read it'],
		['a port address that is no address', document({...demo, ports: [{...demo.ports[0], address: '999.1.1.0/24'}]}), 'device.ports[0].address: expected an IPv4 address or prefix in CIDR form such as 192.168.10.0/24, got "999.1.1.0/24"'],
		['a metric as text', document({...demo, routes: [{...demo.routes[0], metric: '100'}]}), 'device.routes[0].metric: expected a whole number from 0 to 65535, got "100"'],
		['a port of 70000', document({...demo, services: [{...demo.services[0], ports: [{name: null, protocol: 'TCP', port: 70_000, targetPort: 80}]}]}), 'device.services[0].ports[0].port: expected a whole number from 1 to 65535, got 70000'],
		['an empty pod name', document({...demo, pods: [{...demo.pods[0], name: ''}]}), 'device.pods[0].name: expected a name of 1 to 253 characters, got ""'],
		['the same port twice', document({...demo, ports: [demo.ports[0], demo.ports[0]]}), 'device.ports[1]: port Port1 appears twice (also device.ports[0]); keep one'],
		['an encapsulation Calico does not have', document({...demo, cluster: {...demo.cluster, encapsulation: 'gre'}}), 'device.cluster.encapsulation: expected one of none, ipip, vxlan, got "gre"'],
		['a service type Kubernetes does not have', document({...demo, services: [{...demo.services[0], type: 'ExternalName'}]}), 'device.services[0].type: expected one of ClusterIP, NodePort, LoadBalancer, got "ExternalName"'],
		[
			'a load balancer host name that is no DNS name',
			document({...demo, services: [{...demo.services[0], externalHostname: 'LB_1.example.com'}]}),
			'device.services[0].externalHostname: expected a DNS name (lowercase letters, digits, - and ., at most 253 characters, not an IP address), such as lb-1.example.com, got "LB_1.example.com"',
		],
	])('refuses %s, naming the field', (_name, value, message) => {
		expect(errorOf(value)).toBe(message);
	});

	test('text that is not JSON, or nothing at all', () => {
		expect(parseDeviceDocumentText('  ')).toEqual({ok: false, error: 'it is empty'});
		const parsed = parseDeviceDocumentText('{"schemaVersion": 1,');
		expect(parsed.ok ? '' : parsed.error).toMatch(/^it is not valid JSON \(/);
	});
});
