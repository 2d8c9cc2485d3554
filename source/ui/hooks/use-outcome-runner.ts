import type {Device, Route} from '../../domain/device.js';
import type {RouteEdit} from '../../domain/routes.js';
import type {AppProps} from '../contract.js';
import {planOutcome} from '../input/main-input.js';
import type {Effect, Outcome} from '../input/outcome.js';
import {waitingForStoreNotice} from '../../view-models/store-notices.js';
import type {DashboardState} from './use-dashboard-state.js';
import type {LiveViewHandle} from './use-live-view.js';
import type {PreferencesHandle} from './use-preferences.js';

/** What carrying out an effect needs. */
export type OutcomeRunnerOptions = {
	readonly state: DashboardState;
	readonly onChange: AppProps['onChange'];
	readonly live: AppProps['live'];
	readonly liveView: LiveViewHandle;
	readonly preferences: PreferencesHandle;
	readonly exit: () => void;
	/** Where a route is among the routes pane's shown rows, on the latest device, under its filter and sort; undefined when the filter hides it. */
	readonly locateRoute: (route: Route) => number | undefined;
};

/** Carries out what a key press came to: its actions, then its effect (the one layer here with side effects). */
export function useOutcomeRunner({state, onChange, live, liveView, preferences, exit, locateRoute}: OutcomeRunnerOptions): (outcome: Outcome) => void {
	const {latest, dispatch, setSnapshot} = state;
	const perform = async (effect: Effect): Promise<void> => {
		switch (effect.kind) {
			case 'exit': {
				exit();
				return;
			}
			case 'remember-trace': {
				preferences.rememberTrace(effect.destination);
				return;
			}
			case 'plan-live': {
				if (live) {
					run(planOutcome(live.plan(latest.current.device)));
				}
				return;
			}
			case 'apply-live': {
				if (live) {
					const result = live.apply(latest.current.device);
					liveView.refresh();
					dispatch({type: 'notice-shown', notice: {text: result.message, tone: result.ok ? 'info' : 'error'}});
				}
				return;
			}
			case 'save': {
				// The edit the change made, to take back with `u`: the change runs inside the store's transaction.
				let edit: RouteEdit | undefined;
				const change = (device: Device) => {
					const result = effect.change(device);
					edit = result.ok ? result.edit : undefined;
					return result;
				};
				const outcome = await onChange(change, effect.guard, () => {
					dispatch({type: 'notice-shown', notice: {text: waitingForStoreNotice, tone: 'info'}});
				});
				if (outcome.ok) {
					setSnapshot(outcome);
					// The route the change added or edited (or the undo brought back) is selected, where the pane's sort put it.
					const after = edit?.after;
					const selected = after ? locateRoute(after) : undefined;
					const hidden = after !== undefined && selected === undefined && latest.current.state.filters.routes !== '' ? ' The filter hides it.' : '';
					const text = `${effect.undo ? `Undone: ${outcome.message}` : outcome.message}${hidden}`;
					dispatch({type: 'change-saved', text, ...(edit ? {edit: {edit, revision: outcome.revision}} : {}), ...(effect.undo ? {undone: true} : {}), ...(selected === undefined ? {} : {selected})});
					return;
				}
				if (outcome.current) {
					setSnapshot(outcome.current);
				}
				for (const action of effect.refused?.(outcome.current) ?? []) {
					dispatch(action);
				}
				dispatch({type: 'notice-shown', notice: {text: outcome.message, tone: 'error'}});
			}
		}
	};
	function run(outcome: Outcome): void {
		for (const action of outcome.actions) {
			dispatch(action);
		}
		if (outcome.effect) {
			void perform(outcome.effect);
		}
	}
	return run;
}
