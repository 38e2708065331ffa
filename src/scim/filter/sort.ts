// Ordering resources for `sortBy` / `sortOrder` (RFC 7644 §3.4.2.3) with the same typing and
// case rules as filtering.

import { EmulatorError } from '../../errors.js';
import { findAttribute, resolveAttributeParts, type ScimResource, type ScimResourceType } from '../schema.js';
import { flatValues, getMember, instantOf, isObject, typingOf } from './attribute-values.js';
import { parsePatchPath } from './parse-filter.js';

export type SortOrder = 'ascending' | 'descending';

type SortKey = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'none' };

/**
 * A comparator for `Array.prototype.sort` implementing `sortBy` (an attribute path such as
 * `userName`, `name.familyName`, `emails.value`, `meta.lastModified`) and `sortOrder`
 * (default ascending). Strings compare case-insensitively unless the attribute is caseExact;
 * dateTimes as instants; multi-valued attributes by their primary value, else the first; resources
 * without a value sort last when ascending and first when descending (RFC 7644 §3.4.2.3).
 * @throws EmulatorError 400 `invalid_sort` / scimType `invalidValue` for a malformed path or order.
 */
export function sortComparator(
  sortBy: string,
  resourceType: ScimResourceType,
  sortOrder: string = 'ascending',
): (a: ScimResource, b: ScimResource) => number {
  const order = sortOrder.toLowerCase();
  if (order !== 'ascending' && order !== 'descending') {
    throw new EmulatorError({
      code: 'invalid_sort',
      status: 400,
      scimType: 'invalidValue',
      message: `sortOrder must be "ascending" or "descending", not ${JSON.stringify(sortOrder)}.`,
    });
  }
  let parts;
  try {
    const parsed = parsePatchPath(sortBy);
    if (parsed.filter) throw new Error('filter');
    parts = parsed.path;
  } catch {
    throw new EmulatorError({
      code: 'invalid_sort',
      status: 400,
      scimType: 'invalidValue',
      message: `sortBy must be an attribute path such as "userName" or "name.familyName", not ${JSON.stringify(sortBy)}.`,
    });
  }
  const resolved = resolveAttributeParts(parts, resourceType);
  let def = resolved?.target;
  let sub = parts.subAttr !== undefined ? (resolved?.subAttribute?.name ?? parts.subAttr) : undefined;
  if (def?.type === 'complex' && sub === undefined && findAttribute(def.subAttributes, 'value')) {
    def = findAttribute(def.subAttributes, 'value');
    sub = 'value';
  }
  const typing = typingOf(def);
  const container = (r: ScimResource): unknown =>
    resolved?.inExtension ? getMember(r, resolved.schema) : r;
  const name = resolved?.attribute.name ?? parts.name;

  const keyOf = (r: ScimResource): SortKey => {
    const raw = getMember(container(r), name);
    const elements = flatValues(raw);
    // RFC 7644 §3.4.2.3: a multi-valued attribute sorts by its primary value, else the first.
    const chosen = Array.isArray(raw)
      ? (elements.find((e) => isObject(e) && getMember(e, 'primary') === true) ?? elements[0])
      : elements[0];
    const value = sub !== undefined ? getMember(chosen, sub) : chosen;
    if (value === undefined || value === null || value === '') return { kind: 'none' };
    if (typing.kind === 'dateTime') {
      const t = instantOf(value);
      if (!Number.isNaN(t)) return { kind: 'number', value: t };
    }
    if (typeof value === 'number') return { kind: 'number', value };
    if (typeof value === 'boolean') return { kind: 'number', value: value ? 1 : 0 };
    if (typeof value === 'string') {
      const caseExact = typing.kind === 'string' && typing.caseExact;
      return { kind: 'string', value: caseExact ? value : value.toLowerCase() };
    }
    return { kind: 'none' };
  };

  const sign = order === 'descending' ? -1 : 1;
  const cache = new WeakMap<ScimResource, SortKey>();
  const cachedKey = (r: ScimResource): SortKey => {
    let k = cache.get(r);
    if (!k) {
      k = keyOf(r);
      cache.set(r, k);
    }
    return k;
  };
  return (a, b) => {
    const ka = cachedKey(a);
    const kb = cachedKey(b);
    // Missing values last when ascending, first when descending: reversing the order does both.
    if (ka.kind === 'none' || kb.kind === 'none') {
      if (ka.kind === kb.kind) return 0;
      return (ka.kind === 'none' ? 1 : -1) * sign;
    }
    if (ka.kind !== kb.kind) return (ka.kind === 'number' ? -1 : 1) * sign;
    if (ka.value === kb.value) return 0;
    return (ka.value < kb.value ? -1 : 1) * sign;
  };
}
