/** Runs the built `edgenet` as a user would: as a command, or in a pseudo-terminal read through a headless terminal. */

import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {afterEach, expect} from 'vitest';

export const cliPath = path.join(import.meta.dirname, '../../dist/cli.js');

/** A fresh, empty store directory under the system temp directory. */
export function temporaryStore(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-e2e-'));
}

/** A per-user config directory of the tests' own, so the dashboard's preferences never land in the real home. */
export const testConfigHome = fs.mkdtempSync(path.join(os.tmpdir(), 'edgenet-config-'));
process.once('exit', () => {
	fs.rmSync(testConfigHome, {recursive: true, force: true});
});

/** The environment the program sees: no CI marker (Ink would draw only the last frame), no inherited store, the tests' own config directory. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && key !== 'CI' && key !== 'EDGENET_STORE' && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') {
			env[key] = value;
		}
	}
	return {...env, TERM: 'xterm-256color', XDG_CONFIG_HOME: testConfigHome, ...extra};
}

/** Runs `edgenet <args>` without a terminal. */
export function runCli(args: readonly string[], options: {input?: string; env?: Record<string, string>} = {}) {
	const result = spawnSync(process.execPath, [cliPath, ...args], {
		input: options.input ?? '',
		env: cleanEnv(options.env),
		encoding: 'utf8',
		timeout: 20_000,
	});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

/** Whether a screen shows every one of the texts. */
export const showsAll =
	(...texts: string[]) =>
	(screen: string) =>
		texts.every(text => screen.includes(text));

/**
 * The screen shows the texts and has drawn its footer line (the one above the last) as given. Ink redraws
 * the footer last, so a wait for this is a wait for the whole frame.
 */
export const frameWith =
	(footer: string, ...texts: string[]) =>
	(screen: string) =>
		showsAll(...texts)(screen) && screen.split('\n').at(-2) === footer;

/** A running `edgenet` in a pseudo-terminal, with the screen as a person sees it. */
export type TerminalSession = {
	/** The visible screen, one string per row, trailing spaces trimmed. */
	screen(): string[];
	/** Everything the program has written so far. */
	output(): string;
	/** Types keys. */
	press(keys: string): void;
	resize(columns: number, rows: number): void;
	/**
	 * Waits until the whole screen shows the text (or the predicate on it holds), then returns that very
	 * screen, one string per row, so what a test asserts is the frame it waited for, never a later or half-drawn one.
	 */
	waitFor(expected: string | ((screen: string) => boolean), timeoutMs?: number): Promise<string[]>;
	/** Resolves with the exit code once the program ends. */
	exited: Promise<number>;
	/** Whether the terminal is on its alternate screen. */
	isAlternateScreen(): boolean;
	/** The columns of a screen row drawn in inverse video, and the palette colour of each (undefined: the terminal's own). */
	inverseCells(row: number): Array<{column: number; colour: number | undefined}>;
	kill(signal?: string): void;
};

export function startTerminal(args: readonly string[], options: {columns?: number; rows?: number; env?: Record<string, string>} = {}): TerminalSession {
	const columns = options.columns ?? 100;
	const rows = options.rows ?? 30;
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true});
	const env = cleanEnv(options.env);
	// node-pty sets TERM from `name`.
	const child = pty.spawn(process.execPath, [cliPath, ...args], {name: env['TERM'] ?? 'xterm-256color', cols: columns, rows, cwd: process.cwd(), env});
	let raw = '';
	let pending = Promise.resolve();
	child.onData(data => {
		raw += data;
		pending = new Promise(resolve => {
			terminal.write(data, resolve);
		});
	});
	const exited = new Promise<number>(resolve => {
		child.onExit(({exitCode}) => {
			resolve(exitCode);
		});
	});
	const screen = () => {
		const buffer = terminal.buffer.active;
		const lines: string[] = [];
		for (let row = 0; row < terminal.rows; row++) {
			lines.push((buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '').trimEnd());
		}
		return lines;
	};
	return {
		screen,
		output: () => raw,
		press(keys) {
			child.write(keys);
		},
		resize(newColumns, newRows) {
			terminal.resize(newColumns, newRows);
			child.resize(newColumns, newRows);
		},
		async waitFor(expected, timeoutMs = 10_000) {
			const matches = typeof expected === 'string' ? (text: string) => text.includes(expected) : expected;
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				await pending;
				const lines = screen();
				const text = lines.join('\n');
				if (matches(text)) {
					return lines;
				}
				if (Date.now() > deadline) {
					throw new Error(`timed out waiting for ${typeof expected === 'string' ? JSON.stringify(expected) : 'the screen'}; the screen shows:\n${text}`);
				}
				await new Promise(resolve => setTimeout(resolve, 25));
			}
		},
		exited,
		isAlternateScreen: () => terminal.buffer.active.type === 'alternate',
		inverseCells(row) {
			const buffer = terminal.buffer.active;
			const line = buffer.getLine(buffer.viewportY + row);
			const cells: Array<{column: number; colour: number | undefined}> = [];
			for (let column = 0; column < terminal.cols; column++) {
				const cell = line?.getCell(column);
				if (cell?.isInverse()) {
					cells.push({column, colour: cell.isFgDefault() ? undefined : cell.getFgColor()});
				}
			}
			return cells;
		},
		kill(signal) {
			child.kill(signal);
		},
	};
}

const keySequences = {
	tab: '\t',
	escape: '\u001B',
	backspace: '\u007F',
	delete: '\u001B[3~',
	leftArrow: '\u001B[D',
	rightArrow: '\u001B[C',
	upArrow: '\u001B[A',
	downArrow: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	return: '\r',
	home: '\u001B[H',
	end: '\u001B[F',
} as const;

/** The bytes a terminal sends for a key spec of the keymap (a spec of any text or any other key has no bytes of its own). */
export function keyBytes(spec: {input?: string; key?: keyof typeof keySequences; shift?: boolean; ctrl?: boolean}): string {
	if (spec.key === 'tab' && spec.shift) {
		return '\u001B[Z';
	}
	if (spec.key) {
		return keySequences[spec.key];
	}
	if (spec.ctrl && spec.input) {
		return String.fromCodePoint(spec.input.toUpperCase().codePointAt(0)! - 64);
	}
	return spec.input ?? '';
}


/**
 * Temporary stores and terminal sessions for a test file: every store is removed and every session
 * killed after each test.
 */
export function useTestResources() {
	const dirs: string[] = [];
	const sessions: TerminalSession[] = [];
	afterEach(() => {
		for (const session of sessions.splice(0)) {
			session.kill('SIGKILL');
		}
		for (const dir of dirs.splice(0)) {
			fs.rmSync(dir, {recursive: true, force: true});
		}
	});
	const emptyStore = () => {
		const dir = temporaryStore();
		dirs.push(dir);
		return dir;
	};
	return {
		/** A new directory with no store in it yet. */
		emptyStore,
		/** A new store holding the demo device, written by `edgenet reset --demo`. */
		demoStore() {
			const dir = emptyStore();
			expect(runCli(['reset', '--demo', '--store', dir]).status).toBe(0);
			return dir;
		},
		/** `edgenet <args>` in a pseudo-terminal. */
		terminal(args: readonly string[], options: Parameters<typeof startTerminal>[1] = {}) {
			const session = startTerminal(args, options);
			sessions.push(session);
			return session;
		},
	};
}
