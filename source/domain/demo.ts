/**
 * The embedded `demo` device: the seed article's example. Port 2 reaches the Internet through the
 * default gateway; compute is enabled on Port 3, which faces a private network of cameras and sensors;
 * a two-tier web + database app runs behind a LoadBalancer and a ClusterIP service; one custom route
 * sends a second camera subnet through a gateway on Port 3's network.
 * Every address is allocated the way the device's components allocate them.
 */

import {addPods, addServices, configureCompute, createAllocator, type PodSpec, type ServiceSpec} from './allocation.js';
import type {Device, Port} from './device.js';

const dataPort = (name: string): Port => ({
	name,
	speedGbps: 25,
	ipConfig: 'dhcp',
	address: null,
	gateway: null,
	dns: [],
	computeEnabled: false,
	connectsTo: 'not connected',
});

/** The device before Kubernetes compute is configured: ports, switches and the Compute page's ranges. */
export const demoBaseDevice: Device = {
	name: 'demo',
	ports: [
		{
			name: 'Port1',
			speedGbps: 1,
			ipConfig: 'static',
			address: '192.168.100.10/24',
			gateway: null,
			dns: [],
			computeEnabled: false,
			connectsTo: 'management (local web UI)',
		},
		{
			name: 'Port2',
			speedGbps: 1,
			ipConfig: 'static',
			address: '10.128.44.20/24',
			gateway: '10.128.44.1',
			dns: ['10.128.44.2'],
			computeEnabled: false,
			connectsTo: 'Internet uplink',
		},
		{
			name: 'Port3',
			speedGbps: 25,
			ipConfig: 'static',
			address: '192.168.10.5/24',
			gateway: null,
			dns: [],
			computeEnabled: true,
			connectsTo: 'private network: cameras and sensors',
		},
		dataPort('Port4'),
		dataPort('Port5'),
		dataPort('Port6'),
	],
	internalSwitch: {name: 'vSwitch-Internal', subnet: '172.20.0.0/24', natAddress: '172.20.0.1'},
	cluster: {
		computeConfigured: false,
		nodeIpRange: '192.168.10.20-192.168.10.22',
		serviceIpRange: '192.168.10.30-192.168.10.34',
		podCidr: '172.27.0.0/16',
		serviceCidr: '172.28.0.0/16',
		dnsDomain: 'cluster.local',
		encapsulation: 'none',
	},
	vms: [],
	pods: [],
	services: [],
	routes: [],
};

const demoServices: readonly ServiceSpec[] = [
	{
		namespace: 'default',
		name: 'kubernetes',
		type: 'ClusterIP',
		selector: {},
		ports: [{name: 'https', protocol: 'TCP', port: 443, targetPort: 6443}],
		clusterIp: '172.28.0.1',
	},
	{
		namespace: 'kube-system',
		name: 'kube-dns',
		type: 'ClusterIP',
		selector: {'k8s-app': 'kube-dns'},
		ports: [
			{name: 'dns', protocol: 'UDP', port: 53, targetPort: 53},
			{name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53},
		],
		clusterIp: '172.28.0.10',
	},
	{
		namespace: 'iotedge',
		name: 'edgehub',
		type: 'LoadBalancer',
		selector: {'net.azure-devices.edge.module': 'edgeHub'},
		ports: [
			{name: 'amqps', protocol: 'TCP', port: 5671, targetPort: 5671},
			{name: 'https', protocol: 'TCP', port: 443, targetPort: 443},
			{name: 'mqtts', protocol: 'TCP', port: 8883, targetPort: 8883},
		],
	},
	{
		namespace: 'webapp',
		name: 'web',
		type: 'LoadBalancer',
		selector: {app: 'web'},
		ports: [{name: 'http', protocol: 'TCP', port: 80, targetPort: 8080}],
	},
	{
		namespace: 'webapp',
		name: 'db',
		type: 'ClusterIP',
		selector: {app: 'db'},
		ports: [{name: 'postgres', protocol: 'TCP', port: 5432, targetPort: 5432}],
	},
];

const demoPods: readonly PodSpec[] = [
	{namespace: 'kube-system', name: 'coredns-6d4b75cb6d-7xk2p', node: 'master', labels: {'k8s-app': 'kube-dns'}},
	{namespace: 'kube-system', name: 'coredns-6d4b75cb6d-q9vzm', node: 'worker', labels: {'k8s-app': 'kube-dns'}},
	{namespace: 'metallb-system', name: 'controller-7476b58756-h2lqw', node: 'master', labels: {app: 'metallb', component: 'controller'}},
	{namespace: 'iotedge', name: 'edgehub-5c7b9f8d4-tm6jr', node: 'worker', labels: {'net.azure-devices.edge.module': 'edgeHub'}},
	{namespace: 'webapp', name: 'web-7f9c6d8b5-2kq8x', node: 'worker', labels: {app: 'web', tier: 'frontend'}},
	{namespace: 'webapp', name: 'web-7f9c6d8b5-p4nzs', node: 'worker', labels: {app: 'web', tier: 'frontend'}},
	{namespace: 'webapp', name: 'db-0', node: 'worker', labels: {app: 'db', tier: 'backend'}},
];

/** Builds the demo device. The result is fixed: the same every time. */
export function createDemoDevice(): Device {
	const configured = configureCompute(demoBaseDevice);
	if (!configured.ok) {
		throw new Error(`demo device: ${configured.error}`);
	}
	const allocator = createAllocator(configured.value);
	const withServices = addServices(configured.value, demoServices, allocator);
	if (!withServices.ok) {
		throw new Error(`demo device: ${withServices.error}`);
	}
	const withPods = addPods(withServices.value, demoPods, allocator);
	if (!withPods.ok) {
		throw new Error(`demo device: ${withPods.error}`);
	}
	return {
		...withPods.value,
		routes: [{interface: 'Port3', destinationPrefix: '192.168.20.0/24', nextHop: '192.168.10.1', metric: 100}],
	};
}
