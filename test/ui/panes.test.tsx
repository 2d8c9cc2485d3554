import {renderToString} from 'ink';
import {stripVTControlCharacters} from 'node:util';
import {describe, expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import type {Device} from '../../source/domain/device.js';
import {checkRoute} from '../../source/domain/route-checks.js';
import {RouteForm} from '../../source/ui/components/route-form.js';
import {TablePane} from '../../source/ui/components/table-pane.js';
import {type PaneId, paneIds} from '../../source/ui/keymap.js';
import {computeLayout, type PaneBox} from '../../source/ui/layout.js';
import {addForm} from '../../source/ui/state.js';
import {toPodsPane, toPortsPane, toRoutesPane, toSwitchesPane, toVmsPane} from '../../source/view-models/panes.js';
import {formatTextTable} from '../../source/view-models/text-table.js';

const demo = createDemoDevice();
const builders = {ports: toPortsPane, switches: toSwitchesPane, vms: toVmsPane, pods: toPodsPane, routes: toRoutesPane};
const titles: Record<PaneId, string> = {ports: 'Ports', switches: 'Virtual switches', vms: 'Kubernetes VMs', pods: 'Pods & services', routes: 'Custom routes'};

function boxAt(columns: number, rows: number, pane: PaneId, device: Device = demo): PaneBox {
	const layout = computeLayout(columns, rows, pane, {rowCounts: id => builders[id](device).count});
	if (layout.kind === 'too-small') {
		throw new Error(layout.message);
	}
	return layout.kind === 'compact' ? layout.pane : layout.rows.flat().find(box => box.pane === pane)!;
}

function paneLines(pane: PaneId, columns: number, rows: number, device: Device = demo, selectedIndex = 0, isFocused = true): string[] {
	const box = boxAt(columns, rows, pane, device);
	const view = builders[pane](device);
	const output = renderToString(
		<TablePane
			title={titles[pane]}
			number={paneIds.indexOf(pane) + 1}
			columns={view.columns}
			count={view.count}
			row={view.row}
			total={view.count}
			selectedIndex={selectedIndex}
			width={box.width}
			height={box.height}
			isFocused={isFocused}
			filter=""
			isFiltering={false}
		/>,
		{columns},
	);
	return stripVTControlCharacters(output).split('\n');
}

describe.each([
	[80, 24],
	[120, 40],
])('panes at %ix%i', (columns, rows) => {
	test.each(paneIds)('%s fills its box exactly, nothing cut mid-character', pane => {
		const box = boxAt(columns, rows, pane);
		const lines = paneLines(pane, columns, rows);
		expect(lines).toHaveLength(box.height);
		for (const line of lines) {
			expect([...line].length).toBe(box.width);
		}
		expect(lines[1]).toContain(`${paneIds.indexOf(pane) + 1} ${titles[pane]}`);
	});
});

describe('exact lines', () => {
	test.each(paneIds.flatMap(pane => [[pane, 80, 24] as const, [pane, 120, 40] as const]))('%s at %ix%i: whole headings, the rows in view, the first selected', (pane, columns, rows) => {
		const box = boxAt(columns, rows, pane);
		const view = builders[pane](demo);
		const lines = paneLines(pane, columns, rows);
		const inner = (line: string) => line.slice(2, -2);
		// A heading is never cut: a column too narrow for its heading is hidden (optional) or the heading shows whole.
		const heading = inner(lines[2]!);
		expect(heading).not.toContain('…');
		const shownHeadings = view.columns.map(column => column.heading).filter(name => heading.includes(name));
		expect(shownHeadings.length).toBeGreaterThan(0);
		expect(heading.trim().startsWith(shownHeadings[0]!)).toBe(true);
		// As many rows as fit, the first marked as selected, the rest of the box blank.
		const visible = Math.min(view.count, box.height - 4);
		const body = lines.slice(3, -1).map(line => inner(line));
		expect(body.filter(line => line.trim() !== '')).toHaveLength(visible);
		expect(body[0]!.startsWith('› ')).toBe(true);
		expect(body.slice(1).every(line => !line.includes('›'))).toBe(true);
		// Each row shows its first visible cell, in order.
		const first = view.columns.findIndex(column => column.heading === shownHeadings[0]);
		expect(body.slice(0, visible).map((line, index) => line.slice(2).startsWith(view.row(index)[first]!.slice(0, 4)))).toEqual(Array.from({length: visible}, () => true));
	});

	test('pods at 80x24: the DNS names and the pods and labels (both in the details) make room for whole names', () => {
		expect(paneLines('pods', 80, 24).slice(1, 16)).toEqual([
			'║ 4 Pods & services (12)                                                      ║',
			'║   KIND  NAME                                     IP           EXTERNAL-IP   ║',
			'║ › svc   default/kubernetes                       172.28.0.1   <none>        ║',
			'║   svc   kube-system/kube-dns                     172.28.0.10  <none>        ║',
			'║   svc   iotedge/edgehub                          172.28.0.2   192.168.10.30 ║',
			'║   svc   webapp/web                               172.28.0.3   192.168.10.31 ║',
			'║   svc   webapp/db                                172.28.0.4   <none>        ║',
			'║   pod   kube-system/coredns-6d4b75cb6d-7xk2p     172.27.0.0                 ║',
			'║   pod   kube-system/coredns-6d4b75cb6d-q9vzm     172.27.0.64                ║',
			'║   pod   metallb-system/controller-7476b58756-h…  172.27.0.1                 ║',
			'║   pod   iotedge/edgehub-5c7b9f8d4-tm6jr          172.27.0.65                ║',
			'║   pod   webapp/web-7f9c6d8b5-2kq8x               172.27.0.66                ║',
			'║   pod   webapp/web-7f9c6d8b5-p4nzs               172.27.0.67                ║',
			'║   pod   webapp/db-0                              172.27.0.68                ║',
			'║                                                                             ║',
		]);
		expect(toPodsPane(demo).details(1)).toContainEqual(['pods', expect.stringContaining('coredns')]);
		expect(toPodsPane(demo).details(1)).toContainEqual(['DNS name', 'kube-dns.kube-system.svc.cluster.local']);
	});

	test('pods at 100x30: names whole, and the DNS names and nodes in the room left', () => {
		expect(paneLines('pods', 100, 30).slice(2, 15)).toEqual([
			'║   KIND  NAME                                        IP           EXTERNAL-IP    DNS NAME / NODE ║',
			'║ › svc   default/kubernetes                          172.28.0.1   <none>         kubernetes.def… ║',
			'║   svc   kube-system/kube-dns                        172.28.0.10  <none>         kube-dns.kube-… ║',
			'║   svc   iotedge/edgehub                             172.28.0.2   192.168.10.30  edgehub.iotedg… ║',
			'║   svc   webapp/web                                  172.28.0.3   192.168.10.31  web.webapp.svc… ║',
			'║   svc   webapp/db                                   172.28.0.4   <none>         db.webapp.svc.… ║',
			'║   pod   kube-system/coredns-6d4b75cb6d-7xk2p        172.27.0.0                  on master       ║',
			'║   pod   kube-system/coredns-6d4b75cb6d-q9vzm        172.27.0.64                 on worker       ║',
			'║   pod   metallb-system/controller-7476b58756-h2lqw  172.27.0.1                  on master       ║',
			'║   pod   iotedge/edgehub-5c7b9f8d4-tm6jr             172.27.0.65                 on worker       ║',
			'║   pod   webapp/web-7f9c6d8b5-2kq8x                  172.27.0.66                 on worker       ║',
			'║   pod   webapp/web-7f9c6d8b5-p4nzs                  172.27.0.67                 on worker       ║',
			'║   pod   webapp/db-0                                 172.27.0.68                 on worker       ║',
		]);
	});

	test('pods at 120x40 with only pods in view: names whole, and an EXTERNAL-IP column with nothing in view gives its room to the labels', () => {
		const lines = paneLines('pods', 120, 40, {...demo, services: []});
		expect(lines[2]).toBe('║   KIND  NAME                                        IP           DNS NAME / NODE  PODS / LABELS                     ║');
		expect(lines.find(line => line.includes('metallb'))).toBe('║   pod   metallb-system/controller-7476b58756-h2lqw  172.27.0.1   on master        app=metallb,component=controller  ║');
	});

	test('ports at 100x30: the DNS servers (in the details) make room, and the connections take what is left', () => {
		expect(paneLines('ports', 100, 30).slice(2, 9)).toEqual([
			'║   PORT    SPEED  IP CONFIG  ADDRESS            GATEWAY      COMPUTE  CONNECTS TO                ║',
			'║ › Port1   1 GbE  static     192.168.100.10/24  -            -        management (local web UI)  ║',
			'║   Port2   1 GbE  static     10.128.44.20/24    10.128.44.1  -        Internet uplink            ║',
			'║   Port3  25 GbE  static     192.168.10.5/24    -            enabled  private network: cameras … ║',
			'║   Port4  25 GbE  DHCP       (no lease)         -            -        not connected              ║',
			'║   Port5  25 GbE  DHCP       (no lease)         -            -        not connected              ║',
			'║   Port6  25 GbE  DHCP       (no lease)         -            -        not connected              ║',
		]);
	});

	test("a port's DNS servers are addresses: left out when there is no room for them whole, never cut", () => {
		const ports = demo.ports.map(port => ({...port, connectsTo: 'uplink', dns: port.dns.length > 0 ? ['10.128.44.2', '10.128.44.3'] : []}));
		const lines = paneLines('ports', 100, 30, {...demo, ports});
		expect(lines[2]).toBe('║   PORT    SPEED  IP CONFIG  ADDRESS            GATEWAY      COMPUTE  CONNECTS TO                ║');
		expect(lines.join('\n')).not.toContain('…');
	});

	test.each(paneIds.flatMap(pane => [[pane, 80, 24] as const, [pane, 100, 30] as const, [pane, 120, 40] as const]))(
		'%s at %ix%i: no column wider than its widest cell in view, no room left while a cell is cut, no two rows alike',
		(pane, columns, rows) => {
			const view = builders[pane](demo);
			for (const selected of [0, view.count - 1]) {
				const lines = paneLines(pane, columns, rows, demo, selected);
				// The table without the borders and the selection gutter: the headings, then the rows in view.
				const table = lines.slice(2, -1).map(line => line.slice(4, -2)).filter(line => line.trim() !== '');
				const used = Math.max(...table.map(line => line.trimEnd().length));
				// A column wider than every cell in it would leave a band of three or more blank columns down the table.
				let blankRun = 0;
				let widestRun = 0;
				for (let column = 0; column < used; column++) {
					blankRun = table.every(line => (line[column] ?? ' ') === ' ') ? blankRun + 1 : 0;
					widestRun = Math.max(widestRun, blankRun);
				}
				expect(widestRun).toBeLessThanOrEqual(2);
				if (table.slice(1).some(line => line.includes('…'))) {
					expect(used).toBe(lines[0]!.length - 6);
				}
				expect(new Set(table.slice(1)).size).toBe(table.length - 1);
			}
		},
	);

	test('names of pods and services are whole at 80x24, 100x30 and 120x40', () => {
		for (const [columns, rows] of [[80, 24], [100, 30], [120, 40]] as const) {
			for (const [index, name] of [[0, 'default/kubernetes'], [1, 'kube-system/kube-dns'], [5, 'kube-system/coredns-6d4b75cb6d-7xk2p'], [6, 'kube-system/coredns-6d4b75cb6d-q9vzm']] as const) {
				expect(paneLines('pods', columns, rows, demo, index).find(line => line.includes('›'))).toContain(` ${name} `);
			}
		}
	});

	test('focus shows without colour: the focused pane has a double border and marks its selection `›`, a pane without focus a round border and `·`', () => {
		const inside = (side: string, text: string) => `${side} ${text.padEnd(115)} ${side}`;
		expect(paneLines('routes', 120, 40, demo, 0, true).slice(0, 4)).toEqual([
			`╔${'═'.repeat(117)}╗`,
			inside('║', '5 Custom routes (1)'),
			inside('║', '  DESTINATION   PREFIX  NEXT HOP      INTERFACE  METRIC  STATUS  WARNINGS'),
			inside('║', '› 192.168.20.0     /24  192.168.10.1  Port3         100  active'),
		]);
		expect(paneLines('routes', 120, 40, demo, 0, false).slice(0, 4)).toEqual([
			`╭${'─'.repeat(117)}╮`,
			inside('│', '5 Custom routes (1)'),
			inside('│', '  DESTINATION   PREFIX  NEXT HOP      INTERFACE  METRIC  STATUS  WARNINGS'),
			inside('│', '· 192.168.20.0     /24  192.168.10.1  Port3         100  active'),
		]);
	});

	test('routes at 80x24', () => {
		expect(paneLines('routes', 80, 24).slice(0, 5)).toEqual([
			'╔═════════════════════════════════════════════════════════════════════════════╗',
			'║ 5 Custom routes (1)                                                         ║',
			'║   DESTINATION   PREFIX  NEXT HOP      INTERFACE  METRIC  STATUS  WARNINGS   ║',
			'║ › 192.168.20.0     /24  192.168.10.1  Port3         100  active             ║',
			'║                                                                             ║',
		]);
	});

	test('ports at 120x40', () => {
		expect(paneLines('ports', 120, 40)).toEqual([
			'╔═════════════════════════════════════════════════════════════════════════════════════════════════════════════════════╗',
			'║ 1 Ports (6)                                                                                                         ║',
			'║   PORT    SPEED  IP CONFIG  ADDRESS            GATEWAY      DNS          COMPUTE  CONNECTS TO                       ║',
			'║ › Port1   1 GbE  static     192.168.100.10/24  -            -            -        management (local web UI)         ║',
			'║   Port2   1 GbE  static     10.128.44.20/24    10.128.44.1  10.128.44.2  -        Internet uplink                   ║',
			'║   Port3  25 GbE  static     192.168.10.5/24    -            -            enabled  private network: cameras and sen… ║',
			'║   Port4  25 GbE  DHCP       (no lease)         -            -            -        not connected                     ║',
			'║   Port5  25 GbE  DHCP       (no lease)         -            -            -        not connected                     ║',
			'║   Port6  25 GbE  DHCP       (no lease)         -            -            -        not connected                     ║',
			'╚═════════════════════════════════════════════════════════════════════════════════════════════════════════════════════╝',
		]);
	});

	test('VMs at 120x40', () => {
		expect(paneLines('vms', 120, 40)).toEqual([
			'╔════════════════════════════════════════════════════╗',
			'║ 3 Kubernetes VMs (4)                               ║',
			'║   VM      NIC   SWITCH            ADDRESS          ║',
			'║ › master  eth0  vSwitch-Internal  172.20.0.2/24    ║',
			'║   master  eth1  vSwitch-Port3     192.168.10.20/24 ║',
			'║   worker  eth0  vSwitch-Internal  172.20.0.3/24    ║',
			'║   worker  eth1  vSwitch-Port3     192.168.10.21/24 ║',
			'╚════════════════════════════════════════════════════╝',
		]);
	});

	test("the VMs pane names the cluster's encapsulation, which decides how each VM reaches the other's pods", () => {
		expect(toVmsPane(demo).title).toBe('Kubernetes VMs · Calico no encapsulation');
		expect(toVmsPane({...demo, cluster: {...demo.cluster, encapsulation: 'ipip'}}).title).toBe('Kubernetes VMs · Calico IPIP');
		expect(toVmsPane({...demo, cluster: {...demo.cluster, encapsulation: 'vxlan'}}).title).toBe('Kubernetes VMs · Calico VXLAN');
	});

	test("a VM's details include its node, which the pane has no column for", () => {
		expect(toVmsPane(demo).details(0)).toEqual([
			['VM', 'master'],
			['NODE', 'demo-k8s-master'],
			['NIC', 'eth0'],
			['SWITCH', 'vSwitch-Internal'],
			['ADDRESS', '172.20.0.2/24'],
			// What the VM relates to: its NICs, its pods, the routes installed on it.
			['NICs (2)', 'eth0 172.20.0.2/24'],
			['', 'eth1 192.168.10.20/24'],
			['pods (2)', 'kube-system/coredns-6d4b75cb6d-7xk2p 172.27.0.0'],
			['', 'metallb-system/controller-7476b58756-h2lqw 172.27.0.1'],
			['routes installed (1)', '192.168.20.0/24 via 192.168.10.1, metric 100 on Port3'],
		]);
	});

	test("a port's details list its switch, the NICs on it and its routes; a switch's its NICs", () => {
		const port3 = toPortsPane(demo).details(2);
		expect(port3.slice(-4)).toEqual([
			['switch', 'vSwitch-Port3'],
			['NICs (2)', 'master eth1 192.168.10.20/24'],
			['', 'worker eth1 192.168.10.21/24'],
			['routes (1)', '192.168.20.0/24 via 192.168.10.1, metric 100'],
		]);
		expect(toPortsPane(demo).details(1).slice(-4)).toEqual([
			['switch', 'vSwitch-Internal (NAT out of this port)'],
			['NICs (2)', 'master eth0 172.20.0.2/24'],
			['', 'worker eth0 172.20.0.3/24'],
			['routes', '(none)'],
		]);
		expect(toSwitchesPane(demo).details(0).slice(-2)).toEqual([['NICs (2)', 'master eth0 172.20.0.2/24'], ['', 'worker eth0 172.20.0.3/24']]);
	});

	test('a long list of related items is counted, not listed whole', () => {
		const many = {...demo, routes: Array.from({length: 12}, (_, index) => ({interface: 'Port3', destinationPrefix: `10.${index}.0.0/16`, nextHop: '192.168.10.1', metric: index + 1}))};
		const routes = toPortsPane(many).details(2).filter(([label]) => label.startsWith('routes') || label === '').slice(-9);
		expect(routes[0]).toEqual(['routes (12)', '10.0.0.0/16 via 192.168.10.1, metric 1']);
		expect(routes.at(-1)).toEqual(['', 'and 4 more']);
	});

	test('the pods pane shows LoadBalancer IPs, <pending> and DNS names', () => {
		const pending = {...demo, services: demo.services.map(service => (service.name === 'web' ? {...service, externalIp: null} : service))};
		const text = paneLines('pods', 120, 40, pending).join('\n');
		expect(text).toContain('iotedge/edgehub');
		expect(text).toContain('192.168.10.30');
		expect(text).toContain('<pending>');
		expect(text).toContain('db.webapp.svc.cluster.local');
	});

	test('the pods pane shows a load balancer host name where its address would be, <none> for a NodePort service; a host name from the data cannot drive the terminal', () => {
		const services = demo.services.map(service =>
			service.name === 'web'
				? {...service, externalIp: null, externalHostname: 'web.lb.example.net'}
				: service.name === 'edgehub'
					? {...service, externalHostname: 'x\u001B]0;pwned\u0007'}
					: service.name === 'db'
						? {...service, type: 'NodePort' as const}
						: service,
		);
		const device = {...demo, services};
		const lines = paneLines('pods', 120, 40, device);
		expect(lines.find(line => line.includes('webapp/web'))).toMatch(/webapp\/web\s+172\.28\.\S+\s+web\.lb\.example\.net\s/);
		expect(lines.find(line => line.includes('webapp/db'))).toMatch(/webapp\/db\s+172\.28\.\S+\s+<none>\s/);
		const details = toPodsPane(device).details(services.findIndex(service => service.name === 'edgehub'));
		expect(details.filter(([label]) => label === 'external IP' || label === 'host name')).toEqual([
			['external IP', device.services.find(service => service.name === 'edgehub')!.externalIp],
			['host name', 'x␛]0;pwned␇'],
		]);
		expect(lines.join('\n')).not.toContain('\u001B]');
	});

	test('a long list scrolls: only the rows in view are drawn, the selection among them', () => {
		const many = {...demo, routes: Array.from({length: 10_000}, (_, index) => ({interface: 'Port3', destinationPrefix: `10.${index >> 8}.${index & 255}.0/24`, nextHop: '192.168.10.1', metric: 100}))};
		const lines = paneLines('routes', 80, 24, many, 9999);
		expect(lines).toHaveLength(20);
		expect(lines[1]).toMatch(/5 Custom routes \(10000\) +10000\/10000 ║$/);
		expect(lines.at(-2)).toContain('› 10.39.15.0');
	});

	test('data cannot drive the terminal: control characters show as placeholders', () => {
		const hostile = {...demo, pods: [{...demo.pods[0]!, name: 'x\u001B]0;pwned\u0007'}]};
		const text = paneLines('pods', 120, 40, hostile).join('\n');
		expect(text).toContain('x␛]0;pwned␇');
		expect(text).not.toContain('\u001B]');
	});
});

describe('the route form', () => {
	function formLines(fields: Partial<{interface: string; destinationPrefix: string; nextHop: string; metric: string}>): string {
		const form = {...addForm('Port3'), fields: {...addForm('Port3').fields, ...fields}};
		return stripVTControlCharacters(renderToString(<RouteForm form={form} check={checkRoute(demo, form.fields)} width={100} height={20} />, {columns: 100}));
	}

	test('shows each field and the message under a wrong one', () => {
		const text = formLines({destinationPrefix: '192.168.30.0/24', nextHop: '192.168.11.1'});
		expect(text).toContain('Interface    ‹ Port3 ›');
		expect(text).toContain("next hop: 192.168.11.1 is not on Port3's subnet 192.168.10.0/24 (Nexthop has invalid");
		expect(text).toContain('gateway); use a gateway on that subnet');
		expect(text).not.toContain('metric:');
	});

	test('shows warnings and what will be saved when the route is valid', () => {
		const text = formLines({destinationPrefix: '172.27.1.0/24', nextHop: '192.168.10.1', metric: '5'});
		expect(text).toContain("warning: overlaps the pod CIDR 172.27.0.0/16: Calico's /26 block and /32 pod routes are");
		expect(text).toContain('ready: 172.27.1.0/24 via 192.168.10.1 on Port3, metric 5');
	});

	test('a DHCP interface is refused at once', () => {
		expect(formLines({interface: 'Port4'})).toContain('interface: Port4 uses DHCP');
	});
});

describe('panes of any size', () => {
	// 250,000 rows: more than a spread into Math.max can take (it overflowed the stack from about 125,000 arguments).
	const many = Array.from({length: 250_000}, (_, index) => ['pod', `ns-${index % 50}/app-${index}`, `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`]);
	many[123_456] = ['pod', 'ns-1/the-longest-name-of-them-all', '10.1.226.64'];
	const columns = [{heading: 'KIND'}, {heading: 'NAME'}, {heading: 'IP'}];

	test('a pane of 250,000 rows is drawn, as wide as its widest cell', () => {
		const output = renderToString(
			<TablePane title="Pods & services" number={4} columns={columns} count={many.length} row={index => many[index]!} total={many.length} selectedIndex={123_456} width={80} height={10} isFocused filter="" isFiltering={false} />,
			{columns: 80},
		);
		const lines = stripVTControlCharacters(output).split('\n');
		expect(lines.find(line => line.includes('›'))).toMatch(/› pod {3}ns-1\/the-longest-name-of-them-all {2}10\.1\.226\.64/);
		expect(lines.find(line => line.includes('NAME'))).toMatch(/KIND {2}NAME {31}IP/);
	});

	test('columns are as wide as the rows in view need: a long name further down takes no width from the rows on screen', () => {
		const draw = (selectedIndex: number) =>
			stripVTControlCharacters(
				renderToString(
					<TablePane title="Pods & services" number={4} columns={columns} count={many.length} row={index => many[index]!} total={many.length} selectedIndex={selectedIndex} width={80} height={10} isFocused filter="" isFiltering={false} />,
					{columns: 80},
				),
			).split('\n');
		const top = draw(0);
		expect(top.find(line => line.includes('NAME'))).toMatch(/KIND {2}NAME {8}IP/);
		expect(top.find(line => line.includes('›'))).toMatch(/› pod {3}ns-0\/app-0 {2}10\.0\.0\.0 /);
		expect(draw(123_456).find(line => line.includes('NAME'))).toMatch(/KIND {2}NAME {31}IP/);
	});

	test('a text table of 250,000 rows is printed whole', () => {
		const lines = formatTextTable(columns, many);
		expect(lines).toHaveLength(250_001);
		expect(lines[0]).toBe(`KIND  NAME${' '.repeat(31)}IP`);
		expect(lines[123_457]).toBe('pod   ns-1/the-longest-name-of-them-all  10.1.226.64');
	});
});
