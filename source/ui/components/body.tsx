import type {Layout} from '../layout.js';
import {bodySize} from '../overlay-scroll.js';
import type {KeyContext} from '../keymap.js';
import type {UiState} from '../state.js';
import type {View} from '../view.js';
import {ConfirmPanel} from './confirm-panel.js';
import {DetailsPanel} from './details-panel.js';
import {HelpPanel} from './help-panel.js';
import {PaneGrid} from './pane-grid.js';
import {RouteForm} from './route-form.js';
import {TracePanel} from './trace-panel.js';

/** Props of what is between the header and the footer. */
export type BodyProps = {
	readonly layout: Exclude<Layout, {kind: 'too-small'}>;
	readonly state: UiState;
	readonly view: View;
	readonly keys: KeyContext;
};

/** The open overlay (form, help, confirmation, details, trace) in place of the panes, or the panes. */
export function Body({layout, state, view, keys}: BodyProps) {
	const size = bodySize(layout);
	const scroll = state.overlayScroll;
	const {overlay} = state;
	switch (overlay.kind) {
		case 'form': {
			return view.formCheck ? <RouteForm form={overlay.form} check={view.formCheck} {...(view.portsNotOffered ? {notOffered: view.portsNotOffered} : {})} {...size} /> : null;
		}
		case 'help': {
			return <HelpPanel keys={keys} scroll={scroll} {...size} />;
		}
		case 'confirm-apply': {
			return <ConfirmPanel changes={overlay.changes} {...size} />;
		}
		case 'details': {
			const details = view.selectedSource === undefined ? [] : view.focused.details(view.selectedSource);
			return <DetailsPanel pane={state.focus} details={details} scroll={scroll} {...size} />;
		}
		case 'trace': {
			return <TracePanel trace={overlay.trace} sources={view.sources} answer={view.traceAnswer} scroll={scroll} {...size} />;
		}
		case 'confirm-delete':
		case 'none': {
			return <PaneGrid layout={layout} state={state} filteredOf={view.filteredOf} keys={keys} />;
		}
	}
}
