/** The one registry of the dashboard's panes: each pane's id, titles and the builder of its rows. */

import type {Device} from '../domain/device.js';
import {type PaneId, paneIds, paneNames} from './pane-names.js';
import {type LiveView, type PaneRows, toPodsPane, toPortsPane, toRoutesPane, toSwitchesPane, toVmsPane} from './panes.js';

/** A pane of the dashboard. */
export type PaneEntry = {
	readonly id: PaneId;
	/** Shown over the pane and in the help. */
	readonly title: string;
	/** Shown on the compact layout's tabs. */
	readonly tabTitle: string;
	/** Its rows for a device (and, for the routes pane, a live VM's kernel). */
	readonly build: (device: Device, live: LiveView | undefined) => PaneRows;
	/** Whether its rows depend on the live view, so they are rebuilt when it changes. */
	readonly usesLive: boolean;
};

const builders: Record<PaneId, PaneEntry['build']> = {
	ports: toPortsPane,
	switches: toSwitchesPane,
	vms: toVmsPane,
	pods: toPodsPane,
	routes: toRoutesPane,
};

/** Every pane by id. */
export const paneRegistry: Readonly<Record<PaneId, PaneEntry>> = Object.fromEntries(
	paneIds.map(id => [id, {id, ...paneNames[id], build: builders[id], usesLive: id === 'routes'}]),
) as Record<PaneId, PaneEntry>;

/** The panes in focus order. */
export const paneEntries: readonly PaneEntry[] = paneIds.map(id => paneRegistry[id]);

export {type PaneId, paneIds} from './pane-names.js';
