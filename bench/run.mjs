// `npm run bench`: measures the built edgenet (dist/, the production build) beside a reference for every
// figure, in the same run. Two things compared always alternate (A, B, A, B, …), so load on the machine
// falls on both alike. Every time is given as wall time and as CPU time (user + system) of the program
// measured: for a command, from the process's own resource usage at exit (bench/cpu-usage.cjs, preloaded
// into edgenet and the reference alike); for a program in the pseudo-terminal, from the scheduler's count
// of its threads' run time (/proc/<pid>/task/*/schedstat). The reference Ink apps (bench/minimal-*.mjs) are
// built by the same production build as edgenet. Prints the machine's CPUs and load before and after, a
// table, and writes bench/results.json. BENCH_RUNS sets the runs per figure (default 15).

import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {build} from 'esbuild';
import {productionBuild} from '../scripts/production-build.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const usagePreload = path.join(root, 'bench/cpu-usage.cjs');
const node = process.execPath;
const columns = 100;
const rows = 30;
const runs = Number(process.env.BENCH_RUNS ?? 15);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-bench-'));
// The dashboard's preferences go to a directory of the bench's own, emptied before every session, so each
// one starts as a first start does; edgenet's compile cache goes to a cache directory of the bench's own,
// and the reference apps' compile cache (NODE_COMPILE_CACHE, set for them below) beside it.
const configHome = path.join(work, 'config');
const cacheHome = path.join(work, 'cache');
const env = {
	...Object.fromEntries(Object.entries(process.env).filter(([key]) => !['CI', 'NO_COLOR', 'FORCE_COLOR', 'EDGENET_STORE', 'NODE_COMPILE_CACHE', 'NODE_OPTIONS'].includes(key))),
	XDG_CONFIG_HOME: configHome,
	XDG_CACHE_HOME: cacheHome,
};
const referenceEnv = {...env, NODE_COMPILE_CACHE: path.join(cacheHome, 'reference')};

const median = values => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** CPU milliseconds a process has run so far, all its threads together. */
function cpuOf(pid) {
	let nanoseconds = 0;
	for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
		try {
			nanoseconds += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
		} catch {
			// A thread that ended between the listing and the read.
		}
	}
	return nanoseconds / 1e6;
}

/** Peak resident memory (VmHWM) of a process, in MB. */
const peakRssOf = pid => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** A program in a pseudo-terminal of `columns` x `rows`, with a headless terminal as its screen. */
function startSession(args, sessionEnv = env) {
	fs.rmSync(configHome, {recursive: true, force: true});
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true});
	const started = performance.now();
	const child = pty.spawn(node, args, {name: 'xterm-256color', cols: columns, rows, cwd: root, env: sessionEnv});
	const session = {child, started, bytes: 0, lastOutput: started, exited: false};
	const waiters = new Set();
	const screen = () => {
		const buffer = terminal.buffer.active;
		const lines = [];
		for (let row = 0; row < rows; row++) {
			lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
		}
		return lines.join('\n');
	};
	child.onData(data => {
		const at = performance.now();
		session.bytes += Buffer.byteLength(data);
		session.lastOutput = at;
		terminal.write(data, () => {
			if (waiters.size === 0) {
				return;
			}
			const text = screen();
			for (const waiter of waiters) {
				if (text.includes(waiter.text)) {
					waiters.delete(waiter);
					waiter.resolve({at, cpuMs: cpuOf(child.pid)});
				}
			}
		});
	});
	child.onExit(() => {
		session.exited = true;
		for (const waiter of waiters) {
			waiter.reject(new Error(`${args.join(' ')} ended before "${waiter.text}" appeared:\n${screen()}`));
		}
	});
	/** When the text first showed on the screen (the time its bytes arrived), and the program's CPU time then. */
	session.waitFor = (text, timeoutMs = 60_000) =>
		new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: "${text}" never appeared:\n${screen()}`)), timeoutMs);
			waiters.add({
				text,
				resolve(value) {
					clearTimeout(timer);
					resolve(value);
				},
				reject,
			});
		});
	/**
	 * Waits until the program is done with what it was given: it has written nothing and used no CPU for
	 * `quietMs`, and at least `quietMs` have passed since `since`. Returns the time of its last write and
	 * its CPU time then.
	 */
	session.settle = async (since, quietMs = 80) => {
		let cpu = cpuOf(child.pid);
		let busyAt = since;
		for (;;) {
			await sleep(10);
			const now = performance.now();
			const next = cpuOf(child.pid);
			// Less than a millisecond in 10 ms is a program at rest: the dashboard's poll of the store costs about 0.3 ms.
			if (next - cpu > 1) {
				busyAt = now;
			}
			cpu = next;
			if (now - Math.max(busyAt, session.lastOutput, since) >= quietMs) {
				return {lastOutput: session.lastOutput, cpuMs: cpu};
			}
		}
	};
	/** Presses a key and waits for the program to settle: wall time to its last write, CPU time used, bytes written. */
	session.press = async key => {
		const bytes = session.bytes;
		const cpu = cpuOf(child.pid);
		const pressed = performance.now();
		child.write(key);
		const settled = await session.settle(pressed);
		return {wallMs: Math.max(0, settled.lastOutput - pressed), cpuMs: settled.cpuMs - cpu, bytes: session.bytes - bytes};
	};
	session.peakRssMb = () => peakRssOf(child.pid);
	session.stop = async () => {
		// Ctrl-C: edgenet's interrupt key from any view, Ink's own exit in the reference apps, SIGINT for node -e.
		child.write('\u0003');
		for (let waited = 0; !session.exited && waited < 3000; waited += 10) {
			await sleep(10);
		}
		if (!session.exited) {
			child.kill('SIGKILL');
		}
	};
	return session;
}

/** Time and CPU from spawn to the text on screen. */
async function firstFrame(args, text, sessionEnv) {
	const session = startSession(args, sessionEnv);
	const {at, cpuMs} = await session.waitFor(text);
	await session.stop();
	return {wall: at - session.started, cpu: cpuMs};
}

/** Runs a command to its end: wall milliseconds, and CPU milliseconds of the process. */
function timeCommand(args, commandEnv = env) {
	const usageFile = path.join(work, 'usage.jsonl');
	fs.rmSync(usageFile, {force: true});
	const started = performance.now();
	const result = spawnSync(node, ['--require', usagePreload, ...args], {env: {...commandEnv, BENCH_USAGE_FILE: usageFile}, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe']});
	const wall = performance.now() - started;
	if (result.status !== 0) {
		throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
	}
	return {wall, cpu: JSON.parse(fs.readFileSync(usageFile, 'utf8')).cpuMs};
}

/** Runs A and B alternately, once each unmeasured (the compile caches are written then), then `runs` times each; the medians. */
async function alternate(measureA, measureB, times = runs) {
	await measureA();
	await measureB();
	const a = [];
	const b = [];
	for (let index = 0; index < times; index++) {
		a.push(await measureA(index));
		b.push(await measureB(index));
	}
	const summary = values => ({wall: median(values.map(value => value.wall)), cpu: median(values.map(value => value.cpu))});
	return [summary(a), summary(b)];
}

const results = [];
const round = (value, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);

/**
 * One figure beside its reference. `limit` is the goal: a ratio for `kind: 'ratio'`, an amount for
 * `kind: 'amount'` (then the value itself is judged). Wall and CPU are judged each where both are given.
 */
function report({figure, unit, value, reference, referenceValue, goal, limit, kind}) {
	const ratioOf = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN);
	// A time is wall time beside CPU time; bytes, memory and a lookup's microseconds are one amount.
	const entry = {
		figure,
		unit,
		value: round(value.wall, unit === 'B' ? 0 : 1),
		cpu: round(value.cpu),
		reference,
		referenceValue: round(referenceValue?.wall, unit === 'B' ? 0 : 1),
		referenceCpu: round(referenceValue?.cpu),
		ratio: round(ratioOf(value.wall, referenceValue?.wall), 3),
		cpuRatio: round(ratioOf(value.cpu, referenceValue?.cpu), 3),
		goal,
	};
	if (limit !== undefined) {
		const judged = kind === 'amount' ? [value.wall, value.cpu] : [entry.ratio, entry.cpuRatio];
		const [first, cpu] = judged.map(amount => (Number.isFinite(amount) ? amount <= limit : undefined));
		entry.met = {[unit === 'ms' ? 'wall' : 'value']: first, ...(cpu === undefined ? {} : {cpu})};
	}
	results.push(entry);
	console.log(`  ${figure}: ${entry.value ?? '-'} ${unit}${entry.cpu === null ? '' : ` (cpu ${entry.cpu} ms)`} vs ${reference} ${entry.referenceValue ?? '-'}${entry.referenceCpu === null ? '' : ` (cpu ${entry.referenceCpu})`}`);
}

const load = () => os.loadavg().map(value => value.toFixed(2)).join(' ');

/** The keys pressed on the large device, each after a ↓ or ↑ in the minimal Ink list: every pane, moves, details, a sort and filter typing. */
function keyPlan() {
	const down = '\u001B[B';
	const up = '\u001B[A';
	const pageDown = '\u001B[6~';
	const pageUp = '\u001B[5~';
	const escape = '\u001B';
	const moves = [
		['↓', down],
		['↓', down],
		['↑', up],
		['PgDn', pageDown],
		['PgUp', pageUp],
		['G', 'G'],
		['g', 'g'],
		['Enter (details)', '\r'],
		['↓ (details)', down],
		['Esc (close details)', escape],
	];
	const filter = text => [['/', '/'], ...[...text].map(character => [`type ${character}`, character]), ['Backspace', '\u007F'], ['↓ (into the results)', down], ['Esc (clear)', escape]];
	return [
		// The routes pane (10,000 routes) is focused at start; the first moves also give the bytes of a one-row move.
		...Array.from({length: 6}, (_, index) => (index % 2 === 0 ? ['↓ (routes, one row)', down] : ['↑ (routes, one row)', up])),
		...moves.map(([name, key]) => [`${name} (routes)`, key]),
		['M (sort routes by metric)', 'M'],
		['M (again, the other way)', 'M'],
		['D (sort routes by destination)', 'D'],
		...filter('10.1').map(([name, key]) => [`${name} (routes filter)`, key]),
		// The pods pane: 2,000 services, then 20,000 pods; G selects the last pod.
		['4 (pods)', '4'],
		...moves.map(([name, key]) => [`${name} (pods pane, a service selected)`, key]),
		['G (the last pod)', 'G'],
		...[up, down, up, 'k', 'j', up, pageUp, pageDown, '\r', down, escape].map((key, index) => [
			`${{[up]: '↑', [down]: '↓', [pageUp]: 'PgUp', [pageDown]: 'PgDn', '\r': 'Enter (details)', [escape]: 'Esc (close details)'}[key] ?? key} (a pod selected${index === 9 ? ', details' : ''})`,
			key,
		]),
		// Pod names start app-; the filter leaves pods only, the last pod selected.
		...filter('app-19').map(([name, key]) => [`${name} (pods filter, pods selected)`, key]),
		...['1', '2', '3'].flatMap(pane => [[`${pane} (pane ${pane})`, pane], ...moves.map(([name, key]) => [`${name} (pane ${pane})`, key])]),
		['Tab (next pane)', '\t'],
		['Shift-Tab (previous pane)', '\u001B[Z'],
		['5 (routes)', '5'],
	];
}

const benchStarted = performance.now();
const section = name => console.log(`${name} (at ${((performance.now() - benchStarted) / 1000).toFixed(0)} s)`);

async function main() {
	console.log(`${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average (1, 5, 15 min) before: ${load()}`);
	const loadBefore = load();
	section('setup: the stores and the reference apps');
	const demoStore = path.join(work, 'demo');
	const largeStore = path.join(work, 'large');
	execFileSync(node, [cli, 'reset', '--demo', '--store', demoStore], {env});
	execFileSync(node, [cli, 'demo', '--generate', '--routes', '10000', '--pods', '20000', '--services', '2000', '--seed', '1', '--store', largeStore], {env});
	const referenceDir = path.join(work, 'reference');
	await productionBuild({entryPoints: {'minimal-ink': 'bench/minimal-ink.mjs', 'minimal-list': 'bench/minimal-list.mjs'}, outdir: referenceDir});
	// As dist/ is, under a package.json that says its .js files are ES modules: without one Node would parse each file to find out.
	fs.writeFileSync(path.join(referenceDir, 'package.json'), '{"type": "module"}\n');
	const minimalInk = path.join(referenceDir, 'minimal-ink.js');
	const minimalList = path.join(referenceDir, 'minimal-list.js');
	const routesTitle = '5 Custom routes';

	section('first frames');
	const nodeLine = ['-e', "console.log('ready'); setTimeout(() => {}, 10000)"];
	const [demoFrame, inkFrame] = await alternate(
		() => firstFrame([cli, '--store', demoStore], routesTitle),
		() => firstFrame([minimalInk], 'ready', referenceEnv),
	);
	report({figure: 'first frame, demo device', unit: 'ms', value: demoFrame, reference: 'minimal Ink app', referenceValue: inkFrame, goal: '<= 1.0x', limit: 1});
	const [inkFrameAgain, nodeFrame] = await alternate(
		() => firstFrame([minimalInk], 'ready', referenceEnv),
		() => firstFrame(nodeLine, 'ready'),
	);
	report({figure: '(minimal Ink app, first frame)', unit: 'ms', value: inkFrameAgain, reference: 'node -e printing a line', referenceValue: nodeFrame, goal: 'reference'});
	const [largeFrame, demoFrameAgain] = await alternate(
		() => firstFrame([cli, '--store', largeStore], routesTitle),
		() => firstFrame([cli, '--store', demoStore], routesTitle),
	);
	report({figure: 'first frame, large device', unit: 'ms', value: largeFrame, reference: 'demo device', referenceValue: demoFrameAgain, goal: '<= 1.3x', limit: 1.3});

	section('keys');
	// A real full frame at this size: everything the program writes to draw its first screen, before any key.
	const demo = startSession([cli, '--store', demoStore]);
	await demo.waitFor(routesTitle);
	await demo.settle(performance.now(), 300);
	const demoFullFrame = demo.bytes;
	await demo.press('4');
	const demoMoves = [];
	for (let press = 0; press < runs; press++) {
		demoMoves.push((await demo.press(press % 2 === 0 ? '\u001B[B' : '\u001B[A')).bytes);
	}
	await demo.stop();

	const list = startSession([minimalList], referenceEnv);
	await list.waitFor('ready');
	await list.settle(performance.now(), 300);
	const large = startSession([cli, '--store', largeStore]);
	await large.waitFor(routesTitle);
	await large.settle(performance.now(), 300);
	const largeFullFrame = large.bytes;
	const largeFirstFrameRss = large.peakRssMb();
	// What the dashboard costs doing nothing (the store's poll), to judge the per-key figures by.
	const idleStart = cpuOf(large.child.pid);
	await sleep(2000);
	const idleCpuPerSecond = (cpuOf(large.child.pid) - idleStart) / 2;
	const keys = [];
	const listKeys = [];
	for (const [name, key] of keyPlan()) {
		listKeys.push(await list.press(listKeys.length % 2 === 0 ? '\u001B[B' : '\u001B[A'));
		const pressed = await large.press(key);
		keys.push({key: name, wallMs: round(pressed.wallMs), cpuMs: round(pressed.cpuMs), bytes: pressed.bytes});
	}
	const largePeakRss = large.peakRssMb();
	const listPeakRss = list.peakRssMb();
	await large.stop();
	await list.stop();
	const keyCpu = keys.map(key => key.cpuMs);
	const listCpu = listKeys.map(key => key.cpuMs);
	const summary = values => ({median: round(median(values)), max: round(Math.max(...values))});
	report({figure: 'any key, large device: median', unit: 'ms', value: {wall: median(keys.map(key => key.wallMs)), cpu: median(keyCpu)}, reference: 'minimal Ink list key', referenceValue: {wall: median(listKeys.map(key => key.wallMs)), cpu: median(listCpu)}, goal: 'cpu <= 16 ms', limit: 16, kind: 'amount'});
	report({figure: 'any key, large device: slowest', unit: 'ms', value: {wall: Math.max(...keys.map(key => key.wallMs)), cpu: Math.max(...keyCpu)}, reference: 'minimal Ink list key', referenceValue: {wall: Math.max(...listKeys.map(key => key.wallMs)), cpu: Math.max(...listCpu)}, goal: 'cpu <= 50 ms', limit: 50, kind: 'amount'});
	const routeMoves = keys.filter(key => key.key.endsWith('(routes, one row)')).map(key => key.bytes);
	report({figure: 'bytes for a one-row move, demo', unit: 'B', value: {wall: median(demoMoves)}, reference: 'full frame at 100x30', referenceValue: {wall: demoFullFrame}, goal: '<= 0.10', limit: 0.1});
	report({figure: 'bytes for a one-row move, 10,000 routes', unit: 'B', value: {wall: median(routeMoves)}, reference: 'full frame at 100x30', referenceValue: {wall: largeFullFrame}, goal: '<= 0.10', limit: 0.1});
	report({figure: 'dashboard peak memory, large device, after the keys', unit: 'MB', value: {wall: largePeakRss}, reference: 'minimal Ink list, after as many', referenceValue: {wall: listPeakRss}, goal: '<= 130 MB', limit: 130, kind: 'amount'});
	report({figure: '(the same, at its first frame)', unit: 'MB', value: {wall: largeFirstFrameRss}, reference: 'goal', referenceValue: {wall: 130}, goal: '<= 130 MB', limit: 130, kind: 'amount'});

	section('commands');
	const [version, nodePrint] = await alternate(
		() => timeCommand([cli, '--version']),
		() => timeCommand(['-e', "console.log('edgenet 0.0.0')"]),
	);
	report({figure: 'edgenet --version', unit: 'ms', value: version, reference: 'node -e printing a line', referenceValue: nodePrint, goal: '<= 1.5x', limit: 1.5});
	// The reference prints the very JSON `route list --json` prints, from a file.
	const routesJson = path.join(work, 'routes.json');
	fs.writeFileSync(routesJson, execFileSync(node, [cli, 'route', 'list', '--json', '--store', largeStore], {env, maxBuffer: 1 << 30}));
	const [listJson, printJson] = await alternate(
		() => timeCommand([cli, 'route', 'list', '--json', '--store', largeStore]),
		() => timeCommand(['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(routesJson)}))`]),
	);
	report({figure: 'route list --json, 10,000 routes', unit: 'ms', value: listJson, reference: 'node -e printing the same JSON', referenceValue: printJson, goal: '<= 2x', limit: 2});
	let added = 0;
	const add = store => timeCommand([cli, 'route', 'add', '--interface', 'Port3', '--destination', `198.18.${Math.floor(added / 256)}.${added++ % 256}/32`, '--next-hop', '192.168.10.1', '--metric', '7', '--store', store]);
	const [addLarge, addDemo] = await alternate(
		() => add(largeStore),
		() => add(demoStore),
	);
	report({figure: 'route add, large device', unit: 'ms', value: addLarge, reference: 'route add, demo device', referenceValue: addDemo, goal: '<= 1.3x', limit: 1.3});
	const lookupScript = path.join(work, 'lookup.mjs');
	await build({entryPoints: [path.join(root, 'bench/lookup.ts')], outfile: lookupScript, bundle: true, platform: 'node', format: 'esm', minify: true, logLevel: 'warning'});
	const lookup = JSON.parse(execFileSync(node, [lookupScript], {env, encoding: 'utf8'}));
	report({figure: 'lookup, 10,000 routes, 100,000 destinations', unit: 'us', value: {wall: lookup.microsecondsPerLookup}, reference: 'goal', referenceValue: {wall: 50}, goal: '<= 50 us', limit: 50, kind: 'amount'});

	section('done');
	const loadAfter = load();
	const machine = {cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`};
	const slowest = [...keys].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 8);
	fs.writeFileSync(
		path.join(root, 'bench/results.json'),
		`${JSON.stringify({date: new Date().toISOString(), machine, load: {before: loadBefore, after: loadAfter}, runs, idleCpuMsPerSecond: round(idleCpuPerSecond), keys: {largeDevice: summary(keyCpu), minimalList: summary(listCpu), slowest, all: keys}, results}, undefined, 2)}\n`,
	);

	const verdict = met => (met ? 'met' : 'missed');
	const judged = entry => {
		if (entry.met === undefined) {
			return entry.goal;
		}
		const verdicts = Object.entries(entry.met);
		return `${entry.goal}: ${verdicts.length === 1 ? verdict(verdicts[0][1]) : verdicts.map(([what, met]) => `${what} ${verdict(met)}`).join(', ')}`;
	};
	const cell = (wall, cpu, unit) => `${wall ?? '-'} ${unit}${cpu === null ? '' : ` (cpu ${cpu})`}`;
	const table = [
		['figure', 'edgenet', 'reference', 'ratio (wall / cpu)', 'goal'],
		...results.map(entry => [
			entry.figure,
			cell(entry.value, entry.cpu, entry.unit),
			`${entry.reference} ${cell(entry.referenceValue, entry.referenceCpu, entry.unit)}`,
			`${entry.ratio ?? '-'}${entry.cpuRatio === null ? '' : ` / ${entry.cpuRatio}`}`,
			judged(entry),
		]),
	];
	const widths = table[0].map((_, column) => Math.max(...table.map(line => line[column].length)));
	console.log('');
	for (const line of table) {
		console.log(line.map((text, column) => text.padEnd(widths[column])).join('  ').trimEnd());
	}
	console.log(`\nslowest keys on the large device (cpu ms): ${slowest.map(key => `${key.key} ${key.cpuMs}`).join('; ')}`);
	console.log(`the dashboard at rest on the large device uses ${round(idleCpuPerSecond)} ms of CPU a second (the store's poll)`);
	console.log(`${machine.cpus} x ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}; load average (1, 5, 15 min) before ${loadBefore}, after ${loadAfter}; medians of ${runs} runs. Written to bench/results.json.`);
}

try {
	await main();
} finally {
	fs.rmSync(work, {recursive: true, force: true});
}
