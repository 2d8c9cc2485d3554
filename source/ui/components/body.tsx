import type {Layout} from '../layout.js';
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

/** The lines the panes take, which an overlay takes over whole. */
function bodyHeight(layout: BodyProps['layout']): number {
	return layout.kind === 'full' ? layout.rows.reduce((sum, row) => sum + (row[0]?.height ?? 0), 0) : layout.pane.height + 1;
}

/** The open overlay (form, help, confirmation, details, trace) in place of the panes, or the panes. */
export function Body({layout, state, view, keys}: BodyProps) {
	const size = {width: layout.width, height: bodyHeight(layout)};
	const {overlay} = state;
	switch (overlay.kind) {
		case 'form': {
			return view.formCheck ? <RouteForm form={overlay.form} check={view.formCheck} {...size} /> : null;
		}
		case 'help': {
			return <HelpPanel keys={keys} {...size} />;
		}
		case 'confirm-apply': {
			return <ConfirmPanel changes={overlay.changes} {...size} />;
		}
		case 'details': {
			const details = view.selectedSource === undefined ? [] : view.focused.details(view.selectedSource);
			return <DetailsPanel pane={state.focus} details={details} {...size} />;
		}
		case 'trace': {
			return <TracePanel trace={overlay.trace} sources={view.sources} answer={view.traceAnswer} {...size} />;
		}
		case 'confirm-delete':
		case 'none': {
			return <PaneGrid layout={layout} state={state} filteredOf={view.filteredOf} />;
		}
	}
}
