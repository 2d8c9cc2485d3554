/**
 * Every address the device hands out and who holds it, and the IP plan check that each is held once.
 */

import type {Device} from './device.js';
import type {ProblemCollector} from './ip-plan.js';

/** Every address the device hands out, with who holds it. */
export function allocatedAddresses(device: Device): Array<{readonly address: string; readonly holder: string}> {
	const held: Array<{address: string; holder: string}> = [];
	for (const port of device.ports) {
		if (port.address !== null) {
			held.push({address: port.address.split('/')[0] ?? port.address, holder: port.name});
		}
	}
	held.push({address: device.internalSwitch.natAddress, holder: `${device.internalSwitch.name} NAT`});
	for (const vm of device.vms) {
		for (const nic of vm.nics) {
			held.push({address: nic.address.split('/')[0] ?? nic.address, holder: `${vm.name} ${nic.name}`});
		}
	}
	for (const pod of device.pods) {
		held.push({address: pod.ip, holder: `pod ${pod.namespace}/${pod.name}`});
	}
	for (const service of device.services) {
		held.push({address: service.clusterIp, holder: `service ${service.namespace}/${service.name}`});
		if (service.externalIp !== null) {
			held.push({address: service.externalIp, holder: `service ${service.namespace}/${service.name} (external)`});
		}
	}
	return held;
}

/** Checks that no two holders share an address and that no address of the device is a port's gateway. */
export function checkUniqueAddresses(device: Device, collector: ProblemCollector): void {
	const seen = new Map<string, string>();
	for (const {address, holder} of allocatedAddresses(device)) {
		const first = seen.get(address);
		if (first === undefined) {
			seen.set(address, holder);
		} else {
			collector.add('duplicate-address', `${address} is held by both ${first} and ${holder}; every address must be unique`);
		}
	}
	// Gateways are held by other hosts; none of the device's own addresses may take one.
	for (const port of device.ports) {
		if (port.gateway !== null) {
			const holder = seen.get(port.gateway);
			if (holder !== undefined) {
				collector.add('duplicate-address', `${port.gateway} is ${port.name}'s gateway but is also held by ${holder}`);
			}
		}
	}
}
