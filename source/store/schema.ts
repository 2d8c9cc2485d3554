/**
 * The JSON schema of the store file, checked by conf on every read and write.
 * It checks shape and spelling; whether the addresses fit together is the IP plan's job.
 */

/** The store format this program reads and writes. A file with a higher number is refused, never rewritten. */
export const currentSchemaVersion = 1;

const ipv4 = {type: 'string', format: 'ipv4'} as const;
const cidr = {type: 'string', pattern: String.raw`^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$`} as const;
const range = {type: 'string', pattern: String.raw`^\d{1,3}(\.\d{1,3}){3}-\d{1,3}(\.\d{1,3}){3}$`} as const;
const name = {type: 'string', minLength: 1, maxLength: 253} as const;
const labels = {type: 'object', additionalProperties: {type: 'string'}} as const;

const strict = <T extends Record<string, unknown>>(properties: T) =>
	({type: 'object', additionalProperties: false, required: Object.keys(properties), properties}) as const;

const port = strict({
	name,
	speedGbps: {type: 'number', exclusiveMinimum: 0},
	ipConfig: {enum: ['static', 'dhcp']},
	address: {anyOf: [cidr, {type: 'null'}]},
	gateway: {anyOf: [ipv4, {type: 'null'}]},
	dns: {type: 'array', items: ipv4},
	computeEnabled: {type: 'boolean'},
	connectsTo: {type: 'string'},
});

const device = strict({
	name,
	ports: {type: 'array', items: port},
	internalSwitch: strict({name, subnet: cidr, natAddress: ipv4}),
	cluster: strict({
		computeConfigured: {type: 'boolean'},
		nodeIpRange: {anyOf: [range, {type: 'null'}]},
		serviceIpRange: {anyOf: [range, {type: 'null'}]},
		podCidr: cidr,
		serviceCidr: cidr,
		dnsDomain: name,
	}),
	vms: {
		type: 'array',
		items: strict({
			name: {enum: ['master', 'worker']},
			nodeName: name,
			nics: {type: 'array', items: strict({name, network: {enum: ['internal', 'external']}, address: cidr})},
		}),
	},
	pods: {
		type: 'array',
		items: strict({namespace: name, name, node: {enum: ['master', 'worker']}, ip: ipv4, labels}),
	},
	services: {
		type: 'array',
		items: strict({
			namespace: name,
			name,
			type: {enum: ['ClusterIP', 'LoadBalancer']},
			clusterIp: ipv4,
			externalIp: {anyOf: [ipv4, {type: 'null'}]},
			selector: labels,
			ports: {
				type: 'array',
				items: strict({
					name: {anyOf: [{type: 'string'}, {type: 'null'}]},
					protocol: {enum: ['TCP', 'UDP', 'SCTP']},
					port: {type: 'integer', minimum: 1, maximum: 65_535},
					targetPort: {type: 'integer', minimum: 1, maximum: 65_535},
				}),
			},
		}),
	},
	routes: {
		type: 'array',
		items: strict({
			interface: name,
			destinationPrefix: cidr,
			nextHop: ipv4,
			metric: {type: 'integer', minimum: 0, maximum: 65_535},
		}),
	},
});

/** conf's `schema` option: one JSON schema per top-level key of the store. */
export const storeSchema = {
	schemaVersion: {type: 'integer', minimum: 1},
	revision: {type: 'integer', minimum: 0},
	device,
} as const;

/** The keys every store file must have. */
export const requiredStoreKeys = Object.keys(storeSchema);
