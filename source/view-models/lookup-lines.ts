/**
 * The one renderer of a lookup answer: the winner, where the traffic leaves, the path across the layers,
 * the service behind the address, the losers. `route lookup` prints these lines as they are; the
 * dashboard's trace shows the same lines with their tones.
 */

import type {LookupAnswer} from '../domain/lookup.js';
import {sanitize} from './sanitize.js';

/** One line of a lookup answer, sanitised, with a tone for a screen that has colours. */
export type LookupLine = {readonly text: string; readonly tone?: 'strong' | 'muted'};

/** The lines of a lookup answer. */
export function toLookupLines(answer: LookupAnswer): LookupLine[] {
	const route = answer.route;
	const via = route.nextHop ? `via ${route.nextHop}${route.dev ? ` dev ${route.dev}` : ''}` : route.kind === 'blackhole' ? 'blackhole' : route.dev ? `dev ${route.dev}` : 'before routing';
	const lines: LookupLine[] = [
		{text: `${answer.query === answer.destination ? answer.destination : `${answer.query} (${answer.destination})`} from ${answer.from}:`, tone: 'strong'},
		{text: `  route:  ${route.kind} ${route.destinationPrefix} ${via}${route.metric === null ? '' : `, metric ${route.metric}`} (${route.description})`},
		{text: `  leaves: NIC ${answer.nic ?? '-'}, switch ${answer.switch ?? '-'}, port ${answer.port ?? '-'}`},
		{text: `  path:   ${answer.path.map(step => step.label).join(' -> ')}`},
	];
	if (answer.service) {
		const {pods} = answer.service;
		lines.push({
			text: `  service: ${answer.service.name} (${answer.service.dnsName}), ${answer.service.type}; pods: ${pods.length > 0 ? pods.map(pod => `${pod.namespace}/${pod.name} ${pod.ip} on ${pod.node}`).join(', ') : 'none matched by its selector'}`,
		});
	}
	for (const candidate of answer.candidates) {
		lines.push({text: `  lost:   ${candidate.kind} ${candidate.destinationPrefix} ${candidate.nextHop ? `via ${candidate.nextHop}` : candidate.kind === 'blackhole' ? 'blackhole' : 'on-link'}, metric ${candidate.metric}: ${candidate.reason}`, tone: 'muted'});
	}
	return lines.map(line => ({...line, text: sanitize(line.text)}));
}
