import {Box, Text} from 'ink';
import type {RouteCheck, RouteField} from '../../domain/route-checks.js';
import {routeFields} from '../../domain/route-checks.js';
import {fit} from '../../view-models/fit.js';
import {wrapText} from '../../view-models/text-table.js';
import {sanitize} from '../../view-models/sanitize.js';
import {cursorOf, withCursor} from '../input/text-edit.js';
import type {FormState} from '../state.js';
import {theme, type Tone, toneColour} from '../theme.js';

/** Props of the add/edit route form. */
export type RouteFormProps = {
	readonly form: FormState;
	/** The domain's verdict on the fields as they are now. */
	readonly check: RouteCheck;
	/** The ports the interface selector does not offer, with why, if any. */
	readonly notOffered?: string;
	readonly width: number;
	readonly height: number;
};

/** The label of each field. */
export const fieldLabels: Record<RouteField, string> = {
	interface: 'Interface',
	destinationPrefix: 'Destination',
	nextHop: 'Next hop',
	metric: 'Metric',
};

/** The form: four fields, the focused one marked, each field's message under it, warnings when the route is valid. */
/** A route in a line, as the conflict lines show it. */
function routeLine(route: {readonly destinationPrefix: string; readonly nextHop: string; readonly interface: string; readonly metric: number | string} | null, none: string): string {
	return route ? sanitize(`${route.destinationPrefix} via ${route.nextHop} on ${route.interface}, metric ${route.metric}`) : none;
}

export function RouteForm({form, check, notOffered, width, height}: RouteFormProps) {
	const inner = Math.max(1, width - 4);
	const title = form.mode === 'add' ? 'Add route' : `Edit route ${form.original?.destinationPrefix ?? ''} on ${form.original?.interface ?? ''}`;
	const lines: Array<{text: string; tone?: Tone; focused?: boolean}> = [];
	for (const field of routeFields) {
		const focused = form.focus === field;
		const value = sanitize(form.fields[field]);
		const shown = field === 'interface' ? `‹ ${value} ›` : focused ? withCursor({text: form.fields[field], cursor: cursorOf(form.fields[field], form.cursor)}, sanitize) : value;
		lines.push({text: `${focused ? '›' : ' '} ${fieldLabels[field].padEnd(12)} ${shown}`, focused});
		if (field === 'interface' && notOffered) {
			lines.push({text: `    ${sanitize(notOffered)}`, tone: 'muted'});
		}
		const error = check.ok ? undefined : check.errors[field];
		// While a field is typed into, a value on its way to being right is only incomplete; it is judged when the field is left or Enter is pressed.
		const typing = focused && field !== 'interface' && !form.submitted;
		if (error && typing && form.fields[field] !== '') {
			lines.push({text: '    incomplete: checked when you leave the field or press Enter', tone: 'muted'});
		} else if (error && (form.submitted || form.fields[field] !== '' || field === 'interface')) {
			for (const part of wrapText(sanitize(error), inner - 4)) {
				lines.push({text: `    ${part}`, tone: 'error'});
			}
		}
	}
	lines.push({text: ''});
	if (form.conflict) {
		lines.push(
			{text: '  changed by another session since this form was opened:', tone: 'error'},
			{text: `    was:    ${routeLine(form.conflict.was, '(no route)')}`},
			{text: `    theirs: ${routeLine(form.conflict.theirs, '(removed)')}`},
			{text: `    yours:  ${routeLine(form.fields, '')}`},
			{text: '    Enter saves yours over theirs; Esc keeps theirs', tone: 'muted'},
			{text: ''},
		);
	}
	if (check.ok) {
		for (const warning of check.warnings) {
			for (const [index, part] of wrapText(`warning: ${sanitize(warning)}`, inner - 4).entries()) {
				lines.push({text: `${index === 0 ? '  ' : '    '}${part}`, tone: 'warning'});
			}
		}
		lines.push({text: `  ready: ${check.route.destinationPrefix} via ${check.route.nextHop} on ${check.route.interface}, metric ${check.route.metric}`, tone: 'muted'});
	}
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={theme.focusBorder} width={width} height={height} paddingX={1}>
			<Text bold wrap="truncate">
				{fit(title, inner)}
			</Text>
			{lines.slice(0, Math.max(0, height - 3)).map((line, index) => (
				<Text key={index} wrap="truncate" color={toneColour(line.tone)} bold={line.focused}>
					{fit(line.text, inner)}
				</Text>
			))}
		</Box>
	);
}
