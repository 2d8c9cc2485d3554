import {expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import {rangeUsage} from '../../source/domain/range-usage.js';
import {clusterPlanLine} from '../../source/view-models/cluster-plan.js';

const demo = createDemoDevice();

test("each range of the cluster's plan with how many of its addresses are held", () => {
	expect(rangeUsage(demo)).toEqual([
		{label: 'pods', range: '172.27.0.0/16', size: 65_536, used: 7},
		{label: 'services', range: '172.28.0.0/16', size: 65_534, used: 5},
		{label: 'nodes', range: '192.168.10.20-192.168.10.22', size: 3, used: 2},
		{label: 'external', range: '192.168.10.30-192.168.10.34', size: 5, used: 2},
	]);
});

test('the plan line keeps whole parts that fit the width, in order', () => {
	const wide = clusterPlanLine(demo, 200);
	expect(wide).toBe(
		'pods 172.27.0.0/16 7/65,536 used · services 172.28.0.0/16 5/65,534 used · nodes 192.168.10.20-192.168.10.22 2/3 used · external 192.168.10.30-192.168.10.34 2/5 used · DNS cluster.local',
	);
	expect(clusterPlanLine(demo, 79)).toBe('pods 172.27.0.0/16 7/65,536 used · services 172.28.0.0/16 5/65,534 used');
});

test('an address held twice counts once, and a range counts the addresses from its first to its last', () => {
	const [pod] = demo.pods;
	const [service] = demo.services;
	const at = (ip: string, index: number) => ({...pod!, name: `p${index}`, ip});
	// The pod CIDR's first and last addresses, one just outside each end, and an address held by two pods and a service.
	const pods = ['172.27.0.0', '172.27.255.255', '172.26.255.255', '172.28.0.0', '172.27.3.3', '172.27.3.3'].map(at);
	const device = {...demo, pods, services: [{...service!, clusterIp: '172.27.3.3', externalIp: null}]};
	expect(rangeUsage(device).slice(0, 2)).toEqual([
		{label: 'pods', range: '172.27.0.0/16', size: 65_536, used: 3},
		{label: 'services', range: '172.28.0.0/16', size: 65_534, used: 1},
	]);
});
