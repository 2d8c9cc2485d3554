import {sanitize} from '../../view-models/sanitize.js';
import {TextPanel} from './text-panel.js';

/** Props of the confirmation of changes to the live VM's kernel. */
export type ConfirmPanelProps = {
	readonly changes: readonly string[];
	readonly width: number;
	readonly height: number;
};

/** The `ip` commands that would make the kernel match, listed before they run. */
export function ConfirmPanel({changes, width, height}: ConfirmPanelProps) {
	return (
		<TextPanel
			title={`Apply ${changes.length} change${changes.length === 1 ? '' : 's'} to the VM's kernel?`}
			lines={[...changes.map(change => ({text: sanitize(change)})), {text: ''}, {text: "only edgenet's own routes (protocol 237) are added or removed", tone: 'muted'}]}
			width={width}
			height={height}
		/>
	);
}
