/**
 * The composition root: turns argv into a command or the dashboard, opens the store,
 * and hands plain values and callbacks to whichever front end runs.
 */

import fs from 'node:fs';
import process from 'node:process';
import packageJson from './package.json' with {type: 'json'};
import {type CommandContext, exitCodes, type ExitCode, UsageError, waitingForLock} from './source/commands/context.js';
import {dispatch, reportFailure} from './source/commands/dispatch.js';
import {type DashboardFlags, type GlobalOptions, takeGlobalOptions} from './source/commands/invocation.js';
import {decodeText} from './source/commands/input-text.js';
import {outputs} from './source/commands/outputs.js';
import {reportUsage} from './source/commands/report.js';
import {formatStatusText} from './source/commands/status.js';
import type {Device} from './source/domain/device.js';
import {liveLabels} from './source/domain/live.js';
import {plural} from './source/domain/plural.js';
import {applyRouteEdit} from './source/domain/routes.js';
import {checkStaleEdit} from './source/domain/stale-edit.js';
import {applyToKernel, compareWithKernel} from './source/live/session.js';
import type {LiveOperations} from './source/ui/contract.js';
import {type DeviceStore, openStore, type StoreState, replaceStore, resolveStoreDir, StoreError} from './source/store/store.js';
import {initSharedStore} from './source/store/shared.js';

/** Builds the command context from argv and the environment, runs what argv asks for, and closes the store it opened. */
async function main(argv: readonly string[]): Promise<ExitCode> {
	const {out, err} = outputs();
	let options: GlobalOptions;
	try {
		options = takeGlobalOptions(argv);
	} catch (error) {
		return reportUsage({err}, (error as Error).message, 'edgenet --help');
	}
	const storeDir = resolveStoreDir(options.store);
	const readInput = (source: string): string => {
		try {
			return decodeText(fs.readFileSync(source === '-' ? 0 : source));
		} catch (error) {
			throw new UsageError(`cannot read ${source === '-' ? 'standard input' : source}: ${(error as Error).message}`);
		}
	};
	let opened: DeviceStore | undefined;
	const context: CommandContext = {
		out,
		err,
		// Opening an older store upgrades it, which may wait for another writer as a change does.
		openStore: () => (opened ??= openStore(storeDir, new Date(), {onWait: waitingForLock({err})})),
		replaceDevice: async (device, replaceOptions) => replaceStore(storeDir, device, new Date(), replaceOptions),
		shareStore: group => initSharedStore(storeDir, group),
		readInput,
		isStoreError: error => error instanceof StoreError,
	};
	try {
		return await dispatch(options, context, {version: packageJson.version, runWithoutCommand: async flags => runWithoutCommand(context, options.readOnly, flags)});
	} finally {
		// Closing checkpoints the write-ahead log into the database; a process that dies instead leaves it for the next one.
		opened?.close();
	}
}

/** The dashboard's operations on a live VM's kernel: the same ones `edgenet live` runs. */
function liveOperations({netns, vm}: DashboardFlags): LiveOperations {
	const target = {vm, netns};
	return {
		label: `${vm}${netns === undefined ? '' : ` (netns ${netns})`}`,
		check(device) {
			const comparison = compareWithKernel(device, target);
			return comparison.ok ? {labels: liveLabels(comparison.differences)} : {error: comparison.error};
		},
		plan(device) {
			const dry = applyToKernel(device, target, true);
			return dry.ok ? {ok: true, changes: dry.commands} : {ok: false, message: dry.error};
		},
		apply(device) {
			const result = applyToKernel(device, target);
			return result.ok
				? {ok: true, message: `applied ${plural(result.commands.length, 'change')} to the ${vm} VM's kernel`}
				: {ok: false, message: result.error};
		},
	};
}

/** No command: the dashboard at a terminal, otherwise the status text. */
async function runWithoutCommand(context: CommandContext, readOnly: boolean, flags: DashboardFlags): Promise<ExitCode> {
	try {
		const store = context.openStore();
		if (!process.stdin.isTTY || !process.stdout.isTTY) {
			const {device, problems} = store.read();
			context.out(formatStatusText(device, store.path, problems));
			return exitCodes.ok;
		}
		// Ink's colours come from chalk, which reads the environment once when it loads: decide before loading the UI.
		if ((process.env['NO_COLOR'] ?? '') !== '' || process.env['TERM'] === 'dumb') {
			process.env['FORCE_COLOR'] = '0';
		}
		// Raw mode at once: keys typed while the dashboard loads are kept as typed (a cooked terminal would
		// echo them and turn Enter into a newline) and reach the dashboard when it starts reading.
		process.stdin.setRawMode(true);
		const [{runDashboard}, {openPreferences}, {paneIds, storeReadOnlyReason}] = await Promise.all([
			import('./source/ui/dashboard.js'),
			import('./source/store/preferences.js'),
			import('./source/ui/keymap.js'),
		]);
		const preferences = openPreferences(store.dir);
		const focusedPane = paneIds.find(pane => pane === preferences.values.focusedPane);
		// The dashboard's revision names the database too: one put in place of the store's file starts its own count.
		const dashboardRevision = (revision: number) => store.generation * 2 ** 32 + revision;
		const snapshotOf = (state: StoreState) => ({
			device: state.device,
			revision: dashboardRevision(state.revision),
			problems: state.problems.map(problem => `${problem.name}: ${problem.reason}`),
		});
		const readCurrent = () => {
			try {
				return snapshotOf(store.read());
			} catch {
				return undefined;
			}
		};
		const code = await runDashboard({
			initial: snapshotOf(store.read()),
			storeLabel: store.path,
			// A store this user may only read opens the dashboard read-only, as --read-only does, saying why a change key does nothing.
			readOnly: readOnly || !store.writable,
			...(readOnly || store.writable ? {} : {readOnlyReason: storeReadOnlyReason}),
			preferences: {...(focusedPane ? {focusedPane} : {}), recentTraces: preferences.values.recentTraces ?? [], ...(preferences.values.sorts ? {sorts: preferences.values.sorts} : {})},
			onPreferencesChange(values) {
				preferences.save(values);
			},
			...(preferences.problem ? {startNotice: preferences.problem} : {}),
			async onChange(change, guard, onWait) {
				try {
					let seen: Device | undefined;
					// The dashboard's changes read `device.routes` (it holds them all anyway), so the edit applies to the device it was made on.
					const result = await store.update((device, revision) => {
						seen = device;
						return checkStaleEdit(device, dashboardRevision(revision), guard) ?? change(device);
					}, {onWait});
					if (result.ok) {
						const current = readCurrent();
						return {
							problems: current?.problems ?? [],
							ok: true,
							device: current?.device ?? applyRouteEdit(seen!, result.edit),
							revision: dashboardRevision(result.revision),
							message: result.message,
						};
					}
					const current = readCurrent();
					return current ? {ok: false, message: result.message, current} : {ok: false, message: result.message};
				} catch (error) {
					if (error instanceof StoreError) {
						return {ok: false, message: error.message};
					}
					throw error;
				}
			},
			...(flags.live ? {live: liveOperations(flags)} : {}),
			subscribe: listener =>
				store.watch(event => {
					listener(event.ok ? {ok: true, snapshot: snapshotOf(event.state)} : event);
				}),
		});
		return code as ExitCode;
	} catch (error) {
		return reportFailure(error, context, 'edgenet --help');
	} finally {
		if (process.stdin.isTTY) {
			process.stdin.setRawMode(false);
		}
	}
}

process.exitCode = await main(process.argv.slice(2));
