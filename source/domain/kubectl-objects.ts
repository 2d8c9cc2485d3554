/**
 * The objects in what kubectl printed, read as the Kubernetes API documents them: a `List` of mixed
 * kinds (`kubectl get pods,services,nodes -o json`), a typed list (`PodList`, `ServiceList`,
 * `NodeList`: what `kubectl get --raw` and support bundles hold, whose items carry no kind), or one object.
 */

/** A JSON object as kubectl printed it. */
export type Json = Record<string, unknown>;

/** What `kubectl get pods,services,nodes -A -o json` prints, said in every refusal of the input's shape. */
export const expectedInput =
	'expected what `kubectl get pods,services,nodes -A -o json` prints: a JSON object with "kind": "List" (or PodList, ServiceList, NodeList) and "items", or one Pod, Service or Node';

/** Whether a value is a JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value when it is a string. */
export const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The string entries of an object (labels, selectors); anything else is left out. */
export function stringMap(value: unknown): Record<string, string> {
	if (!isObject(value)) {
		return {};
	}
	return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

const typedLists: Readonly<Record<string, string>> = {PodList: 'Pod', ServiceList: 'Service', NodeList: 'Node'};
const singleKinds = new Set(['Pod', 'Service', 'Node']);

/** The items of one document, with the kind a typed list gives its items; or why the document is not one kubectl prints. */
export function itemsOf(input: string, source: string): {readonly ok: true; readonly items: readonly unknown[]} | {readonly ok: false; readonly error: string} {
	let data: unknown;
	try {
		data = JSON.parse(input);
	} catch {
		return {ok: false, error: `${source} is not JSON; ${expectedInput}`};
	}
	const kind = isObject(data) ? text(data['kind']) : undefined;
	if (isObject(data) && (kind === 'List' || (kind !== undefined && kind in typedLists)) && Array.isArray(data['items'])) {
		const itemKind = kind === 'List' ? undefined : typedLists[kind];
		return {ok: true, items: itemKind === undefined ? data['items'] : data['items'].map(item => (isObject(item) && item['kind'] === undefined ? {...item, kind: itemKind} : item))};
	}
	if (isObject(data) && kind !== undefined && singleKinds.has(kind)) {
		return {ok: true, items: [data]};
	}
	return {ok: false, error: `${source} is not a List${kind === undefined ? '' : ` (got kind "${kind}")`}; ${expectedInput}`};
}

/** The first IPv4 address among the values (a single field, then its plural list of `{ip}` entries or strings, as dual-stack objects have them). */
export function firstIpv4(values: readonly unknown[], isIpv4: (text: string) => boolean): string | undefined {
	return values.map(value => (isObject(value) ? text(value['ip']) : text(value))).find((candidate): candidate is string => candidate !== undefined && isIpv4(candidate));
}
