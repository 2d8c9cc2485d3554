/**
 * The IP plan checks: whether a device's addresses fit together the way the real device requires.
 * Every check returns problems as values; none throws. The checks live by what they check: the
 * device's own networks, the cluster, and that every address is held once.
 */

import type {Device} from './device.js';
import {type AddressRange, formatNetwork, formatRange} from './ip.js';
import {checkUniqueAddresses} from './ip-plan-addresses.js';
import {checkClusterCidrs, checkPods, checkServices, checkVms} from './ip-plan-cluster.js';
import {checkComputePort, checkInternalSwitch, checkNodeRange, checkPorts, checkServiceRange} from './ip-plan-networks.js';

/** One way in which a device's IP plan does not hold. */
export type PlanProblem = {
	/** Which rule failed, stable for scripts and tests. */
	readonly code: PlanProblemCode;
	/** What is wrong and what would be accepted. */
	readonly message: string;
};

/** Every rule of the plan, by its stable code. */
export const planProblemCodes = [
	'port-address',
	'compute-port',
	'internal-switch',
	'node-range',
	'service-range',
	'cluster-cidr',
	'vm',
	'pod',
	'service',
	'duplicate-address',
] as const;

/** The code of one rule of the plan. */
export type PlanProblemCode = (typeof planProblemCodes)[number];

/** Where the checks put the problems they find. */
export type ProblemCollector = {
	add(code: PlanProblemCode, message: string): void;
};

/** A network or range with how messages name it, for the overlap checks. */
export type NamedSpan = {readonly label: string; readonly span: AddressRange};

/** Runs every IP plan check on a device. An empty list means the plan holds. */
export function checkIpPlan(device: Device): PlanProblem[] {
	const problems: PlanProblem[] = [];
	const collector: ProblemCollector = {
		add(code, message) {
			problems.push({code, message});
		},
	};
	const portNetworks = checkPorts(device, collector);
	const compute = checkComputePort(device, collector);
	const internal = checkInternalSwitch(device, collector, portNetworks);
	const nodeRange = checkNodeRange(device, collector, compute);
	const serviceRange = checkServiceRange(device, collector, compute, nodeRange);
	const cidrs = checkClusterCidrs(device, collector, [
		...portNetworks,
		...(internal ? [{label: `the internal switch network ${formatNetwork(internal)}`, span: internal}] : []),
		...(nodeRange ? [{label: `the node IP range ${formatRange(nodeRange)}`, span: nodeRange}] : []),
		...(serviceRange ? [{label: `the external service IP range ${formatRange(serviceRange)}`, span: serviceRange}] : []),
	]);
	checkVms(device, collector, {internal, nodeRange, compute});
	checkPods(device, collector, cidrs.pod);
	checkServices(device, collector, cidrs.service, serviceRange);
	checkUniqueAddresses(device, collector);
	return problems;
}
