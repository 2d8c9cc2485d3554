// `npm run bench`: drives the built edgenet in a real pseudo-terminal (100x30) and measures each figure
// side by side with its reference in the same run, the two interleaved (A, B, A, B, …) so a busy machine
// slows both alike; prints a table (wall time, and CPU time where /usr/bin/time can tell it) and the
// machine's load before and after, and writes bench/results.json. Figures are medians of several runs.

import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {build} from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const node = process.execPath;
const columns = 100;
const rows = 30;
const runs = Number(process.env.BENCH_RUNS ?? 7);

// The dashboard's preferences go to a directory of the bench's own, emptied before every session, so each one starts as a first start does.
const configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-bench-config-'));
const env = {
	...Object.fromEntries(Object.entries(process.env).filter(([key]) => !['CI', 'NO_COLOR', 'FORCE_COLOR', 'EDGENET_STORE'].includes(key))),
	XDG_CONFIG_HOME: configHome,
};

const median = values => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** Starts a program in a pseudo-terminal with a headless terminal as its screen. */
function startSession(args, cwd = root) {
	fs.rmSync(path.join(configHome, 'edgenet'), {recursive: true, force: true});
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true});
	const started = performance.now();
	const child = pty.spawn(node, args, {name: 'xterm-256color', cols: columns, rows, cwd, env});
	const session = {child, terminal, started, bytes: 0, lastOutput: started, exited: false};
	let pending = Promise.resolve();
	child.onData(data => {
		session.bytes += Buffer.byteLength(data);
		session.lastOutput = performance.now();
		pending = new Promise(resolve => terminal.write(data, resolve));
	});
	child.onExit(() => {
		session.exited = true;
	});
	session.screen = async () => {
		await pending;
		const buffer = terminal.buffer.active;
		const lines = [];
		for (let row = 0; row < rows; row++) {
			lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
		}
		return lines.join('\n');
	};
	session.waitFor = async (text, timeoutMs = 30_000) => {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			if ((await session.screen()).includes(text)) {
				return performance.now();
			}
			if (performance.now() > deadline || session.exited) {
				throw new Error(`${args.join(' ')}: "${text}" never appeared:\n${await session.screen()}`);
			}
			await sleep(1);
		}
	};
	/** Waits for output after `since` (up to a second), then until the program has written nothing for `quietMs`; returns the time of its last write. */
	session.settle = async (quietMs = 60, since = -1) => {
		const giveUp = performance.now() + 1000;
		while (session.lastOutput <= since && performance.now() < giveUp) {
			await sleep(1);
		}
		for (;;) {
			await sleep(2);
			if (performance.now() - session.lastOutput >= quietMs) {
				return session.lastOutput;
			}
		}
	};
	session.stop = async () => {
		child.write('q');
		for (let waited = 0; !session.exited && waited < 2000; waited += 10) {
			await sleep(10);
		}
		if (!session.exited) {
			child.kill('SIGKILL');
		}
	};
	return session;
}

/** Milliseconds from spawn until the text is on screen. */
async function firstFrame(args, text) {
	const session = startSession(args);
	const at = await session.waitFor(text);
	await session.stop();
	return at - session.started;
}

/** A key press: milliseconds until the screen settles, and the bytes written for it; also the bytes of the first full frame. */
async function keystroke(args, readyText, setupKeys, key) {
	const session = startSession(args);
	await session.waitFor(readyText);
	// The terminal switches to raw mode just after the first frame; keys sent before that are cooked.
	await session.settle(300);
	for (const setup of setupKeys) {
		const at = performance.now();
		session.child.write(setup);
		await session.settle(60, at);
	}
	const fullFrame = session.bytes;
	const times = [];
	const bytes = [];
	for (let press = 0; press < runs; press++) {
		const before = session.bytes;
		const pressed = performance.now();
		session.child.write(key);
		const last = await session.settle(60, pressed);
		times.push(last - pressed);
		bytes.push(session.bytes - before);
	}
	await session.stop();
	return {ms: median(times), bytes: median(bytes), fullFrameBytes: fullFrame};
}

/** Peak resident memory (VmHWM) of the dashboard after it has drawn and handled some keys. */
async function peakMemory(args, readyText) {
	const session = startSession(args);
	await session.waitFor(readyText);
	await session.settle(300);
	for (const key of ['G', 'g', '\u001B[B', '4', 'G']) {
		const at = performance.now();
		session.child.write(key);
		await session.settle(60, at);
	}
	const status = fs.readFileSync(`/proc/${session.child.pid}/status`, 'utf8');
	await session.stop();
	return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command to its end: wall milliseconds, and CPU milliseconds (user + system) where GNU time is there to tell. */
function timeCommand(command, args) {
	const started = performance.now();
	const result = gnuTime
		? spawnSync(gnuTime, ['-f', 'edgenet-bench-cpu %U %S', command, ...args], {env, encoding: 'utf8', maxBuffer: 1 << 30})
		: spawnSync(command, args, {env, encoding: 'utf8', maxBuffer: 1 << 30});
	const wall = performance.now() - started;
	if (result.status !== 0) {
		throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
	}
	const cpu = /edgenet-bench-cpu (\d+\.\d+) (\d+\.\d+)/.exec(result.stderr ?? '');
	return {wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : Number.NaN};
}

async function repeat(times, measure) {
	const values = [];
	for (let index = 0; index < times; index++) {
		values.push(await measure(index));
	}
	return median(values);
}

/** Runs two measures interleaved, A then B, `times` times; the median of each. Measures return a number or {wall, cpu}. */
async function interleave(times, measureA, measureB) {
	const a = [];
	const b = [];
	for (let index = 0; index < times; index++) {
		a.push(await measureA(index));
		b.push(await measureB(index));
	}
	const summary = values =>
		typeof values[0] === 'number' ? {wall: median(values), cpu: Number.NaN} : {wall: median(values.map(value => value.wall)), cpu: median(values.map(value => value.cpu))};
	return [summary(a), summary(b)];
}

const row = (figure, value, unit, reference, referenceValue, goal, ratio, cpu) => ({
	figure,
	value: Number(value.toFixed(3)),
	unit,
	reference,
	referenceValue: Number(referenceValue.toFixed(3)),
	ratio: Number(ratio.toFixed(3)),
	goal,
	...(cpu && Number.isFinite(cpu.value) ? {cpuMs: Number(cpu.value.toFixed(1)), referenceCpuMs: Number(cpu.reference.toFixed(1)), cpuRatio: Number((cpu.value / cpu.reference).toFixed(3))} : {}),
});

const load = () => os.loadavg().map(value => value.toFixed(2)).join(' ');

async function main() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-bench-'));
	const demoStore = path.join(work, 'demo');
	const largeStore = path.join(work, 'large');
	execFileSync(node, [cli, 'reset', '--demo', '--store', demoStore], {env});
	execFileSync(node, [cli, 'demo', '--generate', '--routes', '10000', '--pods', '20000', '--services', '2000', '--seed', '1', '--store', largeStore], {env});
	const results = [];
	const loadBefore = load();
	console.log(`load average (1, 5, 15 min) before: ${loadBefore}`);
	const report = entry => {
		results.push(entry);
		const cpu = entry.cpuMs === undefined ? '' : `  cpu ${entry.cpuMs} vs ${entry.referenceCpuMs} ms (${entry.cpuRatio}x)`;
		console.log(`${entry.figure.padEnd(44)} ${String(entry.value).padStart(10)} ${entry.unit.padEnd(5)} vs ${entry.reference.padEnd(30)} ${String(entry.referenceValue).padStart(10)}  ratio ${String(entry.ratio).padStart(7)}  goal ${entry.goal}${cpu}`);
	};

	// 1. First frame.
	const [nodeEFrame, minimalInkFrame] = await interleave(runs, () => firstFrame(['-e', "console.log('ready'); setTimeout(() => {}, 5000)"], 'ready'), () => firstFrame([path.join(root, 'bench/minimal-ink.mjs')], 'ready'));
	const nodeE = nodeEFrame.wall;
	const minimalInk = minimalInkFrame.wall;
	const demoFirst = await repeat(runs, () => firstFrame([cli, '--store', demoStore], '5 Custom routes'));
	report(row('first frame, demo device', demoFirst, 'ms', 'minimal Ink app', minimalInk, '<= 1.2x', demoFirst / minimalInk));
	report(row('minimal Ink app first frame', minimalInk, 'ms', 'node -e printing a line', nodeE, '(reference)', minimalInk / nodeE));

	// 2. Keystroke.
	const list = await keystroke([path.join(root, 'bench/minimal-list.mjs')], 'ready', [], '\u001B[B');
	const demoKey = await keystroke([cli, '--store', demoStore], '5 Custom routes', ['4'], '\u001B[B');
	const largeKey = await keystroke([cli, '--store', largeStore], '5 Custom routes', [], '\u001B[B');
	report(row('keystroke (down), demo device', demoKey.ms, 'ms', 'minimal Ink list', list.ms, 'median <= 16 ms', demoKey.ms / list.ms));
	report(row('keystroke (down), 10,000 routes', largeKey.ms, 'ms', 'minimal Ink list', list.ms, 'median <= 16 ms', largeKey.ms / list.ms));
	report(row('bytes for a one-row move, demo', demoKey.bytes, 'B', 'full redraw of the screen', demoKey.fullFrameBytes, '<= 0.10', demoKey.bytes / demoKey.fullFrameBytes));
	report(row('bytes for a one-row move, 10,000 routes', largeKey.bytes, 'B', 'full redraw of the screen', largeKey.fullFrameBytes, '<= 0.10', largeKey.bytes / largeKey.fullFrameBytes));

	// 3. Scale.
	const [demoFrame, largeFrame] = await interleave(runs, () => firstFrame([cli, '--store', demoStore], '5 Custom routes'), () => firstFrame([cli, '--store', largeStore], '5 Custom routes'));
	report(row('first frame, 10k routes/20k pods/2k services', largeFrame.wall, 'ms', 'first frame, demo device', demoFrame.wall, '<= 1.5x', largeFrame.wall / demoFrame.wall));
	const lookupScript = path.join(root, 'node_modules/.cache/edgenet-bench/lookup.mjs');
	await build({entryPoints: [path.join(root, 'bench/lookup.ts')], outfile: lookupScript, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning'});
	const lookup = JSON.parse(execFileSync(node, [lookupScript], {env, encoding: 'utf8'}));
	report(row('lookup, 10,000 routes, 100,000 destinations', lookup.microsecondsPerLookup, 'us', 'goal', 50, '<= 50 us', lookup.microsecondsPerLookup / 50));
	let added = 0;
	const add = store => timeCommand(node, [cli, 'route', 'add', '--interface', 'Port3', '--destination', `198.18.${Math.floor(added / 256)}.${added++ % 256}/32`, '--next-hop', '192.168.10.1', '--metric', '7', '--store', store]);
	const [addDemo, addLarge] = await interleave(runs, () => add(demoStore), () => add(largeStore));
	report(row('edgenet route add, 10k-route device', addLarge.wall, 'ms', 'edgenet route add, demo device', addDemo.wall, '<= 1.3x', addLarge.wall / addDemo.wall, {value: addLarge.cpu, reference: addDemo.cpu}));
	const memory = await peakMemory([cli, '--store', largeStore], '5 Custom routes');
	report(row('dashboard peak memory, large device', memory, 'MB', 'goal', 150, '<= 150 MB', memory / 150));

	// 4. Scripts.
	// The reference prints the very JSON `route list --json` prints, from a file.
	const file = path.join(work, 'routes.json');
	fs.writeFileSync(file, execFileSync(node, [cli, 'route', 'list', '--json', '--store', largeStore], {env, maxBuffer: 1 << 30}));
	const [catJson, listJson] = await interleave(
		runs,
		() => timeCommand(node, ['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(file)}))`]),
		() => timeCommand(node, [cli, 'route', 'list', '--json', '--store', largeStore]),
	);
	report(row('route list --json, 10,000 routes', listJson.wall, 'ms', 'node -e printing the same JSON', catJson.wall, '<= 2x', listJson.wall / catJson.wall, {value: listJson.cpu, reference: catJson.cpu}));
	console.log(`load average (1, 5, 15 min) after: ${load()}`);

	const machine = {cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`};
	fs.writeFileSync(path.join(root, 'bench/results.json'), `${JSON.stringify({date: new Date().toISOString(), machine, load: {before: loadBefore, after: load()}, runs, results}, undefined, 2)}\n`);
	console.log(`\n${machine.cpus} x ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}; medians of ${runs} runs. Written to bench/results.json.`);
	fs.rmSync(work, {recursive: true, force: true});
	fs.rmSync(configHome, {recursive: true, force: true});
}

await main();
