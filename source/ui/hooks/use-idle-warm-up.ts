import {useEffect} from 'react';
import type {Device} from '../../domain/device.js';

/** How long after a device is drawn its other panes are made ready: the frame is written by then. */
const afterFrameMs = 100;

/**
 * Once a device is on screen, `warm` makes ready what the next keys are likely to show, in the idle time
 * after the frame: on a large device the pods pane reads 20,000 pods and indexes their labels, some 100 ms
 * that pressing `4` would otherwise wait for, while the first frame need not. Nothing is drawn; a device
 * that changes first cancels it, and a failure (the store gone meanwhile) is left for the key that needs
 * the data to report.
 */
export function useIdleWarmUp(device: Device, warm: (device: Device) => void): void {
	useEffect(() => {
		const timer = setTimeout(() => {
			try {
				warm(device);
			} catch {
				// Only time was to be saved: the key that needs the data reads it again and reports what fails.
			}
		}, afterFrameMs);
		timer.unref();
		return () => {
			clearTimeout(timer);
		};
		// `warm` reads the latest state itself; a new device is what asks for a new warm-up.
	}, [device]);
}
