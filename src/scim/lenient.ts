// Lenient SCIM compatibility (docs/rules.md §17): what a workspace set to `lenient` reads in place
// of the strict RFC 7644 form. Strict mode never calls these, so its answers stay as they were.
import type { WorkspaceState } from '../store/state.js';
import { rawOf } from '../store/tracked-state.js';

// Read from the plain state behind the write-tracking proxy (asked on every SCIM request).
export const isLenient = (ws: WorkspaceState) => rawOf(ws).settings.scimCompatibility === 'lenient';

const COMPARE = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const LITERAL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/i;

/**
 * The bare (unquoted) string and date values of a filter, e.g. `O` in `userName sw O` or the time in
 * `meta.created gt 2015-10-10T14:38:21Z` (RFC 7644 §3.4.2.2 wants them as JSON strings), and the
 * filter with each of them quoted. Quoted strings are skipped whole; one pass over the text.
 */
export function bareFilterValues(filter: string): { values: string[]; quoted: string } {
  const values: string[] = [];
  let out = '';
  let i = 0;
  let previous = '';
  let beforePrevious = '';
  while (i < filter.length) {
    const ch = filter[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < filter.length && filter[j] !== '"') j += filter[j] === '\\' ? 2 : 1;
      out += filter.slice(i, j + 1);
      beforePrevious = previous;
      previous = '"';
      i = j + 1;
      continue;
    }
    if (/[\s()[\]]/.test(ch)) {
      out += ch;
      if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') {
        beforePrevious = previous;
        previous = ch;
      }
      i++;
      continue;
    }
    let j = i;
    while (j < filter.length && !/[\s()[\]"]/.test(filter[j]!)) j++;
    const word = filter.slice(i, j);
    const afterOperator = COMPARE.has(previous.toLowerCase()) && beforePrevious !== '' && !COMPARE.has(beforePrevious.toLowerCase());
    if (afterOperator && !LITERAL.test(word) && !/^(and|or|not)$/i.test(word)) {
      values.push(word);
      out += JSON.stringify(word);
    } else out += word;
    beforePrevious = previous;
    previous = word;
    i = j;
  }
  return { values, quoted: out };
}

/** `emails[type eq "work"]` → `emails`, `emails[type eq "work"].value` → `emails.value` in an attribute list. */
export function valuePathsAsAttributes(list: string): { changed: boolean; list: string } {
  if (!list.includes('[')) return { changed: false, list };
  const stripped = list.replace(/\[[^\]]*\]/g, '');
  return { changed: stripped !== list, list: stripped };
}

/** The query parameters as lenient mode reads them: bare filter values quoted, value paths as attributes. */
export function lenientParams(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of params) {
    const key = k.toLowerCase();
    if (key === 'filter') out.append(k, bareFilterValues(v).quoted);
    else if (key === 'attributes' || key === 'excludedattributes') out.append(k, valuePathsAsAttributes(v).list);
    else out.append(k, v);
  }
  return out;
}

/** A SearchRequest body as lenient mode reads it (the same tolerances as the query string). */
export function lenientSearch(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const [k, v] of Object.entries(out)) {
    const key = k.toLowerCase();
    if (key === 'filter' && typeof v === 'string') out[k] = bareFilterValues(v).quoted;
    else if ((key === 'attributes' || key === 'excludedattributes') && typeof v === 'string') out[k] = valuePathsAsAttributes(v).list;
    else if ((key === 'attributes' || key === 'excludedattributes') && Array.isArray(v)) {
      out[k] = v.map((s: unknown) => (typeof s === 'string' ? valuePathsAsAttributes(s).list : s));
    }
  }
  return out;
}

const CANONICAL: Record<string, string> = {
  users: 'Users',
  groups: 'Groups',
  serviceproviderconfig: 'ServiceProviderConfig',
  serviceconfiguration: 'ServiceProviderConfig',
  resourcetypes: 'ResourceTypes',
  schemas: 'Schemas',
};

/**
 * The routed form of a path under a SCIM base (`/w/{ws}/scim/v2`) in lenient mode: the resource
 * endpoint in its RFC 7644 §3.2 case, `/serviceConfiguration` as `/ServiceProviderConfig`, no
 * trailing slash. `undefined` when nothing changes.
 */
export function canonicalScimPath(path: string): string | undefined {
  const m = /^(\/w\/[^/]+\/scim\/v2)\/([^/]+)(\/.*)?$/.exec(path);
  if (!m) return undefined;
  const [, base, endpoint, rest = ''] = m;
  const canonical = CANONICAL[endpoint!.toLowerCase()] ?? endpoint!;
  let tail = rest.length > 1 && rest.endsWith('/') ? rest.slice(0, -1) : rest === '/' ? '' : rest;
  if (/^\/\.search$/i.test(tail)) tail = '/.search';
  const routed = `${base}/${canonical}${tail}`;
  return routed === path ? undefined : routed;
}
