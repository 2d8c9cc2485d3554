import fs from 'node:fs';
import {describe, expect, test} from 'vitest';
import {storeDigest} from '../support/store-digest.js';
import {runCli, useTestResources} from './harness.js';

const {demoStore, emptyStore} = useTestResources();

type Status = {cluster: {encapsulation: string}};

const encapsulationOf = (dir: string) => (JSON.parse(runCli(['status', '--json', '--store', dir]).stdout) as Status).cluster.encapsulation;
const encapsulationRow = (dir: string) => runCli(['status', '--store', dir]).stdout.split('\n').find(line => line.includes('Calico encapsulation'));

describe('edgenet cluster set --encapsulation', () => {
	test('sets Calico\'s encapsulation, which status shows as text and JSON; setting it again changes nothing', () => {
		const dir = demoStore();
		expect(encapsulationOf(dir)).toBe('none');
		const set = runCli(['cluster', 'set', '--encapsulation', 'vxlan', '--store', dir]);
		expect(set.stderr).toBe('');
		expect(set.stdout).toBe("Set Calico's encapsulation to vxlan (VXLAN, through vxlan.calico); it was none. `edgenet export calico` writes it into the IPPool.\n");
		expect(set.status).toBe(0);
		expect(encapsulationOf(dir)).toBe('vxlan');
		expect(encapsulationRow(dir)).toBe('  Calico encapsulation  vxlan');
		const before = storeDigest(dir);
		const again = runCli(['cluster', 'set', '--encapsulation', 'VXLAN', '--store', dir]);
		expect(again.stdout).toBe("Calico's encapsulation is vxlan already; nothing changed.\n");
		expect(again.status).toBe(0);
		expect(storeDigest(dir)).toBe(before);
		expect(runCli(['cluster', 'set', '--encapsulation', 'ipip', '--store', dir]).status).toBe(0);
		expect(encapsulationOf(dir)).toBe('ipip');
	});

	test.each([
		[['set', '--encapsulation', 'gre'], '--encapsulation must be one of none, ipip, vxlan (Calico\'s encapsulation between the nodes), got "gre"'],
		[['set', '--encapsulation', 'vxlan\u001B[2J'], '--encapsulation must be one of none, ipip, vxlan (Calico\'s encapsulation between the nodes), got "vxlan␛[2J"'],
		[['set'], 'cluster set needs --encapsulation none|ipip|vxlan: what should change?'],
		[['set', '--encapsulation'], '--encapsulation needs a value'],
		[['show'], 'unknown cluster subcommand "show"; use one of set'],
		[[], 'cluster needs a subcommand: set'],
	])('cluster %j is a usage error saying what to give, and changes nothing', (args, message) => {
		const dir = demoStore();
		const before = storeDigest(dir);
		const result = runCli(['cluster', ...args, '--store', dir]);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(`edgenet: ${message}\nRun \`edgenet cluster --help\` for usage.\n`);
		expect(result.status).toBe(2);
		expect(storeDigest(dir)).toBe(before);
	});
});

describe('edgenet demo --generate --encapsulation', () => {
	test('writes the generated device with that encapsulation; a bad one is a usage error that writes nothing', () => {
		const dir = emptyStore();
		const generated = runCli(['demo', '--generate', '--routes', '5', '--pods', '5', '--services', '5', '--encapsulation', 'ipip', '--store', dir]);
		expect(generated.stderr).toBe('');
		expect(generated.status).toBe(0);
		expect(encapsulationOf(dir)).toBe('ipip');
		const before = storeDigest(dir);
		const files = fs.readdirSync(dir);
		const refused = runCli(['demo', '--generate', '--encapsulation', 'geneve', '--store', dir]);
		expect(refused.status).toBe(2);
		expect(refused.stderr).toContain('--encapsulation must be one of none, ipip, vxlan');
		expect(storeDigest(dir)).toBe(before);
		expect(fs.readdirSync(dir)).toEqual(files);
	});
});
