import {Box, Text} from 'ink';
import {memo, type ReactElement, useMemo, useRef} from 'react';
import {groupDigits} from '../../domain/plural.js';
import {columnWidths, fit, fitRow} from '../../view-models/fit.js';
import type {TextColumn} from '../../view-models/text-table.js';
import {borderStyles, restingSelectionMarker, selectionMarker, theme} from '../theme.js';

/** Props of a scrolling, selectable table in a bordered pane. */
export type TablePaneProps = {
	/** The pane's title. */
	readonly title: string;
	/** The key that focuses the pane (1-5). */
	readonly number: number;
	readonly columns: readonly TextColumn[];
	/** How many rows there are to show (already filtered). */
	readonly count: number;
	/** Row `index` of those, as sanitised cells; only the rows in view are asked for. */
	readonly row: (index: number) => readonly string[];
	/** How many rows the pane has before filtering. */
	readonly total: number;
	readonly selectedIndex: number;
	/** The box, borders included. */
	readonly width: number;
	readonly height: number;
	readonly isFocused: boolean;
	/** The pane's filter text, and whether it is being typed. */
	readonly filter: string;
	readonly isFiltering: boolean;
	/** How the rows are sorted (`sorted by metric ↓`), shown last in the title; left out in the device's order. */
	readonly sortLabel?: string;
	/** What the pane says when it has no rows at all (`(none)` when left out). */
	readonly emptyText?: string;
};

/** Keeps the selection in view, scrolling no more than needed. Only the rows in view are rendered. */
function useScrollOffset(selected: number, visible: number, count: number): number {
	const offset = useRef(0);
	let next = offset.current;
	if (selected < next) {
		next = selected;
	} else if (selected >= next + visible) {
		next = selected - visible + 1;
	}
	next = Math.max(0, Math.min(next, Math.max(0, count - visible)));
	offset.current = next;
	return next;
}

/**
 * A pane: title line, column headings, the rows in view with the selection marked by `›` and inverse
 * video when the pane has focus (by a quiet `·` when not), and a double border when it has focus.
 * Columns are as wide as the rows in view need, so only those rows are ever built.
 */
export const TablePane = memo(function TablePane({title, number, columns, count, row, total, selectedIndex, width, height, isFocused, filter, isFiltering, sortLabel, emptyText = '(none)'}: TablePaneProps) {
	const inner = Math.max(1, width - 4);
	const visible = Math.max(0, height - 4);
	const rowWidth = inner - 2;
	const selected = Math.max(0, Math.min(selectedIndex, count - 1));
	const offset = useScrollOffset(selected, visible, count);
	const inView: Array<readonly string[]> = [];
	for (let index = offset; index < Math.min(count, offset + visible); index++) {
		inView.push(row(index));
	}
	const widths = columnWidths(columns, inView, rowWidth);
	const aligns = useMemo(() => columns.map(column => column.align ?? 'left'), [columns]);
	// With a filter, how many rows match of how many there are takes the place of the count.
	const matches = `  ${groupDigits(count)} of ${groupDigits(total)} match`;
	const filterLabel = isFiltering ? `  /${filter}▏${matches}` : filter ? `  filter: ${filter}${matches}` : ` (${total})`;
	// The position is right-aligned at the end of the title line: a move changes only its last characters,
	// so the terminal is sent those, not the rest of the title and its padding.
	const position = count > visible ? `  ${selected + 1}/${count}` : '';
	const sorted = sortLabel === undefined ? '' : `  ${sortLabel}`;
	const lines: ReactElement[] = [];
	for (const [line, cells] of inView.entries()) {
		const index = offset + line;
		const isSelected = index === selected;
		const marker = isSelected ? (isFocused ? selectionMarker : restingSelectionMarker) : ' ';
		const text = fit(`${marker} ${fitRow(cells, widths, aligns)}`, inner);
		lines.push(
			isSelected && isFocused ? (
				// The selected row of the focused pane: inverse video in the selection's colour. The blank column
				// either side (the pane's padding) takes that colour too, which a blank does not show; with the
				// focused border in the same colour the line sets the colour once, not closing it after the border
				// and opening it again for the row, so a move sends fewer escape bytes for the same look.
				<Box key={index} marginX={-1}>
					<Text wrap="truncate" color={theme.selectedRow}>
						{' '}
						<Text inverse>{text}</Text>
						{' '}
					</Text>
				</Box>
			) : (
				<Text key={index} wrap="truncate">
					{text}
				</Text>
			),
		);
	}
	if (count === 0) {
		lines.push(
			<Text key="empty" wrap="truncate" color={theme.muted}>
				{fit(`  ${total === 0 ? emptyText : '(no row matches the filter)'}`, inner)}
			</Text>,
		);
	}
	return (
		<Box flexDirection="column" borderStyle={isFocused ? borderStyles.focused : borderStyles.resting} borderColor={isFocused ? theme.focusBorder : theme.border} width={width} height={height} paddingX={1}>
			<Text wrap="truncate" bold={isFocused}>
				{position.length < inner ? fit(`${number} ${title}${filterLabel}${sorted}`, inner - position.length) + position : fit(`${number} ${title}`, inner)}
			</Text>
			<Text wrap="truncate" color={theme.muted}>
				{fit(`  ${fitRow(columns.map(column => column.heading), widths, aligns)}`, inner)}
			</Text>
			{lines}
		</Box>
	);
});
