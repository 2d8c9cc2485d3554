import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {databaseOf, storeDigest} from '../support/store-digest.js';
import {runCli, useTestResources} from './harness.js';

const fixtures = path.join(import.meta.dirname, '../fixtures/kubectl');
const {demoStore} = useTestResources();

test('edgenet import kubectl replaces pods and services and says what it imported', () => {
	const dir = demoStore();
	const result = runCli(['import', 'kubectl', path.join(fixtures, 'two-tier.json'), '--store', dir]);
	expect(result.stderr).toBe('');
	expect(result.stdout).toBe(`Imported 5 pods and 4 services (2 LoadBalancer, 1 of them <pending>) into ${databaseOf(dir)}.\n`);
	const status = JSON.parse(runCli(['status', '--json', '--store', dir]).stdout);
	expect(status.services.map((service: {name: string; externalIp: string | null; pods: string[]}) => [service.name, service.externalIp, service.pods.length])).toEqual([
		['kube-dns', null, 1],
		['frontend', '192.168.10.30', 2],
		['admin', null, 2],
		['postgres', null, 1],
	]);
	const text = runCli(['status', '--store', dir]).stdout;
	expect(text).toContain('x␛]0;pwned␇');
	expect(text).toContain('<pending>');
	expect(text).not.toContain('\u001B]0;');
});

test('misfits are listed by name, from standard input', () => {
	const dir = demoStore();
	const result = runCli(['import', 'kubectl', '-', '--store', dir], {input: fs.readFileSync(path.join(fixtures, 'misfits.json'), 'utf8')});
	expect(result.status).toBe(0);
	expect(result.stdout).toContain('Not imported (4):\n  Pod shop/stray-ip: has pod IP 10.244.1.5, outside the pod CIDR 172.27.0.0/16\n');
});

test('bad input is refused and the store keeps its content', () => {
	const dir = demoStore();
	const before = storeDigest(dir);
	for (const input of ['not json', '{"kind": "ServiceList", "items": []}', '{"kind": "List", "items": [{"metadata": {"name": "x"}}]}']) {
		const result = runCli(['import', 'kubectl', '-', '--store', dir], {input});
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/^edgenet: refused, nothing changed: .*kubectl get pods,services,nodes -A -o json/);
	}
	expect(runCli(['import', 'kubectl', '/nonexistent.json', '--store', dir]).status).toBe(2);
	expect(storeDigest(dir)).toBe(before);
});

test('JSON output carries no raw C1 or bidi character from imported data: they are \\u escapes, and parse back to the same text', () => {
	const dir = demoStore();
	const document = JSON.parse(fs.readFileSync(path.join(fixtures, 'two-tier.json'), 'utf8'));
	const pod = document.items.find((item: {kind: string}) => item.kind === 'Pod');
	// U+202E reverses the text after it; U+009B is CSI to xterm, so `\u009b2J` would clear the screen.
	pod.metadata.labels = {...pod.metadata.labels, note: 'x\u202Eevil\u009B2J\u2028'};
	pod.metadata.name = `${pod.metadata.name}\u202E\u009B`;
	const file = path.join(dir, 'hostile.json');
	fs.writeFileSync(file, JSON.stringify(document));
	expect(runCli(['import', 'kubectl', file, '--store', dir]).status).toBe(0);
	for (const args of [['status', '--json'], ['export', 'device'], ['route', 'lookup', pod.status.podIP, '--json']]) {
		const result = runCli([...args, '--store', dir]);
		expect(result.status, args.join(' ')).toBe(0);
		expect(result.stdout, args.join(' ')).not.toMatch(/[\u007F-\u009F\u202A-\u202E\u2028\u2029]/u);
		// The lookup names the pod; status and the backup carry its labels too.
		expect(JSON.stringify(JSON.parse(result.stdout)), args.join(' ')).toContain(pod.metadata.name);
		if (args[0] !== 'route') {
			expect(result.stdout, args.join(' ')).toContain(String.raw`"note": "x\u202eevil\u009b2J\u2028"`);
			expect(JSON.stringify(JSON.parse(result.stdout)), args.join(' ')).toContain('x\u202Eevil\u009B2J\u2028');
		}
	}
});
