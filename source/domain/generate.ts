/**
 * A reproducible large device for benchmarks and scale tests: the demo device's ports and plan with many
 * routes, pods and services, every address allocated as the components would and every route valid.
 */

import {addPods, addServices, configureCompute, createAllocator, type PodSpec, type ServiceSpec} from './allocation.js';
import {demoBaseDevice} from './demo.js';
import type {Device, Route, VmName} from './device.js';
import {formatNetwork, networkOf, overlaps, parsePrefix, type Network} from './ip.js';
import {checkRoute} from './route-checks.js';
import {routeContext} from './route-context.js';

/** How big a device to generate, and from which seed. */
export type GenerateOptions = {
	readonly routes: number;
	readonly pods: number;
	readonly services: number;
	readonly seed: number;
};

/** A small, fast, seedable generator (mulberry32) of numbers in [0, 1): the same seed gives the same device, or the same random moments of a test. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** Networks generated routes stay out of: the cluster's, the switches' and the ports' own. */
function reservedNetworks(device: Device): Network[] {
	const prefixes = [device.cluster.podCidr, device.cluster.serviceCidr, device.internalSwitch.subnet, '192.168.0.0/16', '127.0.0.0/8', '224.0.0.0/3', '0.0.0.0/8'];
	return prefixes.flatMap(prefix => {
		const parsed = parsePrefix(prefix);
		return parsed.ok ? [parsed.value] : [];
	});
}

/** Generates a device of the given size; the same options give the same device. Fails only when the size cannot fit the demo's plan. */
export function generateDevice(options: GenerateOptions): {ok: true; device: Device} | {ok: false; error: string} {
	const next = seededRandom(options.seed);
	const configured = configureCompute({...demoBaseDevice, name: `generated-${options.seed}`, cluster: {...demoBaseDevice.cluster}});
	if (!configured.ok) {
		return configured;
	}
	const base = configured.value;
	const allocator = createAllocator(base);
	const services: ServiceSpec[] = Array.from({length: options.services}, (_, index) => ({
		namespace: `ns-${index % 50}`,
		name: `svc-${index}`,
		type: index % 10 === 0 ? 'LoadBalancer' : 'ClusterIP',
		selector: {app: `app-${index}`},
		ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: 8080}],
	}));
	const withServices = addServices(base, services, allocator);
	if (!withServices.ok) {
		return withServices;
	}
	const nodes: readonly VmName[] = ['worker', 'master'];
	const pods: PodSpec[] = Array.from({length: options.pods}, (_, index) => {
		const app = options.services > 0 ? index % options.services : index;
		return {
			namespace: `ns-${app % 50}`,
			name: `app-${app}-${index.toString(36).padStart(5, '0')}`,
			node: nodes[index % 4 === 3 ? 1 : 0]!,
			labels: {app: `app-${app}`},
		};
	});
	const withPods = addPods(withServices.value, pods, allocator);
	if (!withPods.ok) {
		return withPods;
	}
	const device = withPods.value;
	const reserved = reservedNetworks(device);
	const seen = new Set<string>();
	const routes: Route[] = [];
	const context = routeContext(device);
	let attempts = 0;
	while (routes.length < options.routes) {
		if (++attempts > options.routes * 20 + 1000) {
			return {ok: false, error: `could not find ${options.routes} distinct route prefixes`};
		}
		const prefixLength = 16 + Math.floor(next() * 17);
		const network = networkOf(Math.floor(next() * 2 ** 32), prefixLength);
		const key = `${network.first}/${prefixLength}`;
		if (seen.has(key) || reserved.some(other => overlaps(network, other))) {
			continue;
		}
		// Gateways on Port3's network, away from the port, the VMs and MetalLB's range.
		const nextHop = `192.168.10.${100 + Math.floor(next() * 150)}`;
		const metric = 1 + Math.floor(next() * 65_534);
		const check = checkRoute(device, {interface: 'Port3', destinationPrefix: formatNetwork(network), nextHop, metric: String(metric)}, {context});
		if (!check.ok) {
			continue;
		}
		seen.add(key);
		routes.push(check.route);
	}
	return {ok: true, device: {...device, routes}};
}
