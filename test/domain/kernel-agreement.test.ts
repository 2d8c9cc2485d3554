/**
 * The lookup agrees with the Linux kernel: each VM's table, as a real node has it (its own addresses,
 * Calico's blackholes for its blocks, a /32 per local pod on its veth, the other node's blocks through it
 * by the cluster's encapsulation, no route for the pod or service CIDR), is built in a network namespace
 * of this test's own, and `ip -j route get` answers for the same destinations. No packet is sent.
 */

import {execFileSync, spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fc from 'fast-check';
import {afterAll, assert, beforeAll, describe, expect, test} from 'vitest';
import {addPods} from '../../source/domain/allocation.js';
import {calicoBlocks} from '../../source/domain/calico.js';
import type {Device, Encapsulation, Pod, VmName} from '../../source/domain/device.js';
import {fromNumber, parseInterfaceAddress, toNumber} from '../../source/domain/ip.js';
import {lookupRoute} from '../../source/domain/lookup.js';
import {demoWithRoutes} from '../support/devices.js';

const routed = demoWithRoutes([
	['10.0.0.0/8', '192.168.10.254', '10'],
	['10.1.0.0/16', '192.168.10.253', '300'],
	['10.1.2.0/24', '192.168.10.252', '5'],
	['10.1.2.3/32', '192.168.10.251', '1'],
	['192.168.20.128/25', '192.168.10.2', '200'],
	['192.168.10.0/24', '192.168.10.3', '5'],
	['0.0.0.0/0', '192.168.10.4', '50'],
	// Over the cluster's ranges: the pod CIDR has no route of its own, so this one carries what no block holds.
	['172.27.0.0/16', '192.168.10.15', '0'],
	['172.27.0.96/27', '192.168.10.6', '7'],
	['172.28.0.0/16', '192.168.10.8', '0'],
	['100.64.0.0/10', '192.168.10.7', '65535'],
]);

/** More pods on both VMs (the master's second block), and one the worker took in the master's block, as Calico borrows when a node's blocks are full. */
function clusterOf(encapsulation: Encapsulation): Device {
	const added = addPods(routed, Array.from({length: 70}, (_, index) => ({namespace: 'load', name: `load-${index}`, node: index % 3 === 0 ? 'worker' : 'master', labels: {app: 'load'}})));
	if (!added.ok) {
		throw new Error(added.error);
	}
	const master = calicoBlocks(added.value).find(block => block.owner === 'master')!;
	const borrowed = {namespace: 'load', name: 'borrowed', node: 'worker' as const, labels: {}, ip: fromNumber(master.network.last)};
	return {...added.value, cluster: {...added.value.cluster, encapsulation}, pods: [...added.value.pods, borrowed]};
}

type Built = {readonly device: Device; readonly vm: VmName; readonly namespace: string};

const cases: Built[] = (['none', 'ipip', 'vxlan'] as const).flatMap(encapsulation =>
	(['worker', 'master'] as const).map(vm => ({device: clusterOf(encapsulation), vm, namespace: `edgenet-k-${process.pid}-${encapsulation}-${vm}`})),
);
let unavailable: string | undefined;

function ipIn(namespace: string, ...args: string[]): string {
	return execFileSync('ip', ['-n', namespace, ...args], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

/** Calico's blocks as its IPAM makes them: each /26 is affine to the node of the first pod with an address in it. */
function blocksOf(device: Device): Map<number, {owner: VmName; pods: Pod[]}> {
	const blocks = new Map<number, {owner: VmName; pods: Pod[]}>();
	for (const pod of device.pods) {
		const block = toNumber(pod.ip) - (toNumber(pod.ip) % 64);
		const found = blocks.get(block) ?? {owner: pod.node, pods: []};
		found.pods.push(pod);
		blocks.set(block, found);
	}
	return blocks;
}

/** Calico's CNI plugin's veth name: `cali` and 11 hex digits of SHA-1 of `<namespace>.<pod>`. */
function veth(pod: Pod): string {
	return `cali${createHash('sha1').update(`${pod.namespace}.${pod.name}`).digest('hex').slice(0, 11)}`;
}

/**
 * Builds the VM's table in the namespace the way a node gets it, from the device's facts rather than from
 * edgenet's table: the NICs' addresses (the kernel adds the local and connected routes), Calico's routes
 * (blackholes for the node's blocks, a /32 per local pod on its veth, the other node's blocks and borrowed
 * addresses via that node: over eth1, through tunl0 onlink, or through vxlan.calico onlink to its VTEP),
 * edgenet's custom routes on the external NIC and the default route through the internal switch's NAT.
 */
function build({device, vm: name, namespace}: Built): void {
	const vm = device.vms.find(candidate => candidate.name === name)!;
	const peer = device.vms.find(candidate => candidate.name !== name)!;
	const ip = (...args: string[]) => ipIn(namespace, ...args);
	const blocks = blocksOf(device);
	const local = device.pods.filter(pod => pod.node === name);
	const tunnel = {none: 'eth1', ipip: 'tunl0', vxlan: 'vxlan.calico'}[device.cluster.encapsulation];
	ip('link', 'set', 'lo', 'up');
	for (const [index, dev] of [...new Set(['eth0', 'eth1', tunnel, ...local.map(pod => veth(pod))])].entries()) {
		ip('link', 'add', dev, 'type', 'veth', 'peer', 'name', `peer${index}`);
		ip('link', 'set', dev, 'up');
		ip('link', 'set', `peer${index}`, 'up');
	}
	for (const nic of vm.nics) {
		ip('addr', 'add', nic.address, 'dev', nic.name);
	}
	const peerAddress = peer.nics.find(nic => nic.network === 'external')!.address.split('/')[0]!;
	// The peer's VTEP: the first address of its first block, which Calico's IPAM gives it before any pod.
	const vtep = fromNumber(Math.min(...[...blocks].filter(([, block]) => block.owner === peer.name).map(([first]) => first)));
	const viaPeer = (prefix: string) =>
		device.cluster.encapsulation === 'none'
			? ip('route', 'add', prefix, 'via', peerAddress, 'dev', 'eth1', 'proto', 'bird')
			: ip('route', 'add', prefix, 'via', device.cluster.encapsulation === 'ipip' ? peerAddress : vtep, 'dev', tunnel, 'onlink', 'proto', 'bird');
	for (const [first, block] of blocks) {
		if (block.owner === name) {
			ip('route', 'add', 'blackhole', `${fromNumber(first)}/26`, 'proto', 'bird');
			for (const pod of block.pods.filter(candidate => candidate.node === peer.name)) {
				viaPeer(`${pod.ip}/32`);
			}
		} else {
			viaPeer(`${fromNumber(first)}/26`);
		}
	}
	for (const pod of local) {
		ip('route', 'add', `${pod.ip}/32`, 'dev', veth(pod), 'scope', 'link');
	}
	for (const route of device.routes) {
		ip('route', 'add', route.destinationPrefix, 'via', route.nextHop, 'dev', 'eth1', 'metric', String(route.metric), 'proto', '237');
	}
	ip('route', 'add', 'default', 'via', device.internalSwitch.natAddress, 'dev', 'eth0');
}

beforeAll(() => {
	const probe = `edgenet-k-${process.pid}-probe`;
	const created = spawnSync('ip', ['netns', 'add', probe], {encoding: 'utf8'});
	if (created.status !== 0) {
		unavailable = `network namespaces are unavailable here (ip netns add: ${created.stderr.trim() || created.error?.message}); run the tests as root on Linux to check agreement with the kernel`;
		return;
	}
	spawnSync('ip', ['netns', 'delete', probe]);
	for (const built of cases) {
		execFileSync('ip', ['netns', 'add', built.namespace]);
		build(built);
	}
});

afterAll(() => {
	if (!unavailable) {
		for (const {namespace} of cases) {
			spawnSync('ip', ['netns', 'delete', namespace]);
		}
	}
});

/** The network and broadcast addresses of the VM's subnets, multicast and the unspecified address: the kernel answers these with broadcast and multicast routes the lookup does not model. */
function isUnmodelled(device: Device, value: number): boolean {
	return device.vms.some(vm => vm.nics.some(nic => {
		const parsed = parseInterfaceAddress(nic.address);
		return parsed.ok && [parsed.value.network.first, parsed.value.network.last].includes(value);
	})) || value >>> 28 >= 14 || value === 0;
}

/** The kernel's answer: the route's type, gateway and device, or the error `ip route get` fails with. */
function kernelAnswer(namespace: string, destination: string): {type?: string; gateway?: string; dev?: string; error?: string} {
	const result = spawnSync('ip', ['-n', namespace, '-j', 'route', 'get', destination], {encoding: 'utf8'});
	if (result.status !== 0) {
		return {error: result.stderr.trim()};
	}
	const [route] = JSON.parse(result.stdout) as Array<{type?: string; gateway?: string; dev: string}>;
	return {type: route?.type === 'local' ? 'local' : 'unicast', gateway: route?.gateway, dev: route?.dev};
}

const sampleDevice = cases[0]!.device;
const podCidrSample = fc.sample(fc.integer({min: toNumber('172.27.0.0'), max: toNumber('172.27.255.255')}), {seed: 11, numRuns: 40}).map(value => fromNumber(value));
const anywhere = fc.sample(fc.integer({min: 0, max: 2 ** 32 - 1}), {seed: 7, numRuns: 150}).map(value => fromNumber(value));
const chosen = [
	'10.1.2.3', '10.1.2.4', '10.1.3.1', '10.2.0.1', '10.255.255.254', '192.168.20.7', '192.168.20.200', '192.168.10.99', '8.8.8.8', '1.1.1.1',
	// The VMs' own addresses, loopback, an address of the service CIDR no service holds, and the pod CIDR outside every block.
	'192.168.10.20', '192.168.10.21', '172.20.0.2', '172.20.0.3', '127.0.0.1', '127.5.5.5', '172.28.9.9', '172.27.200.1', '172.20.0.50', '100.64.0.1',
];
// Every pod's address, and in every block an address no pod holds (the owner's blackhole drops it).
const podAddresses = sampleDevice.pods.map(pod => pod.ip);
const unheld = calicoBlocks(sampleDevice).map(block => fromNumber(block.network.last - 1)).filter(address => !podAddresses.includes(address));
const destinations = [...new Set([...chosen, ...podAddresses, ...unheld, ...podCidrSample, ...anywhere])].filter(text => !isUnmodelled(sampleDevice, toNumber(text)));
const services = new Set(sampleDevice.services.flatMap(service => [service.clusterIp, service.externalIp]));

describe.for(cases)('the lookup agrees with the Linux kernel on the $vm VM, encapsulation $device.cluster.encapsulation', built => {
	// A service's address is rewritten by kube-proxy before routing, which this namespace has no rules for; its pods' addresses are compared instead.
	test.for(destinations.filter(text => !services.has(text)))('%s', (destination, {skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const kernel = kernelAnswer(built.namespace, destination);
		const ours = lookupRoute(built.device, built.vm, destination);
		assert(ours.ok, `the lookup found no route to ${destination}`);
		if (ours.value.route.kind === 'blackhole') {
			expect(kernel.error).toMatch(/Invalid argument/);
			return;
		}
		expect({type: ours.value.route.kind === 'local' ? 'local' : 'unicast', gateway: ours.value.route.nextHop ?? undefined, dev: ours.value.route.dev}).toEqual(kernel);
	});

	test('the kernel refuses a route on a Calico block at metric 0 and takes one on the pod and service CIDRs', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const block = calicoBlocks(built.device)[0]!;
		const clash = spawnSync('ip', ['-n', built.namespace, 'route', 'add', `${fromNumber(block.network.first)}/26`, 'via', '192.168.10.9', 'dev', 'eth1', 'metric', '0', 'proto', '237'], {encoding: 'utf8'});
		expect(clash.stderr).toMatch(/File exists/);
		const routes = JSON.parse(ipIn(built.namespace, '-j', 'route', 'show', 'exact', '172.27.0.0/16')) as Array<{gateway?: string}>;
		expect(routes.map(route => route.gateway)).toEqual(['192.168.10.15']);
	});
});
