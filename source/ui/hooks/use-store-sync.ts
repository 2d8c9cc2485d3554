import {useEffect} from 'react';
import type {StoreChange} from '../contract.js';
import type {DashboardState} from './use-dashboard-state.js';

/** Follows changes of the store made by anyone: a new device is taken with a notice, an unreadable store raises the banner until it can be read again. */
export function useStoreSync(subscribe: ((listener: (change: StoreChange) => void) => () => void) | undefined, {latest, dispatch, setSnapshot}: DashboardState): void {
	useEffect(
		() =>
			subscribe?.(change => {
				if (!change.ok) {
					dispatch({type: 'store-problem', message: change.message});
					return;
				}
				if (latest.current.state.storeProblem !== null) {
					dispatch({type: 'store-problem', message: null});
				}
				if (change.snapshot.revision !== latest.current.revision) {
					setSnapshot(change.snapshot);
					dispatch({type: 'notice-shown', notice: {text: 'updated from another session', tone: 'info'}});
				}
			}),
		[subscribe],
	);
}
