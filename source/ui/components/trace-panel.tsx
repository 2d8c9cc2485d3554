import {plural} from '../../domain/plural.js';
import {toLookupLines} from '../../view-models/lookup-lines.js';
import {sanitize} from '../../view-models/sanitize.js';
import {cursorOf, withCursor} from '../input/text-edit.js';
import type {TraceState} from '../state.js';
import {matchingSources, type TraceAnswer} from '../view.js';
import {type PanelLine, TextPanel} from './text-panel.js';

/** Props of the trace. */
export type TracePanelProps = {
	readonly trace: TraceState;
	readonly sources: readonly string[];
	/** The answer of the trace last run, worked out when what was traced changed. */
	readonly answer: TraceAnswer | undefined;
	readonly width: number;
	readonly height: number;
	readonly scroll: number;
};

/** On the source field: what was typed to find a source, and how many match; or how to search. */
function sourceSearch(trace: TraceState, sources: readonly string[]): string {
	const query = trace.sourceQuery ?? '';
	if (query === '') {
		return `   type to find one of ${sources.length} sources`;
	}
	const count = matchingSources(sources, query).length;
	return `   find: ${sanitize(query)}▏ ${count === 0 ? 'no source matches' : `${plural(count, 'match', 'matches')}, ←/→ among them`}`;
}

/** Whether the destination or the source changed since the answer shown was traced. */
export function isStale(trace: TraceState): boolean {
	return trace.traced !== null && (trace.traced.destination.trim() !== trace.destination.trim() || trace.traced.sourceIndex !== trace.sourceIndex);
}

/** The destination and source fields, then the answer as `route lookup` prints it; an answer for other fields is marked as such and dimmed. */
export function tracePanelLines(trace: TraceState, sources: readonly string[], answer: TraceAnswer | undefined): PanelLine[] {
	const source = sources[trace.sourceIndex] ?? 'worker';
	const onDestination = trace.focus === 'destination';
	const lines: PanelLine[] = [
		{text: `${onDestination ? '›' : ' '} destination  ${onDestination ? withCursor({text: trace.destination, cursor: cursorOf(trace.destination, trace.cursor)}, sanitize) : sanitize(trace.destination)}   (an address or a service name)`, ...(onDestination ? {tone: 'strong' as const} : {})},
		{text: `${onDestination ? ' ' : '›'} from         ‹ ${sanitize(source)} ›${onDestination ? '' : sourceSearch(trace, sources)}`, ...(onDestination ? {} : {tone: 'strong' as const})},
		{text: ''},
	];
	if (!answer) {
		return lines;
	}
	const stale = isStale(trace);
	if (stale) {
		lines.push({text: 'changed since traced: press Enter to trace again; the answer below is for what was traced before', tone: 'error'});
	}
	const answerLines: PanelLine[] = answer.ok ? toLookupLines(answer.value) : [{text: `${sanitize(answer.error)}`, tone: 'error' as const, hang: 0}];
	return [...lines, ...(stale ? answerLines.map(line => ({...line, tone: 'muted' as const})) : answerLines)];
}

/** The trace, its answer broken to the panel's width and scrolled with PgUp/PgDn when it does not fit. */
export function TracePanel({trace, sources, answer, width, height, scroll}: TracePanelProps) {
	return <TextPanel title="Trace: where does traffic go?" lines={tracePanelLines(trace, sources, answer)} width={width} height={height} scroll={scroll} />;
}
