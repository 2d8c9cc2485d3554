/**
 * Who a traced destination is: a service name resolved as CoreDNS and a pod's search path do, and the
 * pod or service that holds an address.
 */

import {type Device, type Pod, type Service, serviceDnsName} from './device.js';

/** Resolves a service name the way CoreDNS and a pod's search path do; a source pod's namespace completes a short name. */
export function resolveServiceName(device: Device, name: string, namespace?: string): Service | undefined {
	const wanted = name.toLowerCase().replace(/\.$/, '');
	const domain = device.cluster.dnsDomain.toLowerCase();
	const forms = (service: Service) => {
		const fqdn = serviceDnsName(device.cluster, service).toLowerCase();
		const names = [fqdn, `${service.name}.${service.namespace}.svc`, `${service.name}.${service.namespace}`].map(form => form.toLowerCase());
		if (namespace === service.namespace) {
			names.push(service.name.toLowerCase());
		}
		return names.includes(wanted) || fqdn === `${wanted}.${domain}`;
	};
	return device.services.find(service => forms(service));
}

/** Who holds each pod and service address. */
export type AddressBook = {readonly pods: ReadonlyMap<string, Pod>; readonly services: ReadonlyMap<string, Service>};

const addressBooks = new WeakMap<Device, AddressBook>();

/** Who holds each pod and service address, built once per device value (the first holder of an address wins, as a scan would find it). */
export function addressBook(device: Device): AddressBook {
	let book = addressBooks.get(device);
	if (!book) {
		const pods = new Map<string, Pod>();
		for (const pod of device.pods) {
			if (!pods.has(pod.ip)) {
				pods.set(pod.ip, pod);
			}
		}
		const services = new Map<string, Service>();
		for (const service of device.services) {
			for (const address of [service.clusterIp, service.externalIp]) {
				if (address !== null && !services.has(address)) {
					services.set(address, service);
				}
			}
		}
		book = {pods, services};
		addressBooks.set(device, book);
	}
	return book;
}
