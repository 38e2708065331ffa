// How each vendor's provisioning phrases SCIM requests, as pure builders: Entra ID (without
// aadOptscim062020), Okta (with Group Push) and plain RFC 7644; bodies as in fixtures/scim/<vendor>/.
import type { ScimDialect } from '../../store/state.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Entra adds its own schema URI to groups it creates. */
export const ENTRA_GROUP_SCHEMA = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

/** One SCIM request, its path relative to the SCIM base URL. */
export interface ScimRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Query parameters in order, unencoded. */
  query?: Array<[string, string]>;
  body?: Record<string, unknown>;
}

/** The request line as people read it: `/Users?filter=userName eq "ada@x.org"` (unencoded). */
export function displayPath(req: ScimRequest): string {
  return req.query?.length ? `${req.path}?${req.query.map(([k, v]) => `${k}=${v}`).join('&')}` : req.path;
}

/** The request's URL under a SCIM base URL, with the query properly encoded. */
export function requestUrl(baseUrl: string, req: ScimRequest): string {
  const url = `${baseUrl.replace(/\/+$/, '')}${req.path}`;
  if (!req.query?.length) return url;
  return `${url}?${req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

/** A directory user as the provisioning client sends it. */
export interface PushUser {
  /** The directory's id for the user. */
  key: string;
  userName: string;
  email: string;
  givenName?: string;
  familyName?: string;
}

/** A directory group member as sent in `members` (the SCIM id, and the user for `display`). */
export interface PushMember {
  scimId: string;
  userName: string;
}

/** The attributes of a user the client manages and compares between runs. */
export type UserChange = 'userName' | 'email' | 'givenName' | 'familyName';

// RFC 7644 §3.4.2.2: string values in filters are JSON strings.
const quoted = (value: string) => JSON.stringify(value);
const patch = (operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: operations });
const formatted = (u: PushUser) => [u.givenName, u.familyName].filter(Boolean).join(' ');
const localPart = (email: string) => email.slice(0, email.lastIndexOf('@'));

export interface DialectRules {
  readonly name: ScimDialect;
  /** The request that looks a user up by userName before creating them. */
  findUser(userName: string): ScimRequest;
  createUser(user: PushUser): ScimRequest;
  /** Requests that bring a pushed user's attributes up to date. */
  updateUser(scimId: string, user: PushUser, changes: UserChange[], active: boolean): ScimRequest[];
  /** Requests that set a pushed user's `active`. */
  setActive(scimId: string, user: PushUser, active: boolean): ScimRequest[];
  /** Requests for a user deleted from the directory (not merely out of scope). */
  deleteUser(scimId: string, user: PushUser): ScimRequest[];
  /** The request that looks a group up by displayName before creating it, if the vendor does. */
  findGroup(displayName: string): ScimRequest | undefined;
  createGroup(key: string, displayName: string, members: PushMember[]): ScimRequest;
  /** Requests right after a group was created (members pushed separately by some vendors). */
  afterGroupCreated(scimId: string, displayName: string, members: PushMember[]): ScimRequest[];
  renameGroup(scimId: string, displayName: string): ScimRequest[];
  changeMembers(scimId: string, add: PushMember[], remove: PushMember[]): ScimRequest[];
  deleteGroup(scimId: string): ScimRequest[];
}

/**
 * Microsoft Entra ID: `GET /Users?filter=userName eq "…"` then POST; PATCH with capitalised op
 * names and booleans as the strings "True"/"False"; groups created empty, members PATCHed with
 * `Add`, removed with `Remove` and a value array (the pre-aadOptscim062020 behaviour).
 */
const entra: DialectRules = {
  name: 'entra',
  findUser: (userName) => ({ method: 'GET', path: '/Users', query: [['filter', `userName eq ${quoted(userName)}`]] }),
  createUser: (u) => ({
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      externalId: localPart(u.email),
      userName: u.userName,
      active: true,
      emails: [{ primary: true, type: 'work', value: u.email }],
      meta: { resourceType: 'User' },
      name: { formatted: formatted(u), familyName: u.familyName ?? '', givenName: u.givenName ?? '' },
      roles: [],
    },
  }),
  updateUser: (id, u, changes) => {
    const ops: unknown[] = [];
    if (changes.includes('userName')) ops.push({ op: 'Replace', path: 'userName', value: u.userName });
    if (changes.includes('email')) ops.push({ op: 'Replace', path: 'emails[type eq "work"].value', value: u.email });
    if (changes.includes('givenName')) ops.push({ op: 'Replace', path: 'name.givenName', value: u.givenName ?? '' });
    if (changes.includes('familyName')) ops.push({ op: 'Replace', path: 'name.familyName', value: u.familyName ?? '' });
    if (changes.includes('givenName') || changes.includes('familyName')) ops.push({ op: 'Replace', path: 'name.formatted', value: formatted(u) });
    return ops.length ? [{ method: 'PATCH', path: `/Users/${id}`, body: patch(ops) }] : [];
  },
  setActive: (id, _u, active) => [{ method: 'PATCH', path: `/Users/${id}`, body: patch([{ op: 'Replace', path: 'active', value: active ? 'True' : 'False' }]) }],
  // Entra soft-deletes first: the user is disabled, and only hard-deleted 30 days later.
  deleteUser: (id, u) => entra.setActive(id, u, false),
  findGroup: (displayName) => ({
    method: 'GET',
    path: '/Groups',
    query: [
      ['filter', `displayName eq ${quoted(displayName)}`],
      ['excludedAttributes', 'members'],
    ],
  }),
  createGroup: (key, displayName) => ({
    method: 'POST',
    path: '/Groups',
    body: { schemas: [GROUP_SCHEMA, ENTRA_GROUP_SCHEMA], externalId: key, displayName, meta: { resourceType: 'Group' } },
  }),
  afterGroupCreated: (id, _name, members) => entra.changeMembers(id, members, []),
  renameGroup: (id, displayName) => [{ method: 'PATCH', path: `/Groups/${id}`, body: patch([{ op: 'Replace', path: 'displayName', value: displayName }]) }],
  changeMembers: (id, add, remove) => {
    const out: ScimRequest[] = [];
    const values = (ms: PushMember[]) => ms.map((m) => ({ $ref: null, value: m.scimId }));
    if (add.length) out.push({ method: 'PATCH', path: `/Groups/${id}`, body: patch([{ op: 'Add', path: 'members', value: values(add) }]) });
    if (remove.length) out.push({ method: 'PATCH', path: `/Groups/${id}`, body: patch([{ op: 'Remove', path: 'members', value: values(remove) }]) });
    return out;
  },
  deleteGroup: (id) => [{ method: 'DELETE', path: `/Groups/${id}` }],
};

function oktaUser(u: PushUser, active: boolean, id?: string) {
  return {
    schemas: [USER_SCHEMA],
    ...(id !== undefined ? { id } : {}),
    userName: u.userName,
    name: { givenName: u.givenName ?? '', familyName: u.familyName ?? '' },
    emails: [{ primary: true, value: u.email, type: 'work' }],
    displayName: formatted(u),
    locale: 'en-US',
    externalId: u.key,
    groups: [],
    active,
    ...(id !== undefined ? { meta: { resourceType: 'User' } } : {}),
  };
}

/**
 * Okta: `GET /Users?filter=userName eq "…"&startIndex=1&count=100` then POST; a profile change is
 * `GET /Users/{id}` then a full PUT; deprovisioning is the same PUT with `active: false`. Group
 * Push: POST the group empty, then PATCH `replace` {id, displayName} and `replace` members.
 */
const okta: DialectRules = {
  name: 'okta',
  findUser: (userName) => ({
    method: 'GET',
    path: '/Users',
    query: [
      ['filter', `userName eq ${quoted(userName)}`],
      ['startIndex', '1'],
      ['count', '100'],
    ],
  }),
  createUser: (u) => ({ method: 'POST', path: '/Users', body: oktaUser(u, true) }),
  updateUser: (id, u, changes, active) =>
    changes.length ? [{ method: 'GET', path: `/Users/${id}` }, { method: 'PUT', path: `/Users/${id}`, body: oktaUser(u, active, id) }] : [],
  setActive: (id, u, active) => [{ method: 'GET', path: `/Users/${id}` }, { method: 'PUT', path: `/Users/${id}`, body: oktaUser(u, active, id) }],
  // Okta never deletes a user from an app: a deleted Okta user is deactivated there.
  deleteUser: (id, u) => okta.setActive(id, u, false),
  findGroup: () => undefined,
  createGroup: (_key, displayName) => ({ method: 'POST', path: '/Groups', body: { schemas: [GROUP_SCHEMA], displayName, members: [] } }),
  afterGroupCreated: (id, displayName, members) => [
    {
      method: 'PATCH',
      path: `/Groups/${id}`,
      body: patch([
        { op: 'replace', value: { id, displayName } },
        { op: 'replace', path: 'members', value: members.map((m) => ({ value: m.scimId, display: m.userName })) },
      ]),
    },
  ],
  renameGroup: (id, displayName) => [{ method: 'PATCH', path: `/Groups/${id}`, body: patch([{ op: 'replace', value: { id, displayName } }]) }],
  changeMembers: (id, add, remove) => {
    const out: ScimRequest[] = [];
    if (add.length) {
      out.push({ method: 'PATCH', path: `/Groups/${id}`, body: patch([{ op: 'add', path: 'members', value: add.map((m) => ({ value: m.scimId, display: m.userName })) }]) });
    }
    if (remove.length) {
      out.push({ method: 'PATCH', path: `/Groups/${id}`, body: patch(remove.map((m) => ({ op: 'remove', path: `members[value eq ${quoted(m.scimId)}]` }))) });
    }
    return out;
  },
  deleteGroup: (id) => [{ method: 'DELETE', path: `/Groups/${id}` }],
};

/** A plain RFC 7644 client: lower-case ops, real booleans, DELETE for deleted users. */
const generic: DialectRules = {
  name: 'generic',
  findUser: (userName) => ({ method: 'GET', path: '/Users', query: [['filter', `userName eq ${quoted(userName)}`]] }),
  createUser: (u) => ({
    method: 'POST',
    path: '/Users',
    body: {
      schemas: [USER_SCHEMA],
      userName: u.userName,
      externalId: u.key,
      name: { givenName: u.givenName ?? '', familyName: u.familyName ?? '' },
      displayName: formatted(u),
      emails: [{ value: u.email, type: 'work', primary: true }],
      active: true,
    },
  }),
  updateUser: (id, u, changes) => {
    const ops: unknown[] = [];
    if (changes.includes('userName')) ops.push({ op: 'replace', path: 'userName', value: u.userName });
    if (changes.includes('email')) ops.push({ op: 'replace', path: 'emails[type eq "work"].value', value: u.email });
    if (changes.includes('givenName')) ops.push({ op: 'replace', path: 'name.givenName', value: u.givenName ?? '' });
    if (changes.includes('familyName')) ops.push({ op: 'replace', path: 'name.familyName', value: u.familyName ?? '' });
    if (changes.includes('givenName') || changes.includes('familyName')) ops.push({ op: 'replace', path: 'displayName', value: formatted(u) });
    return ops.length ? [{ method: 'PATCH', path: `/Users/${id}`, body: patch(ops) }] : [];
  },
  setActive: (id, _u, active) => [{ method: 'PATCH', path: `/Users/${id}`, body: patch([{ op: 'replace', path: 'active', value: active }]) }],
  deleteUser: (id) => [{ method: 'DELETE', path: `/Users/${id}` }],
  findGroup: (displayName) => ({ method: 'GET', path: '/Groups', query: [['filter', `displayName eq ${quoted(displayName)}`]] }),
  createGroup: (key, displayName, members) => ({
    method: 'POST',
    path: '/Groups',
    body: { schemas: [GROUP_SCHEMA], displayName, externalId: key, members: members.map((m) => ({ value: m.scimId, display: m.userName })) },
  }),
  afterGroupCreated: () => [],
  renameGroup: (id, displayName) => [{ method: 'PATCH', path: `/Groups/${id}`, body: patch([{ op: 'replace', path: 'displayName', value: displayName }]) }],
  changeMembers: (id, add, remove) => {
    const ops: unknown[] = [];
    if (add.length) ops.push({ op: 'add', path: 'members', value: add.map((m) => ({ value: m.scimId, display: m.userName })) });
    for (const m of remove) ops.push({ op: 'remove', path: `members[value eq ${quoted(m.scimId)}]` });
    return ops.length ? [{ method: 'PATCH', path: `/Groups/${id}`, body: patch(ops) }] : [];
  },
  deleteGroup: (id) => [{ method: 'DELETE', path: `/Groups/${id}` }],
};

export const DIALECTS: Record<ScimDialect, DialectRules> = { entra, okta, generic };

/** The dialect a vendor's provisioning speaks by default. */
export function defaultDialect(vendor: string): ScimDialect {
  return vendor === 'entra' || vendor === 'okta' ? vendor : 'generic';
}
