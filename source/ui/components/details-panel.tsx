import {type PaneId, paneRegistry} from '../../view-models/pane-registry.js';
import type {Details} from '../../view-models/panes.js';
import {type PanelLine, TextPanel} from './text-panel.js';

/** Props of the details of the selected row. */
export type DetailsPanelProps = {
	readonly pane: PaneId;
	/** Worked out only while the panel is shown: a pod's details search every service. */
	readonly details: Details;
	readonly width: number;
	readonly height: number;
	readonly scroll: number;
};

/** The details' lines, a label and value each; a long value goes on under itself. */
export function detailsPanelLines(details: Details): PanelLine[] {
	const labelWidth = Math.max(...details.map(([label]) => label.length), 0);
	return details.map(([label, value]) => ({text: `${label.padEnd(labelWidth)}  ${value}`, hang: labelWidth + 2}));
}

/** The selected row's details, scrolled with the movement keys when they do not fit. */
export function DetailsPanel({pane, details, width, height, scroll}: DetailsPanelProps) {
	return <TextPanel title={`${paneRegistry[pane].title} — details`} lines={detailsPanelLines(details)} width={width} height={height} scroll={scroll} />;
}
