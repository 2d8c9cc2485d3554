import fc from 'fast-check';
import {expect, test} from 'vitest';
import {createDemoDevice} from '../../source/domain/demo.js';
import type {Route} from '../../source/domain/device.js';
import {bestWithPrefix, routeContext} from '../../source/domain/route-context.js';

const demo = createDemoDevice();

test("a prefix's routes are every route of it, in the device's order, whether found by a scan or through the index", () => {
	const prefixes = Array.from({length: 90}, (_, index) => `10.${index}.0.0/16`);
	const route = fc.record({interface: fc.constantFrom('Port2', 'Port3'), destinationPrefix: fc.constantFrom(...prefixes), nextHop: fc.constant('192.168.10.1'), metric: fc.integer({min: 1, max: 9})});
	fc.assert(
		fc.property(fc.array(route, {maxLength: 200}), fc.array(fc.constantFrom(...prefixes), {minLength: 1, maxLength: 200}), (routes: Route[], asked) => {
			const context = routeContext({...demo, routes});
			for (const prefix of asked) {
				const expected = routes.filter(candidate => candidate.destinationPrefix === prefix);
				expect(context.routesWithPrefix(prefix)).toEqual(expected);
				expect(bestWithPrefix(context, prefix)).toBe(expected.reduce<Route | undefined>((best, candidate) => (!best || candidate.metric < best.metric ? candidate : best), undefined));
			}
		}),
		{numRuns: 60},
	);
});
