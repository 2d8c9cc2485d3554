/** What replacing a device's pods and services changes, object by object: for an import's dry run. */

import type {Device, Pod, Service} from './device.js';

/** The objects of one kind that a replacement adds, removes or changes (by namespace/name), and how many it keeps as they are. */
export type ObjectChanges = {
	readonly added: readonly string[];
	readonly removed: readonly string[];
	readonly changed: readonly string[];
	readonly kept: number;
};

/** The changes to the pods and to the services. */
export type WorkloadChanges = {readonly pods: ObjectChanges; readonly services: ObjectChanges};

function compare<T extends Pod | Service>(before: readonly T[], after: readonly T[]): ObjectChanges {
	const key = (object: T) => `${object.namespace}/${object.name}`;
	const old = new Map(before.map(object => [key(object), JSON.stringify(object)] as const));
	const added: string[] = [];
	const changed: string[] = [];
	let kept = 0;
	for (const object of after) {
		const name = key(object);
		const was = old.get(name);
		if (was === undefined) {
			added.push(name);
		} else if (was === JSON.stringify(object)) {
			kept++;
		} else {
			changed.push(name);
		}
		old.delete(name);
	}
	return {added, removed: [...old.keys()], changed, kept};
}

/** What putting `after`'s pods and services in place of `before`'s changes. */
export function workloadChanges(before: Device, after: Device): WorkloadChanges {
	return {pods: compare(before.pods, after.pods), services: compare(before.services, after.services)};
}
