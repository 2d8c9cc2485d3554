/**
 * The composition root: turns argv into a command or the dashboard, opens the store,
 * and hands plain values and callbacks to whichever front end runs.
 */

import fs from 'node:fs';
import process from 'node:process';
import packageJson from './package.json' with {type: 'json'};
import {type CommandContext, exitCodes, type ExitCode, UsageError} from './source/commands/context.js';
import {commands, findCommand, formatCommandHelp, formatGeneralHelp} from './source/commands/index.js';
import {formatStatusText} from './source/commands/status.js';
import type {Device, VmName} from './source/domain/device.js';
import {liveLabels} from './source/domain/live.js';
import {applyRouteEdit, checkStaleEdit} from './source/domain/routes.js';
import {parseCommandArgs} from './source/commands/parse.js';
import {applyToKernel, compareWithKernel} from './source/live/session.js';
import type {LiveOperations} from './source/ui/contract.js';
import {type DeviceStore, openStore, type StoreState, replaceStore, resolveStoreDir, StoreError} from './source/store/store.js';
import {initSharedStore} from './source/store/shared.js';

/** The options every invocation understands, wherever they stand. */
type GlobalOptions = {
	store: string | undefined;
	readOnly: boolean;
	help: boolean;
	version: boolean;
	rest: string[];
};

function takeGlobalOptions(argv: readonly string[]): GlobalOptions {
	const options: GlobalOptions = {store: undefined, readOnly: false, help: false, version: false, rest: []};
	for (let index = 0; index < argv.length; index++) {
		const argument = argv[index] ?? '';
		if (argument === '--store') {
			const value = argv[index + 1];
			if (value === undefined || value === '') {
				throw new UsageError('--store needs a directory, such as --store ./my-device');
			}
			options.store = value;
			index++;
		} else if (argument.startsWith('--store=')) {
			const value = argument.slice('--store='.length);
			if (value === '') {
				throw new UsageError('--store needs a directory, such as --store=./my-device');
			}
			options.store = value;
		} else if (argument === '--read-only') {
			options.readOnly = true;
		} else if (argument === '--help' || argument === '-h') {
			options.help = true;
		} else if (argument === '--version') {
			options.version = true;
		} else {
			options.rest.push(argument);
		}
	}
	return options;
}

/** Exit status of a command whose reader went away, as a shell reports one killed by SIGPIPE (which Node ignores). */
const brokenPipeStatus = 141;

/** Exit status of a command whose output could not be written (not `refused`: a change may have been saved). */
const outputFailedStatus = 1;

/**
 * Output that cannot be written ends the command at once. A reader that stops early (`edgenet route list
 * | head`) ends it quietly, as a closed pipe ends `cat`; any other failure (a full disk) is said on stderr.
 * A change is committed before anything about it is printed, so it is kept either way. Errors on stderr
 * itself are ignored: there is no one left to tell. Returns the writers of stdout and stderr; stderr's
 * stream is made when first written to (making it costs a few milliseconds most commands never need).
 */
function outputs(): {readonly out: (text: string) => void; readonly err: (text: string) => void} {
	let stderr: NodeJS.WriteStream | undefined;
	const err = (text: string) => {
		if (!stderr) {
			stderr = process.stderr;
			stderr.on('error', () => {});
		}
		stderr.write(text);
	};
	const stdout = process.stdout;
	stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') {
			err(`edgenet: cannot write the output: ${error.message}. A change the command made is saved all the same; \`edgenet route list\` and \`edgenet status\` show the store.\n`);
		}
		process.exit(error.code === 'EPIPE' ? brokenPipeStatus : outputFailedStatus);
	});
	return {
		out(text) {
			stdout.write(text);
		},
		err,
	};
}

async function main(argv: readonly string[]): Promise<ExitCode> {
	const {out, err} = outputs();
	let options: GlobalOptions;
	try {
		options = takeGlobalOptions(argv);
	} catch (error) {
		err(`edgenet: ${(error as Error).message}\nRun \`edgenet --help\` for usage.\n`);
		return exitCodes.usage;
	}
	const storeDir = resolveStoreDir(options.store);
	const readInput = (source: string): string => {
		try {
			return fs.readFileSync(source === '-' ? 0 : source, 'utf8');
		} catch (error) {
			throw new UsageError(`cannot read ${source === '-' ? 'standard input' : source}: ${(error as Error).message}`);
		}
	};
	let opened: DeviceStore | undefined;
	const context: CommandContext = {
		out,
		err,
		storeDir,
		openStore: () => (opened ??= openStore(storeDir)),
		replaceDevice: async (device, replaceOptions) => replaceStore(storeDir, device, new Date(), replaceOptions),
		shareStore: group => initSharedStore(storeDir, group),
		readInput,
	};
	try {
		return await runMain(options, context);
	} finally {
		// Closing checkpoints the write-ahead log into the database; a process that dies instead leaves it for the next one.
		opened?.close();
	}
}

async function runMain(options: GlobalOptions, context: CommandContext): Promise<ExitCode> {
	const {out, err} = context;
	const [name, ...args] = options.rest;

	if (options.version) {
		out(`edgenet ${packageJson.version}\n`);
		return exitCodes.ok;
	}
	if (name === undefined || name === 'help' || name.startsWith('-')) {
		if (options.help || name === 'help') {
			const topic = name === 'help' ? args[0] : undefined;
			const command = topic === undefined ? undefined : findCommand(topic);
			out(command ? formatCommandHelp(command) : formatGeneralHelp());
			return exitCodes.ok;
		}
		let dashboard: DashboardFlags;
		try {
			dashboard = parseDashboardFlags(options.rest);
		} catch (error) {
			return report(error, context, 'edgenet --help');
		}
		return runWithoutCommand(context, options.readOnly, dashboard);
	}
	const command = findCommand(name);
	if (!command) {
		err(`edgenet: unknown command "${name}". Commands: ${commands.map(candidate => candidate.name).join(', ')}. Run \`edgenet --help\` for usage.\n`);
		return exitCodes.usage;
	}
	if (options.help) {
		out(formatCommandHelp(command));
		return exitCodes.ok;
	}
	try {
		return await command.run(args, context);
	} catch (error) {
		return report(error, context, `edgenet ${command.name} --help`);
	}
}

function report(error: unknown, context: CommandContext, helpHint: string): ExitCode {
	if (error instanceof UsageError) {
		context.err(`edgenet: ${error.message}\nRun \`${helpHint}\` for usage.\n`);
		return exitCodes.usage;
	}
	if (error instanceof StoreError) {
		context.err(`edgenet: ${error.message}\n`);
		return exitCodes.refused;
	}
	throw error;
}

/** The dashboard's own options: a live VM to compare the routes with. */
type DashboardFlags = {readonly live: boolean; readonly netns: string | undefined; readonly vm: VmName};

function parseDashboardFlags(rest: readonly string[]): DashboardFlags {
	const {values} = parseCommandArgs(rest, {live: {type: 'boolean'}, netns: {type: 'string'}, vm: {type: 'string'}});
	const vm = values.vm ?? 'worker';
	if (vm !== 'master' && vm !== 'worker') {
		throw new UsageError(`--vm must be master or worker, got "${vm}"`);
	}
	if (!values.live && (values.netns !== undefined || values.vm !== undefined)) {
		throw new UsageError('--netns and --vm go with --live');
	}
	return {live: values.live ?? false, netns: values.netns, vm};
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
				? {ok: true, message: `applied ${result.commands.length} change${result.commands.length === 1 ? '' : 's'} to the ${vm} VM's kernel`}
				: {ok: false, message: result.error};
		},
	};
}

/**
 * Runs `load` with the global `fetch` hidden. Ink's layout engine (yoga) is WebAssembly embedded as a
 * `data:` URL, which its loader fetches whenever `fetch` exists; that loads Node's HTTP client (tens of
 * milliseconds and several MB) to decode a string it can decode directly, which it does when there is no `fetch`.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
	const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	if (!descriptor?.configurable) {
		return load();
	}
	Reflect.deleteProperty(globalThis, 'fetch');
	try {
		return await load();
	} finally {
		Object.defineProperty(globalThis, 'fetch', descriptor);
	}
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
		// React and Ink run their production builds (the development ones check and record more, costing time and memory), whatever the shell's NODE_ENV.
		process.env['NODE_ENV'] = 'production';
		// Raw mode at once: keys typed while the dashboard loads are kept as typed (a cooked terminal would
		// echo them and turn Enter into a newline) and reach the dashboard when it starts reading.
		process.stdin.setRawMode(true);
		const [{runDashboard}, {openPreferences}, {paneIds}] = await withoutFetch(async () =>
			Promise.all([import('./source/ui/dashboard.js'), import('./source/store/preferences.js'), import('./source/ui/keymap.js')]),
		);
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
			readOnly,
			preferences: {...(focusedPane ? {focusedPane} : {}), recentTraces: preferences.values.recentTraces ?? []},
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
		return report(error, context, 'edgenet --help');
	} finally {
		if (process.stdin.isTTY) {
			process.stdin.setRawMode(false);
		}
	}
}

process.exitCode = await main(process.argv.slice(2));
