import {paneRegistry} from '../../view-models/pane-registry.js';
import {type HelpLine, helpLines, type KeyContext} from '../keymap.js';
import {type PanelLine, TextPanel} from './text-panel.js';

/** Props of the `?` help. */
export type HelpPanelProps = {
	readonly keys: KeyContext;
	readonly width: number;
	readonly height: number;
	readonly scroll: number;
};

function toPanelLine(line: HelpLine): PanelLine {
	const where = line.scope === 'routes' ? '  (routes pane)' : '';
	// A continued description goes in under the description, past the keys.
	const reason = line.disabledReason === undefined ? '' : `  (not now: ${line.disabledReason})`;
	return {text: `${line.keys.padEnd(12)} ${line.description}${where}${reason}`, hang: 13, ...(line.disabledReason === undefined ? {} : {tone: 'muted' as const})};
}

/** The help's lines, generated from the keymap: every key of the focused pane (a disabled one with its reason), then the keys of the help itself. */
export function helpPanelLines(keys: KeyContext): PanelLine[] {
	return [...helpLines('main', keys).map(line => toPanelLine(line)), {text: ''}, ...helpLines('overlay', keys).map(line => ({...toPanelLine(line), tone: 'muted' as const}))];
}

/** The help, scrolled with the movement keys when it does not fit. */
export function HelpPanel({keys, width, height, scroll}: HelpPanelProps) {
	return <TextPanel title={`Keys — ${paneRegistry[keys.pane].title}`} lines={helpPanelLines(keys)} width={width} height={height} scroll={scroll} />;
}
