/**
 * Pure presentation of the device: each layer as a declared set of columns and rows of display strings.
 * The status command prints these as text tables; the dashboard's panes show the same rows.
 */

import {externalIpLabel} from '../domain/allocation.js';
import {
	backingPods,
	type Device,
	dnsRecords,
	externalSwitchName,
	type Nic,
	nicOn,
	switchOfNic,
	virtualSwitches,
	type Vm,
} from '../domain/device.js';
import {calicoBlocks, encapsulationDescriptions, tunnelDevice} from '../domain/calico.js';
import {formatNetwork, parseInterfaceAddress} from '../domain/ip.js';
import {paneNames} from './pane-names.js';
import type {TextColumn} from './text-table.js';

/** Rows of one layer under its declared columns. */
export type LayerRows = {
	readonly title: string;
	readonly columns: readonly TextColumn[];
	readonly rows: ReadonlyArray<readonly string[]>;
};

const dash = '-';

/** The physical ports. */
export function toPortRows(device: Device): LayerRows {
	return {
		title: paneNames.ports.title,
		columns: [
			{heading: 'PORT'},
			{heading: 'SPEED', align: 'right', optional: true},
			{heading: 'IP CONFIG'},
			{heading: 'ADDRESS', essential: true},
			{heading: 'GATEWAY', essential: true},
			{heading: 'DNS', essential: true, optional: true},
			{heading: 'COMPUTE'},
			{heading: 'CONNECTS TO', wrap: true},
		],
		rows: device.ports.map(port => [
			port.name,
			`${port.speedGbps} GbE`,
			port.ipConfig === 'static' ? 'static' : 'DHCP',
			port.address ?? (port.ipConfig === 'dhcp' ? '(no lease)' : dash),
			port.gateway ?? dash,
			port.dns.length > 0 ? port.dns.join(', ') : dash,
			port.computeEnabled ? 'enabled' : dash,
			port.connectsTo,
		]),
	};
}

/** The internal switch and the external switch of each compute port. */
export function toSwitchRows(device: Device): LayerRows {
	return {
		title: paneNames.switches.title,
		columns: [{heading: 'SWITCH'}, {heading: 'KIND'}, {heading: 'PORT'}, {heading: 'NETWORK', essential: true}],
		rows: virtualSwitches(device).map(vSwitch => {
			if (vSwitch.kind === 'internal') {
				return [
					vSwitch.name,
					'internal',
					vSwitch.port ? `NAT via ${vSwitch.port}` : 'NAT (no port has a default gateway)',
					device.internalSwitch.subnet,
				];
			}
			const port = device.ports.find(candidate => externalSwitchName(candidate.name) === vSwitch.name);
			const address = port?.address ? parseInterfaceAddress(port.address) : undefined;
			return [
				vSwitch.name,
				'external',
				vSwitch.port ?? dash,
				address?.ok ? `${address.value.network.address}/${address.value.network.prefixLength}` : dash,
			];
		}),
	};
}

/** The VMs' NICs in the VMs pane's order: each VM's internal NIC, then its external one. */
function vmNics(device: Device): Array<{readonly vm: Vm; readonly nic: Nic}> {
	return device.vms.flatMap(vm => (['internal', 'external'] as const).flatMap(network => {
		const nic = nicOn(vm, network);
		return nic ? [{vm, nic}] : [];
	}));
}

/** The VM of a row of the VMs pane. */
export function vmOfRow(device: Device, index: number): Vm | undefined {
	return vmNics(device)[index]?.vm;
}

/** The Kubernetes VMs, one row per NIC. */
export function toVmRows(device: Device): LayerRows {
	const rows = vmNics(device).map(({vm, nic}) => [vm.name, vm.nodeName, nic.name, switchOfNic(device, nic)?.name ?? dash, nic.address]);
	return {
		title: paneNames.vms.title,
		columns: [{heading: 'VM'}, {heading: 'NODE'}, {heading: 'NIC'}, {heading: 'SWITCH'}, {heading: 'ADDRESS', essential: true}],
		rows,
	};
}

/** Calico on each VM: the encapsulation and its device, the VM's /26 blocks and how many pods they hold. */
export function toCalicoRows(device: Device): LayerRows {
	const {encapsulation} = device.cluster;
	const blocks = calicoBlocks(device);
	return {
		title: `Calico (${encapsulationDescriptions[encapsulation]})`,
		columns: [{heading: 'VM'}, {heading: 'DEVICE'}, {heading: 'BLOCKS', essential: true, wrap: true}, {heading: 'PODS'}],
		rows: device.vms.map(vm => {
			const own = blocks.filter(block => block.owner === vm.name);
			return [
				vm.name,
				tunnelDevice(encapsulation) ?? nicOn(vm, 'external')?.name ?? dash,
				own.length > 0 ? own.map(block => formatNetwork(block.network)).join(', ') : 'none yet',
				String(device.pods.filter(pod => pod.node === vm.name).length),
			];
		}),
	};
}

/** The pods. */
export function toPodRows(device: Device): LayerRows {
	return {
		title: 'Pods',
		columns: [{heading: 'NAMESPACE'}, {heading: 'POD'}, {heading: 'NODE'}, {heading: 'IP', essential: true}, {heading: 'LABELS', wrap: true}],
		rows: device.pods.map(pod => [
			pod.namespace,
			pod.name,
			pod.node,
			pod.ip,
			Object.entries(pod.labels)
				.map(([key, value]) => `${key}=${value}`)
				.join(','),
		]),
	};
}

/** The services with their addresses and the pods behind them. */
export function toServiceRows(device: Device): LayerRows {
	return {
		title: 'Services',
		columns: [
			{heading: 'NAMESPACE'},
			{heading: 'SERVICE'},
			{heading: 'TYPE'},
			{heading: 'CLUSTER-IP', essential: true},
			{heading: 'EXTERNAL-IP', essential: true, wrap: true},
			{heading: 'PORTS', wrap: true},
			{heading: 'PODS', wrap: true},
		],
		rows: device.services.map(service => {
			const pods = backingPods(device, service);
			return [
				service.namespace,
				service.name,
				service.type,
				service.clusterIp,
				externalIpLabel(service),
				service.ports.map(port => `${port.port}/${port.protocol}`).join(','),
				pods.length > 0 ? pods.map(pod => `${pod.name} (${pod.ip})`).join(', ') : '<none>',
			];
		}),
	};
}

/** CoreDNS's records for the services. */
export function toDnsRows(device: Device): LayerRows {
	return {
		title: 'DNS (CoreDNS)',
		columns: [{heading: 'NAME'}, {heading: 'ADDRESS', essential: true}],
		rows: dnsRecords(device).map(record => [record.name, record.address]),
	};
}

/** The Kubernetes IP plan of the Compute page. */
export function toClusterRows(device: Device): LayerRows {
	const {cluster} = device;
	return {
		title: 'Kubernetes',
		columns: [{heading: 'SETTING'}, {heading: 'VALUE'}],
		rows: [
			['compute', cluster.computeConfigured ? 'configured' : 'not configured'],
			['node IPs', cluster.nodeIpRange ?? '(not set)'],
			['external service IPs', cluster.serviceIpRange ?? '(not set)'],
			['pod CIDR', cluster.podCidr],
			['service CIDR', cluster.serviceCidr],
			['DNS domain', cluster.dnsDomain],
			['Calico encapsulation', cluster.encapsulation],
		],
	};
}

export {toRouteRows} from './route-rows.js';
