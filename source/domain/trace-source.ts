/**
 * Where traced traffic starts, as a person names it: `master`, `worker`, `outside` or a pod as
 * `namespace/name`. Resolution answers with what is wrong and what would be accepted.
 */

import {type Device, type Pod, type Vm, vmNames} from './device.js';
import type {Parsed} from './ip.js';

/** Where traffic starts. */
export type TraceSource =
	| {readonly kind: 'vm'; readonly vm: Vm}
	| {readonly kind: 'pod'; readonly pod: Pod; readonly vm: Vm}
	| {readonly kind: 'outside'};

/** Resolves `master`, `worker`, `outside` or `namespace/pod`. */
export function resolveSource(device: Device, text: string): Parsed<TraceSource> {
	const name = text.trim();
	if (name.toLowerCase() === 'outside') {
		return {ok: true, value: {kind: 'outside'}};
	}
	if (device.vms.length === 0) {
		return {ok: false, error: 'Kubernetes compute is not configured: the master and worker VMs do not exist yet, so there is no routing table to ask'};
	}
	const vm = device.vms.find(candidate => candidate.name === name.toLowerCase());
	if (vm) {
		return {ok: true, value: {kind: 'vm', vm}};
	}
	const slash = name.indexOf('/');
	if (slash > 0) {
		const pod = device.pods.find(candidate => candidate.namespace === name.slice(0, slash) && candidate.name === name.slice(slash + 1));
		const host = pod ? device.vms.find(candidate => candidate.name === pod.node) : undefined;
		if (pod && host) {
			return {ok: true, value: {kind: 'pod', pod, vm: host}};
		}
		return {ok: false, error: `there is no pod "${name}"; give a pod as namespace/name, such as ${device.pods[0] ? `${device.pods[0].namespace}/${device.pods[0].name}` : 'webapp/web-1'}`};
	}
	return {ok: false, error: `"${name}" is not a source; use ${vmNames.join(', ')}, outside, or a pod as namespace/name`};
}

/** The source as a lookup answer names it: the VM, `namespace/pod`, or `outside`. */
export function sourceLabel(source: TraceSource): string {
	switch (source.kind) {
		case 'vm': {
			return source.vm.name;
		}
		case 'pod': {
			return `${source.pod.namespace}/${source.pod.name}`;
		}
		case 'outside': {
			return 'outside';
		}
	}
}
