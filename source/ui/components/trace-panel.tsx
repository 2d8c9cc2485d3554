import {wrapText} from '../../view-models/fit.js';
import {toLookupLines} from '../../view-models/lookup-lines.js';
import {displayWidth} from '../../view-models/text-table.js';
import {sanitize} from '../../view-models/sanitize.js';
import type {TraceState} from '../state.js';
import type {TraceAnswer} from '../view.js';
import {type PanelLine, TextPanel} from './text-panel.js';

/** Props of the trace. */
export type TracePanelProps = {
	readonly trace: TraceState;
	readonly sources: readonly string[];
	/** The answer of the trace last run, worked out when what was traced changed. */
	readonly answer: TraceAnswer | undefined;
	readonly width: number;
	readonly height: number;
};

/** The lines of a lookup answer broken to the panel's width: a continued line keeps its indent and goes four further in. */
function wrapped(lines: readonly PanelLine[], width: number): PanelLine[] {
	return lines.flatMap(line => {
		const indent = /^ */.exec(line.text)?.[0] ?? '';
		if (displayWidth(line.text) <= width) {
			return [line];
		}
		const more = `${indent}    `;
		return wrapText(line.text.slice(indent.length), width - more.length).map((part, index) => ({...line, text: `${index === 0 ? indent : more}${part}`}));
	});
}

/** The destination and source fields, then the answer as `route lookup` prints it. */
export function TracePanel({trace, sources, answer, width, height}: TracePanelProps) {
	const source = sources[trace.sourceIndex] ?? 'worker';
	const onDestination = trace.focus === 'destination';
	const lines: PanelLine[] = [
		{text: `${onDestination ? '›' : ' '} destination  ${sanitize(trace.destination)}${onDestination ? '▏' : ''}   (an address or a service name)`, ...(onDestination ? {tone: 'strong' as const} : {})},
		{text: `${onDestination ? ' ' : '›'} from         ‹ ${sanitize(source)} ›`, ...(onDestination ? {} : {tone: 'strong' as const})},
		{text: ''},
	];
	if (answer) {
		lines.push(...(answer.ok ? wrapped(toLookupLines(answer.value), Math.max(20, width - 4)) : [{text: sanitize(answer.error), tone: 'error' as const}]));
	}
	return <TextPanel title="Trace: where does traffic go?" lines={lines} width={width} height={height} />;
}
