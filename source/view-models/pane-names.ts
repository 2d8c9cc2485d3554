/**
 * The names of the dashboard's five panes, in focus order (keys 1-5). A leaf module: the row builders,
 * the pane registry, the keymap and the status text all take a pane's title from here.
 */

/** The panes, in focus order (keys 1-5). */
export const paneIds = ['ports', 'switches', 'vms', 'pods', 'routes'] as const;

/** One of the dashboard's panes. */
export type PaneId = (typeof paneIds)[number];

/** How a pane is named: its title over the pane and in the help, and its shorter title on the compact layout's tabs. */
export type PaneName = {readonly title: string; readonly tabTitle: string};

/** Every pane's names. */
export const paneNames: Readonly<Record<PaneId, PaneName>> = {
	ports: {title: 'Ports', tabTitle: 'Ports'},
	switches: {title: 'Virtual switches', tabTitle: 'Switches'},
	vms: {title: 'Kubernetes VMs', tabTitle: 'VMs'},
	pods: {title: 'Pods & services', tabTitle: 'Pods'},
	routes: {title: 'Custom routes', tabTitle: 'Routes'},
};
