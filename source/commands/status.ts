/** `edgenet status`: every layer of the device as plain-text tables, or one JSON document. */

import {normalizePort} from '../domain/device-document.js';
import type {RouteProblem} from '../domain/route-audit.js';
import {backingPods, type Device, dnsRecords, serviceDnsName, switchOfNic, virtualSwitches} from '../domain/device.js';
import {
	type LayerRows,
	toCalicoRows,
	toClusterRows,
	toDnsRows,
	toPodRows,
	toPortRows,
	toRouteRows,
	toServiceRows,
	toSwitchRows,
	toVmRows,
} from '../view-models/device-rows.js';
import {formatJson} from '../domain/safe-text.js';
import {sanitize} from '../view-models/sanitize.js';
import {formatTextTable, wrapIndented} from '../view-models/text-table.js';
import {type Command, storeOption} from './command.js';
import {exitCodes} from './context.js';
import {parseCommandArgs} from './parse.js';

/** `edgenet status [--json]`. */
export const statusCommand: Command = {
	name: 'status',
	usage: 'status [--json]',
	summary: 'print every layer of the device: ports, switches, VMs, pods, services, DNS, routes',
	options: [['--json', 'one JSON document instead of text tables'], storeOption],
	run(args, context) {
		const {values} = parseCommandArgs(args, {json: {type: 'boolean'}});
		const store = context.openStore();
		const {device, problems} = store.read();
		context.out(values.json ? formatJson(statusDocument(device, problems)) : formatStatusText(device, store.path, problems));
		return exitCodes.ok;
	},
};

/** The width the status text fits: its tables wrap their long text columns to it. */
const statusWidth = 80;

/** The device as plain text: a heading and a table per layer, each indented two spaces and fitting `statusWidth`. */
export function formatStatusText(device: Device, storePath: string, problems: readonly RouteProblem[] = []): string {
	const layers: LayerRows[] = [
		toPortRows(device),
		toSwitchRows(device),
		toClusterRows(device),
		toVmRows(device),
		toCalicoRows(device),
		toPodRows(device),
		toServiceRows(device),
		toDnsRows(device),
		toRouteRows(device),
	];
	const sections = layers.map(layer => {
		const body = layer.rows.length > 0 ? formatTextTable(layer.columns, layer.rows, statusWidth - 2) : ['(none)'];
		return [`${layer.title}:`, ...body.map(line => `  ${line}`)].join('\n');
	});
	if (problems.length > 0) {
		sections.push(
			[
				`Stored routes that break the route rules (${problems.length}), left out of everything else:`,
				...problems.flatMap(problem => wrapIndented(`${sanitize(problem.name)}: ${sanitize(problem.reason)}`, statusWidth, '  ')),
			].join('\n'),
		);
	}
	return [`Device ${sanitize(device.name)} (store ${sanitize(storePath)})`, ...sections].join('\n\n') + '\n';
}

/** The device as one JSON document for scripts. */
export function statusDocument(device: Device, problems: readonly RouteProblem[] = []) {
	return {
		device: {name: device.name},
		ports: device.ports.map(port => normalizePort(port)),
		virtualSwitches: virtualSwitches(device).map(vSwitch => ({
			name: vSwitch.name,
			kind: vSwitch.kind,
			port: vSwitch.port,
			nat: vSwitch.nat,
			...(vSwitch.kind === 'internal' ? {network: device.internalSwitch.subnet} : {}),
		})),
		vms: device.vms.map(vm => ({
			name: vm.name,
			nodeName: vm.nodeName,
			nics: vm.nics.map(nic => ({
				name: nic.name,
				switch: switchOfNic(device, nic)?.name ?? null,
				address: nic.address,
			})),
		})),
		cluster: device.cluster,
		pods: device.pods,
		services: device.services.map(service => ({
			...service,
			dnsName: serviceDnsName(device.cluster, service),
			pods: backingPods(device, service).map(pod => `${pod.namespace}/${pod.name}`),
		})),
		dns: dnsRecords(device),
		routes: device.routes,
		storeProblems: problems.map(problem => ({name: problem.name, reason: problem.reason, route: problem.route})),
	};
}
