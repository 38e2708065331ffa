// Querying Users and Groups (RFC 7644 §3.4.2, §3.4.3): filter, sort, paging and attribute
// selection. Equality filters on indexed attributes are answered from the workspace index.
import { MAX_ATTRIBUTE_PATHS, limitExceeded } from './limits.js';
import { identityKey } from '../store/identity-key.js';
import { isObject } from './filter/attribute-values.js';
import { compileFilter, equalityLookup, type EqualityLookup, type FilterPredicate } from './filter/evaluate-filter.js';
import { parseFilter } from './filter/parse-filter.js';
import { sortComparator } from './filter/sort.js';
import { groupResource, scimGroup } from './groups.js';
import { DEFAULT_COUNT, LIST_RESPONSE_SCHEMA, MAX_RESULTS, SEARCH_REQUEST_SCHEMA, invalidSyntax, invalidValue, type ScimScope } from './protocol.js';
import { resolveAttribute, type ScimResource, type ScimResourceType } from './schema.js';
import { scimRecordOf, scimUser, userResource } from './users.js';
import { cloneJson, rawOf } from '../store/tracked-state.js';

/** The parameters of a query, from the URL (GET) or a SearchRequest body (POST /.search). */
export interface ListQuery {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  /** 1-based (RFC 7644 §3.4.2.4); values below 1 count as 1. */
  startIndex: number;
  /** Page size; negative counts as 0, above MAX_RESULTS as MAX_RESULTS. */
  count: number;
  attributes?: string[];
  excludedAttributes?: string[];
}

function integer(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw invalidValue(`"${name}" must be an integer, not ${JSON.stringify(value)} (RFC 7644 §3.4.2.4).`);
  }
  return n;
}

function pathList(name: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  if (!items.every((v) => typeof v === 'string')) throw invalidValue(`"${name}" must be a comma-separated list of attribute paths.`);
  const paths = (items as string[]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (paths.length > MAX_ATTRIBUTE_PATHS) {
    throw limitExceeded(
      'tooMany',
      'too_many_attributes',
      `"${name}" lists ${paths.length} attribute paths; the limit is ${MAX_ATTRIBUTE_PATHS} (RFC 7644 §3.4.2.5). Ask for fewer attributes.`,
      { limit: MAX_ATTRIBUTE_PATHS, actual: paths.length },
    );
  }
  return paths;
}

function text(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidValue(`"${name}" must be a string.`);
  return value;
}

function buildQuery(get: (name: string) => unknown): ListQuery {
  const startIndex = integer('startIndex', get('startIndex')) ?? 1;
  const count = integer('count', get('count'));
  const filter = text('filter', get('filter'));
  const sortBy = text('sortBy', get('sortBy'));
  const sortOrder = text('sortOrder', get('sortOrder'));
  const attributes = pathList('attributes', get('attributes'));
  const excludedAttributes = pathList('excludedAttributes', get('excludedAttributes'));
  return {
    startIndex: Math.max(1, startIndex),
    count: Math.min(MAX_RESULTS, Math.max(0, count ?? DEFAULT_COUNT)),
    ...(filter !== undefined ? { filter } : {}),
    ...(sortBy !== undefined && sortBy !== '' ? { sortBy } : {}),
    ...(sortOrder !== undefined && sortOrder !== '' ? { sortOrder } : {}),
    ...(attributes ? { attributes } : {}),
    ...(excludedAttributes ? { excludedAttributes } : {}),
  };
}

/** The query of `GET /Users?…` (parameter names are case-insensitive, RFC 7644 §3.4.2). */
export function queryFromUrl(params: URLSearchParams): ListQuery {
  const lower = new Map<string, string>();
  for (const [k, v] of params) if (!lower.has(k.toLowerCase())) lower.set(k.toLowerCase(), v);
  return buildQuery((name) => lower.get(name.toLowerCase()));
}

/** The query of a `POST /.search` SearchRequest body (RFC 7644 §3.4.3). */
export function queryFromSearch(body: unknown): ListQuery {
  if (!isObject(body)) throw invalidSyntax(`A search needs a JSON SearchRequest body: {"schemas":["${SEARCH_REQUEST_SCHEMA}"], "filter": …}.`);
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SEARCH_REQUEST_SCHEMA.toLowerCase())) {
    throw invalidSyntax(`A SearchRequest's "schemas" must contain "${SEARCH_REQUEST_SCHEMA}" (RFC 7644 §3.4.3).`);
  }
  const lower = new Map(Object.entries(body).map(([k, v]) => [k.toLowerCase(), v]));
  return buildQuery((name) => lower.get(name.toLowerCase()));
}

/** The attribute selection of a single-resource request (RFC 7644 §3.9). */
export function selectionFromUrl(params: URLSearchParams): Pick<ListQuery, 'attributes' | 'excludedAttributes'> {
  // Most creates and reads carry no query at all.
  if (params.size === 0) return {};
  const q = queryFromUrl(params);
  return { ...(q.attributes ? { attributes: q.attributes } : {}), ...(q.excludedAttributes ? { excludedAttributes: q.excludedAttributes } : {}) };
}

// A compiled filter and, when it is an equality on an indexed attribute, the lookup.
interface CompiledFilter {
  predicate: FilterPredicate;
  lookup: EqualityLookup | null;
  mentionsMembers: boolean;
}

function compile(filter: string | undefined, type: ScimResourceType): CompiledFilter | undefined {
  if (filter === undefined) return undefined;
  const node = parseFilter(filter);
  return { predicate: compileFilter(node, type), lookup: equalityLookup(node, type), mentionsMembers: /members/i.test(filter) };
}

// Candidate ids in creation order: from an index when the filter allows, else every resource.
function userCandidates(scope: ScimScope, lookup: EqualityLookup | null): Iterable<string> {
  const index = scope.core.index(scope.ws);
  switch (lookup?.attribute) {
    case 'userName': {
      const id = index.memberByUserName.get(identityKey(lookup.value));
      return id !== undefined ? [id] : [];
    }
    case 'externalId':
      return index.membersByExternalId.get(lookup.value) ?? [];
    case 'id':
      return [lookup.value];
    default:
      return Object.keys(rawOf(scope.ws).members);
  }
}

function groupCandidates(scope: ScimScope, lookup: EqualityLookup | null): Iterable<string> {
  const index = scope.core.index(scope.ws);
  switch (lookup?.attribute) {
    case 'displayName':
      return index.groupsByName.get(lookup.value.toLowerCase()) ?? [];
    case 'externalId':
      return index.groupsByExternalId.get(lookup.value) ?? [];
    case 'id':
      return [lookup.value];
    default:
      return Object.keys(scope.ws.groups);
  }
}

/** The resource of an id of this type, or undefined when it is not served. */
function resourceOf(scope: ScimScope, type: ScimResourceType, id: string, withMembers: boolean): ScimResource | undefined {
  if (type === 'User') {
    // A query only reads: the plain records behind the state's write-tracking proxies.
    const u = scimUser(rawOf(scope.ws), id);
    return u ? userResource(scope, u.member, u.record) : undefined;
  }
  const g = scimGroup(scope.ws, id);
  return g ? groupResource(scope, g, withMembers) : undefined;
}

function isServed(scope: ScimScope, type: ScimResourceType, id: string): boolean {
  if (type === 'Group') return scimGroup(scope.ws, id) !== undefined;
  const members = rawOf(scope.ws).members;
  const m = Object.hasOwn(members, id) ? members[id] : undefined;
  const record = m ? scimRecordOf(m) : undefined;
  return record !== undefined && record.deleted !== true;
}

function wantsMembers(query: Pick<ListQuery, 'attributes' | 'excludedAttributes'>): boolean {
  const named = (list: string[] | undefined) => list?.some((p) => resolveAttribute(p, 'Group')?.attribute.name === 'members') ?? false;
  if (query.attributes && query.attributes.length > 0) return named(query.attributes);
  return !named(query.excludedAttributes);
}

// A filtered scan gives the event loop back this often, so that one large query (a 200-term
// filter over every user) never holds up other requests such as /_emulator/health.
const SCAN_SLICE_MS = 10;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs a query and answers with a ListResponse (RFC 7644 §3.4.2). A scan over many resources
 * yields to the event loop between slices; a resource deleted meanwhile is left out.
 */
export async function listResources(scope: ScimScope, type: ScimResourceType, query: ListQuery): Promise<Record<string, unknown>> {
  const filter = compile(query.filter, type);
  const compare = query.sortBy !== undefined ? sortComparator(query.sortBy, type, query.sortOrder) : undefined;
  if (query.sortBy === undefined && query.sortOrder !== undefined) sortComparator('id', type, query.sortOrder);
  const candidates = type === 'User' ? userCandidates(scope, filter?.lookup ?? null) : groupCandidates(scope, filter?.lookup ?? null);
  const outputMembers = type === 'Group' && wantsMembers(query);
  // Group members are read for filtering or sorting only when the query names them.
  const evalMembers = type === 'Group' && ((filter?.mentionsMembers ?? false) || /members/i.test(query.sortBy ?? ''));
  const from = query.startIndex - 1;

  let total: number;
  let page: ScimResource[];
  if (!filter && !compare) {
    // Without filter or sort only the page is built: creation order, counted from the ids.
    const ids: string[] = [];
    for (const id of candidates) if (isServed(scope, type, id)) ids.push(id);
    total = ids.length;
    page = ids.slice(from, from + query.count).flatMap((id): ScimResource[] => {
      const r = resourceOf(scope, type, id, outputMembers);
      return r ? [r] : [];
    });
  } else {
    let matches: ScimResource[] = [];
    let sliceStart = performance.now();
    let n = 0;
    for (const id of [...candidates]) {
      if (++n % 32 === 0 && performance.now() - sliceStart > SCAN_SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
      const r = resourceOf(scope, type, id, evalMembers);
      if (r && (!filter || filter.predicate(r))) matches.push(r);
    }
    if (n > 0) matches = matches.filter((r) => isServed(scope, type, r.id as string));
    // Array.prototype.sort is stable: ties keep creation order across pages.
    if (compare) matches = matches.sort(compare);
    total = matches.length;
    page = matches.slice(from, from + query.count);
    if (outputMembers && !evalMembers) {
      page = page.flatMap((p): ScimResource[] => {
        const r = resourceOf(scope, type, p.id as string, true);
        return r ? [r] : [];
      });
    }
  }
  const resources = page.map((r) => projectResource(r, type, query));
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    startIndex: query.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/**
 * Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5): `schemas` and `id` (returned
 * "always") are kept; names are case-insensitive; names outside the schema are ignored.
 */
export function projectResource(resource: ScimResource, type: ScimResourceType, selection: Pick<ListQuery, 'attributes' | 'excludedAttributes'>): ScimResource {
  const include = selection.attributes?.length ? selection.attributes : undefined;
  const exclude = !include && selection.excludedAttributes?.length ? selection.excludedAttributes : undefined;
  if (!include && !exclude) return resource;
  if (include) {
    const out: ScimResource = { schemas: resource.schemas, id: resource.id };
    for (const path of include) {
      const r = resolveAttribute(path, type);
      if (!r) continue;
      const source = r.inExtension ? resource[r.schema] : resource;
      if (!isObject(source) || !(r.attribute.name in source)) continue;
      const value = source[r.attribute.name];
      const target = r.inExtension ? ((out[r.schema] ??= {}) as Record<string, unknown>) : out;
      if (!r.subAttribute) {
        target[r.attribute.name] = value;
        continue;
      }
      const sub = r.subAttribute.name;
      const pick = (el: unknown) => (isObject(el) && sub in el ? { [sub]: el[sub] } : {});
      const existing = target[r.attribute.name];
      if (Array.isArray(value)) {
        const prior = Array.isArray(existing) ? existing : [];
        target[r.attribute.name] = value.map((el, i) => ({ ...(isObject(prior[i]) ? prior[i] : {}), ...pick(el) }));
      } else {
        target[r.attribute.name] = { ...(isObject(existing) ? existing : {}), ...pick(value) };
      }
    }
    return out;
  }
  const out: ScimResource = cloneJson(resource);
  for (const path of exclude!) {
    const r = resolveAttribute(path, type);
    if (!r || r.target.returned === 'always') continue;
    const container = r.inExtension ? out[r.schema] : out;
    if (!isObject(container)) continue;
    if (!r.subAttribute) {
      delete container[r.attribute.name];
    } else {
      const value = container[r.attribute.name];
      const sub = r.subAttribute.name;
      for (const el of Array.isArray(value) ? value : [value]) if (isObject(el)) delete el[sub];
    }
    if (r.inExtension && Object.keys(container).length === 0) delete out[r.schema];
  }
  return out;
}
