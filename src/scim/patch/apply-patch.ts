// The SCIM PATCH engine (RFC 7644 §3.5.2): validates a PatchOp message and applies its
// operations to a User or Group all-or-nothing; Group membership comes out as a delta.

import { EmulatorError } from '../../errors.js';
import { compareValue, findKey, getMember, isObject, typingOf } from '../filter/attribute-values.js';
import { compileValueFilter } from '../filter/evaluate-filter.js';
import { parsePatchPath, type FilterNode, type PatchPath } from '../filter/parse-filter.js';
import {
  PATCH_OP_SCHEMA,
  findAttribute,
  resolveAttributeParts,
  schemaUrnsOf,
  splitAttributePath,
  type ResolvedAttribute,
  type ScimAttribute,
  type ScimResource,
  type ScimResourceType,
} from '../schema.js';
import { MAX_PATCH_FILTER_TERMS, MAX_PATCH_OPERATIONS, limitExceeded } from '../limits.js';
import { checkValueCount, coerceAttribute, coerceSingle, invalidValue } from './coerce-value.js';
import { cloneJson } from '../../store/tracked-state.js';

/** One operation of a PatchOp message (RFC 7644 §3.5.2). */
export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

/** A change to a Group's member set, by member id (`members[].value`). */
export type MemberChange =
  | { readonly kind: 'add'; readonly values: readonly string[] }
  | { readonly kind: 'remove'; readonly values: readonly string[] }
  | { readonly kind: 'removeAll' };

/** The result of `applyPatch`. */
export interface PatchOutcome {
  /** The patched resource, a new object. For a Group it never carries `members`. */
  readonly resource: ScimResource;
  /**
   * Group membership changes, to apply in order to the stored member set:
   * `add` → set.add(each), `remove` → set.delete(each), `removeAll` → set.clear().
   * Always empty for a User.
   */
  readonly memberChanges: readonly MemberChange[];
}

type Op = 'add' | 'replace' | 'remove';

function scimError(scimType: string, code: string, message: string, details?: Record<string, unknown>): EmulatorError {
  return new EmulatorError({ code, status: 400, scimType, message, ...(details ? { details } : {}) });
}

const invalidSyntax = (message: string) => scimError('invalidSyntax', 'invalid_syntax', message);
const invalidPath = (message: string, path: string) => scimError('invalidPath', 'invalid_path', message, { path });
const noTarget = (message: string, path?: string) =>
  scimError('noTarget', 'no_target', message, path !== undefined ? { path } : undefined);
const mutability = (message: string, path: string) => scimError('mutability', 'mutability', message, { path });

/** A string equal for two values exactly when `deepEqual` holds (object keys in any order). */
function canonicalKey(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalKey(v[k])}`)
      .join(',')}}`;
  }
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function readOperations(body: unknown): { op: Op; path?: string; value?: unknown; hasValue: boolean; index: number }[] {
  if (!isObject(body)) throw invalidSyntax('The PATCH body must be a JSON object with "schemas" and "Operations" (RFC 7644 §3.5.2).');
  const schemas = getMember(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())) {
    throw invalidSyntax(`The PATCH body's "schemas" must contain "${PATCH_OP_SCHEMA}" (RFC 7644 §3.5.2).`);
  }
  const operations = getMember(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax('The PATCH body must have a non-empty "Operations" array (RFC 7644 §3.5.2).');
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw limitExceeded(
      'invalidValue',
      'too_many_operations',
      `The PATCH has ${operations.length} operations; one PatchOp message carries at most ${MAX_PATCH_OPERATIONS}. Send the changes in several requests.`,
      { limit: MAX_PATCH_OPERATIONS, actual: operations.length },
    );
  }
  return operations.map((raw, index) => {
    if (!isObject(raw)) throw invalidSyntax(`Operations[${index}] must be an object with "op", "path" and "value".`);
    const opText = getMember(raw, 'op');
    const op = typeof opText === 'string' ? opText.toLowerCase() : undefined;
    if (op !== 'add' && op !== 'replace' && op !== 'remove') {
      throw invalidSyntax(`Operations[${index}].op must be "add", "replace" or "remove", not ${JSON.stringify(opText)}.`);
    }
    const path = getMember(raw, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string') {
      throw invalidPath(`Operations[${index}].path must be a string.`, String(path));
    }
    const valueKey = findKey(raw, 'value');
    const hasValue = valueKey !== undefined;
    if (op !== 'remove' && !hasValue) {
      throw invalidSyntax(`Operations[${index}] ("${op}") must carry a "value" (RFC 7644 §3.5.2.1, §3.5.2.3).`);
    }
    return {
      op,
      ...(typeof path === 'string' && path.trim() !== '' ? { path } : {}),
      ...(hasValue ? { value: raw[valueKey] } : {}),
      hasValue,
      index,
    };
  });
}

// A value filter made only of `sub eq literal` joined by `and` describes a new element.
function elementFromFilter(filter: FilterNode, attr: ScimAttribute): Record<string, unknown> | undefined {
  if (filter.kind === 'and') {
    const l = elementFromFilter(filter.left, attr);
    const r = elementFromFilter(filter.right, attr);
    return l && r ? { ...l, ...r } : undefined;
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined;
  if (filter.path.uri !== undefined || filter.path.subAttr !== undefined) return undefined;
  const sub = findAttribute(attr.subAttributes, filter.path.name);
  if (!sub) return undefined;
  return { [sub.name]: filter.value };
}

// `value eq "x"` joined by `or`: the only member filters answerable without scanning members.
function memberIdsFromFilter(filter: FilterNode): string[] | undefined {
  if (filter.kind === 'or') {
    const l = memberIdsFromFilter(filter.left);
    const r = memberIdsFromFilter(filter.right);
    return l && r ? [...l, ...r] : undefined;
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  if (filter.path.uri !== undefined || filter.path.subAttr !== undefined) return undefined;
  return filter.path.name.toLowerCase() === 'value' ? [filter.value] : undefined;
}

function memberIds(value: unknown, where: string): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  const ids = items.map((item, i) => {
    // Entra sends `{"value": "id", "$ref": null}`; some clients send the bare id.
    const id = typeof item === 'string' ? item : getMember(item, 'value');
    if (typeof id !== 'string' || id === '') {
      throw invalidValue(`${where}[${i}] must be an object with a non-empty string "value" (the member's id).`, { path: where });
    }
    return id;
  });
  return [...new Set(ids)];
}

class PatchSession {
  readonly draft: Record<string, unknown>;
  readonly memberChanges: MemberChange[] = [];
  // For each multi-valued array the draft holds and `add` appends to in place: the keys of its
  // values and the indexes of its primary values, built once, so an op costs what it adds and a
  // PATCH stays linear in operations × values instead of re-scanning the array per operation.
  private readonly valueKeys = new WeakMap<unknown[], Set<string>>();
  private readonly primaryIndexes = new WeakMap<unknown[], Set<number>>();
  private filterTerms = 0;
  private readonly core: string;
  private readonly extensions: readonly string[];

  constructor(
    resource: ScimResource,
    private readonly resourceType: ScimResourceType,
  ) {
    const { members: _members, ...rest } = resource;
    // Members never enter the draft: a Group's membership changes travel as a delta.
    const source = resourceType === 'Group' ? rest : resource;
    this.draft = cloneJson(source);
    const urns = schemaUrnsOf(resourceType);
    this.core = urns.core;
    this.extensions = urns.extensions;
  }

  apply(op: Op, path: string | undefined, value: unknown, hasValue: boolean): void {
    if (path === undefined) {
      // RFC 7644 §3.5.2.2: remove without path is "noTarget".
      if (op === 'remove') throw noTarget('A "remove" operation needs a "path" (RFC 7644 §3.5.2.2).');
      if (!isObject(value)) {
        throw invalidValue(`A path-less "${op}" needs an object "value" whose keys are attribute paths (RFC 7644 §3.5.2.1).`);
      }
      for (const [key, v] of Object.entries(value)) this.applyKey(op, key, v);
      return;
    }
    const schemaUrn = this.schemaUrn(path);
    if (schemaUrn !== undefined) return this.applyToSchemaObject(op, schemaUrn, path, value, hasValue);
    const parsed = parsePatchPath(path);
    if (parsed.filter) this.countFilterTerms(parsed.filter);
    const resolved = resolveAttributeParts(parsed.path, this.resourceType);
    if (!resolved) {
      throw invalidPath(`The path "${path}" names no attribute of a ${this.resourceType} (see /Schemas).`, path);
    }
    this.applyAt(op, parsed, resolved, path, value, hasValue);
  }

  // Every value-filter term is tested on every value of its attribute: bound them per message.
  private countFilterTerms(filter: FilterNode): void {
    const stack: FilterNode[] = [filter];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.kind === 'and' || node.kind === 'or') stack.push(node.left, node.right);
      else if (node.kind === 'not') stack.push(node.filter);
      else if (node.kind === 'valuePath') stack.push(node.filter);
      else this.filterTerms++;
    }
    if (this.filterTerms > MAX_PATCH_FILTER_TERMS) {
      throw limitExceeded(
        'tooMany',
        'filter_too_complex',
        `The value filters of this PATCH hold more than ${MAX_PATCH_FILTER_TERMS} terms together; the limit is ${MAX_PATCH_FILTER_TERMS} per request. Send the operations in several requests.`,
        { limit: MAX_PATCH_FILTER_TERMS },
      );
    }
  }

  private schemaUrn(text: string): string | undefined {
    const lower = text.toLowerCase();
    if (lower === this.core.toLowerCase()) return this.core;
    return this.extensions.find((e) => e.toLowerCase() === lower);
  }

  // A key of a path-less add/replace value: an attribute name, dotted or URN path, value path,
  // or a schema URN holding an object of that schema's attributes.
  private applyKey(op: Op, key: string, value: unknown): void {
    const schemaUrn = this.schemaUrn(key);
    if (schemaUrn !== undefined) return this.applyToSchemaObject(op, schemaUrn, key, value, true);
    const parts = splitAttributePath(key);
    const lowerName = parts?.name.toLowerCase();
    if (parts && parts.subAttr === undefined && (lowerName === 'schemas' || lowerName === 'id')) {
      // Okta's Group Push repeats the group's `id` in a replace value; `schemas` is no attribute.
      return;
    }
    let parsed: PatchPath;
    try {
      parsed = parsePatchPath(key);
    } catch {
      throw invalidPath(`The value key "${key}" is not an attribute path (RFC 7644 §3.5.2).`, key);
    }
    const resolved = resolveAttributeParts(parsed.path, this.resourceType);
    // Attributes outside the schema are ignored, not stored (RFC 7644 §3.5.2: unknown attributes).
    if (!resolved) return;
    this.applyAt(op, parsed, resolved, key, value, true);
  }

  private applyToSchemaObject(op: Op, urn: string, where: string, value: unknown, hasValue: boolean): void {
    const isExtension = urn !== this.core;
    if (op === 'remove' && !hasValue) {
      if (!isExtension) throw mutability(`The core schema "${urn}" cannot be removed as a whole.`, where);
      this.removeExtension(urn);
      return;
    }
    if (op === 'replace' && value === null && isExtension) {
      this.removeExtension(urn);
      return;
    }
    if (!isObject(value)) throw invalidValue(`"${where}" must be given an object of its attributes.`, { path: where });
    for (const [key, v] of Object.entries(value)) {
      const parts = splitAttributePath(key);
      if (!parts || parts.uri !== undefined) continue;
      if (!isExtension && parts.subAttr === undefined && ['id', 'schemas'].includes(parts.name.toLowerCase())) continue;
      const resolved = resolveAttributeParts({ ...parts, uri: urn }, this.resourceType);
      if (!resolved) continue;
      this.applyAt(op, { path: { ...parts, uri: urn } }, resolved, `${urn}:${key}`, v, true);
    }
  }

  // The object holding `resolved`'s attribute: the resource, or its extension object.
  private container(resolved: ResolvedAttribute, create: boolean): Record<string, unknown> | undefined {
    if (!resolved.inExtension) return this.draft;
    const key = findKey(this.draft, resolved.schema);
    const existing = key !== undefined ? this.draft[key] : undefined;
    if (isObject(existing)) {
      if (key !== resolved.schema && key !== undefined) {
        delete this.draft[key];
        this.draft[resolved.schema] = existing;
      }
      return existing;
    }
    if (!create) return undefined;
    const fresh: Record<string, unknown> = {};
    this.draft[resolved.schema] = fresh;
    return fresh;
  }

  private removeExtension(urn: string): void {
    const key = findKey(this.draft, urn);
    if (key !== undefined) delete this.draft[key];
  }

  // Keep `schemas` in step with the extension objects present (RFC 7643 §3).
  finish(): void {
    const schemas = Array.isArray(this.draft.schemas) ? (this.draft.schemas as unknown[]) : undefined;
    for (const ext of this.extensions) {
      const key = findKey(this.draft, ext);
      const obj = key !== undefined ? this.draft[key] : undefined;
      const present = isObject(obj) && Object.keys(obj).length > 0;
      if (key !== undefined && !present) delete this.draft[key];
      if (!schemas) continue;
      const listed = schemas.findIndex((s) => typeof s === 'string' && s.toLowerCase() === ext.toLowerCase());
      if (present && listed < 0) schemas.push(ext);
      if (!present && listed >= 0) schemas.splice(listed, 1);
    }
  }

  private read(container: Record<string, unknown>, name: string): unknown {
    const key = findKey(container, name);
    return key === undefined ? undefined : container[key];
  }

  // Writes under the canonical name, dropping a differently-cased duplicate.
  private write(container: Record<string, unknown>, name: string, value: unknown): void {
    const key = findKey(container, name);
    if (key !== undefined && key !== name) delete container[key];
    if (value === undefined) delete container[name];
    else container[name] = value;
  }

  private applyAt(
    op: Op,
    parsed: PatchPath,
    resolved: ResolvedAttribute,
    where: string,
    value: unknown,
    hasValue: boolean,
  ): void {
    const { attribute: attr, subAttribute } = resolved;
    if (this.resourceType === 'Group' && attr.name === 'members' && !resolved.inExtension) {
      return this.applyToMembers(op, parsed, subAttribute, where, value, hasValue);
    }
    // RFC 7644 §3.5.2: operations must respect mutability (RFC 7643 §2.2).
    if (attr.mutability === 'readOnly' || subAttribute?.mutability === 'readOnly') {
      throw mutability(`"${where}" is read-only and cannot be changed by PATCH.`, where);
    }
    if (parsed.filter) {
      if (!attr.multiValued || attr.type !== 'complex') {
        throw invalidPath(`"${where}": a value filter applies only to a multi-valued complex attribute.`, where);
      }
      return this.applyFiltered(op, parsed, resolved, where, value, hasValue);
    }
    if (subAttribute) return this.applySubAttribute(op, resolved, subAttribute, where, value);
    return this.applyAttribute(op, resolved, where, value, hasValue);
  }

  private checkRequired(attr: ScimAttribute, where: string): void {
    // A required attribute cannot become unassigned: "A required value was missing" (RFC 7644 §3.12).
    if (attr.required) throw invalidValue(`"${where}" is required and cannot be removed or emptied.`, { path: where });
  }

  private applyAttribute(op: Op, resolved: ResolvedAttribute, where: string, value: unknown, hasValue: boolean): void {
    const attr = resolved.attribute;
    const container = this.container(resolved, op !== 'remove');
    if (op === 'remove' && hasValue && value !== null && attr.multiValued) {
      if (!container) return;
      // Remove the given values from a multi-valued attribute (a common non-RFC client form).
      const current = this.read(container, attr.name);
      if (!Array.isArray(current)) return;
      const toRemove = coerceAttribute(attr, value, where) as unknown[];
      const kept = current.filter((el) => !toRemove.some((r) => this.elementMatches(attr, el, r)));
      this.write(container, attr.name, kept.length > 0 ? kept : undefined);
      return;
    }
    const coerced = op === 'remove' ? null : coerceAttribute(attr, value, where);
    // A complex value with nothing writable in it changes nothing.
    if (isObject(coerced) && Object.keys(coerced).length === 0) return;
    const empty = coerced === null || coerced === '' || (Array.isArray(coerced) && coerced.length === 0);
    if (empty) {
      if (op === 'add' && coerced !== null && Array.isArray(coerced)) return; // adding nothing
      this.checkRequired(attr, where);
      if (container) this.write(container, attr.name, undefined);
      return;
    }
    if (!container) return;
    const current = this.read(container, attr.name);
    if (attr.multiValued) {
      const incoming = coerced as unknown[];
      if (hasDuplicatePrimary(incoming)) throw invalidValue(`"${where}": at most one value may be primary.`, { path: where });
      if (op === 'add' && Array.isArray(current)) {
        this.appendValues(attr, current, incoming, where);
        // Keep the canonical attribute name (the array itself is already in place).
        this.write(container, attr.name, current);
        return;
      }
      const next = [...incoming];
      settlePrimary(next, next);
      this.write(container, attr.name, next);
      return;
    }
    if (attr.type === 'complex' && isObject(current) && isObject(coerced)) {
      // RFC 7644 §3.5.2.1 / §3.5.2.3: sub-attributes not given are left unchanged.
      this.write(container, attr.name, { ...current, ...coerced });
      return;
    }
    this.write(container, attr.name, coerced);
  }

  // RFC 7644 §3.5.2.1: add appends the values not already present; a new primary value makes
  // the others non-primary. The draft's array is changed in place (the draft is a private copy).
  private appendValues(attr: ScimAttribute, current: unknown[], incoming: unknown[], where: string): void {
    let keys = this.valueKeys.get(current);
    if (!keys) this.valueKeys.set(current, (keys = new Set(current.map(canonicalKey))));
    const added: unknown[] = [];
    const addedKeys: string[] = [];
    for (const v of incoming) {
      const key = canonicalKey(v);
      if (keys.has(key)) continue;
      added.push(v);
      addedKeys.push(key);
    }
    checkValueCount(attr, current.length + added.length, where);
    let primaries = this.primaryIndexes.get(current);
    if (!primaries) {
      primaries = new Set();
      current.forEach((el, i) => {
        if (isObject(el) && el.primary === true) primaries!.add(i);
      });
      this.primaryIndexes.set(current, primaries);
    }
    const start = current.length;
    current.push(...added);
    for (const key of addedKeys) keys.add(key);
    let winner = -1;
    for (let i = added.length - 1; i >= 0 && winner < 0; i--) if (isObject(added[i]) && (added[i] as Record<string, unknown>).primary === true) winner = start + i;
    if (winner < 0) return;
    for (const i of primaries) {
      // The element changes, so its key does too.
      keys.delete(canonicalKey(current[i]));
      current[i] = { ...(current[i] as Record<string, unknown>), primary: false };
      keys.add(canonicalKey(current[i]));
    }
    primaries.clear();
    primaries.add(winner);
  }

  private applySubAttribute(op: Op, resolved: ResolvedAttribute, sub: ScimAttribute, where: string, value: unknown): void {
    const attr = resolved.attribute;
    const container = this.container(resolved, op !== 'remove');
    if (!container) return;
    const current = this.read(container, attr.name);
    const coerced = op === 'remove' ? null : coerceSingle(sub, value, where);
    if (coerced === null && sub.required) this.checkRequired(sub, where);
    if (attr.multiValued) {
      // `emails.type` without a filter addresses every value.
      if (!Array.isArray(current) || current.length === 0) {
        if (op === 'remove') return;
        throw noTarget(`"${where}": there is no value of "${attr.name}" to change; use a value filter or add "${attr.name}".`, where);
      }
      const next = current.map((el) => (isObject(el) ? withSub(el, sub.name, coerced) : el));
      if (sub.name === 'primary' && coerced === true && next.length > 1) {
        throw invalidValue(`"${where}": only one value may be primary.`, { path: where });
      }
      this.write(container, attr.name, next);
      return;
    }
    const base = isObject(current) ? current : {};
    const next = withSub(base, sub.name, coerced);
    this.write(container, attr.name, Object.keys(next).length > 0 ? next : undefined);
  }

  private applyFiltered(
    op: Op,
    parsed: PatchPath,
    resolved: ResolvedAttribute,
    where: string,
    value: unknown,
    hasValue: boolean,
  ): void {
    const attr = resolved.attribute;
    const container = this.container(resolved, op !== 'remove');
    if (!container) return;
    const test = compileValueFilter(parsed.filter!, this.resourceType, attr);
    const current = this.read(container, attr.name);
    const elements = Array.isArray(current) ? [...current] : [];
    const matched = elements.map((el) => test(el));
    const any = matched.some(Boolean);
    let sub: ScimAttribute | undefined;
    if (parsed.subAttr !== undefined) {
      sub = findAttribute(attr.subAttributes, parsed.subAttr);
      if (!sub) throw invalidPath(`"${where}": "${attr.name}" has no sub-attribute "${parsed.subAttr}".`, where);
      if (sub.mutability === 'readOnly') throw mutability(`"${where}" is read-only and cannot be changed by PATCH.`, where);
    }

    if (op === 'remove') {
      if (!any) return;
      let next: unknown[];
      if (sub) {
        if (sub.required) this.checkRequired(sub, where);
        next = elements.map((el, i) => (matched[i] && isObject(el) ? withSub(el, sub.name, null) : el));
      } else {
        next = elements.filter((_, i) => !matched[i]);
      }
      // RFC 7644 §3.5.2.2: a multi-valued attribute left with no values is unassigned.
      this.write(container, attr.name, next.length > 0 ? next : undefined);
      return;
    }

    if (!hasValue) throw invalidSyntax(`"${op}" on "${where}" needs a "value".`);
    const patchValue = sub ? coerceSingle(sub, value, where) : coerceSingle(attr, value, where);
    if (patchValue === null) {
      // Writing null is removing (RFC 7643 §2.5).
      return this.applyFiltered('remove', parsed, resolved, where, undefined, false);
    }
    const update = (el: Record<string, unknown>): Record<string, unknown> =>
      sub ? withSub(el, sub.name, patchValue) : { ...el, ...(patchValue as Record<string, unknown>) };

    if (any) {
      const touched: unknown[] = [];
      const next = elements.map((el, i) => {
        if (!matched[i] || !isObject(el)) return el;
        const updated = update(el);
        touched.push(updated);
        return updated;
      });
      settlePrimary(next, touched);
      this.write(container, attr.name, next);
      return;
    }
    // No match: add the element the filter describes (`emails[type eq "work"].value` on a user
    // without a work email), as Entra and Okta expect for both add and replace. RFC 7644
    // §3.5.2.3 asks replace to fail with noTarget; that stays the answer for other filters.
    const seed = elementFromFilter(parsed.filter!, attr);
    if (!seed) {
      throw noTarget(`"${where}" matches no value of "${attr.name}", and its filter does not describe a new one.`, where);
    }
    const created = coerceSingle(attr, update(seed), where);
    const next = [...elements, created];
    settlePrimary(next, [created]);
    this.write(container, attr.name, next);
  }

  private elementMatches(attr: ScimAttribute, element: unknown, pattern: unknown): boolean {
    if (!isObject(pattern) || !isObject(element)) return deepEqual(element, pattern);
    return Object.entries(pattern).every(([k, v]) => {
      const sub = findAttribute(attr.subAttributes, k);
      const actual = getMember(element, k);
      if (actual === undefined || v === null || typeof v === 'object') return deepEqual(actual, v);
      return compareValue('eq', actual, v as string | number | boolean, typingOf(sub));
    });
  }

  private applyToMembers(
    op: Op,
    parsed: PatchPath,
    subAttribute: ScimAttribute | undefined,
    where: string,
    value: unknown,
    hasValue: boolean,
  ): void {
    // RFC 7643 §4.2: sub-attributes of members are immutable; members are added or removed whole.
    if (subAttribute || parsed.subAttr !== undefined) {
      throw mutability(`"${where}": sub-attributes of members are immutable; add or remove the member instead.`, where);
    }
    if (parsed.filter) {
      if (op !== 'remove') {
        throw invalidPath(`"${where}": use "add" with path "members" or "remove" with a member filter.`, where);
      }
      const ids = memberIdsFromFilter(parsed.filter);
      if (!ids) {
        throw scimError(
          'invalidFilter',
          'invalid_filter',
          `"${where}": member filters must be of the form members[value eq "<id>"] (optionally joined by "or").`,
          { path: where },
        );
      }
      this.memberChanges.push({ kind: 'remove', values: [...new Set(ids)] });
      return;
    }
    if (op === 'remove') {
      // Entra's form: {"op":"Remove","path":"members","value":[{"value":"<id>"}]}.
      if (hasValue && value !== null) {
        const ids = memberIds(value, where);
        if (ids.length > 0) this.memberChanges.push({ kind: 'remove', values: ids });
      } else {
        this.memberChanges.push({ kind: 'removeAll' });
      }
      return;
    }
    const ids = memberIds(value, where);
    if (op === 'replace') this.memberChanges.push({ kind: 'removeAll' });
    if (ids.length > 0) this.memberChanges.push({ kind: 'add', values: ids });
  }
}

function withSub(el: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  const next: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(el)) if (k.toLowerCase() !== name.toLowerCase()) next[k] = v;
  if (value !== null && value !== undefined) next[name] = value;
  return next;
}

function hasDuplicatePrimary(values: unknown[]): boolean {
  return values.filter((v) => isObject(v) && v.primary === true).length > 1;
}

// RFC 7644 §3.5.2: setting one value's "primary" to true sets it false on the others.
function settlePrimary(all: unknown[], written: unknown[]): void {
  const winner = [...written].reverse().find((v) => isObject(v) && v.primary === true);
  if (!winner) return;
  for (let i = 0; i < all.length; i++) {
    const el = all[i];
    if (el !== winner && isObject(el) && el.primary === true) all[i] = { ...el, primary: false };
  }
}

/**
 * Applies a PATCH request body (RFC 7644 §3.5.2) to a User or Group in its SCIM JSON form and
 * returns the new resource; the input is never mutated, and when any operation fails nothing
 * applies (the error is thrown). `meta` is left to the caller.
 *
 * Groups are passed and returned without `members` (any `members` given is ignored): membership
 * changes come out as `memberChanges`, a delta the caller applies in order with Set operations,
 * so a 100,000-member group is never copied or scanned.
 *
 * Accepted forms beyond the letter of the RFC, as IdPs send them: op names in any case
 * (`Replace`); `"True"`/`"False"` for booleans; path-less add/replace whose value keys are
 * attribute names, dotted paths, URN paths, value paths or a schema URN with an object;
 * `manager` as a bare id (stored as `{value}`); `id` and `schemas` inside a value (ignored);
 * attributes outside the schema inside a value (ignored); add or replace of
 * `emails[type eq "work"].value` when no such email exists (the element is created);
 * `remove` of `members` with a value array (Entra, with or without `"$ref": null`).
 *
 * @throws EmulatorError with status 400 and scimType:
 *  - `invalidSyntax` (code `invalid_syntax`): not a PatchOp message, empty `Operations`, unknown op, add/replace without value;
 *  - `noTarget` (`no_target`): remove without path; a filter matching nothing that cannot describe a new value;
 *  - `invalidPath` (`invalid_path`): a path that does not parse or names no attribute;
 *  - `mutability` (`mutability`): a read-only attribute (id, meta, groups on User, manager.displayName), a member sub-attribute;
 *  - `invalidValue` (`invalid_value`): a value of the wrong type, or removing/emptying a required attribute (userName, Group displayName);
 *  - `invalidFilter` (`invalid_filter`): a malformed value filter, or a member filter other than `value eq` (joined by `or`).
 */
export function applyPatch(resource: ScimResource, body: unknown, resourceType: ScimResourceType): PatchOutcome {
  const steps = patchSteps(resource, body, resourceType);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Longest stretch of PATCH work between two yields to the event loop (applyPatchInSlices). */
export const PATCH_SLICE_MS = 8;
/** Sliced attempts a PATCH makes when other writes to its resource overtake it; then it runs in one go. */
export const PATCH_RETRIES = 3;

/**
 * `applyPatch`, yielding to the event loop whenever its operations have run for `sliceMs`, so that
 * the largest legal PATCH (docs/security.md#scim-limits) never holds other requests up for long.
 * The operations apply to a private draft: nothing is visible until the caller stores the
 * outcome, so the PATCH stays all or nothing. The caller must check, once it resolves, that the
 * resource did not change meanwhile (src/scim/users.ts patchUser).
 */
export async function applyPatchInSlices(
  resource: ScimResource,
  body: unknown,
  resourceType: ScimResourceType,
  sliceMs = PATCH_SLICE_MS,
): Promise<PatchOutcome> {
  const steps = patchSteps(resource, body, resourceType);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** The PATCH one operation at a time: yields after each, returns the outcome. */
function* patchSteps(resource: ScimResource, body: unknown, resourceType: ScimResourceType): Generator<void, PatchOutcome> {
  const operations = readOperations(body);
  const session = new PatchSession(resource, resourceType);
  for (const operation of operations) {
    yield;
    try {
      session.apply(operation.op, operation.path, operation.value, operation.hasValue);
    } catch (e) {
      if (e instanceof EmulatorError) {
        const details = { ...(e.details ?? {}), operation: operation.index };
        throw new EmulatorError({
          code: e.code,
          status: e.status,
          message: `Operations[${operation.index}]: ${e.message}`,
          ...(e.scimType !== undefined ? { scimType: e.scimType } : {}),
          details,
        });
      }
      throw e;
    }
  }
  session.finish();
  return { resource: session.draft, memberChanges: session.memberChanges };
}
