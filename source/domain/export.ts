/**
 * Exports to where the routes and pools really live: the device's cmdlets, a Linux VM's `ip route`, and
 * the MetalLB and Calico resources. Pure: each returns text or plain objects for a YAML writer.
 */

import {calicoBlockPrefixLength, type Device, type Encapsulation, isInterfaceName, type Nic, nicOn, type Vm, type VmName} from './device.js';
import {parseRange} from './ip.js';
import {installableRoutes} from './route-status.js';

/** The routing protocol number routes installed by edgenet carry on a Linux VM (`ip route … proto 237`), so it only ever touches its own. */
export const edgenetRouteProtocol = 237;

/**
 * A value as PowerShell reads it back: double quotes for plain values (as the device's documentation
 * writes them), single quotes otherwise, with every character PowerShell takes for a single quote
 * (`'` and U+2018 to U+201B) doubled so that none can end the string.
 */
export function quotePowerShell(value: string): string {
	return /^[\w./:-]+$/.test(value) ? `"${value}"` : `'${value.replace(/['\u2018-\u201B]/g, quote => quote + quote)}'`;
}

/** `Add-HcsNetRoute` lines that recreate every custom route on a real device. */
export function toPowerShell(device: Device): string[] {
	return device.routes.map(
		route =>
			`Add-HcsNetRoute -InterfaceAlias ${quotePowerShell(route.interface)} -DestinationPrefix ${quotePowerShell(route.destinationPrefix)} -NextHop ${quotePowerShell(route.nextHop)} -RouteMetric ${route.metric}`,
	);
}

/** A VM and its NIC on the compute network, whose name may be written into an `ip` command as it is; or why there is none. */
export function routeTarget(device: Device, vmName: VmName): {ok: true; vm: Vm; nic: Nic} | {ok: false; error: string} {
	const vm = device.vms.find(candidate => candidate.name === vmName);
	if (!vm) {
		return {ok: false, error: `there is no ${vmName} VM: Kubernetes compute is not configured`};
	}
	const nic = nicOn(vm, 'external');
	if (!nic) {
		return {ok: false, error: `the ${vmName} VM has no NIC on the external switch`};
	}
	if (!isInterfaceName(nic.name)) {
		return {ok: false, error: `the ${vmName} VM's NIC name ${JSON.stringify(nic.name)} is not a plain Linux interface name, so it cannot be written into an ip command; restore a backup whose NIC names are plain (such as eth1)`};
	}
	return {ok: true, vm, nic};
}

/** How `ip route show` writes a destination: `default` for 0.0.0.0/0, a host route without its `/32`. */
const kernelDestination = (prefix: string) => (prefix === '0.0.0.0/0' ? 'default' : prefix.endsWith('/32') ? prefix.slice(0, -3) : prefix);

/**
 * A POSIX shell script for one VM: `ip route replace` for each of its active custom routes, through its
 * NIC on the route's port, with edgenet's protocol number; then the removal of every route of that
 * protocol the store does not have (by prefix and metric, the kernel's key). Running it again changes nothing.
 */
export function toIpRouteScript(device: Device, vmName: VmName): {ok: true; lines: string[]} | {ok: false; error: string} {
	const target = routeTarget(device, vmName);
	if (!target.ok) {
		return target;
	}
	const {vm, nic} = target;
	const routes = installableRoutes(device, vm);
	// Every value written below is canonical (addresses, prefixes and numbers the route rules checked, and a plain interface name): none needs quoting.
	const kept = routes.map(route => `'${kernelDestination(route.destinationPrefix)} ${route.metric}'`);
	const lines = [
		'#!/bin/sh',
		`# The custom routes of the ${vmName} VM of ${device.name.replace(/[^\w .-]/g, '?')}, from edgenet. Run it as root on the VM; running it again changes nothing.`,
		'set -e',
		...routes.map(route => `ip route replace ${route.destinationPrefix} via ${route.nextHop} dev ${nic.name} metric ${route.metric} proto ${edgenetRouteProtocol}`),
		`# Routes of edgenet's protocol (${edgenetRouteProtocol}) that the store no longer has.`,
		`ip -4 route show table main proto ${edgenetRouteProtocol} | while read -r destination rest; do`,
		'	metric=$(printf \'%s\\n\' "$rest" | sed -n \'s/.*metric \\([0-9][0-9]*\\).*/\\1/p\')',
		'	case "$destination ${metric:-0}" in',
		...(kept.length === 0 ? [] : [`	${kept.join(' | ')}) ;;`]),
		`	*) ip route del "$destination" metric "\${metric:-0}" proto ${edgenetRouteProtocol} ;;`,
		'	esac',
		'done',
	];
	return {ok: true, lines};
}

/** MetalLB's pool for the external service IP range, and the layer-2 advertisement that announces it from the VMs' compute NIC only. */
export function toMetalLbResources(device: Device): {ok: true; documents: object[]} | {ok: false; error: string} {
	const text = device.cluster.serviceIpRange;
	if (text === null || !parseRange(text).ok) {
		return {ok: false, error: 'the Kubernetes external service IP range is not set; set it before exporting the MetalLB pool'};
	}
	// The external IPs belong on the compute network: without interfaces MetalLB would also answer ARP on the internal switch's NIC.
	const interfaces = [...new Set(device.vms.flatMap(vm => nicOn(vm, 'external')?.name ?? []))].sort();
	if (interfaces.length === 0 || !interfaces.every(name => isInterfaceName(name))) {
		return {ok: false, error: 'the Kubernetes VMs have no NIC on the compute network with a plain interface name; enable compute on a port first'};
	}
	const metadata = {name: 'edgenet-external-services', namespace: 'metallb-system'};
	return {
		ok: true,
		documents: [
			{apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata, spec: {addresses: [text]}},
			{apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata, spec: {ipAddressPools: [metadata.name], interfaces}},
		],
	};
}

/** The name `export calico` gives its pool unless told another: its own, never the one the Calico operator manages (`default-ipv4-ippool`). */
export const defaultCalicoPoolName = 'edgenet-pod-cidr';

/** The IPPool's `ipipMode` and `vxlanMode` for each encapsulation: at most one of them enabled, as Calico requires of a pool. */
export const calicoEncapsulationModes: Readonly<Record<Encapsulation, {readonly ipipMode: 'Never' | 'Always'; readonly vxlanMode: 'Never' | 'Always'}>> = {
	none: {ipipMode: 'Never', vxlanMode: 'Never'},
	ipip: {ipipMode: 'Always', vxlanMode: 'Never'},
	vxlan: {ipipMode: 'Never', vxlanMode: 'Always'},
};

/**
 * Calico's pool for the pod CIDR in the `projectcalico.org/v3` API (what calicoctl and the Calico API
 * server take, and the v3 CRDs hold), with only what the store knows: the CIDR, the block size and the
 * encapsulation between the nodes (both modes written, so the pool says it whatever Calico's defaults are).
 * NAT and node selection are left to Calico's defaults rather than overwritten.
 */
export function toCalicoResources(device: Device, name = defaultCalicoPoolName): object[] {
	return [
		{
			apiVersion: 'projectcalico.org/v3',
			kind: 'IPPool',
			metadata: {name},
			spec: {cidr: device.cluster.podCidr, blockSize: calicoBlockPrefixLength, ...calicoEncapsulationModes[device.cluster.encapsulation]},
		},
	];
}
