/** Starts the dashboard on a terminal and resolves with the exit code once the user quits or the session ends. */

import process from 'node:process';
import {render} from 'ink';
import {App} from './app.js';
import type {AppProps} from './contract.js';
import {compactTerminalOutput} from './terminal-output.js';

/** What the dashboard is started with: the props of its root. */
export type DashboardOptions = AppProps;

const signalExitCodes = {SIGTERM: 143, SIGHUP: 129} as const;

/** Renders the dashboard full-screen (alternate screen, incremental redraws) until the user quits. */
export async function runDashboard(options: DashboardOptions): Promise<number> {
	const instance = render(<App {...options} />, {
		alternateScreen: true,
		incrementalRendering: true,
		interactive: true,
		exitOnCtrlC: false,
		patchConsole: false,
		stdout: compactTerminalOutput(process.stdout),
	});
	let exitCode = 0;
	// A dropped SSH session (SIGHUP) or a kill (SIGTERM): leave the alternate screen and restore the terminal.
	const handlers = Object.entries(signalExitCodes).map(([signal, code]) => {
		const handler = () => {
			exitCode = code;
			instance.unmount();
		};
		process.once(signal, handler);
		return [signal, handler] as const;
	});
	try {
		await instance.waitUntilExit();
	} finally {
		for (const [signal, handler] of handlers) {
			process.off(signal, handler);
		}
	}
	return exitCode;
}
