import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {describe, expect, test} from 'vitest';
import {storeDigest} from '../support/store-digest.js';
import {cleanEnv, cliPath, runCli, useTestResources} from './harness.js';

const {demoStore: store, emptyStore} = useTestResources();

function listJson(dir: string) {
	const result = runCli(['route', 'list', '--json', '--store', dir]);
	expect(result.status).toBe(0);
	return JSON.parse(result.stdout) as Array<Record<string, unknown>>;
}

describe('route commands', () => {
	test('add, list, set, lookup and remove', () => {
		const dir = store();
		const added = runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.20.0.0/16', '--next-hop', '192.168.10.1', '--metric', '50', '--store', dir]);
		expect(added).toEqual({status: 0, stdout: 'Added 10.20.0.0/16 on Port3 via 192.168.10.1, metric 50.\n', stderr: ''});
		expect(listJson(dir)).toEqual([
			{interface: 'Port3', destinationPrefix: '192.168.20.0/24', nextHop: '192.168.10.1', metric: 100, status: 'active', statusReason: 'on the master and worker VMs, via their NIC on Port3', warnings: []},
			{interface: 'Port3', destinationPrefix: '10.20.0.0/16', nextHop: '192.168.10.1', metric: 50, status: 'active', statusReason: 'on the master and worker VMs, via their NIC on Port3', warnings: []},
		]);
		const set = runCli(['route', 'set', '--interface', 'Port3', '--destination', '10.20.0.0/16', '--metric', '7', '--store', dir]);
		expect(set.stdout).toBe('Updated 10.20.0.0/16 on Port3: via 192.168.10.1, metric 7.\n');
		expect(listJson(dir)[1]?.['metric']).toBe(7);

		const lookup = runCli(['route', 'lookup', '10.20.3.4', '--from', 'master', '--json', '--store', dir]);
		expect(lookup.status).toBe(0);
		const answer = JSON.parse(lookup.stdout);
		expect(answer).toMatchObject({
			destination: '10.20.3.4',
			from: 'master',
			route: {kind: 'custom', destinationPrefix: '10.20.0.0/16', nextHop: '192.168.10.1', interface: 'Port3', metric: 7},
			nic: 'eth1',
			switch: 'vSwitch-Port3',
			port: 'Port3',
		});
		expect(answer.candidates).toHaveLength(1);

		const removed = runCli(['route', 'remove', '--interface', 'Port3', '--destination', '10.20.0.0/16', '--store', dir]);
		expect(removed.stdout).toBe('Removed 10.20.0.0/16 on Port3.\n');
		expect(listJson(dir)).toHaveLength(1);
	});

	test('a refused add: exit 1, every reason on stderr, the store unchanged', () => {
		const dir = store();
		const before = storeDigest(dir);
		const result = runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.5.0.1/16', '--next-hop', '10.0.0.1', '--metric', '100', '--store', dir]);
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(
			[
				'edgenet: refused, nothing changed:',
				'  destination: "10.5.0.1/16" has host bits set (Invalid prefix for given prefix length); did you mean 10.5.0.0/16?',
				"  next hop: 10.0.0.1 is not on Port3's subnet 192.168.10.0/24 (Nexthop has invalid gateway); use a gateway on that subnet",
				'',
			].join('\n'),
		);
		expect(storeDigest(dir)).toBe(before);
	});

	test('an existing key is refused', () => {
		const dir = store();
		const result = runCli(['route', 'add', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--next-hop', '192.168.10.1', '--metric', '100', '--store', dir]);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('a route for 192.168.20.0/24 on Port3 already exists; edit or remove it');
	});

	test('a warning is printed with the saved route', () => {
		const dir = store();
		const result = runCli(['route', 'add', '--interface', 'Port3', '--destination', '172.27.9.0/24', '--next-hop', '192.168.10.1', '--metric', '9', '--store', dir]);
		expect(result.status).toBe(0);
		expect(result.stdout).toContain("Warning: overlaps the pod CIDR 172.27.0.0/16: Calico's /26 block and /32 pod routes are longer or win the tie, so it only carries addresses no Calico block holds");
		expect(listJson(dir)[1]?.['warnings']).toEqual(["overlaps the pod CIDR 172.27.0.0/16: Calico's /26 block and /32 pod routes are longer or win the tie, so it only carries addresses no Calico block holds"]);
	});

	test('usage errors exit 2', () => {
		const dir = store();
		expect(runCli(['route', 'add', '--interface', 'Port3', '--store', dir])).toMatchObject({status: 2, stderr: 'edgenet: missing --destination, --next-hop, --metric\nRun `edgenet route add --help` for usage.\n'});
		expect(runCli(['route', 'frobnicate', '--store', dir]).status).toBe(2);
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--store', dir]).status).toBe(2);
		expect(runCli(['route', 'lookup', '--store', dir]).status).toBe(2);
	});

	test("a value that starts with a dash is checked by its field's rule: exit 1, the rule's message, the store unchanged", () => {
		const dir = store();
		const before = storeDigest(dir);
		const refusedMetric = {status: 1, stdout: '', stderr: 'edgenet: refused, nothing changed:\n  metric: "-1" is not a whole number from 0 to 65535; lower metrics win\n'};
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '192.168.50.0/24', '--next-hop', '192.168.10.1', '--metric', '-1', '--store', dir])).toEqual(refusedMetric);
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--metric', '-1', '--store', dir])).toEqual(refusedMetric);
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '-10.0.0.0/8', '--next-hop', '-192.168.10.1', '--metric', '5', '--store', dir])).toEqual({
			status: 1,
			stdout: '',
			stderr: [
				'edgenet: refused, nothing changed:',
				'  destination: "-10.0.0.0/8" is not an IPv4 prefix: "-10.0.0.0" is not an IPv4 address; write it as 192.168.20.0/24',
				'  next hop: "-192.168.10.1" is not an IPv4 address; write four numbers 0-255 separated by dots, such as 192.168.10.1',
				'',
			].join('\n'),
		});
		expect(storeDigest(dir)).toBe(before);
	});

	test('an option name where a value should be is a usage error saying the value is missing', () => {
		const dir = store();
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '192.168.50.0/24', '--next-hop', '192.168.10.1', '--metric', '--json', '--store', dir])).toEqual({
			status: 2,
			stdout: '',
			stderr: 'edgenet: --metric needs a value\nRun `edgenet route add --help` for usage.\n',
		});
		expect(runCli(['route', 'list', '--interface', '--store', dir])).toMatchObject({status: 2, stderr: 'edgenet: --interface needs a value\nRun `edgenet route list --help` for usage.\n'});
	});

	test('a port the device does not have is refused by every route command, naming the ports there are', () => {
		const dir = store();
		const before = storeDigest(dir);
		const unknownPort = 'interface: "Port9" is not a port of this device; routes go on a port with a static IP configuration and compute enabled (Port3)';
		expect(runCli(['route', 'list', '--interface', 'Port9', '--store', dir])).toEqual({status: 1, stdout: '', stderr: `edgenet: ${unknownPort}\n`});
		expect(runCli(['route', 'list', '--interface', 'Port9', '--json', '--store', dir])).toEqual({status: 1, stdout: '', stderr: `edgenet: ${unknownPort}\n`});
		expect(runCli(['Get-HcsNetRoute', '-InterfaceAlias', 'Port9', '--store', dir])).toEqual({status: 1, stdout: '', stderr: `edgenet: ${unknownPort}\n`});
		const refused = {status: 1, stdout: '', stderr: `edgenet: refused, nothing changed:\n  ${unknownPort}\n`};
		expect(runCli(['route', 'remove', '--interface', 'Port9', '--destination', '192.168.20.0/24', '--store', dir])).toEqual(refused);
		expect(runCli(['route', 'set', '--interface', 'Port9', '--destination', '192.168.20.0/24', '--metric', '5', '--store', dir])).toEqual(refused);
		expect(storeDigest(dir)).toBe(before);
		// A port the device has lists its routes, none on a port without any.
		expect(runCli(['route', 'list', '--interface', 'port4', '--store', dir])).toEqual({status: 0, stdout: 'No custom routes.\n', stderr: ''});
	});

	test('a route that is not there is refused naming a few of the nearest, however many the port has', () => {
		const dir = emptyStore();
		expect(runCli(['demo', '--generate', '--routes', '10000', '--pods', '2000', '--services', '200', '--seed', '1', '--store', dir]).status).toBe(0);
		const before = storeDigest(dir);
		for (const args of [
			['route', 'remove', '--interface', 'Port3', '--destination', '1.2.3.0/24'],
			['route', 'set', '--interface', 'Port3', '--destination', '1.2.3.0/24', '--metric', '7'],
			['Remove-HcsNetRoute', '-InterfaceAlias', 'Port3', '-DestinationPrefix', '1.2.3.0/24'],
		]) {
			const result = runCli([...args, '--store', dir]);
			expect(result.status).toBe(1);
			expect(result.stdout).toBe('');
			// Seed 1 makes these the three routes fewest addresses away from 1.2.3.0/24.
			expect(result.stderr).toBe(
				'edgenet: refused, nothing changed:\n  destination: there is no route for 1.2.3.0/24 on Port3 (the nearest of the 10000 routes on Port3: 1.6.64.0/19, 1.9.23.147/32, 1.17.150.224/27)\n',
			);
		}
		// A route inside the prefix asked for (seed 1 makes 71.246.102.48/32) overlaps it, so it is named first.
		expect(runCli(['route', 'remove', '--interface', 'Port3', '--destination', '71.246.102.0/24', '--store', dir]).stderr).toContain('(the nearest of the 10000 routes on Port3: 71.246.102.48/32, ');
		expect(storeDigest(dir)).toBe(before);
	});

	test("remove --json reports the removed route's status as route list --json gave it", () => {
		const dir = store();
		const listed = listJson(dir)[0];
		expect(listed).toMatchObject({status: 'active', statusReason: 'on the master and worker VMs, via their NIC on Port3'});
		const removed = runCli(['route', 'remove', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--json', '--store', dir]);
		expect(removed.status).toBe(0);
		expect(JSON.parse(removed.stdout)).toEqual({message: 'Removed 192.168.20.0/24 on Port3.', route: listed});

		// Before compute is configured a route is pending, and says why.
		const exported = JSON.parse(runCli(['export', 'device', '--store', store()]).stdout);
		exported.device.cluster.computeConfigured = false;
		const pendingDir = emptyStore();
		const file = path.join(pendingDir, 'device.json.in');
		fs.writeFileSync(file, JSON.stringify(exported));
		expect(runCli(['import', 'device', file, '--store', pendingDir]).status).toBe(0);
		const pending = listJson(pendingDir)[0];
		expect(pending).toMatchObject({status: 'pending', statusReason: expect.stringContaining('Kubernetes compute is not configured yet')});
		const removedPending = runCli(['route', 'remove', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--json', '--store', pendingDir]);
		expect(JSON.parse(removedPending.stdout).route).toEqual(pending);
	});

	test('remove --json of a stored route that breaks the rules reports it refused, with the reason', () => {
		const dir = store();
		const database = new DatabaseSync(path.join(dir, 'device.db'));
		database.exec("INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', '10.6.0.0/16', '172.16.0.1', 9)");
		database.close();
		const removed = runCli(['route', 'remove', '--interface', 'Port3', '--destination', '10.6.0.0/16', '--json', '--store', dir]);
		expect(removed.status).toBe(0);
		const reason = 'next hop: 172.16.0.1 is not on Port3\'s subnet 192.168.10.0/24 (Nexthop has invalid gateway); use a gateway on that subnet';
		expect(JSON.parse(removed.stdout)).toEqual({
			message: `Removed route 10.6.0.0/16 on Port3, a stored route that broke the route rules (${reason}).`,
			route: {interface: 'Port3', destinationPrefix: '10.6.0.0/16', nextHop: '172.16.0.1', metric: 9, status: 'refused', statusReason: reason, warnings: []},
		});
		expect(listJson(dir).map(route => route['destinationPrefix'])).toEqual(['192.168.20.0/24']);
	});

	test('route list text shows each destination once, its prefix length in it', () => {
		const dir = store();
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.20.0.0/16', '--next-hop', '192.168.10.1', '--metric', '50', '--store', dir]).status).toBe(0);
		expect(runCli(['route', 'list', '--store', dir])).toEqual({
			status: 0,
			stdout: [
				'INTERFACE  DESTINATION      NEXT HOP      METRIC  STATUS  WARNINGS',
				'Port3      192.168.20.0/24  192.168.10.1     100  active  -',
				'Port3      10.20.0.0/16     192.168.10.1      50  active  -',
				'',
			].join('\n'),
			stderr: '',
		});
	});

	test('lookup text names the winner, the path and the losers', () => {
		const result = runCli(['route', 'lookup', '192.168.20.7', '--from', 'worker', '--store', store()]);
		expect(result.stdout).toBe(
			[
				'192.168.20.7 from worker:',
				'  route:  custom 192.168.20.0/24 via 192.168.10.1 dev eth1, metric 100 (custom route on Port3)',
				'  leaves: NIC eth1, switch vSwitch-Port3, port Port3',
				'  path:   worker VM (custom route 192.168.20.0/24, metric 100) -> eth1 192.168.10.21 -> vSwitch-Port3 -> Port3 -> 192.168.10.1',
				"  lost:   default 0.0.0.0/0 via 172.20.0.1, metric 0: shorter prefix /0 than the winner's /24 (longest prefix wins)",
				'',
			].join('\n'),
		);
	});

	test('a reader that stops early (`| head`) ends the listing quietly, as a command killed by SIGPIPE would', () => {
		const dir = emptyStore();
		expect(runCli(['demo', '--generate', '--routes', '3000', '--pods', '10', '--services', '2', '--seed', '1', '--store', dir]).status).toBe(0);
		// Far more than a pipe holds, so the listing is still writing when `head` goes away.
		const result = spawnSync('bash', ['-c', '"$0" "$1" route list --json --store "$2" | head -c 100 >/dev/null; echo "${PIPESTATUS[0]}"', process.execPath, cliPath, dir], {
			env: cleanEnv(),
			encoding: 'utf8',
			timeout: 20_000,
		});
		expect(result.stderr).toBe('');
		expect(result.stdout).toBe('141\n');
	});

	test('output that cannot be written (a full disk) is said in one line, not a stack trace', () => {
		const dir = store();
		const result = spawnSync('bash', ['-c', '"$0" "$1" route list --json --store "$2" >/dev/full', process.execPath, cliPath, dir], {env: cleanEnv(), encoding: 'utf8', timeout: 20_000});
		expect(result.stderr).toBe(
			'edgenet: cannot write the output: ENOSPC: no space left on device, write. A change the command made is saved all the same; `edgenet route list` and `edgenet status` show the store.\n',
		);
		expect(result.status).toBe(1);
	});

	test('a lookup that cannot be answered exits 1', () => {
		expect(runCli(['route', 'lookup', 'nowhere.example', '--store', store()])).toMatchObject({status: 1});
	});

	test('a lookup of four numbers that are no IPv4 address says why, rather than looking for a service of that name', () => {
		const dir = store();
		expect(runCli(['route', 'lookup', '300.1.1.1', '--store', dir])).toEqual({
			status: 1,
			stdout: '',
			stderr: 'edgenet: "300.1.1.1" is not a valid IPv4 address: its first number, 300, is out of range (each of the four is 0-255)\n',
		});
		expect(runCli(['route', 'lookup', '10.0.0.999', '--from', 'outside', '--json', '--store', dir])).toMatchObject({
			status: 1,
			stderr: 'edgenet: "10.0.0.999" is not a valid IPv4 address: its fourth number, 999, is out of range (each of the four is 0-255)\n',
		});
	});
});

describe('the device cmdlet spelling', () => {
	test('Add-, Get- and Remove-HcsNetRoute, case-insensitive', () => {
		const dir = store();
		const added = runCli(['add-hcsnetroute', '-interfacealias', 'port3', '-DestinationPrefix', '192.168.21.0/24', '-NextHop', '192.168.10.1', '-RouteMetric', '100', '--store', dir]);
		expect(added.status).toBe(0);
		const listed = runCli(['Get-HcsNetRoute', '-InterfaceAlias', 'Port3', '--store', dir]);
		expect(listed.stdout).toBe(
			[
				'',
				'InterfaceAlias  DestinationPrefix  NextHop       RouteMetric  Status  Warnings',
				'--------------  -----------------  -------       -----------  ------  --------',
				'Port3           192.168.20.0/24    192.168.10.1          100  active',
				'Port3           192.168.21.0/24    192.168.10.1          100  active',
				'',
				'',
			].join('\n'),
		);
		const removed = runCli(['REMOVE-HCSNETROUTE', '-InterfaceAlias:Port3', '-Dest', '192.168.21.0/24', '--store', dir]);
		expect(removed.status).toBe(0);
		expect(listJson(dir).map(route => route['destinationPrefix'])).toEqual(['192.168.20.0/24']);
	});

	test('an unknown parameter is a usage error in PowerShell words', () => {
		const result = runCli(['Add-HcsNetRoute', '-Gateway', '1.2.3.4', '--store', store()]);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain("Add-HcsNetRoute: a parameter cannot be found that matches parameter name 'gateway'");
	});

	test('a refused cmdlet add leaves the store unchanged', () => {
		const dir = store();
		const before = storeDigest(dir);
		const result = runCli(['Add-HcsNetRoute', '-InterfaceAlias', 'Port4', '-DestinationPrefix', '192.168.21.0/24', '-NextHop', '192.168.10.1', '-RouteMetric', '1', '--store', dir]);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('interface: Port4 uses DHCP');
		expect(storeDigest(dir)).toBe(before);
	});
});
