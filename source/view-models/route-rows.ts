/**
 * The one builder of route rows. A route column declares its heading and how it shows a route; the
 * `route list` table and the dashboard's routes pane are two column sets over the same builder.
 */

import type {Device} from '../domain/device.js';
import {prefixLengthOf} from '../domain/route-key.js';
import {describeRoutes, type RouteView} from '../domain/route-status.js';
import {paneNames} from './pane-names.js';
import type {TextColumn} from './text-table.js';

/** A column of a route table: its heading and alignment, and the cell it shows for a route. */
export type RouteColumn = TextColumn & {readonly cell: (route: RouteView) => string};

/** A route's cells under the given columns. */
export function toRouteCells(route: RouteView, columns: readonly RouteColumn[]): string[] {
	return columns.map(column => column.cell(route));
}

const metric: RouteColumn = {heading: 'METRIC', align: 'right', cell: route => String(route.metric)};
const status: RouteColumn = {heading: 'STATUS', cell: route => route.status.state};
const nextHop: RouteColumn = {heading: 'NEXT HOP', essential: true, cell: route => route.nextHop};
const prefix: RouteColumn = {heading: 'PREFIX', align: 'right', cell: route => `/${prefixLengthOf(route)}`};
const routeInterface: RouteColumn = {heading: 'INTERFACE', cell: route => route.interface};

/** The columns of `route list` and of the status text: the whole destination prefix (its length is in it), `-` for no warnings. */
export const listRouteColumns: readonly RouteColumn[] = [
	routeInterface,
	{heading: 'DESTINATION', essential: true, cell: route => route.destinationPrefix},
	nextHop,
	metric,
	status,
	{heading: 'WARNINGS', wrap: true, cell: route => (route.warnings.length > 0 ? route.warnings.join('; ') : '-')},
];

/** The columns of the routes pane: the destination address apart from its prefix length; with a live VM, a KERNEL column from `kernel`. */
export function paneRouteColumns(kernel?: (route: RouteView) => string): RouteColumn[] {
	return [
		{heading: 'DESTINATION', essential: true, cell: route => route.destinationPrefix.split('/')[0] ?? route.destinationPrefix},
		prefix,
		nextHop,
		routeInterface,
		metric,
		status,
		...(kernel ? [{heading: 'KERNEL', cell: kernel}] : []),
		{heading: 'WARNINGS', cell: route => (route.warnings.length > 0 ? `! ${route.warnings.join('; ')}` : '')},
	];
}

/** The custom routes with their status and warnings, as `route list` and the status text print them. */
export function toRouteRows(device: Device, routes: readonly RouteView[] = describeRoutes(device)) {
	return {title: paneNames.routes.title, columns: listRouteColumns, rows: routes.map(route => toRouteCells(route, listRouteColumns))};
}
