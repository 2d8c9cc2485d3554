/** The lookup answer as the dashboard's trace shows it: the path across the layers, a step a line, then the losers. */

import type {LookupAnswer} from '../domain/lookup.js';
import {sanitize} from './sanitize.js';

export type TraceLine = {readonly text: string; readonly tone?: 'strong' | 'muted' | 'warning'};

const layerNames: Record<LookupAnswer['path'][number]['layer'], string> = {
	pod: 'pod',
	vm: 'VM',
	nic: 'NIC',
	switch: 'switch',
	port: 'port',
	'next hop': 'next hop',
	destination: 'to',
	outside: 'from',
	metallb: 'MetalLB',
	service: 'service',
};

/** Lines for the trace panel. */
export function toTraceLines(answer: LookupAnswer): TraceLine[] {
	const route = answer.route;
	const lines: TraceLine[] = [
		{text: `${answer.query === answer.destination ? answer.destination : `${answer.query} = ${answer.destination}`} from ${answer.from}`, tone: 'strong'},
		{
			text: `wins: ${route.kind} ${route.destinationPrefix} ${route.nextHop ? `via ${route.nextHop}` : 'on-link'}${route.metric === null ? '' : ` metric ${route.metric}`} — ${route.description}`,
		},
		{text: ''},
	];
	answer.path.forEach((step, index) => {
		lines.push({text: `${index === 0 ? '     ' : '  -> '}${layerNames[step.layer].padEnd(9)}${step.label}`});
	});
	if (answer.candidates.length > 0) {
		lines.push({text: ''}, {text: 'lost:', tone: 'muted'});
		for (const candidate of answer.candidates) {
			lines.push({
				text: `  ${candidate.kind} ${candidate.destinationPrefix} ${candidate.nextHop ? `via ${candidate.nextHop}` : 'on-link'} metric ${candidate.metric}: ${candidate.reason}`,
				tone: 'muted',
			});
		}
	}
	return lines.map(line => ({...line, text: sanitize(line.text)}));
}
