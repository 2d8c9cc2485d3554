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
