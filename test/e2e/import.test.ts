import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {expect, test} from 'vitest';
import {databaseOf, storeDigest} from '../support/store-digest.js';
import {cleanEnv, cliPath, runCli, useTestResources} from './harness.js';

const fixtures = path.join(import.meta.dirname, '../fixtures/kubectl');
const {demoStore} = useTestResources();

test('edgenet import kubectl replaces pods and services and says what it imported', () => {
	const dir = demoStore();
	const result = runCli(['import', 'kubectl', path.join(fixtures, 'two-tier.json'), '--store', dir]);
	expect(result.stderr).toBe('');
	expect(result.stdout).toMatch(new RegExp(`^Imported 5 pods and 4 services \\(2 LoadBalancer, 1 of them <pending>\\) into ${databaseOf(dir)}\\.\nThe previous store is kept as ${databaseOf(dir)}\\.bak-[^/\n]+\\.\nAlso in the input, not imported: 2 Nodes \\(they place the pods on the VMs\\)\\.\n$`));
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

test('NodePort services and load balancers that report a host name are imported, kept in the store, and shown as kubectl shows them', () => {
	const dir = demoStore();
	const result = runCli(['import', 'kubectl', path.join(fixtures, 'edge-services.json'), '--store', dir]);
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	expect(result.stdout.split('\n')[0]).toBe(`Imported 0 pods and 4 services (1 NodePort, 3 LoadBalancer, 1 of them <pending>) into ${databaseOf(dir)}.`);
	expect(result.stdout).toContain('Not imported (2):\n  Service shop/legacy: has load balancer host name "Legacy_LB.example.com", which is not a DNS name');
	const status = JSON.parse(runCli(['status', '--json', '--store', dir]).stdout) as {services: Array<{name: string; type: string; externalIp: string | null; externalHostname: string | null}>};
	expect(status.services.map(service => [service.name, service.type, service.externalIp, service.externalHostname])).toEqual([
		['admin', 'NodePort', null, null],
		['storefront', 'LoadBalancer', null, 'storefront-8c1f2e.lb.example.net'],
		['checkout', 'LoadBalancer', '192.168.10.31', 'checkout.edge.example.com'],
		['reports', 'LoadBalancer', null, null],
	]);
	// A host name too long for the 80-column table stands under its row, for every service alike.
	const text = runCli(['status', '--store', dir]).stdout;
	expect(text).toMatch(/ shop +admin +NodePort +172\.28\.0\.40 .*\n {4}external-ip: <none>\n/);
	expect(text).toMatch(/ shop +storefront +LoadBalancer +172\.28\.0\.41 .*\n {4}external-ip: storefront-8c1f2e\.lb\.example\.net\n/);
	expect(text).toMatch(/ shop +reports .*\n {4}external-ip: <pending>\n/);
	expect(text.split('\n').filter(line => line.length > 80)).toEqual([]);
});

test('an input where fewer than half of the pods and services edgenet models fit is refused, naming them, until --force; then misfits are listed by name, from standard input', () => {
	const dir = demoStore();
	const before = storeDigest(dir);
	const input = fs.readFileSync(path.join(fixtures, 'misfits.json'), 'utf8');
	const refused = runCli(['import', 'kubectl', '-', '--store', dir], {input});
	expect(refused.status).toBe(1);
	expect(refused.stdout).toBe('');
	expect(refused.stderr).toBe(
		'edgenet: refused, nothing changed: only 1 of the 4 pods and services in the input that edgenet models fit this device (see "Not imported"), so importing would drop the rest. Is kubectl pointed at the right cluster? `--dry-run` lists what would change; `--force` imports what fits.\n' +
			'Not imported (4):\n  Pod shop/stray-ip: has pod IP 10.244.1.5, outside the pod CIDR 172.27.0.0/16\n' +
			'  Pod shop/elsewhere: runs on node "edge-node-7", which matches neither VM (demo-k8s-master, demo-k8s-worker) and is not in the input\n' +
			"  Pod kube-system/calico-node-abcde: uses the node's network (IP 192.168.10.21), not the pod network\n" +
			'  Service shop/outside-range: has LoadBalancer IP 192.168.10.99, outside the Kubernetes external service IP range 192.168.10.30-192.168.10.34\n',
	);
	expect(storeDigest(dir)).toBe(before);
	const forced = runCli(['import', 'kubectl', '-', '--force', '--store', dir], {input});
	expect(forced.status).toBe(0);
	expect(forced.stdout).toContain('Not imported (4):\n  Pod shop/stray-ip: has pod IP 10.244.1.5, outside the pod CIDR 172.27.0.0/16\n');
});

test('an input with no pods or services (kubectl on a wrong context) is refused and changes nothing', () => {
	const dir = demoStore();
	const before = storeDigest(dir);
	const result = runCli(['import', 'kubectl', '-', '--store', dir], {input: JSON.stringify({apiVersion: 'v1', kind: 'List', metadata: {resourceVersion: ''}, items: []})});
	expect(result.stderr).toBe(
		'edgenet: refused, nothing changed: the input holds no pods or services, so importing it would remove every pod and service from the device. Is kubectl pointed at the right cluster? `--force` imports it all the same.\n',
	);
	expect(result.status).toBe(1);
	expect(storeDigest(dir)).toBe(before);
	expect(fs.readdirSync(dir).filter(name => name.includes('.bak-'))).toEqual([]);
});

test('--dry-run lists the pods and services added, removed and changed, and what does not fit, and changes nothing', () => {
	const dir = demoStore();
	const before = storeDigest(dir);
	const result = runCli(['import', 'kubectl', path.join(fixtures, 'two-tier.json'), '--dry-run', '--store', dir]);
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	const lines = result.stdout.split('\n');
	expect(lines[0]).toBe(`Would import 5 pods and 4 services (2 LoadBalancer, 1 of them <pending>) into ${databaseOf(dir)}; nothing was changed.`);
	expect(lines).toContain('Pods: 4 added, 6 removed, 0 changed, 1 as they are');
	expect(lines).toContain('  + shop/postgres-0');
	expect(lines).toContain('  - webapp/db-0');
	expect(lines).toContain('Services: 3 added, 4 removed, 1 changed, 0 as they are');
	expect(lines).toContain('  ~ kube-system/kube-dns');
	expect(storeDigest(dir)).toBe(before);
});

test('an import keeps the store as it was in a copy, which still holds the old pods', () => {
	const dir = demoStore();
	const oldPods = JSON.parse(runCli(['status', '--json', '--store', dir]).stdout).pods.length;
	const result = runCli(['import', 'kubectl', path.join(fixtures, 'two-tier.json'), '--store', dir]);
	expect(result.status).toBe(0);
	const backup = /^The previous store is kept as (.*)\.$/m.exec(result.stdout)?.[1];
	expect(backup).toMatch(/device\.db\.bak-[^/]+$/);
	const copy = new DatabaseSync(backup!, {readOnly: true});
	expect((copy.prepare('SELECT count(*) AS n FROM pods').get() as {n: number}).n).toBe(oldPods);
	copy.close();
});

test('one bad object (an empty name, a port of 70000) is listed as not imported; the others are imported', () => {
	const dir = demoStore();
	const document = JSON.parse(fs.readFileSync(path.join(fixtures, 'two-tier.json'), 'utf8'));
	const pods = document.items.filter((item: {kind: string}) => item.kind === 'Pod');
	const services = document.items.filter((item: {kind: string}) => item.kind === 'Service');
	pods[1].metadata.name = '';
	services[1].spec.ports[0].port = 70_000;
	const result = runCli(['import', 'kubectl', '-', '--store', dir], {input: JSON.stringify(document)});
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	expect(result.stdout).toContain('Imported 4 pods and 3 services');
	expect(result.stdout).toContain(`Not imported (2):\n  Pod (item ${document.items.indexOf(pods[1])} of the input): has the name ""; Kubernetes names have 1 to 253 characters\n  Service ${services[1].metadata.namespace}/${services[1].metadata.name}: has port 70000, which is not a port number (1 to 65535)\n`);
	// What was imported makes a backup that imports again.
	const backup = path.join(dir, 'backup.json');
	fs.writeFileSync(backup, runCli(['export', 'device', '--store', dir]).stdout);
	expect(runCli(['import', 'device', backup, '--store', dir]).status).toBe(0);
});

test('bad input is refused and the store keeps its content', () => {
	const dir = demoStore();
	const before = storeDigest(dir);
	for (const input of ['not json', '{"apiVersion": "v1", "kind": "ConfigMapList", "items": []}']) {
		const result = runCli(['import', 'kubectl', '-', '--store', dir], {input});
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/^edgenet: refused, nothing changed: .*kubectl get pods,services,nodes -A -o json/);
	}
	const kindless = runCli(['import', 'kubectl', '-', '--store', dir], {input: '{"kind": "List", "items": [{"metadata": {"name": "x"}}]}'});
	expect(kindless.status).toBe(1);
	expect(kindless.stderr).toContain('only 0 of the 1 pod or service in the input that edgenet models fit this device');
	expect(kindless.stderr).toContain('Not imported (1):\n  object (item 0 of the input): has no kind\n');
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

test('files in UTF-16 with a byte order mark (Windows PowerShell 5.1 `>`) or UTF-8 with one are read, and several files make one import', () => {
	const dir = demoStore();
	const document = JSON.parse(fs.readFileSync(path.join(fixtures, 'two-tier.json'), 'utf8'));
	const pods = {apiVersion: 'v1', kind: 'PodList', metadata: {resourceVersion: '1'}, items: document.items.filter((item: {kind: string}) => item.kind === 'Pod').map(({kind: _, ...item}: Record<string, unknown>) => item)};
	const rest = {...document, items: document.items.filter((item: {kind: string}) => item.kind !== 'Pod')};
	const utf16 = path.join(dir, 'pods-utf16.json');
	fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xFF, 0xFE]), Buffer.from(JSON.stringify(pods, undefined, 2), 'utf16le')]));
	const utf8 = path.join(dir, 'rest-bom.json');
	fs.writeFileSync(utf8, `\uFEFF${JSON.stringify(rest)}`);
	const result = runCli(['import', 'kubectl', utf16, utf8, '--store', dir]);
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	expect(result.stdout).toMatch(/^Imported 5 pods and 4 services /);
	const fromStdin = runCli(['import', 'kubectl', '-', '--store', dir], {input: `\uFEFF${JSON.stringify(document)}`});
	expect(fromStdin.stderr).toBe('');
	expect(fromStdin.status).toBe(0);
});

test('a target port kept by name (no pod in the input said its number) is shown, and survives a backup and its restore', () => {
	const dir = demoStore();
	const document = JSON.parse(fs.readFileSync(path.join(fixtures, 'two-tier.json'), 'utf8'));
	const postgres = document.items.find((item: {kind: string; metadata: {name: string}}) => item.kind === 'Service' && item.metadata.name === 'postgres');
	postgres.spec.ports[0].targetPort = 'pg-main';
	expect(runCli(['import', 'kubectl', '-', '--store', dir], {input: JSON.stringify(document)}).status).toBe(0);
	const status = JSON.parse(runCli(['status', '--json', '--store', dir]).stdout);
	expect(status.services.find((service: {name: string}) => service.name === 'postgres').ports[0].targetPort).toBe('pg-main');
	const backup = path.join(dir, 'backup.json');
	fs.writeFileSync(backup, runCli(['export', 'device', '--store', dir]).stdout);
	expect(runCli(['import', 'device', backup, '--store', dir]).status).toBe(0);
	expect(runCli(['export', 'device', '--store', dir]).stdout).toBe(fs.readFileSync(backup, 'utf8'));
});

test('standard input from a pipe whose writer is slower than edgenet (kubectl still fetching) is read whole', () => {
	const dir = demoStore();
	const file = path.join(fixtures, 'two-tier.json');
	// The writer sleeps before it writes, as kubectl does while it asks the API server.
	const result = spawnSync('sh', ['-c', `(sleep 1; cat "$0") | "$1" "$2" import kubectl - --store "$3"`, file, process.execPath, cliPath, dir], {encoding: 'utf8', env: cleanEnv()});
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	expect(result.stdout).toMatch(/^Imported 5 pods and 4 services /);
});

test('an import of pods and services leaves a stored route that breaks the rules where it is, for status to report', () => {
	const dir = demoStore();
	const database = new DatabaseSync(path.join(dir, 'device.db'));
	database.prepare("INSERT INTO routes (interface, destination, next_hop, metric) VALUES ('Port3', '10.66.0.0/16', '10.9.9.9', 50)").run();
	database.close();
	const problems = () => JSON.parse(runCli(['status', '--json', '--store', dir]).stdout).storeProblems;
	const before = problems();
	expect(before).toHaveLength(1);
	expect(runCli(['import', 'kubectl', path.join(fixtures, 'two-tier.json'), '--store', dir]).status).toBe(0);
	expect(problems()).toEqual(before);
	const after = new DatabaseSync(path.join(dir, 'device.db'), {readOnly: true});
	expect(after.prepare("SELECT count(*) AS n FROM routes WHERE destination = '10.66.0.0/16'").get()).toEqual({n: 1});
	after.close();
});

test('host-network system pods and headless services, which every cluster has, do not make an import look like a wrong cluster', () => {
	const dir = demoStore();
	const document = JSON.parse(fs.readFileSync(path.join(fixtures, 'two-tier.json'), 'utf8'));
	const system = ['kube-apiserver', 'etcd', 'kube-scheduler', 'kube-controller-manager', 'kube-proxy-a', 'kube-proxy-b', 'calico-node-a', 'calico-node-b', 'speaker-a', 'speaker-b'].map(name => ({
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {name, namespace: 'kube-system'},
		spec: {nodeName: 'demo-k8s-master', hostNetwork: true, containers: [{name, image: `registry.k8s.io/${name}:v1.33.0`}]},
		status: {phase: 'Running', podIP: '192.168.10.20', podIPs: [{ip: '192.168.10.20'}]},
	}));
	const headless = {apiVersion: 'v1', kind: 'Service', metadata: {name: 'postgres-headless', namespace: 'shop'}, spec: {type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: {app: 'postgres'}, ports: [{port: 5432, targetPort: 5432, protocol: 'TCP'}]}};
	document.items.push(...system, headless);
	const result = runCli(['import', 'kubectl', '-', '--store', dir], {input: JSON.stringify(document)});
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	expect(result.stdout).toContain('Imported 5 pods and 4 services');
	expect(result.stdout).toContain('Not imported (11):');
});

test('the same objects in two files are imported once, from the last copy, with no misfit and no store error', () => {
	const dir = demoStore();
	const file = path.join(fixtures, 'two-tier.json');
	const document = JSON.parse(fs.readFileSync(file, 'utf8'));
	// A later snapshot in which one pod moved to another address.
	const later = structuredClone(document);
	const moved = later.items.find((item: {kind: string; metadata: {name: string}}) => item.kind === 'Pod' && item.metadata.name === 'postgres-0');
	moved.status.podIP = '172.27.0.99';
	moved.status.podIPs = [{ip: '172.27.0.99'}];
	const second = path.join(dir, 'later.json');
	fs.writeFileSync(second, JSON.stringify(later));
	const dryRun = runCli(['import', 'kubectl', file, second, '--dry-run', '--store', dir]);
	expect(dryRun.stdout).toContain('Would import 5 pods and 4 services');
	const result = runCli(['import', 'kubectl', file, second, '--store', dir]);
	expect(result.stderr).toBe('');
	expect(result.status).toBe(0);
	expect(result.stdout).not.toContain('Not imported');
	expect(result.stdout).toContain('Also in the input, not imported: 11 earlier copies of objects given again, 2 Nodes (they place the pods on the VMs).');
	const status = JSON.parse(runCli(['status', '--json', '--store', dir]).stdout);
	expect(status.pods.find((pod: {name: string}) => pod.name === 'postgres-0').ip).toBe('172.27.0.99');
});

test('--dry-run on a directory with no store says that opening it wrote the demo device, and imports nothing', () => {
	const dir = path.join(demoStore(), 'new-store');
	const result = runCli(['import', 'kubectl', path.join(fixtures, 'two-tier.json'), '--dry-run', '--store', dir]);
	expect(result.status).toBe(0);
	expect(result.stdout.split('\n')[0]).toBe(`Would import 5 pods and 4 services (2 LoadBalancer, 1 of them <pending>) into ${databaseOf(dir)}; there was no store, so opening it wrote the demo device there; nothing else was changed.`);
	expect(JSON.parse(runCli(['status', '--json', '--store', dir]).stdout).pods.map((pod: {name: string}) => pod.name)).not.toContain('postgres-0');
});

test('counts of one are singular: 1 pod, 1 service, 1 Node', () => {
	const dir = demoStore();
	const items = JSON.parse(fs.readFileSync(path.join(fixtures, 'two-tier.json'), 'utf8')).items as Array<{kind: string; metadata: {name: string}}>;
	const one = ['demo-k8s-worker', 'postgres-0', 'postgres'];
	const policy = (name: string) => ({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {name, namespace: 'shop'}});
	const input = {apiVersion: 'v1', kind: 'List', items: [...items.filter(item => one.includes(item.metadata.name)), policy('a'), policy('b')]};
	const result = runCli(['import', 'kubectl', '-', '--store', dir], {input: JSON.stringify(input)});
	expect(result.stderr).toBe('');
	const lines = result.stdout.split('\n');
	expect(lines[0]).toBe(`Imported 1 pod and 1 service (0 LoadBalancer, 0 of them <pending>) into ${databaseOf(dir)}.`);
	expect(lines.at(-2)).toBe('Also in the input, not imported: 1 Node (they place the pods on the VMs), 2 NetworkPolicies.');

	const generated = runCli(['demo', '--generate', '--routes', '1', '--pods', '1', '--services', '1', '--store', dir]);
	expect(generated.stdout.split('\n')[0]).toBe(`Wrote generated-1 (1 route, 1 pod, 1 service) to ${databaseOf(dir)}.`);
});
