/** Live routes against a real kernel: a network namespace of this test's own, set up like the worker VM. No traffic is sent. */

import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {bindingOf} from '../../source/ui/keymap.js';
import {cliPath, frameWith, keyBytes, runCli, startTerminal, temporaryStore} from './harness.js';

const namespace = `edgenet-live-${process.pid}`;
let unavailable: string | undefined;
const dir = temporaryStore();

const ip = (...args: string[]) => execFileSync('ip', ['-n', namespace, ...args], {encoding: 'utf8'});
const edgenet = (...args: string[]) => runCli([...args, '--netns', namespace, '--store', dir]);
const kernelRoutes = () => ip('route', 'show').trim().split('\n').map(line => line.trim()).sort();

beforeAll(() => {
	expect(runCli(['reset', '--demo', '--store', dir]).status).toBe(0);
	expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.0.0.0/8', '--next-hop', '192.168.10.254', '--metric', '10', '--store', dir]).status).toBe(0);
	const created = spawnSync('ip', ['netns', 'add', namespace], {encoding: 'utf8'});
	if (created.status !== 0) {
		unavailable = `network namespaces are unavailable here (${created.stderr.trim()}); run as root on Linux`;
		return;
	}
	const worker = JSON.parse(runCli(['status', '--json', '--store', dir]).stdout).vms.find((vm: {name: string}) => vm.name === 'worker');
	for (const nic of worker.nics as Array<{name: string; address: string}>) {
		ip('link', 'add', nic.name, 'type', 'veth', 'peer', 'name', `${nic.name}p`);
		ip('link', 'set', nic.name, 'up');
		ip('link', 'set', `${nic.name}p`, 'up');
		ip('addr', 'add', nic.address, 'dev', nic.name);
	}
	ip('route', 'add', 'default', 'via', '172.20.0.1', 'dev', 'eth0');
	// An administrator's own route, which edgenet must never touch.
	ip('route', 'add', '172.16.0.0/12', 'via', '192.168.10.7', 'dev', 'eth1', 'metric', '100');
});

afterAll(() => {
	if (!unavailable) {
		spawnSync('ip', ['netns', 'delete', namespace]);
	}
	fs.rmSync(dir, {recursive: true, force: true});
});

describe('live diff and apply', () => {
	test('diff on an empty table reports the missing routes', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const result = edgenet('live', 'diff');
		expect(result.stdout).toBe(
			[
				'missing    192.168.20.0/24 via 192.168.10.1 dev eth1 metric 100 (in the store, not in the kernel)',
				'missing    10.0.0.0/8 via 192.168.10.254 dev eth1 metric 10 (in the store, not in the kernel)',
				'',
			].join('\n'),
		);
	});

	test('--dry-run prints the commands and changes nothing', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const before = kernelRoutes();
		const result = edgenet('live', 'apply', '--dry-run');
		expect(result.stdout).toContain(`ip -n ${namespace} route add 192.168.20.0/24 via 192.168.10.1 dev eth1 metric 100 proto 237`);
		expect(kernelRoutes()).toEqual(before);
	});

	test('apply installs the routes, and diff then reports nothing', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		expect(edgenet('live', 'apply').status).toBe(0);
		expect(kernelRoutes()).toContain('192.168.20.0/24 via 192.168.10.1 dev eth1 proto 237 metric 100');
		expect(kernelRoutes()).toContain('10.0.0.0/8 via 192.168.10.254 dev eth1 proto 237 metric 10');
		expect(edgenet('live', 'diff').stdout).toBe("in sync: the worker VM's kernel has every route of the store (2)\n");
		expect(JSON.parse(edgenet('live', 'diff', '--json').stdout)).toEqual({vm: 'worker', inSync: true, differences: []});
	});

	test('a route changed by hand is reported as drifted and fixed by apply', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		ip('route', 'change', '10.0.0.0/8', 'via', '192.168.10.9', 'dev', 'eth1', 'metric', '10', 'proto', '237');
		expect(edgenet('live', 'diff').stdout).toBe(
			'different  10.0.0.0/8: next hop — store 10.0.0.0/8 via 192.168.10.254 dev eth1 metric 10, kernel 10.0.0.0/8 via 192.168.10.9 dev eth1 metric 10\n',
		);
		expect(edgenet('live', 'apply').status).toBe(0);
		expect(kernelRoutes()).toContain('10.0.0.0/8 via 192.168.10.254 dev eth1 proto 237 metric 10');
	});

	test('routes of other protocols are never touched, even where they hold a wanted prefix', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '172.16.0.0/12', '--next-hop', '192.168.10.8', '--metric', '100', '--store', dir]).status).toBe(0);
		const result = edgenet('live', 'apply');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('left alone: blocked    172.16.0.0/12 via 192.168.10.8 dev eth1 metric 100: a route of protocol boot holds this prefix and metric');
		expect(kernelRoutes()).toContain('172.16.0.0/12 via 192.168.10.7 dev eth1 metric 100');
		expect(kernelRoutes()).toContain('default via 172.20.0.1 dev eth0');
	});

	test('without the rights to change routes, apply says so and changes nothing', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const before = kernelRoutes();
		// Take the network administration capability away from the process, as for an unprivileged user.
		const result = spawnSync('setpriv', ['--bounding-set=-net_admin', '--inh-caps=-net_admin', process.execPath, cliPath, 'live', 'apply', '--netns', namespace, '--store', dir], {encoding: 'utf8'});
		expect(result.stderr).toContain('live apply needs the rights to change routes (root, or the CAP_NET_ADMIN capability); nothing was changed');
		expect(result.status).toBe(1);
		expect(kernelRoutes()).toEqual(before);
	});
});

describe('every route edgenet owns, and changes that move a route', () => {
	// The lines about 10.0.0.0/8: the store's 172.16.0.0/12 stays blocked by the administrator's route throughout.
	const about = (text: string) => text.split('\n').filter(line => line.includes(' 10.0.0.0/8'));
	const ours = () => ip('route', 'show', 'proto', '237').trim().split('\n').map(line => line.trim()).filter(line => line.startsWith('10.0.0.0/8')).sort();

	test('after route set changes metric and next hop, diff sees the old route and apply leaves only the new one, in one pass', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		expect(edgenet('live', 'apply').status).toBe(0);
		expect(ours()).toEqual(['10.0.0.0/8 via 192.168.10.254 dev eth1 metric 10']);
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '10.0.0.0/8', '--next-hop', '192.168.10.9', '--metric', '11', '--store', dir]).status).toBe(0);
		expect(edgenet('live', 'diff').stdout).toContain('different  10.0.0.0/8: next hop, metric — store 10.0.0.0/8 via 192.168.10.9 dev eth1 metric 11, kernel 10.0.0.0/8 via 192.168.10.254 dev eth1 metric 10\n');
		const dryRun = edgenet('live', 'apply', '--dry-run').stdout.split('\n');
		expect(dryRun).toContain(`ip -n ${namespace} route add 10.0.0.0/8 via 192.168.10.9 dev eth1 metric 11 proto 237`);
		expect(dryRun).toContain(`ip -n ${namespace} route del 10.0.0.0/8 metric 10 proto 237`);
		// The new route goes in before the old one comes out.
		expect(dryRun.indexOf(`ip -n ${namespace} route add 10.0.0.0/8 via 192.168.10.9 dev eth1 metric 11 proto 237`)).toBeLessThan(dryRun.indexOf(`ip -n ${namespace} route del 10.0.0.0/8 metric 10 proto 237`));
		expect(edgenet('live', 'apply').status).toBe(0);
		expect(ours()).toEqual(['10.0.0.0/8 via 192.168.10.9 dev eth1 metric 11']);
		expect(about(edgenet('live', 'diff').stdout)).toEqual([]);
	});

	test('a second route of edgenet\'s protocol on the same prefix is seen and removed', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		ip('route', 'add', '10.0.0.0/8', 'via', '192.168.10.254', 'dev', 'eth1', 'metric', '50', 'proto', '237');
		expect(about(edgenet('live', 'diff').stdout)).toEqual(['extra      10.0.0.0/8 via 192.168.10.254 dev eth1 metric 50 (installed by edgenet, no longer in the store)']);
		expect(edgenet('live', 'apply').status).toBe(0);
		expect(ours()).toEqual(['10.0.0.0/8 via 192.168.10.9 dev eth1 metric 11']);
	});

	test('a next hop changed in place is replaced, never deleted first', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '10.0.0.0/8', '--next-hop', '192.168.10.8', '--store', dir]).status).toBe(0);
		expect(about(edgenet('live', 'apply', '--dry-run').stdout)).toEqual([`ip -n ${namespace} route replace 10.0.0.0/8 via 192.168.10.8 dev eth1 metric 11 proto 237`]);
		expect(edgenet('live', 'apply').status).toBe(0);
		expect(ours()).toEqual(['10.0.0.0/8 via 192.168.10.8 dev eth1 metric 11']);
	});

	test('a metric moved onto a prefix and metric another protocol holds is blocked: edgenet\'s working route stays, and apply does not fail', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		ip('route', 'add', '10.0.0.0/8', 'via', '192.168.10.7', 'dev', 'eth1', 'metric', '90');
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '10.0.0.0/8', '--metric', '90', '--store', dir]).status).toBe(0);
		expect(about(edgenet('live', 'diff').stdout)).toEqual(['blocked    10.0.0.0/8 via 192.168.10.8 dev eth1 metric 90: a route of protocol boot holds this prefix and metric; edgenet leaves it alone']);
		const result = edgenet('live', 'apply');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toContain('left alone: blocked    10.0.0.0/8 via 192.168.10.8 dev eth1 metric 90');
		expect(ours()).toEqual(['10.0.0.0/8 via 192.168.10.8 dev eth1 metric 11']);
		expect(ip('route', 'show', '10.0.0.0/8', 'metric', '90').trim()).toBe('10.0.0.0/8 via 192.168.10.7 dev eth1');
		// Put things back for the tests that follow.
		ip('route', 'del', '10.0.0.0/8', 'metric', '90');
		expect(runCli(['route', 'set', '--interface', 'Port3', '--destination', '10.0.0.0/8', '--next-hop', '192.168.10.254', '--metric', '10', '--store', dir]).status).toBe(0);
		expect(edgenet('live', 'apply').status).toBe(0);
	});
});

describe('what reaches ip', () => {
	test('a blackhole route of another protocol on a wanted prefix and metric blocks it too; apply goes on with the rest', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		ip('route', 'add', 'blackhole', '10.7.0.0/16', 'metric', '70', 'proto', 'static');
		try {
			expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.7.0.0/16', '--next-hop', '192.168.10.1', '--metric', '70', '--store', dir]).status).toBe(0);
			expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.8.0.0/16', '--next-hop', '192.168.10.1', '--metric', '70', '--store', dir]).status).toBe(0);
			expect(edgenet('live', 'diff').stdout).toContain('blocked    10.7.0.0/16 via 192.168.10.1 dev eth1 metric 70: a route of protocol static (blackhole) holds this prefix and metric; edgenet leaves it alone\n');
			const result = edgenet('live', 'apply');
			expect(result.stderr).toBe('');
			expect(result.status).toBe(0);
			expect(ip('route', 'show', 'proto', '237')).toContain('10.8.0.0/16 via 192.168.10.1 dev eth1 metric 70');
		} finally {
			ip('route', 'del', 'blackhole', '10.7.0.0/16', 'metric', '70');
			for (const destination of ['10.7.0.0/16', '10.8.0.0/16']) {
				runCli(['route', 'remove', '--interface', 'Port3', '--destination', destination, '--store', dir]);
			}
			edgenet('live', 'apply');
		}
	});

	test('a NIC name in the store that is not a plain interface name is refused before anything runs; no word of it reaches ip', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const other = temporaryStore();
		const marker = path.join(other, 'ran');
		expect(runCli(['reset', '--demo', '--store', other]).status).toBe(0);
		const database = new DatabaseSync(path.join(other, 'device.db'));
		database.prepare("UPDATE nics SET name = ? WHERE name = 'eth1'").run(`eth1\nnetns exec ${namespace} touch ${marker}\n#`);
		database.close();
		const before = kernelRoutes();
		const result = runCli(['live', 'apply', '--netns', namespace, '--store', other]);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain("edgenet: the worker VM's NIC name ");
		expect(result.stderr).toContain('is not a plain Linux interface name, so it cannot be written into an ip command');
		expect(fs.existsSync(marker)).toBe(false);
		expect(kernelRoutes()).toEqual(before);
		fs.rmSync(other, {recursive: true, force: true});
	});
});

describe('kernel names reach the terminal made safe', () => {
	test('a route of edgenet\'s protocol on a device whose name holds an escape sequence is reported with the sequence shown, never sent', ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		// Linux takes almost any bytes in an interface name; ESC [ 7 m would switch the terminal to inverse video.
		const hostile = 'x\u001B[7m';
		ip('link', 'add', hostile, 'type', 'veth', 'peer', 'name', 'escpeer');
		try {
			ip('link', 'set', hostile, 'up');
			ip('route', 'add', '10.99.0.0/16', 'dev', hostile, 'metric', '5', 'proto', '237');
			const diff = edgenet('live', 'diff');
			expect(diff.status).toBe(0);
			expect(diff.stdout).toContain('extra      10.99.0.0/16 dev x␛[7m metric 5 (installed by edgenet, no longer in the store)');
			expect(diff.stdout).not.toContain('\u001B');
			const json = edgenet('live', 'diff', '--json');
			expect(json.stdout).toContain(String.raw`"dev": "x\u001b[7m"`);
			expect(json.stdout).not.toContain('\u001B');
			const dryRun = edgenet('live', 'apply', '--dry-run');
			// The deletion names only the prefix, metric and protocol: nothing the kernel reported goes into the command.
			expect(dryRun.stdout).toContain(`ip -n ${namespace} route del 10.99.0.0/16 metric 5 proto 237`);
			expect(edgenet('live', 'apply').status).toBe(0);
			expect(ip('route', 'show', 'proto', '237')).not.toContain('10.99.0.0/16');
			expect(dryRun.stdout).not.toContain('\u001B');
		} finally {
			ip('link', 'delete', hostile);
		}
	});
});

describe('the dashboard with --live', () => {
	test('at 80x24 the footer offers apply and keeps ? help and q quit last, dropping less important hints', async ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		const session = startTerminal(['--live', '--netns', namespace, '--store', dir], {columns: 80, rows: 24});
		try {
			const footer = 'a add  e edit  d delete  A apply  t trace  Enter details  ? help  q quit';
			const screen = await session.waitFor(frameWith(footer, '[5 Routes]', 'KERNEL'));
			expect(screen.at(-2)).toBe(footer);
		} finally {
			session.kill('SIGKILL');
		}
	});

	test('marks each route against the kernel and applies after listing the changes', async ({skip}) => {
		if (unavailable) {
			skip(unavailable);
		}
		expect(runCli(['route', 'add', '--interface', 'Port3', '--destination', '10.50.0.0/16', '--next-hop', '192.168.10.1', '--metric', '3', '--store', dir]).status).toBe(0);
		const session = startTerminal(['--live', '--netns', namespace, '--store', dir], {columns: 140, rows: 40});
		try {
			const live = await session.waitFor(text => ['10.50.0.0', 'KERNEL', 'missing', `live: worker (netns ${namespace})`].every(part => text.includes(part)));
			expect(live.join('\n')).toContain(`live: worker (netns ${namespace})`);
			session.press(keyBytes(bindingOf('live-apply').keys[0]!));
			const change = `ip -n ${namespace} route add 10.50.0.0/16 via 192.168.10.1 dev eth1 metric 3 proto 237`;
			const footer = 'y yes  any other key no';
			const confirm = await session.waitFor(frameWith(footer, "Apply 1 change to the VM's kernel?", change));
			expect(confirm.at(-2)).toBe(footer);
			session.press(keyBytes(bindingOf('confirm-yes').keys[0]!));
			await session.waitFor("applied 1 change to the worker VM's kernel");
			await session.waitFor(text => !text.includes('missing'));
			expect(kernelRoutes()).toContain('10.50.0.0/16 via 192.168.10.1 dev eth1 proto 237 metric 3');
		} finally {
			session.kill('SIGKILL');
		}
	});
});
