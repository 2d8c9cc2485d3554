import {Table} from '@alcalzone/ink-table';
import {Box, Text, useApp, useInput} from 'ink';
import type {Device} from '../domain/device.js';
import {toPortRows} from '../view-models/device-rows.js';
import {sanitize} from '../view-models/sanitize.js';

/** Props of the dashboard's root. */
export type AppProps = {
	/** The device to show. */
	readonly device: Device;
	/** The store file, named in the header. */
	readonly storePath: string;
	/** Whether keys that change the store are withheld. */
	readonly readOnly: boolean;
};

/** The dashboard: a header naming the device and store, and the device's ports. */
export function App({device, storePath, readOnly}: AppProps) {
	const {exit} = useApp();
	useInput(input => {
		if (input === 'q') {
			exit();
		}
	});
	const ports = toPortRows(device);
	// The first frame shows what fits any terminal from 80 columns: the wide columns come with the full panes.
	const shown = ['PORT', 'SPEED', 'IP CONFIG', 'ADDRESS', 'GATEWAY', 'COMPUTE'];
	const data = ports.rows.map(row =>
		Object.fromEntries(
			ports.columns.flatMap((column, index) => (shown.includes(column.heading) ? [[column.heading, sanitize(row[index] ?? '')]] : [])),
		),
	);
	return (
		<Box flexDirection="column">
			<Text>
				<Text bold>edgenet</Text> device {sanitize(device.name)} · store {sanitize(storePath)}
				{readOnly ? ' · READ-ONLY' : ''}
			</Text>
			<Text bold>{ports.title}</Text>
			<Table data={data} />
			<Text dimColor>q quit</Text>
		</Box>
	);
}
