/**
 * A second writer for the concurrency tests: adds routes one transaction each through the store's
 * transaction layer, and prints `committed <prefix>` on standard output after each commit (so a test
 * that kills it knows which successes were reported). Usage: add-routes <store dir> <tag 0-255> <count>
 */

import fs from 'node:fs';
import {addRoute} from '../../source/domain/routes.js';
import {openStore} from '../../source/store/store.js';

const [dir, tag, countText] = process.argv.slice(2);
const store = openStore(dir!);
const count = Number(countText);
for (let index = 0; index < count; index++) {
	const destinationPrefix = `10.${tag}.${index >> 8}.${index & 255}/32`;
	const result = await store.update(device => addRoute(device, {interface: 'Port3', destinationPrefix, nextHop: '192.168.10.1', metric: '100'}));
	if (!result.ok) {
		console.error(result.message);
		process.exit(1);
	}
	// Written synchronously: what a killed writer printed had been committed.
	fs.writeSync(1, `committed ${destinationPrefix}\n`);
}
store.close();
