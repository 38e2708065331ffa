// Evaluating a parsed SCIM filter against User and Group resources with the schema's typing
// and case rules (RFC 7644 §3.4.2.2), and recognising filters an index can answer.

import { EmulatorError } from '../../errors.js';
import {
  findAttribute,
  resolveAttributeParts,
  schemaUrnsOf,
  type ScimAttribute,
  type ScimResource,
  type ScimResourceType,
} from '../schema.js';
import {
  compareValue,
  flatValues,
  getMember,
  instantOf,
  isObject,
  isPresentValue,
  typingOf,
  type FilterScalar,
  type Typing,
} from './attribute-values.js';
import type { AttributePath, CompareNode, FilterNode, PresentNode } from './parse-filter.js';

/** A compiled filter: true when the resource matches. */
export type FilterPredicate = (resource: ScimResource) => boolean;

interface Accessor {
  /** The values the path selects, flattened over multi-valued attributes. */
  read(target: unknown): unknown[];
  /** The definition compared against, when the schema defines it. */
  def: ScimAttribute | undefined;
}

function invalidFilter(message: string, details?: Record<string, unknown>): EmulatorError {
  return new EmulatorError({
    code: 'invalid_filter',
    status: 400,
    scimType: 'invalidFilter',
    message,
    ...(details ? { details } : {}),
  });
}

function pathText(path: AttributePath): string {
  return `${path.uri !== undefined ? `${path.uri}:` : ''}${path.name}${path.subAttr !== undefined ? `.${path.subAttr}` : ''}`;
}

// For a complex attribute compared without a sub-attribute, compare its `value` sub-attribute.
function compared(def: ScimAttribute | undefined, forPresence: boolean): { def: ScimAttribute | undefined; viaValue: boolean } {
  if (!forPresence && def?.type === 'complex') {
    const value = findAttribute(def.subAttributes, 'value');
    if (value) return { def: value, viaValue: true };
  }
  return { def, viaValue: false };
}

function resourceAccessor(path: AttributePath, resourceType: ScimResourceType, forPresence: boolean): Accessor {
  const resolved = resolveAttributeParts(path, resourceType);
  if (resolved) {
    const { attribute, subAttribute, schema, inExtension } = resolved;
    const { def, viaValue } = compared(resolved.target, forPresence);
    const subName = subAttribute?.name ?? (viaValue ? 'value' : undefined);
    return {
      def,
      read(target) {
        const container = inExtension ? getMember(target, schema) : target;
        const values = flatValues(getMember(container, attribute.name));
        if (subName === undefined) return values;
        return values.flatMap((v) => flatValues(getMember(v, subName)));
      },
    };
  }
  // Outside the schema: read by name, case-insensitively, typed by the JSON values.
  const { core } = schemaUrnsOf(resourceType);
  const uri = path.uri !== undefined && path.uri.toLowerCase() !== core.toLowerCase() ? path.uri : undefined;
  return {
    def: undefined,
    read(target) {
      const container = uri !== undefined ? getMember(target, uri) : target;
      const values = flatValues(getMember(container, path.name));
      if (path.subAttr === undefined) return values;
      const sub = path.subAttr;
      return values.flatMap((v) => flatValues(getMember(v, sub)));
    },
  };
}

function elementAccessor(path: AttributePath, parent: ScimAttribute | undefined, forPresence: boolean): Accessor {
  const sub = findAttribute(parent?.subAttributes, path.name);
  const { def, viaValue } = compared(sub, forPresence);
  const name = sub?.name ?? path.name;
  const inner = path.subAttr ?? (viaValue ? 'value' : undefined);
  return {
    def: path.subAttr !== undefined ? findAttribute(sub?.subAttributes, path.subAttr) : def,
    read(target) {
      const values = flatValues(getMember(target, name));
      if (inner === undefined) return values;
      return values.flatMap((v) => flatValues(getMember(v, inner)));
    },
  };
}

interface Scope {
  readonly resourceType: ScimResourceType;
  /** Inside `attr[...]`: the multi-valued attribute whose elements are tested. */
  readonly parent?: ScimAttribute | undefined;
  readonly inElement: boolean;
}

function accessorFor(path: AttributePath, scope: Scope, forPresence: boolean): Accessor {
  return scope.inElement
    ? elementAccessor(path, scope.parent, forPresence)
    : resourceAccessor(path, scope.resourceType, forPresence);
}

function compileLeaf(node: CompareNode | PresentNode, scope: Scope): (target: unknown) => boolean {
  if (node.kind === 'present') {
    const accessor = accessorFor(node.path, scope, true);
    return (t) => accessor.read(t).some(isPresentValue);
  }
  const accessor = accessorFor(node.path, scope, node.value === null);
  const { op, value } = node;
  const where = pathText(node.path);
  if (value === null) {
    // RFC 7643 §2.5: null is the same state as unassigned.
    if (op === 'eq') return (t) => !accessor.read(t).some(isPresentValue);
    if (op === 'ne') return (t) => accessor.read(t).some(isPresentValue);
    throw invalidFilter(`Operator "${op}" cannot compare "${where}" with null; use "pr", "eq null" or "ne null".`);
  }
  const typing: Typing = typingOf(accessor.def);
  const type = accessor.def?.type;
  // RFC 7644 §3.4.2.2: gt/ge/lt/le on Boolean or binary attributes is an invalidFilter.
  if ((type === 'boolean' || type === 'binary') && ['gt', 'ge', 'lt', 'le'].includes(op)) {
    throw invalidFilter(`Operator "${op}" is not defined for the ${type} attribute "${where}" (RFC 7644 §3.4.2.2).`);
  }
  if (type === 'dateTime' && !['co', 'sw', 'ew'].includes(op) && Number.isNaN(instantOf(value))) {
    throw invalidFilter(`"${where}" is a dateTime; ${JSON.stringify(value)} is not an xsd:dateTime such as "2024-01-31T12:00:00Z".`);
  }
  const expected: FilterScalar = value;
  return (t) => accessor.read(t).some((v) => compareValue(op, v, expected, typing));
}

function compileNode(node: FilterNode, scope: Scope): (target: unknown) => boolean {
  switch (node.kind) {
    case 'and': {
      const l = compileNode(node.left, scope);
      const r = compileNode(node.right, scope);
      return (t) => l(t) && r(t);
    }
    case 'or': {
      const l = compileNode(node.left, scope);
      const r = compileNode(node.right, scope);
      return (t) => l(t) || r(t);
    }
    case 'not': {
      const f = compileNode(node.filter, scope);
      return (t) => !f(t);
    }
    case 'compare':
    case 'present':
      return compileLeaf(node, scope);
    case 'valuePath': {
      const resolved = scope.inElement ? undefined : resolveAttributeParts(node.path, scope.resourceType);
      const outer = resourceAccessor(node.path, scope.resourceType, true);
      const inner: Scope = { resourceType: scope.resourceType, parent: resolved?.target, inElement: true };
      const filter = compileNode(node.filter, inner);
      const then = node.then ? compileLeaf(node.then, inner) : undefined;
      return (t) => outer.read(t).some((element) => isObject(element) && filter(element) && (!then || then(element)));
    }
  }
}

/**
 * Compiles a filter for a resource type once, checking it against the schema (ordering on a
 * Boolean, a malformed dateTime literal). The predicate then tests SCIM JSON resources.
 * @throws EmulatorError 400 `invalid_filter` / `invalidFilter`.
 */
export function compileFilter(node: FilterNode, resourceType: ScimResourceType): FilterPredicate {
  const predicate = compileNode(node, { resourceType, inElement: false });
  return (resource) => predicate(resource);
}

/**
 * Whether a SCIM JSON resource matches a filter (RFC 7644 §3.4.2.2). Prefer `compileFilter`
 * when testing many resources.
 */
export function evaluateFilter(node: FilterNode, resource: ScimResource, resourceType: ScimResourceType): boolean {
  return compileFilter(node, resourceType)(resource);
}

/** An `attr eq "value"` filter that an index can answer. */
export interface EqualityLookup {
  readonly attribute: 'userName' | 'externalId' | 'id' | 'displayName';
  readonly value: string;
  /** False: compare case-insensitively (userName, displayName); true: exactly (id, externalId). */
  readonly caseExact: boolean;
}

const INDEXED = ['userName', 'externalId', 'id', 'displayName'] as const;

/**
 * Recognises a top-level `attr eq "string"` on userName, externalId, id or displayName (any case
 * of the name, optionally URN-qualified with the core schema) so it can be answered from an
 * index. Returns null for any other filter.
 */
export function equalityLookup(node: FilterNode, resourceType: ScimResourceType): EqualityLookup | null {
  if (node.kind !== 'compare' || node.op !== 'eq' || typeof node.value !== 'string') return null;
  if (node.path.subAttr !== undefined) return null;
  const resolved = resolveAttributeParts(node.path, resourceType);
  if (!resolved || resolved.inExtension || resolved.subAttribute) return null;
  const attribute = INDEXED.find((a) => a === resolved.attribute.name);
  if (!attribute) return null;
  return { attribute, value: node.value, caseExact: resolved.attribute.caseExact };
}

/**
 * Compiles a value selection filter (the part inside `attr[...]`) to a test of one element of
 * the multi-valued attribute `attribute` (RFC 7644 §3.5.2, PATCH value paths).
 * @throws EmulatorError 400 `invalid_filter` / `invalidFilter`.
 */
export function compileValueFilter(
  node: FilterNode,
  resourceType: ScimResourceType,
  attribute: ScimAttribute,
): (element: unknown) => boolean {
  const test = compileNode(node, { resourceType, parent: attribute, inElement: true });
  return (element) => isObject(element) && test(element);
}
