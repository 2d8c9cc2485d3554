/** Starts the dashboard on a terminal and resolves with the exit code once the user quits. */

import process from 'node:process';
import {render} from 'ink';
import type {ExitCode} from '../commands/context.js';
import type {DeviceStore} from '../store/store.js';
import {App} from './app.js';

export type DashboardOptions = {
	readonly store: DeviceStore;
	readonly readOnly: boolean;
};

/** Renders the dashboard full-screen until the user quits or the session ends. */
export async function runDashboard({store, readOnly}: DashboardOptions): Promise<ExitCode> {
	const state = store.read();
	const instance = render(<App device={state.device} storePath={store.path} readOnly={readOnly} />, {
		alternateScreen: true,
		incrementalRendering: true,
		interactive: true,
		exitOnCtrlC: true,
		patchConsole: false,
	});
	// A dropped SSH session (SIGHUP) or a kill (SIGTERM): restore the terminal and leave.
	const onSignal = () => {
		instance.unmount();
	};
	process.once('SIGTERM', onSignal);
	process.once('SIGHUP', onSignal);
	try {
		await instance.waitUntilExit();
	} finally {
		process.off('SIGTERM', onSignal);
		process.off('SIGHUP', onSignal);
	}
	return 0;
}
