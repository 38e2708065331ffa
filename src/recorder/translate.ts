// Turns one recorded HTTP exchange into the scenario step that means it: admin changes into their
// steps, SCIM calls into `request` steps with expectations, sign-ins into `sign_in` with their
// outcome, mock IdP changes into idp_* and scim_sync. Server-assigned values become variables.
import { addStep, linkIdp, type Recording } from './recording.js';
import type { IdpState } from '../store/state.js';

export interface Exchange {
  method: string;
  /** Path under the workspace (`/api/…`, `/scim/v2/…`, `/sso/…`) or under the IdP (`/users…`), with its query. */
  path: string;
  contentType?: string;
  body: unknown;
  status: number;
  resBody: unknown;
  resHeaders: Headers;
  /** If-Match / If-None-Match as sent (version tags become variables). */
  conditional?: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys whose values are secrets wherever they appear in a recorded body. */
export const SECRET_KEY = /(password|secret|token|assertion|samlresponse|signature|id_token|access_token|refresh_token|private|certificate|metadataxml)/i;

// ---- variables -------------------------------------------------------------------------------

function newVar(rec: Recording, kind: string): string {
  const n = (rec.varCounts.get(kind) ?? 0) + 1;
  rec.varCounts.set(kind, n);
  return `${kind}${n}`;
}

/** Names a server-assigned value (once) and returns its variable, or undefined when it is already known. */
function remember(rec: Recording, value: unknown, kind: string): string | undefined {
  if (typeof value !== 'string' || value === '' || rec.vars.has(value)) return undefined;
  const name = newVar(rec, kind);
  rec.vars.set(value, name);
  return name;
}

const kindOfId = (id: string, fallback: string) =>
  id.startsWith('usr_') ? 'user' : id.startsWith('grp_') ? 'group' : id.startsWith('role_') ? 'role' : fallback;

/** Replaces every known server-assigned value inside strings by its `${var}` reference. */
export function substitute<T>(rec: Recording, value: T): T {
  if (rec.vars.size === 0) return value;
  if (typeof value === 'string') {
    let s: string = value;
    const known = [...rec.vars.keys()].sort((a, b) => b.length - a.length);
    for (const v of known) {
      if (s.includes(v)) s = s.split(v).join(`\${${rec.vars.get(v)}}`);
      const enc = encodeURIComponent(v);
      if (enc !== v && s.includes(enc)) s = s.split(enc).join(`\${${rec.vars.get(v)}}`);
    }
    return s as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(rec, v)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(rec, v)])) as T;
  return value;
}

// ---- passwords and secrets ------------------------------------------------------------------

/** A placeholder for a real password: the same placeholder for the same password, never the password. */
function passwordPlaceholder(rec: Recording, password: unknown): string | undefined {
  if (typeof password !== 'string' || password === '') return undefined;
  rec.secrets.add(password);
  let p = rec.passwords.get(password);
  if (!p) rec.passwords.set(password, (p = `recorded-password-${rec.passwords.size + 1}`));
  return p;
}

/** Copies a body with every secret-named field redacted (its value remembered as a secret). */
export function redact(rec: Recording, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(rec, v));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEY.test(k) && typeof v === 'string') {
      rec.secrets.add(v);
      out[k] = k.toLowerCase().includes('password') ? passwordPlaceholder(rec, v) : 'redacted';
    } else out[k] = redact(rec, v);
  }
  return out;
}

// ---- expectations ------------------------------------------------------------------------------

// externalId is left out: the IdP assigns it (a directory id), so it differs on replay.
const USER_FIELDS = ['userName', 'active', 'displayName', 'name'];
const GROUP_FIELDS = ['displayName'];

/** The fields of a SCIM resource that say what it is (never ids, meta, timestamps or versions). */
function resourceFacts(r: unknown): Record<string, unknown> {
  if (!isObject(r)) return {};
  const fields = Array.isArray(r.schemas) && r.schemas.some((s: string) => /Group$/.test(s)) ? GROUP_FIELDS : USER_FIELDS;
  return Object.fromEntries(fields.filter((f) => r[f] !== undefined).map((f) => [f, r[f]]));
}

/** What a SCIM answer is expected to say on replay: the status and the fields that matter. */
function scimExpect(status: number, body: unknown): Record<string, unknown> {
  const expect: Record<string, unknown> = { status };
  if (!isObject(body)) return expect;
  if (status >= 400) {
    const e: Record<string, unknown> = {};
    if (body.scimType !== undefined) e.scimType = body.scimType;
    if (Object.keys(e).length > 0) expect.body = e;
    return expect;
  }
  if (Array.isArray(body.Resources)) {
    expect.body = { totalResults: body.totalResults, Resources: body.Resources.map(resourceFacts) };
    return expect;
  }
  const facts = resourceFacts(body);
  if (Object.keys(facts).length > 0) expect.body = facts;
  return expect;
}

/** `allowed` when the answer started a session, else `denied` with the reason code. */
function signInOutcome(ex: Exchange): Record<string, unknown> {
  const session = /edu_session=/.test(ex.resHeaders.get('set-cookie') ?? '');
  if ((ex.status === 200 || ex.status === 302) && session) return { outcome: 'allowed' };
  const b = ex.resBody as any;
  const reason = b?.error?.code ?? b?.reason ?? (typeof b === 'string' ? /<code id="reason-code">([a-z0-9_]+)<\/code>/.exec(b)?.[1] : undefined);
  return { outcome: 'denied', ...(reason ? { reason } : {}) };
}

// ---- the workspace side ---------------------------------------------------------------------

const failedExpect = (ex: Exchange) => (ex.status >= 400 ? { expect: { status: ex.status } } : {});

/** A `request` step faithful to the call: the content type it was sent with, ids as variables. */
function requestStep(rec: Recording, ex: Exchange, expect: Record<string, unknown>): Record<string, unknown> {
  const args: Record<string, unknown> = { method: ex.method, path: substitute(rec, ex.path) };
  if (ex.body !== undefined) {
    args.body = substitute(rec, redact(rec, ex.body));
    if (ex.contentType) args.headers = { 'Content-Type': ex.contentType };
  }
  return { request: args, expect };
}

/** Records one exchange of the workspace (`/w/{ws}…`). */
export function recordWorkspaceExchange(rec: Recording, ex: Exchange, findIdp: (id: string) => IdpState | undefined): void {
  const from = `${ex.method} ${ex.path}`;
  const path = ex.path.split('?')[0]!;
  if (path.startsWith('/scim/v2/')) return recordScim(rec, ex, from);
  if (path.startsWith('/api/')) return recordAdmin(rec, ex, path.slice(4), from, findIdp);
  const login = /^\/login\/(password|social)$/.exec(path);
  if (login && ex.method === 'POST' && isObject(ex.body)) {
    const b = ex.body;
    const args: Record<string, unknown> = { user: b.email, method: login[1] };
    if (login[1] === 'password') args.password = passwordPlaceholder(rec, b.password) ?? 'recorded-password-none';
    if (login[1] === 'social' && b.provider) args.provider = b.provider;
    return addStep(rec, { sign_in: args, expect: signInOutcome(ex) }, from);
  }
  const start = /^\/sso\/(saml|oidc)\/login$/.exec(path);
  if (start && ex.method === 'GET') {
    const email = new URL(ex.path, 'http://x').searchParams.get('email');
    if (ex.status !== 302 && email) {
      // Refused before the IdP (no SSO connection, domain not verified…): the sign-in ends here.
      rec.pendingSignIn = undefined;
      rec.ssoUsers.add(email.toLowerCase());
      return addStep(rec, { sign_in: { user: email, method: 'sso' }, expect: signInOutcome(ex) }, from);
    }
    rec.pendingSignIn = email ? { user: email } : {};
    rec.protocol = start[1] as 'saml' | 'oidc';
    return;
  }
  if ((path === '/sso/saml/acs' && ex.method === 'POST') || (path === '/sso/oidc/callback' && ex.method === 'GET')) {
    const pending = rec.pendingSignIn;
    rec.pendingSignIn = undefined;
    if (!pending?.user) {
      rec.skipped.push(`${from} (a sign-in started at the IdP: no sign_in step says it)`);
      return;
    }
    rec.ssoUsers.add(pending.user.toLowerCase());
    const args: Record<string, unknown> = { user: pending.user, method: 'sso', ...(pending.fault ? { fault: pending.fault } : {}) };
    return addStep(rec, { sign_in: args, expect: signInOutcome(ex) }, from);
  }
}

function recordScim(rec: Recording, ex: Exchange, from: string): void {
  const expect = scimExpect(ex.status, ex.resBody);
  const step = requestStep(rec, ex, expect);
  // A SCIM request carries the scenario's own token on replay (auth defaults to scim on /scim paths).
  const save: Record<string, string> = {};
  const body = ex.resBody;
  const kind = /\/Groups\b/.test(ex.path) ? 'scimGroup' : 'scimUser';
  if (isObject(body)) {
    if (typeof body.id === 'string') {
      const v = remember(rec, body.id, kind);
      if (v) save[v] = 'body.id';
    }
    if (Array.isArray(body.Resources)) {
      body.Resources.forEach((r: unknown, i: number) => {
        if (!isObject(r)) return;
        const rk = Array.isArray(r.schemas) && r.schemas.some((s: string) => /Group$/.test(s)) ? 'scimGroup' : 'scimUser';
        const v = remember(rec, r.id, rk);
        if (v) save[v] = `body.Resources[${i}].id`;
      });
    }
  }
  const etag = ex.resHeaders.get('etag');
  if (etag) {
    // The version tag of the answer: a later If-Match refers to it by name.
    rec.vars.delete(etag);
    const v = remember(rec, etag, 'etag');
    if (v) save[v] = 'headers.etag';
  }
  if (isObject(ex.body) || ex.body === undefined) {
    const headers: Record<string, string> = {};
    for (const h of ['If-Match', 'If-None-Match'] as const) {
      const value = ex.conditional?.[h];
      if (value) headers[h] = substitute(rec, value);
    }
    if (Object.keys(headers).length > 0) {
      const args = step.request as Record<string, unknown>;
      args.headers = { ...(args.headers as Record<string, string> | undefined), ...headers };
    }
  }
  if (Object.keys(save).length > 0) step.save = save;
  addStep(rec, step, from);
}

function recordAdmin(rec: Recording, ex: Exchange, sub: string, from: string, findIdp: (id: string) => IdpState | undefined): void {
  if (ex.method === 'GET' || sub.startsWith('/recordings')) return;
  const b: Record<string, any> = isObject(ex.body) ? ex.body : {};
  const ok = ex.status < 400;
  const res: Record<string, any> = isObject(ex.resBody) ? ex.resBody : {};
  const saveId = (kind: string): Record<string, unknown> => {
    const v = ok ? remember(rec, res.id, kindOfId(String(res.id ?? ''), kind)) : undefined;
    return v ? { save: { [v]: 'body.id' } } : {};
  };
  let step: Record<string, unknown> | undefined;
  const verify = /^\/domains\/([^/]+)\/verify$/.exec(sub);
  if (ex.method === 'POST' && sub === '/domains' && ok) return; // verify_domain adds the domain itself
  if (verify && ex.method === 'POST') {
    const domain = decodeURIComponent(verify[1]!);
    step = ok && res.status === 'verified' ? { verify_domain: domain } : { verify_domain: { domain, publish: false }, ...(ok ? { expect: { body: { status: res.status } } } : failedExpect(ex)) };
  } else if (ex.method === 'PUT' && sub === '/sso' && typeof b.mockIdp === 'string') {
    const idp = findIdp(b.mockIdp);
    if (idp) linkIdp(rec, idp);
    if (b.protocol === 'saml' || b.protocol === 'oidc') rec.protocol = b.protocol;
    const args: Record<string, unknown> = {};
    if (b.protocol) args.protocol = b.protocol;
    for (const k of ['allowIdpInitiated', 'force']) if (typeof b[k] === 'boolean') args[k] = b[k];
    step = { configure_sso: args, ...failedExpect(ex) };
  } else if (ex.method === 'PUT' && sub === '/sso' && ok && (b.protocol === 'saml' || b.protocol === 'oidc')) {
    // A real IdP's pasted values cannot be replayed: the scenario's mock IdP, imitating it, stands in.
    rec.pastedConnection = true;
    rec.protocol = b.protocol;
    redact(rec, b);
    const args: Record<string, unknown> = { protocol: b.protocol };
    for (const k of ['allowIdpInitiated', 'force']) if (typeof b[k] === 'boolean') args[k] = b[k];
    step = { configure_sso: args };
    rec.skipped.push(`${from} with pasted values: replayed with the scenario's mock IdP in its place`);
  } else if (ex.method === 'POST' && sub === '/invites' && typeof b.email === 'string') {
    const password = passwordPlaceholder(rec, b.password);
    const item = b.role || password ? { email: b.email, ...(b.role ? { role: b.role } : {}), ...(password ? { password } : {}) } : b.email;
    step = { invite: [item], ...failedExpect(ex) };
  } else if (ex.method === 'PUT' && sub === '/sso/enforcement' && typeof b.level === 'string') {
    step = { set_enforcement: b.force !== undefined ? { level: b.level, force: b.force } : b.level, ...failedExpect(ex) };
  } else if (ex.method === 'PATCH' && sub === '/settings') {
    step = { settings: b, ...failedExpect(ex) };
  } else if (ex.method === 'POST' && sub === '/scim/tokens') {
    if (ok && typeof res.token === 'string') rec.secrets.add(res.token);
    step = { issue_scim_token: typeof b.name === 'string' ? { name: b.name } : null, ...failedExpect(ex) };
  } else if (ex.method === 'POST' && sub === '/groups' && typeof b.displayName === 'string' && b.members === undefined) {
    step = { create_group: { name: b.displayName }, ...saveId('group'), ...failedExpect(ex) };
  } else if (ex.method === 'POST' && sub === '/roles' && typeof b.name === 'string') {
    if (ok && typeof res.id === 'string') rec.roleGroups.set(res.id, []);
    step = { create_role: b, ...saveId('role'), ...failedExpect(ex) };
  } else if (ex.method === 'PUT' && /^\/roles\/[^/]+\/groups$/.test(sub) && ok && Array.isArray(b.groupIds) && b.groupIds.length > 0 && Array.isArray(res.groups)) {
    // By name, as people say it: the group ids (a provisioning run's among them) differ on replay.
    // map_group adds to the role's groups; a PUT that also took groups away stays a request.
    const groups = res.groups as { id: string; displayName: string; source: string }[];
    const before = rec.roleGroups.get(String(res.id)) ?? [];
    rec.roleGroups.set(String(res.id), groups.map((g) => g.id));
    if (before.every((id) => groups.some((g) => g.id === id))) {
      for (const g of groups) if (!before.includes(g.id)) addStep(rec, { map_group: { group: g.displayName, role: res.name, source: g.source } }, from);
      return;
    }
    step = requestStep(rec, ex, { status: ex.status });
  } else if (ex.method === 'PUT' && sub === '/roles/default' && isObject(b.permissions)) {
    step = { set_default_role: { permissions: b.permissions }, ...failedExpect(ex) };
  } else {
    step = { ...requestStep(rec, ex, { status: ex.status }), ...saveId('id') };
  }
  addStep(rec, step, from);
}

// ---- the mock IdP side ------------------------------------------------------------------------

/** Records one exchange of the recording's mock IdP (`/idp/{idp}…`). */
export function recordIdpExchange(rec: Recording, ex: Exchange): void {
  const from = `${ex.method} /idp/${rec.idp}${ex.path}`;
  const path = ex.path.split('?')[0]!;
  const b: Record<string, any> = isObject(ex.body) ? ex.body : {};
  const query = new URL(ex.path, 'http://x').searchParams;
  // The IdP half of a sign-in: who signs in, and the fault asked for this one.
  if (/^\/(saml\/sso|oidc\/authorize)$/.test(path)) {
    const pending = (rec.pendingSignIn ??= {});
    const fault = query.get('fault') ?? (typeof b.fault === 'string' ? b.fault : undefined);
    if (fault) pending.fault = fault;
    const email = isObject(ex.resBody) && typeof ex.resBody.email === 'string' ? ex.resBody.email : undefined;
    if (email) pending.user ??= email;
    return;
  }
  if (ex.method === 'GET' || /^\/(saml|oidc)\//.test(path) || path === '/.well-known/openid-configuration') return;
  const fail = failedExpect(ex);
  const user = /^\/users\/([^/]+)$/.exec(path);
  let step: Record<string, unknown> | undefined;
  if (ex.method === 'POST' && path === '/users' && typeof b.email === 'string') {
    const args: Record<string, unknown> = { email: b.email };
    for (const k of ['givenName', 'familyName', 'groups', 'attributes']) if (b[k] !== undefined) args[k] = b[k];
    const password = passwordPlaceholder(rec, b.password);
    if (password) args.password = password;
    step = { idp_add_user: args, ...fail };
  } else if (user && ex.method === 'PATCH' && b.provisioned === false && Object.keys(b).length === 1) {
    step = { idp_remove_user: decodeURIComponent(user[1]!), ...fail };
  } else if (user && ex.method === 'DELETE') {
    step = { idp_delete_user: decodeURIComponent(user[1]!), ...fail };
  } else if (ex.method === 'POST' && /^\/users\/[^/]+\/move$/.test(path)) {
    step = { idp_move_user: { user: decodeURIComponent(path.split('/')[2]!), from: b.from, to: b.to }, ...fail };
  } else if (ex.method === 'PUT' && path === '/faults') {
    if (typeof b.next === 'string') step = { idp_fault: { fault: b.next }, ...fail };
    else if (isObject(b.users) && Object.keys(b.users).length === 1) {
      const [u, f] = Object.entries(b.users)[0]!;
      step = { idp_fault: { fault: f, user: u }, ...fail };
    }
  } else if (ex.method === 'POST' && path === '/provision') {
    const target = isObject(b.target) ? b.target : {};
    if (typeof target.token === 'string') rec.secrets.add(target.token);
    step = { scim_sync: typeof b.dialect === 'string' ? { dialect: b.dialect } : null, ...fail };
  }
  if (step) addStep(rec, step, from);
  else rec.skipped.push(`${from} (no scenario step says it)`);
}
