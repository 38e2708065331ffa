// The mock IdP's directory, pure of HTTP: its users (with the provisioning scope flag) and groups
// with memberships, as plain functions over an IdpState.
import { z } from 'zod';
import { badRequest, conflict, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { hashPassword, normalizeEmail } from '../members/members.js';
import { IDP_VENDORS, type IdpGroup, type IdpState, type IdpUser, type IdpVendor } from '../store/state.js';

const IDP_ID = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;

/** A group's display name: not blank (it is trimmed before use). */
export const idpGroupName = z.string().min(1).max(256).regex(/\S/, 'must not be blank');
const attributes = z.record(z.string().min(1), z.union([z.string(), z.array(z.string())]));

export const idpUserInput = z
  .object({
    // Checked by normalizeEmail (400 invalid_email); the meta tells the OpenAPI document.
    email: z.string().meta({ format: 'email', description: 'The user\'s email address, unique in the directory (compared in lower case).' }),
    givenName: z.string().max(200).optional(),
    familyName: z.string().max(200).optional(),
    password: z.string().min(1).max(200).optional(),
    attributes: attributes.optional(),
    /** Group display names (created when missing). */
    groups: z.array(idpGroupName).optional(),
    provisioned: z.boolean().optional(),
  })
  .strict();
export type IdpUserInput = z.infer<typeof idpUserInput>;

export const idpUserUpdate = z
  .object({
    email: z.string().meta({ format: 'email', description: 'A new email address, unique in the directory.' }).optional(),
    givenName: z.string().max(200).optional(),
    familyName: z.string().max(200).optional(),
    password: z.string().min(1).max(200).nullable().optional(),
    attributes: attributes.optional(),
    provisioned: z.boolean().optional(),
  })
  .strict();
export type IdpUserUpdate = z.infer<typeof idpUserUpdate>;

export const idpGroupInput = z
  .object({ displayName: idpGroupName, members: z.array(z.string()).optional() })
  .strict();
export type IdpGroupInput = z.infer<typeof idpGroupInput>;

export const idpInput = z
  .object({
    id: z.string().optional(),
    vendor: z.enum(IDP_VENDORS),
    name: z.string().min(1).max(200).optional(),
    autoApprove: z.boolean().optional(),
    users: z.array(idpUserInput).max(10_000).optional(),
    groups: z.array(z.union([z.string().min(1), idpGroupInput])).max(10_000).optional(),
  })
  .strict();
export type IdpInput = z.infer<typeof idpInput>;

const VENDOR_NAMES: Record<IdpVendor, string> = {
  entra: 'Microsoft Entra ID',
  okta: 'Okta',
  google: 'Google Workspace',
  classlink: 'ClassLink',
  clever: 'Clever',
  generic: 'Generic IdP',
};

/** Checks an IdP id: 1 to 63 lower-case letters, digits or hyphens. */
export function checkIdpId(id: string): string {
  if (!IDP_ID.test(id)) {
    throw badRequest('invalid_idp_id', `IdP id "${id}" is not allowed: use 1 to 63 lower-case letters, digits or hyphens, starting with a letter or digit.`);
  }
  return id;
}

/** A new IdP with its directory; throws 400/409 naming the first problem, nothing half-made. */
export function createIdpState(input: IdpInput & { id: string }, now: Date): IdpState {
  const at = now.toISOString();
  const idp: IdpState = {
    id: checkIdpId(input.id),
    vendor: input.vendor,
    name: input.name ?? `${VENDOR_NAMES[input.vendor]} (${input.id})`,
    createdAt: at,
    autoApprove: input.autoApprove ?? true,
    users: {},
    groups: {},
    samlSps: {},
    oidcClients: {},
    faults: { users: {} },
    provisioning: {},
  };
  for (const g of input.groups ?? []) addGroup(idp, typeof g === 'string' ? { displayName: g } : { displayName: g.displayName }, now);
  for (const u of input.users ?? []) addUser(idp, u, now);
  for (const g of input.groups ?? []) {
    if (typeof g === 'string' || !g.members) continue;
    const group = requireGroup(idp, g.displayName);
    for (const m of g.members) addGroupMember(idp, group, requireUser(idp, m), now);
  }
  return idp;
}

const lower = (s: string) => s.toLowerCase();

/** The user with this id or email (case-insensitive). */
export function findUser(idp: IdpState, key: string): IdpUser | undefined {
  if (Object.hasOwn(idp.users, key)) return idp.users[key];
  const email = lower(key);
  return Object.values(idp.users).find((u) => lower(u.email) === email);
}

export function requireUser(idp: IdpState, key: string): IdpUser {
  const user = findUser(idp, key);
  if (!user) throw notFound('idp_user_not_found', `IdP "${idp.id}" has no user "${key}". List them with GET /idp/${idp.id}/users.`);
  return user;
}

/** The group with this id or display name (case-insensitive). */
export function findGroup(idp: IdpState, key: string): IdpGroup | undefined {
  if (Object.hasOwn(idp.groups, key)) return idp.groups[key];
  const name = lower(key);
  return Object.values(idp.groups).find((g) => lower(g.displayName) === name);
}

export function requireGroup(idp: IdpState, key: string): IdpGroup {
  const group = findGroup(idp, key);
  if (!group) throw notFound('idp_group_not_found', `IdP "${idp.id}" has no group "${key}". List them with GET /idp/${idp.id}/groups.`);
  return group;
}

function freeId(taken: Record<string, unknown>, prefix: string): string {
  for (;;) {
    const id = newId(prefix);
    if (!Object.hasOwn(taken, id)) return id;
  }
}

/** Adds a user (and any named groups that do not exist yet). */
export function addUser(idp: IdpState, input: IdpUserInput, now: Date): IdpUser {
  const email = normalizeEmail(input.email);
  if (findUser(idp, email)) throw conflict('idp_user_exists', `IdP "${idp.id}" already has a user ${email}; change it with PATCH /idp/${idp.id}/users/${email}.`);
  // Checked before anything is added, so that a refusal leaves the directory as it was.
  if ((input.groups ?? []).some((name) => name.trim() === '')) throw badRequest('invalid_request', 'A group needs a non-empty displayName.');
  const at = now.toISOString();
  const user: IdpUser = {
    id: freeId(idp.users, 'iu'),
    email,
    ...(input.givenName !== undefined ? { givenName: input.givenName } : {}),
    ...(input.familyName !== undefined ? { familyName: input.familyName } : {}),
    attributes: input.attributes ?? {},
    ...(input.password !== undefined ? { passwordHash: hashPassword(input.password) } : {}),
    provisioned: input.provisioned ?? true,
    createdAt: at,
    updatedAt: at,
  };
  idp.users[user.id] = user;
  for (const name of input.groups ?? []) {
    const group = findGroup(idp, name) ?? addGroup(idp, { displayName: name }, now);
    addGroupMember(idp, group, user, now);
  }
  return user;
}

/** Changes a user's fields; `password: null` removes the password. Returns the names of what changed. */
export function updateUser(idp: IdpState, user: IdpUser, change: IdpUserUpdate, now: Date): string[] {
  const changed: string[] = [];
  if (change.email !== undefined && change.email !== user.email) {
    const email = normalizeEmail(change.email);
    const other = findUser(idp, email);
    if (other && other.id !== user.id) throw conflict('idp_user_exists', `IdP "${idp.id}" already has a user ${email}.`);
    user.email = email;
    changed.push('email');
  }
  for (const key of ['givenName', 'familyName'] as const) {
    const value = change[key];
    if (value !== undefined && value !== user[key]) {
      user[key] = value;
      changed.push(key);
    }
  }
  if (change.attributes !== undefined) {
    user.attributes = change.attributes;
    changed.push('attributes');
  }
  if (change.password === null && user.passwordHash !== undefined) {
    delete user.passwordHash;
    changed.push('password');
  } else if (typeof change.password === 'string') {
    user.passwordHash = hashPassword(change.password);
    changed.push('password');
  }
  if (change.provisioned !== undefined && change.provisioned !== user.provisioned) {
    user.provisioned = change.provisioned;
    changed.push('provisioned');
  }
  if (changed.length) user.updatedAt = now.toISOString();
  return changed;
}

/** Deletes a user from the directory and every group (a real deletion, not a scope change). */
export function deleteUser(idp: IdpState, user: IdpUser, now: Date): void {
  for (const g of Object.values(idp.groups)) removeGroupMember(idp, g, user, now);
  delete idp.users[user.id];
  delete idp.faults.users[lower(user.email)];
}

export function addGroup(idp: IdpState, input: { displayName: string }, now: Date): IdpGroup {
  const displayName = input.displayName.trim();
  if (displayName === '') throw badRequest('invalid_request', 'A group needs a non-empty displayName.');
  if (findGroup(idp, displayName)) throw conflict('idp_group_exists', `IdP "${idp.id}" already has a group "${displayName}".`);
  const at = now.toISOString();
  const group: IdpGroup = { id: freeId(idp.groups, 'ig'), displayName, members: [], createdAt: at, updatedAt: at };
  idp.groups[group.id] = group;
  return group;
}

export function renameGroup(idp: IdpState, group: IdpGroup, displayName: string, now: Date): boolean {
  const name = displayName.trim();
  if (name === '' || name === group.displayName) return false;
  const other = findGroup(idp, name);
  if (other && other.id !== group.id) throw conflict('idp_group_exists', `IdP "${idp.id}" already has a group "${name}".`);
  group.displayName = name;
  group.updatedAt = now.toISOString();
  return true;
}

export function deleteGroup(idp: IdpState, group: IdpGroup): void {
  delete idp.groups[group.id];
}

/** Adds a member; false when already one. */
export function addGroupMember(_idp: IdpState, group: IdpGroup, user: IdpUser, now: Date): boolean {
  if (group.members.includes(user.id)) return false;
  group.members.push(user.id);
  group.updatedAt = now.toISOString();
  return true;
}

/** Removes a member; false when not one. */
export function removeGroupMember(_idp: IdpState, group: IdpGroup, user: IdpUser, now: Date): boolean {
  const at = group.members.indexOf(user.id);
  if (at < 0) return false;
  group.members.splice(at, 1);
  group.updatedAt = now.toISOString();
  return true;
}

/** Sets a group's members to exactly these users. */
export function setGroupMembers(group: IdpGroup, users: IdpUser[], now: Date): void {
  group.members = [...new Set(users.map((u) => u.id))];
  group.updatedAt = now.toISOString();
}

/** docs/scenarios.md §3 `idp_move_user`: out of one group and into another (created when missing). */
export function moveUser(idp: IdpState, user: IdpUser, from: string, to: string, now: Date): { from: IdpGroup; to: IdpGroup } {
  const source = requireGroup(idp, from);
  if (!source.members.includes(user.id)) {
    throw conflict('idp_not_a_group_member', `${user.email} is not a member of "${source.displayName}" in IdP "${idp.id}"; nothing to move.`);
  }
  const target = findGroup(idp, to) ?? addGroup(idp, { displayName: to }, now);
  removeGroupMember(idp, source, user, now);
  addGroupMember(idp, target, user, now);
  return { from: source, to: target };
}

/** The groups a user belongs to. */
export function groupsOf(idp: IdpState, user: IdpUser): IdpGroup[] {
  return Object.values(idp.groups).filter((g) => g.members.includes(user.id));
}

/** A directory user as the mock IdP's management API shows it; the one source of its type and documented schema. */
export const idpUserViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  /** In the provisioning (SCIM app) scope. */
  provisioned: z.boolean(),
  hasPassword: z.boolean(),
  groups: z.array(z.object({ id: z.string(), displayName: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IdpUserView = z.output<typeof idpUserViewSchema>;

export function userView(idp: IdpState, user: IdpUser): IdpUserView {
  return {
    id: user.id,
    email: user.email,
    ...(user.givenName !== undefined ? { givenName: user.givenName } : {}),
    ...(user.familyName !== undefined ? { familyName: user.familyName } : {}),
    attributes: user.attributes,
    provisioned: user.provisioned,
    hasPassword: user.passwordHash !== undefined,
    groups: groupsOf(idp, user).map((g) => ({ id: g.id, displayName: g.displayName })),
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

/** A directory group as the mock IdP's management API shows it; the one source of its type and documented schema. */
export const idpGroupViewSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  memberCount: z.number().int(),
  members: z.array(z.object({ id: z.string(), email: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type IdpGroupView = z.output<typeof idpGroupViewSchema>;

export function groupView(idp: IdpState, group: IdpGroup): IdpGroupView {
  return {
    id: group.id,
    displayName: group.displayName,
    memberCount: group.members.length,
    members: group.members.flatMap((id) => {
      const u = idp.users[id];
      return u ? [{ id: u.id, email: u.email }] : [];
    }),
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  };
}
