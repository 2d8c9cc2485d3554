import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {afterAll, describe, expect, test} from 'vitest';
import {parseAllDocuments} from 'yaml';
import {cliPath, runCli, useTestResources} from './harness.js';

const {demoStore} = useTestResources();

/** The demo device with a few more routes, added through the command. */
function storeWithRoutes(): string {
	const dir = demoStore();
	for (const [destination, nextHop, metric] of [
		['10.0.0.0/8', '192.168.10.254', '10'],
		['10.1.2.0/24', '192.168.10.252', '5'],
		['192.168.21.7/32', '192.168.10.2', '65535'],
	]) {
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', destination!, '--next-hop', nextHop!, '--metric', metric!, '--store', dir]).status).toBe(0);
	}
	return dir;
}

function listed(dir: string): Array<{destinationPrefix: string; nextHop: string; metric: number; interface: string}> {
	return (JSON.parse(runCli(['route', 'list', '--json', '--store', dir]).stdout) as Array<{destinationPrefix: string; nextHop: string; metric: number; interface: string}>).map(
		({interface: iface, destinationPrefix, nextHop, metric}) => ({interface: iface, destinationPrefix, nextHop, metric}),
	);
}

describe('export powershell', () => {
	test('the lines recreate the same routes through the cmdlet spelling', () => {
		const source = storeWithRoutes();
		const result = runCli(['export', 'powershell', '--store', source]);
		expect(result.status).toBe(0);
		const lines = result.stdout.trim().split('\n');
		expect(lines[0]).toBe('Add-HcsNetRoute -InterfaceAlias "Port3" -DestinationPrefix "192.168.20.0/24" -NextHop "192.168.10.1" -RouteMetric 100');
		// Replay them, as a person would paste them, into a device without routes.
		const target = demoStore();
		expect(runCli(['Remove-HcsNetRoute', '-InterfaceAlias', 'Port3', '-DestinationPrefix', '192.168.20.0/24', '--store', target]).status).toBe(0);
		for (const line of lines) {
			const replay = spawnSync('bash', ['-c', `"${process.execPath}" "${cliPath}" ${line} --store "${target}"`], {encoding: 'utf8'});
			expect(replay.stderr).toBe('');
			expect(replay.status).toBe(0);
		}
		expect(listed(target)).toEqual(listed(source));
	});
});

describe('export metallb and calico', () => {
	/** The YAML documents an export printed, as plain objects. */
	const documentsOf = (args: readonly string[]) => {
		const result = runCli([...args, '--store', demoStore()]);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		return parseAllDocuments(result.stdout).map(document => document.toJS() as {apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown>});
	};

	// What the published CRDs declare for every field edgenet writes, from MetalLB v0.16.1
	// (config/crd/bases/metallb.io_ipaddresspools.yaml, metallb.io_l2advertisements.yaml): group
	// metallb.io, version v1beta1, both Namespaced, `spec` required, IPAddressPool `spec.addresses`
	// required (an array of strings, each a CIDR or a first-last range), L2Advertisement
	// `spec.ipAddressPools` and `spec.interfaces` arrays of strings.
	test('metallb: the IPAddressPool and the L2Advertisement hold to MetalLB v0.16.1\'s CRDs, and announce from the compute NIC only', () => {
		const [pool, advertisement] = documentsOf(['export', 'metallb']);
		for (const document of [pool!, advertisement!]) {
			expect(document.apiVersion).toBe('metallb.io/v1beta1');
			expect(document.metadata).toEqual({name: 'edgenet-external-services', namespace: 'metallb-system'});
			expect(typeof document.spec).toBe('object');
		}
		expect(pool!.kind).toBe('IPAddressPool');
		expect(Object.keys(pool!.spec)).toEqual(['addresses']);
		expect(pool!.spec['addresses']).toEqual(['192.168.10.30-192.168.10.34']);
		expect(advertisement!.kind).toBe('L2Advertisement');
		expect(Object.keys(advertisement!.spec).sort()).toEqual(['interfaces', 'ipAddressPools']);
		expect(advertisement!.spec['ipAddressPools']).toEqual([pool!.metadata['name']]);
		// The VMs' NIC on vSwitch-Port3, never eth0 on the internal switch.
		expect(advertisement!.spec['interfaces']).toEqual(['eth1']);
	});

	// From Calico v3.32.1: the projectcalico.org/v3 IPPool CRD (api/config/crd/projectcalico.org_ippools.yaml:
	// scope Cluster, `spec.cidr` required, format cidr, at most 48 characters; `spec.blockSize` an integer
	// from 0 to 128; `spec.ipipMode` and `spec.vxlanMode` each one of Never, Always, CrossSubnet, and the
	// rule "ipipMode and vxlanMode cannot both be enabled": one of them absent, empty or Never) and the rules
	// of libcalico-go's v3 validator (validateIPPool): the CIDR strictly masked, not overlapping
	// 169.254.0.0/16, and at least as large as a block.
	const calicoModes = ['Never', 'Always', 'CrossSubnet'];
	const bothEnabled = (spec: Record<string, unknown>) => ['ipipMode', 'vxlanMode'].every(mode => spec[mode] !== undefined && spec[mode] !== '' && spec[mode] !== 'Never');

	test('calico: an IPPool of projectcalico.org/v3 with only what the store knows, under a name of its own, holding to Calico v3.32.1\'s rules', () => {
		const [pool] = documentsOf(['export', 'calico']);
		expect(pool!.apiVersion).toBe('projectcalico.org/v3');
		expect(pool!.kind).toBe('IPPool');
		// Cluster-scoped: no namespace. Not the operator's default-ipv4-ippool, which the operator would take back.
		expect(pool!.metadata).toEqual({name: 'edgenet-pod-cidr'});
		expect(pool!.spec).toEqual({cidr: '172.27.0.0/16', blockSize: 26, ipipMode: 'Never', vxlanMode: 'Never'});
		const cidr = pool!.spec['cidr'] as string;
		const blockSize = pool!.spec['blockSize'] as number;
		expect(cidr.length).toBeLessThanOrEqual(48);
		expect(Number.isInteger(blockSize) && blockSize >= 0 && blockSize <= 128).toBe(true);
		const [address, length] = cidr.split('/');
		const value = address!.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
		expect(value % 2 ** (32 - Number(length))).toBe(0);
		expect(Number(length)).toBeLessThanOrEqual(blockSize);
		expect(value >= 0xA9_FE_00_00 && value <= 0xA9_FE_FF_FF).toBe(false);
		expect(documentsOf(['export', 'calico', '--name', 'shop-pods'])[0]!.metadata).toEqual({name: 'shop-pods'});
	});

	test.each([
		['none', 'Never', 'Never'],
		['ipip', 'Always', 'Never'],
		['vxlan', 'Never', 'Always'],
	])('calico: the store\'s encapsulation %s is ipipMode %s and vxlanMode %s, never both enabled', (encapsulation, ipipMode, vxlanMode) => {
		const dir = demoStore();
		expect(runCli(['cluster', 'set', '--encapsulation', encapsulation, '--store', dir]).status).toBe(0);
		const result = runCli(['export', 'calico', '--store', dir]);
		expect(result.stderr).toBe('');
		const [pool] = parseAllDocuments(result.stdout).map(document => document.toJS() as {spec: Record<string, unknown>});
		expect(pool!.spec).toEqual({cidr: '172.27.0.0/16', blockSize: 26, ipipMode, vxlanMode});
		expect(calicoModes).toContain(pool!.spec['ipipMode']);
		expect(calicoModes).toContain(pool!.spec['vxlanMode']);
		expect(bothEnabled(pool!.spec)).toBe(false);
	});

	test('calico: a --name that is not a Kubernetes object name is a usage error', () => {
		const result = runCli(['export', 'calico', '--name', 'Pods_1', '--store', demoStore()]);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('--name must be a Kubernetes object name (lowercase letters, digits, - and ., such as edgenet-pod-cidr), got "Pods_1"');
	});

	test('an unknown target is a usage error', () => {
		expect(runCli(['export', 'terraform', '--store', demoStore()])).toMatchObject({status: 2, stderr: expect.stringContaining('unknown export subcommand "terraform"; use one of device, powershell, iproute, metallb, calico')});
	});
});

describe('export iproute', () => {
	const namespace = `edgenet-export-${process.pid}`;

	afterAll(() => {
		spawnSync('ip', ['netns', 'delete', namespace]);
	});

	test('the script, run in a namespace set up like the VM, yields exactly the routes route list shows', ({skip}) => {
		const dir = storeWithRoutes();
		const script = runCli(['export', 'iproute', '--vm', 'worker', '--store', dir]);
		expect(script.status).toBe(0);
		if (spawnSync('ip', ['netns', 'add', namespace]).status !== 0) {
			skip('network namespaces are unavailable here (`ip netns add` failed); run as root on Linux');
		}
		const ip = (...args: string[]) => execFileSync('ip', ['-n', namespace, ...args], {encoding: 'utf8'});
		const status = JSON.parse(runCli(['status', '--json', '--store', dir]).stdout);
		const worker = status.vms.find((vm: {name: string}) => vm.name === 'worker');
		for (const nic of worker.nics as Array<{name: string; address: string}>) {
			ip('link', 'add', nic.name, 'type', 'veth', 'peer', 'name', `${nic.name}p`);
			ip('link', 'set', nic.name, 'up');
			ip('link', 'set', `${nic.name}p`, 'up');
			ip('addr', 'add', nic.address, 'dev', nic.name);
		}
		runScript(script.stdout);
		const installed = JSON.parse(ip('-j', 'route', 'show', 'proto', '237')) as Array<{dst: string; gateway: string; metric?: number; dev: string}>;
		// Port3 is the appliance's side of the link the worker reaches through its external NIC.
		expect(new Set(installed.map(route => route.dev))).toEqual(new Set(['eth1']));
		const kernel = installed.map(route => ({
			interface: 'Port3',
			destinationPrefix: route.dst.includes('/') ? route.dst : `${route.dst}/32`,
			nextHop: route.gateway,
			metric: route.metric ?? 0,
		}));
		const sort = (routes: Array<{destinationPrefix: string}>) => [...routes].sort((a, b) => a.destinationPrefix.localeCompare(b.destinationPrefix));
		expect(sort(kernel)).toEqual(sort(listed(dir)));

		// Run again: nothing changes.
		const before = ip('route', 'show');
		runScript(script.stdout);
		expect(ip('route', 'show')).toBe(before);

		// After `route set` moves a route to another metric and next hop and `route remove` drops one, the new
		// script leaves exactly the store's routes of protocol 237, and an administrator's own route as it was.
		ip('route', 'add', '172.16.0.0/12', 'via', '192.168.10.7', 'dev', 'eth1', 'metric', '100');
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '10.0.0.0/8', '--next-hop', '192.168.10.9', '--metric', '11', '--store', dir]).status).toBe(0);
		expect(runCli(['route', 'remove', '--interface', 'Port3', '--destination', '192.168.21.7/32', '--store', dir]).status).toBe(0);
		const next = runCli(['export', 'iproute', '--vm', 'worker', '--store', dir]);
		runScript(next.stdout);
		const ours = ip('route', 'show', 'proto', '237').trim().split('\n').map(line => line.trim()).sort();
		expect(ours).toEqual(['10.0.0.0/8 via 192.168.10.9 dev eth1 metric 11', '10.1.2.0/24 via 192.168.10.252 dev eth1 metric 5', '192.168.20.0/24 via 192.168.10.1 dev eth1 metric 100']);
		expect(ip('route', 'show', '172.16.0.0/12').trim()).toBe('172.16.0.0/12 via 192.168.10.7 dev eth1 metric 100');
		const settled = ip('route', 'show');
		runScript(next.stdout);
		expect(ip('route', 'show')).toBe(settled);

		// A default route, which ip shows as `default`, stays on every run.
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '0.0.0.0/0', '--next-hop', '192.168.10.1', '--metric', '500', '--store', dir]).status).toBe(0);
		const withDefault = runCli(['export', 'iproute', '--vm', 'worker', '--store', dir]).stdout;
		runScript(withDefault);
		runScript(withDefault);
		expect(ip('route', 'show', 'proto', '237')).toContain('default via 192.168.10.1 dev eth1 metric 500');
	});

	/** Runs an exported script inside the namespace, as root would run it on the VM. */
	function runScript(script: string): void {
		const run = spawnSync('ip', ['netns', 'exec', namespace, 'sh', '-s'], {input: script, encoding: 'utf8'});
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
	}
});

describe('exports that reach a shell carry no data that could end their quoting', () => {
	/** A store imported from the demo's backup with `edit` applied to its text. */
	function storeFromEditedBackup(edit: (text: string) => string): {dir: string; result: ReturnType<typeof runCli>} {
		const dir = demoStore();
		const backup = path.join(dir, 'edited.json');
		fs.writeFileSync(backup, edit(runCli(['export', 'device', '--store', dir]).stdout));
		return {dir, result: runCli(['import', 'device', backup, '--store', dir])};
	}

	test('powershell: every character PowerShell takes for a single quote (U+2018 to U+201B too) is doubled inside the quoted value', () => {
		const name = 'Port3\u2019; Remove-Item C:\\ -Recurse; \u2018\u201A\u201B\'';
		const {dir, result} = storeFromEditedBackup(text => text.replaceAll('"Port3"', JSON.stringify(name)));
		expect(result.stderr).toBe('');
		const exported = runCli(['export', 'powershell', '--store', dir]);
		expect(exported.status).toBe(0);
		expect(exported.stdout).toBe(`Add-HcsNetRoute -InterfaceAlias 'Port3\u2019\u2019; Remove-Item C:\\ -Recurse; \u2018\u2018\u201A\u201A\u201B\u201B''' -DestinationPrefix "192.168.20.0/24" -NextHop "192.168.10.1" -RouteMetric 100\n`);
	});

	test('iproute: a backup whose NIC name is not a plain interface name is refused, and a store that holds one anyway exports nothing', () => {
		const hostile = 'eth1;touch /tmp/edgenet-pwned;#';
		const {dir, result} = storeFromEditedBackup(text => text.replace('"name": "eth1"', `"name": ${JSON.stringify(hostile)}`));
		expect(result.status).toBe(1);
		expect(result.stderr).toContain(`device.vms[0].nics[1].name: expected a Linux interface name (up to 15 letters, digits, _, . or -, such as eth1), got ${JSON.stringify(hostile)}`);
		// A store written some other way: the export still writes no such line.
		const database = new DatabaseSync(path.join(dir, 'device.db'));
		database.prepare("UPDATE nics SET name = ? WHERE name = 'eth1'").run(hostile);
		database.close();
		const exported = runCli(['export', 'iproute', '--vm', 'worker', '--store', dir]);
		expect(exported.stdout).toBe('');
		expect(exported.stderr).toBe(`edgenet: the worker VM's NIC name ${JSON.stringify(hostile)} is not a plain Linux interface name, so it cannot be written into an ip command; restore a backup whose NIC names are plain (such as eth1)\n`);
		expect(exported.status).toBe(1);
	});
});
