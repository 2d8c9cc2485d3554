/**
 * The user's preferences, kept by conf in a small file of their own in the per-user config directory
 * (`preferences.json`), never in the device store: per store directory, the pane that was focused and
 * the recent trace destinations. A broken file is reported once and replaced by defaults; it never
 * stops the program and never touches the device.
 */

import fs from 'node:fs';
import Conf from 'conf';
import envPaths from 'env-paths';

/** What the dashboard remembers for one store. */
export type StorePreferences = {
	readonly focusedPane?: string;
	readonly recentTraces?: readonly string[];
};

type PreferencesFile = {
	/** By store directory; the most recently used last. */
	readonly stores: Readonly<Record<string, StorePreferences & {readonly usedAt: string}>>;
};

/** How many stores and trace destinations are remembered. */
export const rememberedStores = 20;
export const rememberedTraces = 10;

const schema = {
	stores: {
		type: 'object',
		additionalProperties: {
			type: 'object',
			additionalProperties: false,
			properties: {
				focusedPane: {type: 'string', maxLength: 40},
				recentTraces: {type: 'array', maxItems: rememberedTraces, items: {type: 'string', maxLength: 300}},
				usedAt: {type: 'string'},
			},
		},
	},
} as const;

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
	return envPaths('edgenet', {suffix: ''}).config;
}

function createConf(cwd: string): Conf<PreferencesFile> {
	return new Conf<PreferencesFile>({
		projectName: 'edgenet',
		cwd,
		configName: 'preferences',
		// conf's Schema<T> cannot express a record of objects; the schema above is checked by conf as it is.
		schema: schema as never,
		defaults: {stores: {}},
		clearInvalidConfig: false,
		configFileMode: 0o600,
	});
}

/** Opens the preferences for a store directory. Never throws. */
export function openPreferences(storeDir: string, cwd = preferencesDir()): Preferences {
	let conf: Conf<PreferencesFile> | undefined;
	let problem: string | undefined;
	try {
		conf = createConf(cwd);
	} catch (error) {
		const file = `${cwd}/preferences.json`;
		const message = error instanceof Error ? error.message : String(error);
		const reason = message.includes('not valid JSON') ? 'not valid JSON' : message.includes('schema violation') ? 'not what edgenet writes there' : (message.split('\n')[0] ?? 'unreadable');
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
	const values: StorePreferences = current ? {focusedPane: current.focusedPane, recentTraces: current.recentTraces} : {};
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
					...(next.focusedPane === undefined ? {} : {focusedPane: next.focusedPane}),
					...(next.recentTraces === undefined ? {} : {recentTraces: next.recentTraces.slice(0, rememberedTraces)}),
					usedAt: new Date().toISOString(),
				};
				conf.set('stores', Object.fromEntries([...kept, [storeDir, entry]]));
			} catch {
				// A read-only home or a full disk costs only the remembered focus.
			}
		},
	};
}
