/** The settings of the Kubernetes cluster edgenet changes: Calico's encapsulation between the nodes. */

import {type Device, type Encapsulation, encapsulations} from './device.js';

/** What each encapsulation is, in the words the settings and their refusals use. */
export const encapsulationMeanings: Readonly<Record<Encapsulation, string>> = {
	none: 'pod traffic routed between the nodes as it is, since they share the compute network',
	ipip: 'IP-in-IP, through tunl0',
	vxlan: 'VXLAN, through vxlan.calico',
};

/** The encapsulation a text names (in any case), or undefined when it names none. */
export function parseEncapsulation(text: string): Encapsulation | undefined {
	const wanted = text.trim().toLowerCase();
	return encapsulations.find(encapsulation => encapsulation === wanted);
}

/** A change of the cluster's settings: the device to store (none when nothing changes), and what to say. */
type ClusterChange = {readonly device?: Device; readonly message: string};

/** Sets Calico's encapsulation; setting the one the cluster has changes nothing. */
export function setEncapsulation(device: Device, encapsulation: Encapsulation): ClusterChange {
	const was = device.cluster.encapsulation;
	if (was === encapsulation) {
		return {message: `Calico's encapsulation is ${encapsulation} already; nothing changed.`};
	}
	return {
		device: {...device, cluster: {...device.cluster, encapsulation}},
		message: `Set Calico's encapsulation to ${encapsulation} (${encapsulationMeanings[encapsulation]}); it was ${was}. \`edgenet export calico\` writes it into the IPPool.`,
	};
}
