/**
 * A writer that stops itself inside its transaction, as a writer suspended with Ctrl-Z or SIGSTOP
 * would: it opens the store, starts an update, prints `in transaction`, sends itself SIGSTOP, and when
 * continued adds its route and prints `committed <prefix>` after the commit.
 * Usage: hold-transaction <store dir> <destination prefix> <metric>
 */

import fs from 'node:fs';
import {addRoute} from '../../source/domain/routes.js';
import {openStore} from '../../source/store/store.js';

const [dir, destinationPrefix, metric] = process.argv.slice(2);
const store = openStore(dir!);
const result = await store.update(device => {
	fs.writeSync(1, 'in transaction\n');
	process.kill(process.pid, 'SIGSTOP');
	return addRoute(device, {interface: 'Port3', destinationPrefix: destinationPrefix!, nextHop: '192.168.10.1', metric: metric!});
});
if (!result.ok) {
	console.error(result.message);
	process.exit(1);
}
fs.writeSync(1, `committed ${destinationPrefix}\n`);
store.close();
