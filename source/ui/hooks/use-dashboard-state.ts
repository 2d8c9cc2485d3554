import {type RefObject, useRef, useState} from 'react';
import type {Device} from '../../domain/device.js';
import type {DeviceSnapshot} from '../contract.js';
import {type UiAction, type UiState, uiReducer} from '../state.js';

/** The device, its revision, the routes the store refuses, and the UI state, as the latest key left them. */
export type DashboardSnapshot = {
	readonly device: Device;
	readonly revision: number;
	readonly problems: readonly string[];
	readonly state: UiState;
};

/** The dashboard's state: `latest` is updated as each key is handled, `rendered` is the copy React last drew from. */
export type DashboardState = {
	readonly latest: RefObject<DashboardSnapshot>;
	readonly rendered: DashboardSnapshot;
	/** Applies a UI action to the latest state and asks for a frame. */
	readonly dispatch: (action: UiAction) => void;
	/** Takes a device from the store as the latest. */
	readonly setSnapshot: (snapshot: DeviceSnapshot) => void;
};

/** Holds the dashboard's state. Keys are handled against the latest state, which may be ahead of the last frame when keys arrive faster than frames. */
export function useDashboardState(initial: DeviceSnapshot, opening: UiState): DashboardState {
	const latest = useRef<DashboardSnapshot>({device: initial.device, revision: initial.revision, problems: initial.problems ?? [], state: opening});
	const [rendered, setRendered] = useState(latest.current);
	const dispatch = (action: UiAction) => {
		latest.current = {...latest.current, state: uiReducer(latest.current.state, action)};
		setRendered(latest.current);
	};
	const setSnapshot = (snapshot: DeviceSnapshot) => {
		latest.current = {...latest.current, device: snapshot.device, revision: snapshot.revision, problems: snapshot.problems ?? latest.current.problems};
		setRendered(latest.current);
	};
	return {latest, rendered, dispatch, setSnapshot};
}
