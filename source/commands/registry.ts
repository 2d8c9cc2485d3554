/** Every command, in the order help lists them, and the lookup of a command by what was typed. */

import {addCmdlet, getCmdlet, removeCmdlet} from './cmdlets.js';
import {clusterCommand} from './cluster.js';
import type {Command} from './command.js';
import {exportCommand} from './export.js';
import {importCommand} from './import.js';
import {liveCommand} from './live.js';
import {routeCommand} from './route.js';
import {statusCommand} from './status.js';
import {demoCommand, resetCommand, storeCommand} from './store-admin.js';

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [statusCommand, routeCommand, addCmdlet, getCmdlet, removeCmdlet, clusterCommand, importCommand, exportCommand, liveCommand, resetCommand, demoCommand, storeCommand];

/** Finds a command by name or alias, ignoring case. */
export function findCommand(name: string): Command | undefined {
	const wanted = name.toLowerCase();
	return commands.find(command => command.name.toLowerCase() === wanted || command.aliases?.some(alias => alias.toLowerCase() === wanted));
}
