import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, test, vi} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import type {Device} from '../../source/domain/device.js';
import {App} from '../../source/ui/app.js';
import {useIdleWarmUp} from '../../source/ui/hooks/use-idle-warm-up.js';
import {bindingOf} from '../../source/ui/keymap.js';
import {keyBytes} from '../e2e/harness.js';

// Counts how often the pods pane is built, and how often its rows are asked for.
const podsPane = vi.hoisted(() => ({builds: 0, rows: 0}));
vi.mock('../../source/view-models/panes.js', async original => {
	const actual = await original<typeof import('../../source/view-models/panes.js')>();
	return {
		...actual,
		toPodsPane(...args: Parameters<typeof actual.toPodsPane>) {
			podsPane.builds++;
			const pane = actual.toPodsPane(...args);
			return {
				...pane,
				row(index: number) {
					podsPane.rows++;
					return pane.row(index);
				},
			};
		},
	};
});

const demo = createDemoDevice();
const mounted: Array<{unmount: () => void}> = [];
afterEach(() => {
	for (const instance of mounted.splice(0)) {
		instance.unmount();
	}
	podsPane.builds = 0;
	podsPane.rows = 0;
});
const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('the idle time after a frame', () => {
	test('makes ready the panes not shown, rows in view included: switching to the pods pane then builds no pane', async () => {
		// 100 columns by the testing library's default height: one pane at a time, the routes pane first.
		const instance = render(<App initial={{device: demo, revision: 1}} storeLabel="test.db" readOnly={false} onChange={async () => ({ok: false, message: 'no'})} />);
		mounted.push(instance);
		await wait(20);
		expect(instance.lastFrame()).toContain('5 Custom routes');
		const before = {...podsPane};
		await wait(200);
		expect(podsPane.builds).toBe(before.builds + 1);
		expect(podsPane.rows).toBeGreaterThan(before.rows);
		const ready = {...podsPane};
		instance.stdin.write(keyBytes(bindingOf('focus-pods').keys[0]!));
		await wait(50);
		expect(instance.lastFrame()).toContain('4 Pods & services');
		expect(podsPane.builds).toBe(ready.builds);
	});

	test('warms a device once, after its frame; a device replaced first is not warmed, and a failure is only time lost', async () => {
		const warmed: string[] = [];
		function Probe({device}: {readonly device: Device}) {
			useIdleWarmUp(device, current => {
				warmed.push(current.name);
				if (current.name === 'failing') {
					throw new Error('the store went away');
				}
			});
			return <Text>{device.name}</Text>;
		}
		const instance = render(<Probe device={{...demo, name: 'first'}} />);
		mounted.push(instance);
		await wait(20);
		expect(warmed).toEqual([]);
		instance.rerender(<Probe device={{...demo, name: 'second'}} />);
		await wait(200);
		expect(warmed).toEqual(['second']);
		instance.rerender(<Probe device={{...demo, name: 'failing'}} />);
		await wait(200);
		expect(warmed).toEqual(['second', 'failing']);
		expect(instance.lastFrame()).toBe('failing');
	});
});
