/**
 * The dashboard's five panes as view-models: a title, declared columns, sanitised rows of display
 * strings, and the details of each row for the Enter view.
 */

import {externalIpLabel} from '../domain/allocation.js';
import {backingPods, type Device, serviceDnsName} from '../domain/device.js';
import {describeRoutes, type RouteView} from '../domain/routes.js';
import {type LayerRows, toPortRows, toSwitchRows, toVmRows} from './device-rows.js';
import {sanitize} from './sanitize.js';
import type {TextColumn} from './text-table.js';

/** A row's details: label and value pairs. */
export type Details = ReadonlyArray<readonly [string, string]>;

/** What a pane shows. */
export type PaneRows = {
	readonly title: string;
	readonly columns: readonly TextColumn[];
	/** Sanitised display cells. */
	readonly rows: ReadonlyArray<readonly string[]>;
	/** The details of row `index`. */
	readonly details: (index: number) => Details;
	/** The routes behind the rows, for the routes pane's keys. */
	readonly routes?: readonly RouteView[];
};

const sanitizeRows = (rows: ReadonlyArray<readonly string[]>) => rows.map(row => row.map(cell => sanitize(cell)));

function fromLayer(layer: LayerRows, title = layer.title): PaneRows {
	const rows = sanitizeRows(layer.rows);
	return {
		title,
		columns: layer.columns,
		rows,
		details: index => layer.columns.map((column, column_) => [column.heading, rows[index]?.[column_] ?? ''] as const),
	};
}

/** Ports. */
export function toPortsPane(device: Device): PaneRows {
	return fromLayer(toPortRows(device));
}

/** Virtual switches. */
export function toSwitchesPane(device: Device): PaneRows {
	return fromLayer(toSwitchRows(device));
}

/** Kubernetes VMs, a row per NIC; the node name is in the details. */
export function toVmsPane(device: Device): PaneRows {
	const layer = toVmRows(device);
	const pane = fromLayer(layer);
	const kept = [0, 2, 3, 4];
	return {
		...pane,
		columns: kept.map(index => layer.columns[index]!),
		rows: pane.rows.map(row => kept.map(index => row[index] ?? '')),
	};
}

/** Services (with DNS names, addresses and backing pods), then pods. */
export function toPodsPane(device: Device): PaneRows {
	const serviceRows = device.services.map(service => {
		const pods = backingPods(device, service);
		return [
			'svc',
			`${service.namespace}/${service.name}`,
			service.clusterIp,
			externalIpLabel(service),
			serviceDnsName(device.cluster, service),
			pods.length > 0 ? pods.map(pod => pod.name).join(', ') : '<none>',
		];
	});
	const podRows = device.pods.map(pod => [
		'pod',
		`${pod.namespace}/${pod.name}`,
		pod.ip,
		'',
		`on ${pod.node}`,
		Object.entries(pod.labels)
			.map(([key, value]) => `${key}=${value}`)
			.join(','),
	]);
	const rows = sanitizeRows([...serviceRows, ...podRows]);
	return {
		title: 'Pods & services',
		columns: [{heading: 'KIND'}, {heading: 'NAME', essential: true}, {heading: 'IP', essential: true}, {heading: 'EXTERNAL-IP', essential: true}, {heading: 'DNS NAME / NODE', essential: true}, {heading: 'PODS / LABELS'}],
		rows,
		details(index) {
			const service = device.services[index];
			if (service) {
				const pods = backingPods(device, service);
				return [
					['service', `${service.namespace}/${service.name}`],
					['type', service.type],
					['cluster IP', service.clusterIp],
					['external IP', externalIpLabel(service)],
					['DNS name', serviceDnsName(device.cluster, service)],
					['selector', Object.entries(service.selector).map(([key, value]) => `${key}=${value}`).join(',') || '(none)'],
					['ports', service.ports.map(port => `${port.name ?? ''} ${port.port}/${port.protocol} -> ${port.targetPort}`.trim()).join(', ')],
					...pods.map((pod, podIndex) => [podIndex === 0 ? 'pods' : '', `${pod.namespace}/${pod.name} ${pod.ip} on ${pod.node}`] as const),
				].map(([label, value]) => [label, sanitize(value)] as const);
			}
			const pod = device.pods[index - device.services.length];
			if (!pod) {
				return [];
			}
			return [
				['pod', `${pod.namespace}/${pod.name}`],
				['node', pod.node],
				['IP', pod.ip],
				['labels', Object.entries(pod.labels).map(([key, value]) => `${key}=${value}`).join(', ')],
				['services', device.services.filter(service => backingPods(device, service).includes(pod)).map(service => `${service.namespace}/${service.name}`).join(', ') || '(none)'],
			].map(([label, value]) => [label!, sanitize(value!)] as const);
		},
	};
}

/** What the kernel of a live VM says of the routes: a label by destination prefix (missing, drifted, blocked; absent means in sync), or why it could not be read. */
export type LiveView = {readonly labels: ReadonlyMap<string, string>} | {readonly error: string};

/** Custom routes with status and warnings; with a live VM, also whether each is in sync with its kernel. */
export function toRoutesPane(device: Device, live?: LiveView): PaneRows {
	const routes = describeRoutes(device);
	const kernelLabel = (prefix: string, state: string) => {
		if (!live) {
			return undefined;
		}
		if ('error' in live) {
			return 'unknown';
		}
		return state === 'active' ? (live.labels.get(prefix) ?? 'in sync') : '-';
	};
	const rows = sanitizeRows(
		routes.map(route => {
			const kernel = kernelLabel(route.destinationPrefix, route.status.state);
			return [
				route.destinationPrefix.split('/')[0] ?? route.destinationPrefix,
				`/${route.destinationPrefix.split('/')[1] ?? '32'}`,
				route.nextHop,
				route.interface,
				String(route.metric),
				route.status.state,
				...(kernel === undefined ? [] : [kernel]),
				route.warnings.length > 0 ? `! ${route.warnings.join('; ')}` : '',
			];
		}),
	);
	return {
		title: 'Custom routes',
		columns: [
			{heading: 'DESTINATION', essential: true},
			{heading: 'PREFIX', align: 'right'},
			{heading: 'NEXT HOP', essential: true},
			{heading: 'INTERFACE'},
			{heading: 'METRIC', align: 'right'},
			{heading: 'STATUS'},
			...(live ? [{heading: 'KERNEL'}] : []),
			{heading: 'WARNINGS'},
		],
		rows,
		routes,
		details(index) {
			const route = routes[index];
			if (!route) {
				return [];
			}
			return [
				['destination', route.destinationPrefix],
				['next hop', route.nextHop],
				['interface', route.interface],
				['metric', String(route.metric)],
				['status', `${route.status.state}: ${route.status.reason}`],
				...route.warnings.map((warning, warningIndex) => [warningIndex === 0 ? 'warnings' : '', warning] as const),
			].map(([label, value]) => [label!, sanitize(value!)] as const);
		},
	};
}
