import {paneRegistry} from '../../view-models/pane-registry.js';
import {type HelpLine, helpLines, type KeyContext} from '../keymap.js';
import {type PanelLine, TextPanel} from './text-panel.js';

/** Props of the `?` help. */
export type HelpPanelProps = {
	readonly keys: KeyContext;
	readonly width: number;
	readonly height: number;
};

function toPanelLine(line: HelpLine): PanelLine {
	const where = line.scope === 'routes' ? '  (routes pane)' : '';
	const reason = line.disabledReason === undefined ? '' : `  (not now: ${line.disabledReason})`;
	return {text: `${line.keys.padEnd(12)} ${line.description}${where}${reason}`, ...(line.disabledReason === undefined ? {} : {tone: 'muted' as const})};
}

/** The help, generated from the keymap: every key of the focused pane (a disabled one with its reason), then how to close the help. */
export function HelpPanel({keys, width, height}: HelpPanelProps) {
	const lines: PanelLine[] = [...helpLines('main', keys).map(line => toPanelLine(line)), {text: ''}, ...helpLines('overlay', keys).map(line => ({...toPanelLine(line), tone: 'muted' as const}))];
	return <TextPanel title={`Keys — ${paneRegistry[keys.pane].title}`} lines={lines} width={width} height={height} />;
}
