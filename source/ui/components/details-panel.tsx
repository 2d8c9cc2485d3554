import {type PaneId, paneRegistry} from '../../view-models/pane-registry.js';
import type {Details} from '../../view-models/panes.js';
import {TextPanel} from './text-panel.js';

/** Props of the details of the selected row. */
export type DetailsPanelProps = {
	readonly pane: PaneId;
	/** Worked out only while the panel is shown: a pod's details search every service. */
	readonly details: Details;
	readonly width: number;
	readonly height: number;
};

/** The selected row's details, a label and value a line. */
export function DetailsPanel({pane, details, width, height}: DetailsPanelProps) {
	const labelWidth = Math.max(...details.map(([label]) => label.length), 0);
	return <TextPanel title={`${paneRegistry[pane].title} — details`} lines={details.map(([label, value]) => ({text: `${label.padEnd(labelWidth)}  ${value}`}))} width={width} height={height} />;
}
