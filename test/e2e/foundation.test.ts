import fs from 'node:fs';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {spawnSync} from 'node:child_process';
import {afterEach, describe, expect, test} from 'vitest';
import {buildWorker} from '../support/build-worker.js';
import {type Running, startProcess, waitUntilStopped} from '../support/processes.js';
import {databaseOf, storedRoutes} from '../support/store-digest.js';
import {bindingOf} from '../../source/ui/keymap.js';
import {cleanEnv, cliPath, keyBytes, runCli, useTestResources} from './harness.js';

const resources = useTestResources();
const store = resources.emptyStore;

describe('edgenet status', () => {
	test('prints the demo device as text on a new store, which it creates with mode 0600', () => {
		const dir = store();
		const result = runCli(['status', '--store', dir]);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain(`Device demo (store ${databaseOf(dir)})`);
		expect(result.stdout).toContain('  Port3  25 GbE  static     192.168.10.5/24    -            -            enabled\n    connects to: private network: cameras and sensors\n');
		expect(result.stdout).toContain('  webapp       web         LoadBalancer  172.28.0.3   192.168.10.31');
		// Calico's blocks per VM, and the encapsulation they are reached by.
		expect(result.stdout).toContain(['Calico (no encapsulation):', '  VM      DEVICE  BLOCKS          PODS', '  master  eth1    172.27.0.0/26   2', '  worker  eth1    172.27.0.64/26  5'].join('\n'));
		expect(fs.statSync(databaseOf(dir)).mode & 0o777).toBe(0o600);
	});

	test('its text fits 80 columns: long text columns wrap in place or stand under their row, no other column is cut', () => {
		const dir = resources.demoStore();
		// A route with a long warning, and a stored one that breaks the rules with a long reason.
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '172.27.9.0/24', '--next-hop', '192.168.10.1', '--metric', '9', '--store', dir]).status).toBe(0);
		const database = new DatabaseSync(databaseOf(dir));
		database.exec("INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', '10.6.0.0/16', '172.16.0.1', 9)");
		database.close();
		const result = runCli(['status', '--store', dir]);
		expect(result.status).toBe(0);
		const lines = result.stdout.split('\n');
		expect(lines.filter(line => line.length > 80)).toEqual([]);
		const section = (title: string) => lines.slice(lines.indexOf(`${title}:`) + 1, lines.indexOf('', lines.indexOf(`${title}:`)));
		expect(section('Ports').slice(0, 3)).toEqual([
			'  PORT    SPEED  IP CONFIG  ADDRESS            GATEWAY      DNS          COMPUTE',
			'  Port1   1 GbE  static     192.168.100.10/24  -            -            -',
			'    connects to: management (local web UI)',
		]);
		expect(section('Services').slice(0, 7)).toEqual([
			'  NAMESPACE    SERVICE     TYPE          CLUSTER-IP   EXTERNAL-IP    PORTS',
			'  default      kubernetes  ClusterIP     172.28.0.1   <none>         443/TCP',
			'    pods: <none>',
			'  kube-system  kube-dns    ClusterIP     172.28.0.10  <none>         53/UDP,',
			'                                                                     53/TCP',
			'    pods: coredns-6d4b75cb6d-7xk2p (172.27.0.0), coredns-6d4b75cb6d-q9vzm',
			'          (172.27.0.64)',
		]);
		expect(section('Pods')).toContain('    labels: net.azure-devices.edge.module=edgeHub');
		const routes = section('Custom routes');
		// The warning would take many lines in the last column, so it stands under its route.
		expect(routes[0]).toBe('  INTERFACE  DESTINATION      NEXT HOP      METRIC  STATUS');
		expect(routes[2]).toBe('  Port3      172.27.9.0/24    192.168.10.1       9  active');
		expect(routes.slice(3).join(' ').replaceAll(/\s+/g, ' ')).toBe(
			" warnings: overlaps the pod CIDR 172.27.0.0/16: Calico's /26 block and /32 pod routes are longer or win the tie, so it only carries addresses no Calico block holds",
		);
		const problems = lines.slice(lines.findIndex(line => line.startsWith('Stored routes that break the route rules')) + 1);
		expect(problems.join(' ').replaceAll(/\s+/g, ' ')).toBe(
			" route 10.6.0.0/16 on Port3: next hop: 172.16.0.1 is not on Port3's subnet 192.168.10.0/24 (Nexthop has invalid gateway); use a gateway on that subnet ",
		);
	});

	test('--json prints one document with the layers', () => {
		const dir = store();
		const result = runCli(['status', '--json'], {env: {EDGENET_STORE: dir}});
		expect(result.status).toBe(0);
		const document = JSON.parse(result.stdout);
		expect(document.device.name).toBe('demo');
		expect(document.ports.find((port: {name: string}) => port.name === 'Port3')).toMatchObject({ipConfig: 'static', address: '192.168.10.5/24', gateway: null, computeEnabled: true});
		expect(document.virtualSwitches).toEqual([
			{name: 'vSwitch-Internal', kind: 'internal', port: 'Port2', nat: true, network: '172.20.0.0/24'},
			{name: 'vSwitch-Port3', kind: 'external', port: 'Port3', nat: false},
		]);
		expect(document.vms[1]).toEqual({
			name: 'worker',
			nodeName: 'demo-k8s-worker',
			nics: [
				{name: 'eth0', switch: 'vSwitch-Internal', address: '172.20.0.3/24'},
				{name: 'eth1', switch: 'vSwitch-Port3', address: '192.168.10.21/24'},
			],
		});
		expect(document.cluster).toMatchObject({nodeIpRange: '192.168.10.20-192.168.10.22', serviceIpRange: '192.168.10.30-192.168.10.34', podCidr: '172.27.0.0/16', serviceCidr: '172.28.0.0/16'});
		expect(document.dns).toContainEqual({name: 'web.webapp.svc.cluster.local', address: '172.28.0.3', service: 'webapp/web'});
	});

	/** Ways a store file gets damaged, each written over a valid store, and what the refusal says of it. */
	const damages: ReadonlyArray<readonly [string, (file: string) => void, (file: string, size: number) => string]> = [
		['not SQLite', file => fs.writeFileSync(file, '{"routes": ['), file => `The store file ${file} is not a SQLite database.`],
		['empty', file => fs.writeFileSync(file, ''), file => `The store file ${file} is empty.`],
		['truncated', file => fs.truncateSync(file, 8192), (file, size) => `The store file ${file} is truncated (8192 bytes, its header says ${size}).`],
		[
			'missing a table',
			file => {
				const database = new DatabaseSync(file);
				database.exec('DROP TABLE routes');
				database.close();
			},
			file => `The store file ${file} has no table "routes", so it is not a whole edgenet store.`,
		],
	];

	test.each(damages)('a damaged store (%s): exit 1, a message naming the file, the file unchanged', (_kind, damage, message) => {
		const dir = store();
		expect(runCli(['reset', '--demo', '--store', dir]).status).toBe(0);
		const file = databaseOf(dir);
		const size = fs.statSync(file).size;
		damage(file);
		const before = fs.readFileSync(file);
		const result = runCli(['status', '--store', dir]);
		expect(result.status).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(`edgenet: ${message(file, size)}`);
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(fs.readFileSync(file)).toEqual(before);
	});

	test('an unknown option is a usage error', () => {
		const result = runCli(['status', '--jsn', '--store', store()]);
		expect(result.status).toBe(2);
		expect(result.stderr).toBe("edgenet: Unknown option '--jsn'; did you mean --json?\nRun `edgenet status --help` for usage.\n");
	});

	test('reset --demo rewrites the store and keeps a copy', () => {
		const dir = store();
		fs.writeFileSync(databaseOf(dir), 'garbage');
		const result = runCli(['reset', '--demo', '--store', dir]);
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(/The previous store is kept as .*device\.db\.bak-/);
		const backup = /kept as (.*)\.\n/.exec(result.stdout)?.[1] ?? '';
		expect(fs.readFileSync(backup, 'utf8')).toBe('garbage');
		expect(runCli(['status', '--store', dir])).toMatchObject({status: 0, stdout: expect.stringContaining('Device demo')});
	});
});

describe('a mistyped word', () => {
	test('an option, a subcommand or a command is a usage error naming what was probably meant', () => {
		const dir = resources.demoStore();
		const usage = (message: string, help: string) => ({status: 2, stdout: '', stderr: `edgenet: ${message}\nRun \`${help}\` for usage.\n`});
		expect(runCli(['route', 'list', '--intreface', 'Port3', '--store', dir])).toEqual(usage("Unknown option '--intreface'; did you mean --interface?", 'edgenet route list --help'));
		expect(runCli(['route', 'lsit', '--store', dir])).toEqual(usage('unknown route subcommand "lsit"; did you mean list? Use one of list, add, set, remove, lookup', 'edgenet route --help'));
		expect(runCli(['export', 'powershel', '--store', dir])).toEqual(usage('unknown export subcommand "powershel"; did you mean powershell? Use one of device, powershell, iproute, metallb, calico', 'edgenet export --help'));
		expect(runCli(['live', 'dif', '--store', dir])).toEqual(usage('unknown live subcommand "dif"; did you mean diff? Use one of diff, apply', 'edgenet live --help'));
		// The options every command takes are offered too, wherever the mistake is.
		expect(runCli(['--stor', dir])).toEqual(usage("Unknown option '--stor'; did you mean --store?", 'edgenet --help'));
		expect(runCli(['Add-HcsNetRoute', '-InterfaceAlais', 'Port3', '--store', dir]).stderr).toContain(
			"a parameter cannot be found that matches parameter name 'interfacealais' (did you mean -InterfaceAlias?); parameters: -InterfaceAlias, -DestinationPrefix, -NextHop, -RouteMetric",
		);
		const command = runCli(['staus', '--store', dir]);
		expect(command.status).toBe(2);
		expect(command.stderr).toMatch(/^edgenet: unknown command "staus"; did you mean status\? Commands: status, route, /);
	});

	test('a word near nothing gets no guess', () => {
		const dir = resources.demoStore();
		expect(runCli(['route', 'list', '--colour', '--store', dir]).stderr).toBe("edgenet: Unknown option '--colour'\nRun `edgenet route list --help` for usage.\n");
		expect(runCli(['route', 'frobnicate', '--store', dir]).stderr).toBe('edgenet: unknown route subcommand "frobnicate"; use one of list, add, set, remove, lookup\nRun `edgenet route --help` for usage.\n');
	});
});

describe('a store directory that cannot be made', () => {
	test.each([
		['in /proc', '/proc/edgenet-x/y', '/proc'],
		['in /sys', '/sys/edgenet-x/y', '/sys'],
		['under a file', '/etc/passwd/edgenet', '/etc/passwd is not a directory'],
	])('%s is refused at once, saying what to do, with no errno', (_, dir, cause) => {
		for (const args of [['status'], ['route', 'add', '--interface', 'Port3', '--destination', '10.9.0.0/16', '--next-hop', '192.168.10.1', '--metric', '5'], ['store', 'init', '--shared', 'root'], []]) {
			const result = spawnSync(process.execPath, [cliPath, ...args, '--store', dir], {env: cleanEnv(), encoding: 'utf8', timeout: 5000});
			expect(result.signal).toBeNull();
			expect(result.status).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(new RegExp(`^edgenet: Cannot create the store directory ${dir}: .*\\. Choose another store directory with --store <dir> or EDGENET_STORE\\.\n$`));
			expect(result.stderr).toContain(cause.startsWith('/etc') ? cause : `directories cannot be made in ${cause}`);
			expect(result.stderr).not.toMatch(/ENOENT|EPERM|EACCES|ENOTDIR|mkdir|\n\s+at /);
		}
		expect(fs.existsSync(dir)).toBe(false);
	});
});

describe('SIGTERM', () => {
	const children: Running[] = [];
	afterEach(() => {
		for (const running of children.splice(0)) {
			running.child.kill('SIGCONT');
			running.child.kill('SIGKILL');
		}
	});

	test('ends a command waiting for a busy store at once, and the store keeps only what was committed', async () => {
		const dir = resources.demoStore();
		const holder = startProcess(process.execPath, [await buildWorker('hold-transaction'), dir, '10.77.0.0/16', '77'], {env: cleanEnv()});
		children.push(holder);
		await holder.waitFor('stdout', 'in transaction');
		await waitUntilStopped(holder);
		const waiting = startProcess(process.execPath, [cliPath, 'route', 'add', '--interface', 'Port3', '--destination', '10.78.0.0/16', '--next-hop', '192.168.10.1', '--metric', '78', '--store', dir], {env: cleanEnv()});
		children.push(waiting);
		await waiting.waitFor('stderr', 'waiting for the store lock…');
		// It ends while the holder is still stopped: one that ignored the signal would wait for the lock until the test times out.
		waiting.child.kill('SIGTERM');
		const ended = await waiting.finished;
		expect(ended).toMatchObject({code: null, signal: 'SIGTERM', stdout: ''});
		holder.child.kill('SIGCONT');
		expect(await holder.finished).toMatchObject({code: 0, stdout: 'in transaction\ncommitted 10.77.0.0/16\n'});
		expect(storedRoutes(dir)).toEqual(['192.168.20.0/24 100', '10.77.0.0/16 77']);
	});
});

describe('edgenet with no command', () => {
	test('without a terminal prints the status and exits 0', () => {
		const dir = store();
		const result = runCli(['--store', dir]);
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('Device demo');
		expect(result.stderr).toBe('');
	});

	test('at a terminal shows the device and its ports, and q leaves the terminal as it was', async () => {
		const session = resources.terminal(['--store', store()], {columns: 120, rows: 40});
		const screen = (await session.waitFor(text => ['Port6', 'device demo', '192.168.10.5/24'].every(part => text.includes(part)))).join('\n');
		expect(screen).toContain('device demo');
		expect(screen).toContain('Port3');
		expect(screen).toContain('192.168.10.5/24');
		expect(session.isAlternateScreen()).toBe(true);
		session.press(keyBytes(bindingOf('quit').keys[0]!));
		expect(await session.exited).toBe(0);
		expect(session.isAlternateScreen()).toBe(false);
	});
});

describe('help', () => {
	/** The help text with its wrapping undone: each run of spaces and line breaks one space. */
	const helpOf = (...args: string[]) => {
		const result = runCli(args);
		expect(result).toMatchObject({status: 0, stderr: ''});
		return result.stdout.replaceAll(/\s+/g, ' ');
	};

	test('route add, set, remove and lookup --help each explain their own options and the rules', () => {
		const rules = [
			'interface: a port with a static IP configuration; once Kubernetes compute is configured, a port with compute enabled',
			"next hop: an address on the port's subnet",
			'metric: a whole number 0-65535; lower wins.',
			"One route per interface and destination (the key route set and route remove use), and one per destination and metric, as the VMs' kernel keeps them.",
		];
		const add = helpOf('route', 'add', '--help');
		expect(add).toMatch(/^Usage: edgenet route add --interface <port> --destination <prefix> --next-hop <ip> --metric <n> \[--json\] /);
		for (const text of ['--destination <prefix> the IPv4 prefix the route is for, such as 192.168.30.0/24', '--metric <n> the route\'s metric', 'Rules: - interface:', ...rules]) {
			expect(add).toContain(text);
		}
		const set = helpOf('route', 'set', '--help');
		for (const text of ['Usage: edgenet route set --interface <port> --destination <prefix> [--next-hop <ip>] [--metric <n>] [--json]', '--next-hop <ip> the new gateway', 'At least one of --next-hop and --metric.', ...rules]) {
			expect(set).toContain(text);
		}
		const remove = helpOf('route', 'remove', '--help');
		expect(remove).toContain('Usage: edgenet route remove --interface <port> --destination <prefix> [--json]');
		expect(remove).toContain('--json the removed route with the status it had');
		expect(remove).not.toContain('--next-hop');
		const lookup = helpOf('route', 'lookup', '--help');
		for (const text of [
			'Usage: edgenet route lookup <address|service name> [--from master|worker|outside|<namespace>/<pod>] [--json]',
			'--from <source> master or worker (a VM; the worker when left out), <namespace>/<pod> (through the VM the pod runs on), or outside',
			'or a service name as CoreDNS resolves it: web.webapp.svc.cluster.local, web.webapp, or web from a pod in webapp',
		]) {
			expect(lookup).toContain(text);
		}
		expect(lookup).not.toContain('Rules:');
		// `help route add` is the same text, and the route help points at its subcommands'.
		expect(runCli(['help', 'route', 'add']).stdout).toBe(runCli(['route', 'add', '--help']).stdout);
		expect(helpOf('route', '--help')).toContain("<subcommand> --help a subcommand's options, and the rules a route keeps");
	});

	test("a subcommand's usage error points at its own help", () => {
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '192.168.20.0/24', '--store', resources.demoStore()]).stderr).toBe(
			'edgenet: route set needs --next-hop, --metric or both: what should change?\nRun `edgenet route set --help` for usage.\n',
		);
	});

	test('edgenet --help and every command help fit 80 columns, long descriptions wrapped under their column', () => {
		const general = runCli(['--help']);
		expect(general.status).toBe(0);
		const lines = general.stdout.split('\n');
		expect(lines.filter(line => line.length > 80)).toEqual([]);
		const route = lines.findIndex(line => line.startsWith('  route list|add|set|remove|lookup'));
		expect(lines.slice(route, route + 3)).toEqual([
			'  route list|add|set|remove|lookup …',
			'                            list, add, change, remove and look up the custom',
			'                            routes of the Kubernetes VMs',
		]);
		for (const command of ['status', 'route', 'Add-HcsNetRoute', 'cluster', 'import', 'export', 'live', 'reset', 'demo', 'store']) {
			const help = runCli([command, '--help']);
			expect(help.status).toBe(0);
			expect(help.stdout.split('\n').filter(line => line.length > 80)).toEqual([]);
		}
	});
});

test('--version prints the package version, wherever it stands and with --store, and --store without a directory is still a usage error', () => {
	const {version} = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as {version: string};
	const printed = {status: 0, stdout: `edgenet ${version}\n`, stderr: ''};
	expect(runCli(['--version'])).toMatchObject(printed);
	expect(runCli(['route', 'list', '--version'])).toMatchObject(printed);
	expect(runCli(['--version', '--store', store()])).toMatchObject(printed);
	expect(runCli(['--version', '--store'])).toMatchObject({status: 2, stdout: ''});
});
