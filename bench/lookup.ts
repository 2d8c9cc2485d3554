/** Times `lookupRoute` on a generated device: printed as JSON for bench/run.mjs. */

import {generateDevice} from '../source/domain/generate.js';
import {lookupRoute} from '../source/domain/lookup.js';
import {fromNumber} from '../source/domain/ip.js';

const generated = generateDevice({routes: 10_000, pods: 20_000, services: 2000, seed: 1});
if (!generated.ok) {
	throw new Error(generated.error);
}
const {device} = generated;
let state = 12_345;
const destinations = Array.from({length: 100_000}, () => {
	state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
	return fromNumber(state);
});
// Warm up: the index is built on the first lookup.
lookupRoute(device, 'worker', '10.0.0.1');
const runs: number[] = [];
for (let run = 0; run < 5; run++) {
	const started = process.hrtime.bigint();
	for (const destination of destinations) {
		lookupRoute(device, 'worker', destination);
	}
	runs.push(Number(process.hrtime.bigint() - started) / 1000 / destinations.length);
}
runs.sort((a, b) => a - b);
console.log(JSON.stringify({microsecondsPerLookup: runs[2]}));
