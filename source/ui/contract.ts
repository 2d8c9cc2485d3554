/**
 * What the dashboard and its composition root (cli.tsx) agree on: the device snapshots the store hands
 * over, the callbacks that change it, and the live VM's operations. Plain values and functions only.
 */

import type {Device} from '../domain/device.js';
import type {RouteChange} from '../domain/routes.js';
import type {EditGuard} from '../domain/stale-edit.js';
import type {PaneId} from '../view-models/pane-names.js';
import type {LiveView} from '../view-models/panes.js';

/** The device at one revision of the store. */
export type DeviceSnapshot = {
	readonly device: Device;
	readonly revision: number;
	/** Stored routes the route rules refuse (`route … on Port3: why`), which the device leaves out. */
	readonly problems?: readonly string[];
};

/** What saving a change came to: the saved device, or why nothing was saved (with the store as it is now, when it could be read). */
export type ChangeOutcome =
	| ({readonly ok: true; readonly message: string} & DeviceSnapshot)
	| {readonly ok: false; readonly message: string; readonly current?: DeviceSnapshot};

/** A change of the store seen by the dashboard: a new snapshot, or why the file cannot be read. */
export type StoreChange = {readonly ok: true; readonly snapshot: DeviceSnapshot} | {readonly ok: false; readonly message: string};

/** What the dashboard remembers between runs, per store. */
export type DashboardPreferences = {
	readonly focusedPane?: PaneId;
	/** Most recent first. */
	readonly recentTraces?: readonly string[];
	/** How each pane was sorted, by pane id; a pane or column the dashboard does not know is ignored. */
	readonly sorts?: Readonly<Record<string, {readonly column: string; readonly descending: boolean}>>;
};

/** What the dashboard can do with a live VM's kernel. */
export type LiveOperations = {
	/** Names the VM (and namespace) in the header. */
	readonly label: string;
	/** Compares the device's routes with the kernel's. */
	readonly check: (device: Device) => LiveView;
	/** The `ip` commands that would make the kernel match, or why they cannot be worked out. */
	readonly plan: (device: Device) => {readonly ok: true; readonly changes: readonly string[]} | {readonly ok: false; readonly message: string};
	/** Runs them. */
	readonly apply: (device: Device) => {readonly ok: boolean; readonly message: string};
};

/** Props of the dashboard's root. */
export type AppProps = {
	/** The device as the store holds it when the dashboard opens. */
	readonly initial: DeviceSnapshot;
	/** The store file, named in the header. */
	readonly storeLabel: string;
	/** Whether keys that change the store are withheld. */
	readonly readOnly: boolean;
	/** Why the dashboard is read-only, when it is for another reason than `--read-only` (the store may only be read). */
	readonly readOnlyReason?: string;
	/** Applies a route change to the store in a transaction, refusing it if the edited route changed since the guard's revision. */
	readonly onChange: (change: (device: Device) => RouteChange, guard: EditGuard, onWait: () => void) => Promise<ChangeOutcome>;
	/** Subscribes to changes of the store made by anyone; returns the unsubscribe function. */
	readonly subscribe?: (listener: (change: StoreChange) => void) => () => void;
	/** With `--live`: the VM whose kernel the routes are compared with, and the operations on it. */
	readonly live?: LiveOperations;
	/** What the user's preferences remember of this store: the focused pane, the recent trace destinations. */
	readonly preferences?: DashboardPreferences;
	/** Called when something the preferences remember changes. */
	readonly onPreferencesChange?: (preferences: DashboardPreferences) => void;
	/** A notice to show once the dashboard opens (such as a preferences file that was replaced). */
	readonly startNotice?: string;
};
