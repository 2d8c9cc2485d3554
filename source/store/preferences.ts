/**
 * The user's preferences, kept by conf in a small file of their own in the per-user config directory
 * (`preferences.json`), never in the device store: per store directory, the pane that was focused, how
 * each pane was sorted and the recent trace destinations. A broken file is reported once and replaced by defaults; it never
 * stops the program and never touches the device.
 */

import fs from 'node:fs';
import Conf from 'conf';
import {defaultStoreDir} from './location.js';

/** How a pane was sorted: by a column, and whether largest first. */
export type RememberedSort = {readonly column: string; readonly descending: boolean};

/** What the dashboard remembers for one store. */
export type StorePreferences = {
	readonly focusedPane?: string;
	readonly recentTraces?: readonly string[];
	/** By pane. */
	readonly sorts?: Readonly<Record<string, RememberedSort>>;
};

type PreferencesFile = {
	/** By store directory; the most recently used last. */
	readonly stores: Readonly<Record<string, StorePreferences & {readonly usedAt: string}>>;
};

/** How many stores are remembered. */
export const rememberedStores = 20;
/** How many trace destinations are remembered per store. */
export const rememberedTraces = 10;
/** The longest focused-pane name and trace destination the file keeps. */
const longestPaneName = 40;
const longestTrace = 300;
/** How many panes' sorts are remembered per store, and the longest sort column name kept. */
const rememberedSorts = 10;
const longestSortColumn = 40;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a store's sorts are what edgenet writes: up to ten panes by a short name, each with a short column name and a direction, nothing else. */
function isSorts(value: unknown): value is Readonly<Record<string, RememberedSort>> {
	if (!isRecord(value)) {
		return false;
	}
	const entries = Object.entries(value);
	return (
		entries.length <= rememberedSorts &&
		entries.every(([pane, sort]) => {
			if (pane.length > longestPaneName || !isRecord(sort)) {
				return false;
			}
			const {column, descending, ...rest} = sort;
			return Object.keys(rest).length === 0 && typeof column === 'string' && column.length <= longestSortColumn && typeof descending === 'boolean';
		})
	);
}

/** The sorts a save keeps: only what the check on reading accepts. */
function keptSorts(sorts: Readonly<Record<string, RememberedSort>>): Record<string, RememberedSort> {
	return Object.fromEntries(
		Object.entries(sorts)
			.filter(([pane, sort]) => pane.length <= longestPaneName && sort.column.length <= longestSortColumn)
			.slice(0, rememberedSorts)
			.map(([pane, sort]) => [pane, {column: sort.column, descending: sort.descending}]),
	);
}

/**
 * Whether what the file holds is what edgenet writes there: by store, when it was last used and, if set,
 * the focused pane (a short string), up to ten recent trace destinations and the panes' sorts. Checked by hand: the shape is
 * small, and a JSON schema would have conf compile a validator at every start.
 */
function isPreferencesFile(value: unknown): value is PreferencesFile {
	if (!isRecord(value) || !isRecord(value['stores'])) {
		return false;
	}
	return Object.values(value['stores']).every(entry => {
		if (!isRecord(entry)) {
			return false;
		}
		const {focusedPane, recentTraces, sorts, usedAt, ...rest} = entry;
		return (
			Object.keys(rest).length === 0 &&
			(focusedPane === undefined || (typeof focusedPane === 'string' && focusedPane.length <= longestPaneName)) &&
			(recentTraces === undefined ||
				(Array.isArray(recentTraces) && recentTraces.length <= rememberedTraces && recentTraces.every(trace => typeof trace === 'string' && trace.length <= longestTrace))) &&
			(sorts === undefined || isSorts(sorts)) &&
			typeof usedAt === 'string'
		);
	});
}

/** The preferences of one store, and how to change them. */
export type Preferences = {
	readonly values: StorePreferences;
	/** Why the file could not be read (it was replaced by defaults), once. */
	readonly problem: string | undefined;
	/** Saves new values for this store; a failure to save is ignored (preferences are never worth an error). */
	save(values: StorePreferences): void;
};

/** The directory the preferences file lives in (the per-user config directory). */
export function preferencesDir(): string {
	return defaultStoreDir();
}

function createConf(cwd: string): Conf<PreferencesFile> {
	return new Conf<PreferencesFile>({
		projectName: 'edgenet',
		cwd,
		configName: 'preferences',
		defaults: {stores: {}},
		clearInvalidConfig: false,
		configFileMode: 0o600,
	});
}

/** Opens the preferences for a store directory. Never throws. */
export function openPreferences(storeDir: string, cwd = preferencesDir()): Preferences {
	let conf: Conf<PreferencesFile> | undefined;
	let problem: string | undefined;
	let reason: string | undefined;
	try {
		conf = createConf(cwd);
		if (!isPreferencesFile(conf.store)) {
			reason = 'not what edgenet writes there';
		}
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		reason = message.includes('not valid JSON') ? 'not valid JSON' : (message.split('\n')[0] ?? 'unreadable');
	}
	if (reason !== undefined) {
		const file = `${cwd}/preferences.json`;
		problem = `preferences ${file} could not be read (${reason}); using defaults`;
		try {
			fs.rmSync(file, {force: true});
			conf = createConf(cwd);
		} catch {
			conf = undefined;
		}
	}
	const stores = conf?.get('stores') ?? {};
	const current = stores[storeDir];
	const values: StorePreferences = current ? {focusedPane: current.focusedPane, recentTraces: current.recentTraces, ...(current.sorts === undefined ? {} : {sorts: current.sorts})} : {};
	return {
		values,
		problem,
		save(next) {
			if (!conf) {
				return;
			}
			try {
				const all = {...conf.get('stores')};
				delete all[storeDir];
				const kept = Object.entries(all)
					.sort(([, a], [, b]) => a.usedAt.localeCompare(b.usedAt))
					.slice(-(rememberedStores - 1));
				const entry = {
					// Only what the check on reading accepts, so a save never makes the file one edgenet refuses.
					...(next.focusedPane === undefined || next.focusedPane.length > longestPaneName ? {} : {focusedPane: next.focusedPane}),
					...(next.recentTraces === undefined ? {} : {recentTraces: next.recentTraces.filter(trace => trace.length <= longestTrace).slice(0, rememberedTraces)}),
					...(next.sorts === undefined ? {} : {sorts: keptSorts(next.sorts)}),
					usedAt: new Date().toISOString(),
				};
				conf.set('stores', Object.fromEntries([...kept, [storeDir, entry]]));
			} catch {
				// A read-only home or a full disk costs only the remembered focus.
			}
		},
	};
}
