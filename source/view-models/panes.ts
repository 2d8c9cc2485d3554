/**
 * The dashboard's five panes as view-models: a title, declared columns, sanitised rows of display
 * strings, and the details of each row for the Enter view. A row is built the first time it is asked
 * for, so a pane of a large device costs what is on screen, not its thousands of rows.
 */

import {externalIpLabel} from '../domain/allocation.js';
import {encapsulationDescriptions} from '../domain/calico.js';
import {backingPods, type Device, type Nic, type Route, selectingServices, serviceDnsName, virtualSwitches, type Vm} from '../domain/device.js';
import {installableRoutes, routeDescriber, type RouteView} from '../domain/route-status.js';
import {type LayerRows, toPortRows, toSwitchRows, toVmRows, vmOfRow} from './device-rows.js';
import {paneNames} from './pane-names.js';
import {addressKey, nameKey, prefixLengthKey, type SortColumnId, type SortKey} from './pane-sorts.js';
import {paneRouteColumns, toRouteCells} from './route-rows.js';
import {sanitize} from './sanitize.js';
import type {TextColumn} from './text-table.js';

/** A row's details: label and value pairs. */
export type Details = ReadonlyArray<readonly [string, string]>;

/** A column the filter looks in: its heading, and row `index`'s text there as a person means it (a route's whole prefix, though the row shows it in two cells). */
export type FilterColumn = {readonly heading: string; readonly text: (index: number) => string};

/** What a pane shows. */
export type PaneRows = {
	readonly title: string;
	readonly columns: readonly TextColumn[];
	/** How many rows the pane has. */
	readonly count: number;
	/** Row `index` (0 to count - 1) as sanitised display cells; built when first asked for, then kept. */
	readonly row: (index: number) => readonly string[];
	/** The details of row `index`. */
	readonly details: (index: number) => Details;
	/** The route behind row `index`, with its status and warnings, for the routes pane's keys. */
	readonly route?: (index: number) => RouteView | undefined;
	/** The columns `/` matches; the others (next hops, labels, speeds) it leaves alone. */
	readonly filterColumns: readonly FilterColumn[];
	/** Row `index`'s sort key for each column the pane sorts by, from the device rather than the drawn cells. */
	readonly sortKeys: Readonly<Partial<Record<SortColumnId, (index: number) => SortKey>>>;
};

const noCells: readonly string[] = [];

/** Rows built and sanitised on first use, then kept; an index outside the pane has no cells. */
function lazyRows(count: number, build: (index: number) => readonly string[]): (index: number) => readonly string[] {
	const built: Array<readonly string[]> = [];
	return index => {
		if (!(index >= 0 && index < count)) {
			return noCells;
		}
		let row = built[index];
		if (row === undefined) {
			row = build(index).map(cell => sanitize(cell));
			built[index] = row;
		}
		return row;
	};
}

/** How many related items a details view lists before it counts the rest. */
const listedRelations = 8;

/** Related items as details lines: the label on the first, `and N more` after the listed ones, `(none)` when there are none. */
function relations(label: string, items: readonly string[]): Details {
	if (items.length === 0) {
		return [[label, '(none)']];
	}
	const listed = items.slice(0, listedRelations).map((item, index) => [index === 0 ? `${label} (${items.length})` : '', item] as const);
	return items.length > listedRelations ? [...listed, ['', `and ${items.length - listedRelations} more`]] : listed;
}

const routeLine = (route: Route) => `${route.destinationPrefix} via ${route.nextHop}, metric ${route.metric}`;
const nicLine = (vm: Vm, nic: Nic) => `${vm.name} ${nic.name} ${nic.address}`;

/** What a port's details relate it to: its switch, the VMs' NICs on it and the custom routes on it. */
function portRelations(device: Device, index: number): Details {
	const port = device.ports[index];
	if (!port) {
		return [];
	}
	const vSwitch = virtualSwitches(device).find(candidate => candidate.port === port.name);
	const nics = vSwitch ? device.vms.flatMap(vm => vm.nics.filter(nic => nic.network === vSwitch.kind).map(nic => nicLine(vm, nic))) : [];
	const wanted = port.name.toLowerCase();
	return [
		['switch', vSwitch ? `${vSwitch.name}${vSwitch.nat ? ' (NAT out of this port)' : ''}` : '(none)'],
		...relations('NICs', nics),
		...relations('routes', device.routes.filter(route => route.interface.toLowerCase() === wanted).map(route => routeLine(route))),
	];
}

/** What a switch's details relate it to: the VMs' NICs on it. */
function switchRelations(device: Device, index: number): Details {
	const vSwitch = virtualSwitches(device)[index];
	return vSwitch ? relations('NICs', device.vms.flatMap(vm => vm.nics.filter(nic => nic.network === vSwitch.kind).map(nic => nicLine(vm, nic)))) : [];
}

/** What a VM's details relate it to: its NICs, its pods and the custom routes installed on it. */
function vmRelations(device: Device, index: number): Details {
	const vm = vmOfRow(device, index);
	if (!vm) {
		return [];
	}
	return [
		...relations('NICs', vm.nics.map(nic => `${nic.name} ${nic.address}`)),
		...relations('pods', device.pods.filter(pod => pod.node === vm.name).map(pod => `${pod.namespace}/${pod.name} ${pod.ip}`)),
		...relations('routes installed', installableRoutes(device, vm).map(route => `${routeLine(route)} on ${route.interface}`)),
	];
}

/** Which of a layer's columns the filter matches, and the sort key of each sort column from a layer row. */
type LayerSearch = {readonly filter: readonly number[]; readonly sorts: Partial<Record<SortColumnId, (cells: readonly string[]) => SortKey>>};

function fromLayer(layer: LayerRows, search: LayerSearch, kept?: readonly number[], related?: (index: number) => Details): PaneRows {
	const columns = kept ? kept.map(index => layer.columns[index]!) : layer.columns;
	const row = lazyRows(layer.rows.length, index => {
		const cells = layer.rows[index] ?? noCells;
		return kept ? kept.map(column => cells[column] ?? '') : cells;
	});
	return {
		title: layer.title,
		columns,
		count: layer.rows.length,
		row,
		// Every column of the layer, shown or not: the VMs pane leaves NODE to the details.
		details: index => [
			...layer.columns.map((column, columnIndex) => [column.heading, sanitize(layer.rows[index]?.[columnIndex] ?? '')] as const),
			...(related?.(index) ?? []).map(([label, value]) => [label, sanitize(value)] as const),
		],
		filterColumns: search.filter.map(column => ({heading: layer.columns[column]?.heading ?? '', text: index => layer.rows[index]?.[column] ?? ''})),
		sortKeys: Object.fromEntries(Object.entries(search.sorts).map(([column, key]) => [column, (index: number) => key(layer.rows[index] ?? noCells)])),
	};
}

/** Ports. */
export function toPortsPane(device: Device): PaneRows {
	return fromLayer(toPortRows(device), {filter: [0, 3, 7], sorts: {name: cells => nameKey(cells[0] ?? ''), address: cells => addressKey(cells[3] ?? '')}}, undefined, index => portRelations(device, index));
}

/** Virtual switches. */
export function toSwitchesPane(device: Device): PaneRows {
	return fromLayer(toSwitchRows(device), {
		filter: [0],
		sorts: {name: cells => nameKey(cells[0] ?? ''), kind: cells => (cells[1] === 'internal' ? 0 : 1), address: cells => addressKey(cells[3] ?? '')},
	}, undefined, index => switchRelations(device, index));
}

/** Kubernetes VMs, a row per NIC; the node name is in the details. */
export function toVmsPane(device: Device): PaneRows {
	const search: LayerSearch = {filter: [0, 2, 4], sorts: {name: cells => nameKey(`${cells[0] ?? ''}\u0000${cells[2] ?? ''}`), address: cells => addressKey(cells[4] ?? '')}};
	const pane = fromLayer(toVmRows(device), search, [0, 2, 3, 4], index => vmRelations(device, index));
	// The cluster's encapsulation decides how each VM reaches the other's pods: it is named with the VMs.
	return {...pane, title: `${pane.title} · Calico ${encapsulationDescriptions[device.cluster.encapsulation]}`};
}

/** Services (with DNS names, addresses and backing pods), then pods. */
export function toPodsPane(device: Device): PaneRows {
	// Plain copies, taken once: sorts and filters index these lists row by row, and a store loads them
	// lazily behind a proxy whose every index costs a trap (slice itself runs on the list within).
	const services = device.services.slice();
	const pods = device.pods.slice();
	const row = (index: number): readonly string[] => {
		const service = services[index];
		if (service) {
			const backing = backingPods(device, service);
			return [
				'svc',
				`${service.namespace}/${service.name}`,
				service.clusterIp,
				externalIpLabel(service),
				serviceDnsName(device.cluster, service),
				backing.length > 0 ? backing.map(pod => pod.name).join(', ') : '<none>',
			];
		}
		const pod = pods[index - services.length];
		return pod
			? [
					'pod',
					`${pod.namespace}/${pod.name}`,
					pod.ip,
					'',
					`on ${pod.node}`,
					Object.entries(pod.labels)
						.map(([key, value]) => `${key}=${value}`)
						.join(','),
				]
			: noCells;
	};
	const count = services.length + pods.length;
	const nameOf = (index: number) => {
		const item = services[index] ?? pods[index - services.length];
		return item ? `${item.namespace}/${item.name}` : '';
	};
	const addressOf = (index: number) => services[index]?.clusterIp ?? pods[index - services.length]?.ip ?? '';
	const external = (index: number) => {
		const service = services[index];
		return service ? [externalIpLabel(service), ...(service.externalHostname !== null && service.externalIp !== null ? [service.externalHostname] : [])].join(' ') : '';
	};
	return {
		title: paneNames.pods.title,
		columns: [{heading: 'KIND'}, {heading: 'NAME', essential: true}, {heading: 'IP', essential: true}, {heading: 'EXTERNAL-IP', essential: true}, {heading: 'DNS NAME / NODE', optional: true}, {heading: 'PODS / LABELS', optional: true}],
		count,
		row: lazyRows(count, row),
		details(index) {
			const service = device.services[index];
			if (service) {
				const pods = backingPods(device, service);
				return [
					['service', `${service.namespace}/${service.name}`],
					['type', service.type],
					['cluster IP', service.clusterIp],
					['external IP', externalIpLabel(service)],
					...(service.externalHostname === null ? [] : [['host name', service.externalHostname] as const]),
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
				['services', selectingServices(device, pod).map(service => `${service.namespace}/${service.name}`).join(', ') || '(none)'],
			].map(([label, value]) => [label!, sanitize(value!)] as const);
		},
		filterColumns: [
			{heading: 'NAME', text: nameOf},
			{heading: 'IP', text: addressOf},
			{heading: 'EXTERNAL-IP', text: external},
			{heading: 'DNS NAME', text: index => (services[index] ? serviceDnsName(device.cluster, services[index]) : '')},
		],
		sortKeys: {
			name: index => nameKey(nameOf(index)),
			address: index => addressKey(addressOf(index)),
			kind: index => (index < services.length ? 0 : 1),
			// Pods have no external IP: after every service.
			'external-ip': index => (services[index] ? addressKey(externalIpLabel(services[index])) : '\uFFFF'),
		},
	};
}

/** What the kernel of a live VM says of the routes: a label by destination prefix (missing, drifted, blocked; absent means in sync), or why it could not be read. */
export type LiveView = {readonly labels: ReadonlyMap<string, string>} | {readonly error: string};

/** Custom routes with status and warnings; with a live VM, also whether each is in sync with its kernel. */
export function toRoutesPane(device: Device, live?: LiveView): PaneRows {
	// A route's status and warnings are worked out when its row is first shown or asked about: a sort or a
	// filter reads only the stored fields, so the first frame of 10,000 routes describes the rows in view.
	const stored = device.routes;
	const describe = routeDescriber(device);
	const views: Array<RouteView | undefined> = [];
	const viewAt = (index: number): RouteView | undefined => {
		const route = stored[index];
		return route ? (views[index] ??= describe(route)) : undefined;
	};
	// Only an active route is on the VM; with the kernel unreadable nothing can be said of any.
	const kernelLabel = (view: LiveView) => (route: RouteView) =>
		'error' in view ? 'unknown' : route.status.state === 'active' ? (view.labels.get(route.destinationPrefix) ?? 'in sync') : '-';
	const columns = paneRouteColumns(live ? kernelLabel(live) : undefined);
	return {
		title: paneNames.routes.title,
		columns,
		count: stored.length,
		row: lazyRows(stored.length, index => toRouteCells(viewAt(index)!, columns)),
		route: viewAt,
		details(index) {
			const route = viewAt(index);
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
		filterColumns: [
			{heading: 'DESTINATION', text: index => stored[index]?.destinationPrefix ?? ''},
			{heading: 'INTERFACE', text: index => stored[index]?.interface ?? ''},
		],
		sortKeys: {
			destination: index => addressKey(stored[index]?.destinationPrefix ?? ''),
			'prefix-length': index => prefixLengthKey(stored[index]?.destinationPrefix ?? ''),
			'next-hop': index => addressKey(stored[index]?.nextHop ?? ''),
			interface: index => nameKey(stored[index]?.interface ?? ''),
			metric: index => stored[index]?.metric ?? 0,
			status: index => (viewAt(index)?.status.state === 'active' ? 0 : 1),
		},
	};
}
