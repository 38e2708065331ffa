// SCIM Users (RFC 7643 §4.1, §4.3): each is a workspace member with source `scim` (docs/rules.md §6).
// Owns the directory record kept in MemberRecord.scim, the User JSON form, and every change to it.
import { identityKey } from '../store/identity-key.js';
import { isObject, findKey } from './filter/attribute-values.js';
import { coerceAttribute, coerceSingle } from './patch/coerce-value.js';
import { applyPatch, applyPatchInSlices, PATCH_RETRIES, PATCH_SLICE_MS } from './patch/apply-patch.js';
import {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  USER_SCHEMA,
  findAttribute,
  findSchema,
  type ScimAttribute,
  type ScimResource,
} from './schema.js';
import { isLenient } from './lenient.js';
import { checkIfMatch, etagOf, invalidSyntax, invalidValue, resourceNotFound, uniqueness, type ScimScope } from './protocol.js';
import { addMember, normalizeEmail } from '../members/members.js';
import type { MemberRecord, WorkspaceState } from '../store/state.js';
import { cloneJson, rawOf } from '../store/tracked-state.js';

/** The directory's record of a member (MemberRecord.scim). */
export interface ScimUserRecord {
  userName: string;
  externalId?: string;
  /** Deleted through SCIM: hidden from SCIM, the member stays `deactivated` until re-provisioned. */
  deleted?: boolean;
  version: number;
  created: string;
  lastModified: string;
  /** The writable attributes as stored (canonical names, the enterprise extension under its URN). */
  attributes: Record<string, unknown>;
}

const USER_ATTRIBUTES: readonly ScimAttribute[] = [...COMMON_ATTRIBUTES, ...(findSchema(USER_SCHEMA)?.attributes ?? [])];
const ENTERPRISE_ATTRIBUTES: readonly ScimAttribute[] = findSchema(ENTERPRISE_USER_SCHEMA)?.attributes ?? [];
// Set by the service provider or computed (RFC 7643 §3.1, §4.1.2); `active` lives in the member status;
// `password` is never stored (changePassword is not supported).
const NOT_STORED = new Set(['id', 'meta', 'groups', 'active', 'password', 'schemas']);

/** The directory record of a member, when SCIM manages it (deleted ones included). */
export function scimRecordOf(m: MemberRecord): ScimUserRecord | undefined {
  const s = m.scim;
  if (m.source !== 'scim' || !s || typeof s.userName !== 'string') return undefined;
  return s as unknown as ScimUserRecord;
}

/** The member behind a SCIM user id, when it is a directory member that is not deleted. */
export function scimUser(ws: WorkspaceState, id: string): { member: MemberRecord; record: ScimUserRecord } | undefined {
  const member = Object.hasOwn(ws.members, id) ? ws.members[id] : undefined;
  const record = member ? scimRecordOf(member) : undefined;
  return member && record && record.deleted !== true ? { member, record } : undefined;
}

function requireScimUser(scope: ScimScope, id: string) {
  const found = scimUser(scope.ws, id);
  if (!found) throw resourceNotFound('User', id, scope.ws);
  return found;
}

/** The User resource (RFC 7643 §4.1) of a directory member, `groups` computed from the index. */
export function userResource(scope: ScimScope, member: MemberRecord, record: ScimUserRecord): ScimResource {
  // Read from the plain objects behind the state's write-tracking proxies: the resource is only
  // read (filtered, projected, serialized), and serializing proxies cost a trap per value.
  const attributes = rawOf(record.attributes);
  const { userName, externalId, ...rest } = attributes;
  const resource: ScimResource = {
    schemas: Object.hasOwn(attributes, ENTERPRISE_USER_SCHEMA) ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: member.id,
    ...(externalId !== undefined ? { externalId } : {}),
    userName,
    ...rest,
    active: member.status !== 'deactivated',
  };
  const groups = userGroups(scope, member.id);
  if (groups.length > 0) resource.groups = groups;
  resource.meta = {
    resourceType: 'User',
    created: record.created,
    lastModified: record.lastModified,
    location: `${scope.baseUrl}/Users/${member.id}`,
    version: etagOf(record.version),
  };
  return resource;
}

// RFC 7643 §4.1.2: the groups the user belongs to, read-only, from the membership index.
function userGroups(scope: ScimScope, memberId: string) {
  const ids = scope.core.index(scope.ws).memberGroups.get(memberId);
  if (!ids) return [];
  const out: Record<string, unknown>[] = [];
  for (const gid of ids) {
    const g = scope.ws.groups[gid];
    if (g?.source !== 'scim') continue;
    out.push({ value: g.id, $ref: `${scope.baseUrl}/Groups/${g.id}`, display: g.displayName, type: 'direct' });
  }
  return out;
}

/** A User body read against the schema: what is stored, and the `active` flag when given. */
export interface UserInput {
  attributes: Record<string, unknown>;
  active: boolean | undefined;
}

function requireSchemas(body: Record<string, unknown>, core: string, kind: string): void {
  const schemas = body[findKey(body, 'schemas') ?? 'schemas'];
  // RFC 7644 §3.3: the body carries `schemas`; URNs the provider does not know (Entra adds its own) are ignored.
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
    throw invalidSyntax(`A ${kind} body needs "schemas": ["${core}"] (RFC 7644 §3.3).`);
  }
  if (!schemas.some((s: string) => s.toLowerCase() === core.toLowerCase())) {
    throw invalidSyntax(`"schemas" must contain "${core}" for a ${kind}; got ${JSON.stringify(schemas)}.`);
  }
}

/** Reads a POST/PUT User body (RFC 7644 §3.3, §3.5.1): unknown and read-only attributes are ignored. */
export function readUserBody(body: unknown): UserInput {
  if (!isObject(body)) throw invalidSyntax('The request body must be a JSON object: a User resource (RFC 7644 §3.3).');
  requireSchemas(body, USER_SCHEMA, 'User');
  const attributes: Record<string, unknown> = {};
  let active: boolean | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase()) {
      if (value === null) continue;
      if (!isObject(value)) throw invalidValue(`"${ENTERPRISE_USER_SCHEMA}" must be an object of enterprise attributes.`);
      const ext: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const attr = findAttribute(ENTERPRISE_ATTRIBUTES, k);
        if (!attr) continue;
        const coerced = coerceAttribute(attr, v, `${ENTERPRISE_USER_SCHEMA}:${attr.name}`);
        if (!isEmpty(coerced)) ext[attr.name] = coerced;
      }
      if (Object.keys(ext).length > 0) attributes[ENTERPRISE_USER_SCHEMA] = ext;
      continue;
    }
    const attr = findAttribute(USER_ATTRIBUTES, key);
    if (!attr) continue;
    if (attr.name === 'active') {
      const a = coerceSingle(attr, value, 'active');
      if (a !== null) active = a as boolean;
      continue;
    }
    if (NOT_STORED.has(attr.name)) continue;
    const coerced = coerceAttribute(attr, value, attr.name);
    if (isEmpty(coerced)) continue;
    if (attr.multiValued && Array.isArray(coerced) && coerced.filter((v) => isObject(v) && v.primary === true).length > 1) {
      throw invalidValue(`"${attr.name}": at most one value may be primary (RFC 7643 §2.4).`);
    }
    attributes[attr.name] = coerced;
  }
  return { attributes: checkUserName(attributes), active };
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function checkUserName(attributes: Record<string, unknown>): Record<string, unknown> {
  const userName = attributes.userName;
  if (typeof userName !== 'string' || userName.trim() === '') {
    throw invalidValue('"userName" is required: a non-empty string, e.g. "ada@springfield.k12.us" (RFC 7643 §4.1.1).');
  }
  return attributes;
}

function asEmail(value: unknown): string | undefined {
  try {
    return normalizeEmail(value);
  } catch {
    return undefined;
  }
}

/** The member's email: the primary email, else the work one, else any, else the userName when it is an email. */
export function emailFromAttributes(attributes: Record<string, unknown>): string {
  const emails = Array.isArray(attributes.emails) ? attributes.emails.filter(isObject) : [];
  const ordered = [
    ...emails.filter((e) => e.primary === true),
    ...emails.filter((e) => typeof e.type === 'string' && e.type.toLowerCase() === 'work'),
    ...emails,
  ];
  for (const e of ordered) {
    const email = asEmail(e.value);
    if (email) return email;
  }
  const fromUserName = asEmail(attributes.userName);
  if (fromUserName) return fromUserName;
  throw invalidValue(
    `User "${String(attributes.userName)}" has no usable email: send an "emails" value such as {"value":"ada@springfield.k12.us","primary":true}, or a userName that is an email address.`,
  );
}

interface Names {
  givenName?: string;
  familyName?: string;
  displayName?: string;
}

function namesOf(attributes: Record<string, unknown>): Names {
  const name = isObject(attributes.name) ? attributes.name : {};
  const out: Names = {};
  if (typeof name.givenName === 'string') out.givenName = name.givenName;
  if (typeof name.familyName === 'string') out.familyName = name.familyName;
  if (typeof attributes.displayName === 'string') out.displayName = attributes.displayName;
  return out;
}

// Lenient mode (docs/rules.md §17): an email that another current SCIM User holds is shared, and
// the member record follows userName instead, when userName is an email address nobody else holds.
function memberEmail(scope: ScimScope, memberId: string | undefined, userName: string, email: string): string {
  if (!isLenient(scope.ws)) return email;
  const index = scope.core.index(scope.ws);
  const holder = index.memberByEmail.get(identityKey(email));
  if (holder === undefined || holder === memberId) return email;
  const held = Object.hasOwn(scope.ws.members, holder) ? scope.ws.members[holder] : undefined;
  const heldRecord = held ? scimRecordOf(held) : undefined;
  if (!heldRecord || heldRecord.deleted === true) return email;
  const own = asEmail(userName);
  if (own === undefined) return email;
  const ownHolder = index.memberByEmail.get(identityKey(own));
  return ownHolder === undefined || ownHolder === memberId ? own : email;
}

// Refuses, before anything changes, a userName or email that another member holds (RFC 7644 §3.3 409).
function checkFree(scope: ScimScope, memberId: string | undefined, userName: string, email: string): void {
  const index = scope.core.index(scope.ws);
  const holder = index.memberByUserName.get(identityKey(userName));
  if (holder !== undefined && holder !== memberId) {
    throw uniqueness(`userName "${userName}" is already taken by User "${holder}" (userName is unique, compared case-insensitively).`);
  }
  const emailHolder = index.memberByEmail.get(identityKey(email));
  if (emailHolder !== undefined && emailHolder !== memberId) {
    throw uniqueness(`The email ${email} already belongs to another member of this workspace ("${emailHolder}"); each member has one email.`);
  }
}

function now(scope: ScimScope): string {
  return scope.core.clockFor(scope.ws.id).nowIso();
}

function statusWhenRestored(m: MemberRecord): MemberRecord['status'] {
  return m.lastSignInAt !== undefined ? 'active' : 'pending_invite';
}

function event(scope: ScimScope, type: string, m: MemberRecord, record: ScimUserRecord, extra: Record<string, unknown> = {}) {
  scope.core.record(scope.ws, type, scope.actor, { memberId: m.id, userName: record.userName, email: m.email, ...extra });
}

// Writes the record, names, email and indexes of a member from validated attributes.
function store(scope: ScimScope, m: MemberRecord, attributes: Record<string, unknown>, email: string, base: ScimUserRecord | undefined, time: string): ScimUserRecord {
  const index = scope.core.index(scope.ws);
  const userName = attributes.userName as string;
  const externalId = typeof attributes.externalId === 'string' ? attributes.externalId : undefined;
  const old = base && base.deleted !== true ? base : undefined;
  index.setUserName(m.id, old?.userName, userName);
  index.setMemberExternalId(m.id, old?.externalId, externalId);
  if (m.email !== email) {
    index.setEmail(m.id, m.email, email);
    m.email = email;
  }
  const names = namesOf(attributes);
  for (const key of ['givenName', 'familyName', 'displayName'] as const) {
    const v = names[key];
    if (v === undefined) delete m[key];
    else m[key] = v;
  }
  const record: ScimUserRecord = {
    userName,
    ...(externalId !== undefined ? { externalId } : {}),
    version: (base?.version ?? 0) + 1,
    created: base?.created ?? time,
    lastModified: time,
    attributes,
  };
  m.scim = record as unknown as Record<string, unknown>;
  m.source = 'scim';
  m.updatedAt = time;
  return record;
}

function setActive(scope: ScimScope, m: MemberRecord, active: boolean, time: string): boolean {
  if (!active && m.status !== 'deactivated') {
    m.status = 'deactivated';
    m.deactivatedAt = time;
    return true;
  }
  if (active && m.status === 'deactivated') {
    m.status = statusWhenRestored(m);
    delete m.deactivatedAt;
    return true;
  }
  return false;
}

/**
 * Creates a User (RFC 7644 §3.3). docs/rules.md §6: a userName or email of an invited or automatically
 * created member links that member to the directory; of a User deleted through SCIM, restores
 * it; of a current SCIM User, is a 409 uniqueness.
 */
export function createUser(scope: ScimScope, body: unknown): { member: MemberRecord; record: ScimUserRecord } {
  const input = readUserBody(body);
  const userName = input.attributes.userName as string;
  const email = memberEmail(scope, undefined, userName, emailFromAttributes(input.attributes));
  const index = scope.core.index(scope.ws);
  const holder = index.memberByUserName.get(identityKey(userName));
  if (holder !== undefined) {
    throw uniqueness(`userName "${userName}" is already provisioned as User "${holder}"; update it with PUT or PATCH /Users/${holder}.`);
  }
  const byUserName = index.memberByEmail.get(identityKey(userName));
  const existingId = byUserName ?? index.memberByEmail.get(identityKey(email));
  const existing = existingId !== undefined ? scope.ws.members[existingId] : undefined;
  const time = now(scope);
  const active = input.active ?? true;

  if (existing) {
    const previous = scimRecordOf(existing);
    if (previous && previous.deleted !== true) {
      throw uniqueness(`${existing.email} is already provisioned as User "${existing.id}" with userName "${previous.userName}".`);
    }
    checkFree(scope, existing.id, userName, email);
    const previousSource = existing.source;
    const record = store(scope, existing, input.attributes, email, previous, time);
    if (previous) {
      // Re-provisioned after a DELETE: the member comes back (docs/rules.md §6).
      if (active) {
        existing.status = statusWhenRestored(existing);
        delete existing.deactivatedAt;
      }
      event(scope, active ? 'scim.user.reactivated' : 'scim.user.updated', existing, record, { via: 'create', status: existing.status });
    } else {
      setActive(scope, existing, active, time);
      event(scope, 'scim.user.linked', existing, record, { previousSource, status: existing.status });
    }
    return { member: existing, record };
  }

  checkFree(scope, undefined, userName, email);
  const names = namesOf(input.attributes);
  const member = addMember(scope.core, scope.ws, {
    email,
    source: 'scim',
    ...(names.givenName !== undefined ? { givenName: names.givenName } : {}),
    ...(names.familyName !== undefined ? { familyName: names.familyName } : {}),
  });
  const record = store(scope, member, input.attributes, email, undefined, time);
  setActive(scope, member, active, time);
  event(scope, 'scim.user.created', member, record, { status: member.status });
  return { member, record };
}

// Applies new attributes and `active` to an existing SCIM User, with events; nothing changes when they equal the stored ones.
function update(scope: ScimScope, member: MemberRecord, record: ScimUserRecord, attributes: Record<string, unknown>, active: boolean | undefined, via: string) {
  const email = memberEmail(scope, member.id, attributes.userName as string, emailFromAttributes(attributes));
  checkFree(scope, member.id, attributes.userName as string, email);
  const changed = changedAttributes(record.attributes, attributes);
  const activeChanges = active !== undefined && active === (member.status === 'deactivated');
  if (changed.length === 0 && !activeChanges) return { member, record };
  const time = now(scope);
  const next = store(scope, member, attributes, email, record, time);
  if (changed.length > 0) event(scope, 'scim.user.updated', member, next, { via, changed });
  if (activeChanges && setActive(scope, member, active, time)) {
    event(scope, active ? 'scim.user.reactivated' : 'scim.user.deactivated', member, next, { via, status: member.status });
  }
  return { member, record: next };
}

function changedAttributes(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** Replaces a User (RFC 7644 §3.5.1). `active` left out keeps the member's status as it is. */
export function replaceUser(scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined) {
  const { member, record } = requireScimUser(scope, id);
  checkIfMatch(ifMatch, record.version);
  const input = readUserBody(body);
  return update(scope, member, record, input.attributes, input.active, 'put');
}

/**
 * Modifies a User with a PatchOp message (RFC 7644 §3.5.2), all or nothing. The operations run in
 * slices that let other requests in (applyPatchInSlices); when one of them changed this user
 * meanwhile, the PATCH runs again over what is there now, as if it had come after it.
 */
export async function patchUser(scope: ScimScope, id: string, body: unknown, ifMatch: string | undefined, sliceMs = PATCH_SLICE_MS) {
  for (let attempt = 0; ; attempt++) {
    const { member, record } = requireScimUser(scope, id);
    checkIfMatch(ifMatch, record.version);
    const current: ScimResource = {
      schemas: [USER_SCHEMA],
      id: member.id,
      ...cloneJson(record.attributes),
      active: member.status !== 'deactivated',
    };
    // After PATCH_RETRIES attempts overtaken by other writers, the last one runs in one go.
    if (attempt >= PATCH_RETRIES) return storePatchedUser(scope, member, record, applyPatch(current, body, 'User').resource);
    const seen = userStamp(member, record);
    const { resource } = await applyPatchInSlices(current, body, 'User', sliceMs);
    const now = requireScimUser(scope, id);
    if (userStamp(now.member, now.record) === seen) return storePatchedUser(scope, now.member, now.record, resource);
  }
}

/** Changes whenever a write reaches the member or its directory record. */
const userStamp = (member: MemberRecord, record: ScimUserRecord) => `${record.version}\u0000${member.status}\u0000${member.updatedAt}`;

function storePatchedUser(scope: ScimScope, member: MemberRecord, record: ScimUserRecord, resource: ScimResource) {
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) {
    if (!NOT_STORED.has(k) && !isEmpty(v)) attributes[k] = v;
  }
  const active = typeof resource.active === 'boolean' ? resource.active : undefined;
  return update(scope, member, record, checkUserName(attributes), active, 'patch');
}

/**
 * Deletes a User (RFC 7644 §3.6): it leaves every group and SCIM, and the member is
 * `deactivated` (docs/rules.md §6) until a create with its userName re-provisions it.
 */
export function deleteUser(scope: ScimScope, id: string, ifMatch: string | undefined): void {
  const { member, record } = requireScimUser(scope, id);
  checkIfMatch(ifMatch, record.version);
  const index = scope.core.index(scope.ws);
  const time = now(scope);
  for (const gid of [...(index.memberGroups.get(member.id) ?? [])]) {
    index.removeMembership(gid, member.id);
    const g = scope.ws.groups[gid];
    if (g) {
      g.version += 1;
      g.updatedAt = time;
    }
  }
  index.setUserName(member.id, record.userName, undefined);
  index.setMemberExternalId(member.id, record.externalId, undefined);
  member.scim = { ...record, deleted: true, version: record.version + 1, lastModified: time } as unknown as Record<string, unknown>;
  member.status = 'deactivated';
  member.deactivatedAt ??= time;
  member.updatedAt = time;
  event(scope, 'scim.user.deleted', member, record);
}
