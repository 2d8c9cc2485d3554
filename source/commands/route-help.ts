/**
 * The help of each `edgenet route` subcommand and of the cmdlet spelling: its options, and the rules a
 * route must keep, in the words of the README's route rules.
 */

import {maximumMetric} from '../domain/route-checks.js';
import {type HelpTopic, storeOption} from './command.js';

/** What every route must be, field by field, and against the routes already there. */
export const routeRules: readonly string[] = [
	'interface: a port with a static IP configuration; once Kubernetes compute is configured, a port with compute enabled (the VMs have no NIC elsewhere).',
	'destination: an IPv4 prefix, length 0-32, host bits zero (10.5.0.1/16 is refused, 10.5.0.0/16 suggested); a bare address means /32.',
	"next hop: an address on the port's subnet, not its network or broadcast address, not the port's or a VM's own address.",
	`metric: a whole number 0-${maximumMetric}; lower wins.`,
	"One route per interface and destination (the key route set and route remove use), and one per destination and metric, as the VMs' kernel keeps them.",
	"At metric 0 the VMs already hold their connected networks, the default route, Calico's blocks and each pod's /32: a route on exactly one of those needs a higher metric.",
	'A route that breaks a rule is refused with every reason, each naming its field, and nothing changes (exit 1).',
];

const json = (what: string) => ['--json', what] as const;

/** `edgenet route list --help`. */
export const routeListHelp: HelpTopic = {
	name: 'list',
	usage: 'route list [--interface <port>] [--json]',
	summary: 'List the custom routes, each with its status (active on both VMs, or pending and why) and its warnings.',
	options: [
		['--interface <port>', 'only the routes on this port (a port the device does not have is refused)'],
		json('a JSON array: interface, destinationPrefix, nextHop, metric, status, statusReason, warnings'),
		storeOption,
	],
};

/** `edgenet route add --help`. */
export const routeAddHelp: HelpTopic = {
	name: 'add',
	usage: 'route add --interface <port> --destination <prefix> --next-hop <ip> --metric <n> [--json]',
	summary: 'Add a custom route to the Kubernetes master and worker VMs (never to the device itself).',
	options: [
		['--interface <port>', 'the port the traffic leaves by, such as Port3'],
		['--destination <prefix>', 'the IPv4 prefix the route is for, such as 192.168.30.0/24'],
		['--next-hop <ip>', 'the gateway the traffic is forwarded to, such as 192.168.10.1'],
		['--metric <n>', 'the route\'s metric, such as 100'],
		json('the saved route with its status and warnings'),
		storeOption,
	],
	rules: routeRules,
};

/** `edgenet route set --help`. */
export const routeSetHelp: HelpTopic = {
	name: 'set',
	usage: 'route set --interface <port> --destination <prefix> [--next-hop <ip>] [--metric <n>] [--json]',
	summary: 'Change the next hop, the metric or both of the route with this interface and destination. The changed route keeps every rule of route add.',
	options: [
		['--interface <port>', 'the port of the route to change'],
		['--destination <prefix>', 'the destination of the route to change'],
		['--next-hop <ip>', 'the new gateway'],
		['--metric <n>', 'the new metric'],
		json('the changed route with its status and warnings'),
		storeOption,
	],
	rules: ['At least one of --next-hop and --metric.', ...routeRules],
};

/** `edgenet route remove --help`. */
export const routeRemoveHelp: HelpTopic = {
	name: 'remove',
	usage: 'route remove --interface <port> --destination <prefix> [--json]',
	summary: 'Remove the route with this interface and destination from both VMs.',
	options: [
		['--interface <port>', 'the port of the route'],
		['--destination <prefix>', 'its destination prefix, written any way that names the same network'],
		json('the removed route with the status it had'),
		storeOption,
	],
	rules: [
		'A route is named by its interface and destination, the key Remove-HcsNetRoute uses; `route list` shows them. When no route has the key, the refusal names the nearest few.',
		'A stored route that breaks the route rules (written around edgenet) is removed the same way.',
	],
};

/** `edgenet route lookup --help`. */
export const routeLookupHelp: HelpTopic = {
	name: 'lookup',
	usage: 'route lookup <address|service name> [--from master|worker|outside|<namespace>/<pod>] [--json]',
	summary:
		"Where the source's kernel sends traffic to a destination, and why: the local table first, then the longest prefix, then the lowest metric. The answer names the route, its device, the NIC, switch and port the traffic leaves by, and every other match with why it lost.",
	options: [
		[
			'<address|service name>',
			"an IPv4 address, such as 192.168.20.7 (a service's cluster or LoadBalancer IP goes on through kube-proxy to its pods), or a service name as CoreDNS resolves it: web.webapp.svc.cluster.local, web.webapp, or web from a pod in webapp",
		],
		['--from <source>', 'master or worker (a VM; the worker when left out), <namespace>/<pod> (through the VM the pod runs on), or outside (a LoadBalancer IP traced in through the compute port and MetalLB)'],
		json('the answer as one JSON document'),
		storeOption,
	],
};

/** `edgenet Add-HcsNetRoute --help`: `route add` in the device's spelling, with its rules. */
export const addCmdletOptions: ReadonlyArray<readonly [string, string]> = [
	['-InterfaceAlias <port>', 'the port the traffic leaves by, such as Port3'],
	['-DestinationPrefix <prefix>', 'the IPv4 prefix the route is for, such as 192.168.30.0/24'],
	['-NextHop <ip>', 'the gateway the traffic is forwarded to'],
	['-RouteMetric <n>', "the route's metric"],
	storeOption,
];
