import {useEffect, useRef, useState} from 'react';
import type {Device} from '../../domain/device.js';
import type {LiveView} from '../../view-models/panes.js';
import type {LiveOperations} from '../contract.js';

/** How often the live VM's kernel is read again. */
const pollMs = 5000;

/** The live view and how to read it again now. */
export type LiveViewHandle = {
	/** The kernel as last read; the same object for the frame and for the keys, so both reuse one routes pane. */
	readonly current: () => LiveView | undefined;
	/** Reads the kernel again (after applying changes to it). */
	readonly refresh: () => void;
};

/** With `--live`, compares the device with the VM's kernel when the device changes and every few seconds. */
export function useLiveView(live: LiveOperations | undefined, device: Device, latestDevice: () => Device): LiveViewHandle {
	const view = useRef<LiveView | undefined>(undefined);
	const [, setFrame] = useState(0);
	const refresh = () => {
		if (live) {
			view.current = live.check(latestDevice());
			setFrame(frame => frame + 1);
		}
	};
	useEffect(() => {
		refresh();
		if (!live) {
			return undefined;
		}
		const timer = setInterval(refresh, pollMs);
		return () => {
			clearInterval(timer);
		};
	}, [live, device]);
	return {current: () => view.current, refresh};
}
