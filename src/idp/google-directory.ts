// The mock IdP's Google Workspace Admin SDK Directory API (vendor google): an OAuth 2.0 token
// endpoint (client credentials) and users.list, groups.list and members.list with pageToken paging,
// in Google's JSON shapes, over /idp/{idp}/google/*. A program of the district's own directory.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { runtimeSlot, type EmulatorCore } from '../emulator.js';
import type { AppContext, AppEnv } from '../http/context.js';
import type { IdpGroup, IdpState, IdpUser } from '../store/state.js';
import { requireIdp } from './registry.js';

/** Access tokens live this long on the emulator clock (Google's are one hour). */
const TOKEN_TTL_MS = 3600_000;

interface DirectoryToken {
  idp: string;
  clientId: string;
  expiresAtMs: number;
}

const GOOGLE_TOKENS = runtimeSlot('idp-google-tokens', () => new Map<string, DirectoryToken>());

// Google's error form (https://cloud.google.com/apis/design/errors): {"error": {"code", "message", "status"}}.
function googleError(c: AppContext, code: 400 | 401 | 403 | 404, status: string, message: string) {
  return c.json({ error: { code, message, status, errors: [{ message, domain: 'global', reason: status.toLowerCase() }] } }, code);
}

// RFC 6749 §5.2 error answers of the token endpoint.
function oauthError(c: AppContext, status: 400 | 401, error: string, description: string) {
  if (status === 401) c.header('WWW-Authenticate', 'Basic realm="mock-google"');
  return c.json({ error: error, error_description: description }, status);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function googleIdp(c: AppContext): IdpState | undefined {
  const idp = requireIdp(c.get('core'), c.req.param('idp')!);
  return idp.vendor === 'google' ? idp : undefined;
}

/** The token behind the request's bearer, or a 401 answer. */
function authorized(core: EmulatorCore, c: AppContext, idp: IdpState): Response | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
  const tokens = core.runtime(GOOGLE_TOKENS);
  const token = bearer === undefined ? undefined : tokens.get(bearer);
  if (!token || token.idp !== idp.id || token.expiresAtMs <= core.clock.nowMs()) {
    if (token) tokens.delete(bearer!);
    return googleError(c, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token from the token endpoint.');
  }
  return undefined;
}

/** The page asked for: `maxResults` (1..max, default dflt) and `pageToken` (an offset we handed out). */
function page(c: AppContext, max: number, dflt: number): { offset: number; size: number } | string {
  const rawMax = c.req.query('maxResults');
  const size = rawMax === undefined ? dflt : Number(rawMax);
  if (!Number.isInteger(size) || size < 1 || size > max) return `Invalid value for maxResults: ${rawMax} (1 to ${max}).`;
  const token = c.req.query('pageToken');
  if (token === undefined || token === '') return { offset: 0, size };
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^o:/, ''));
  if (!Number.isInteger(offset) || offset < 0) return `Invalid pageToken "${token}".`;
  return { offset, size };
}

function paged<T>(items: T[], p: { offset: number; size: number }): { items: T[]; nextPageToken?: string } {
  const slice = items.slice(p.offset, p.offset + p.size);
  const next = p.offset + p.size;
  return { items: slice, ...(next < items.length ? { nextPageToken: Buffer.from(`o:${next}`).toString('base64url') } : {}) };
}

function checkCustomer(c: AppContext): string | undefined {
  const customer = c.req.query('customer');
  const domain = c.req.query('domain');
  if (customer === undefined && domain === undefined) return 'Bad Request: customer or domain is required (customer=my_customer).';
  if (customer !== undefined && customer !== 'my_customer') return `Bad Request: unknown customer "${customer}" (use my_customer).`;
  return undefined;
}

// A user taken out of the provisioning scope (idp_remove_user) is gone from the Directory API, as
// if removed from the domain; it can still sign in, as a wider SSO assignment allows.
const listed = (idp: IdpState) => Object.values(idp.users).filter((u) => u.provisioned !== false).sort((a, b) => a.email.toLowerCase().localeCompare(b.email.toLowerCase()));

const attr = (u: IdpUser, name: string) => {
  const v = u.attributes[name];
  return typeof v === 'string' ? v : undefined;
};
const suspended = (u: IdpUser) => ['true', '1', 'yes'].includes((attr(u, 'suspended') ?? '').toLowerCase());

// https://developers.google.com/admin-sdk/directory/reference/rest/v1/users
function userResource(u: IdpUser) {
  const givenName = u.givenName ?? '';
  const familyName = u.familyName ?? '';
  return {
    kind: 'admin#directory#user',
    id: u.id,
    primaryEmail: u.email,
    name: { givenName, familyName, fullName: `${givenName} ${familyName}`.trim() },
    isAdmin: false,
    suspended: suspended(u),
    archived: false,
    orgUnitPath: attr(u, 'orgUnitPath') ?? '/',
    creationTime: u.createdAt,
  };
}

function groupEmail(idp: IdpState, g: IdpGroup): string {
  const member = g.members.map((id) => idp.users[id]).find((u) => u !== undefined);
  const domain = member ? member.email.slice(member.email.lastIndexOf('@') + 1) : `${idp.id}.example`;
  return `${g.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || g.id}@${domain}`;
}

// https://developers.google.com/admin-sdk/directory/reference/rest/v1/groups
function groupResource(idp: IdpState, g: IdpGroup) {
  return { kind: 'admin#directory#group', id: g.id, email: groupEmail(idp, g), name: g.displayName, description: '', directMembersCount: String(g.members.length), adminCreated: true };
}

/** Routes under /idp/{idp}/google. */
export function googleDirectoryRoutes() {
  const r = new Hono<AppEnv>();
  const notGoogle = (c: AppContext) => {
    const idp = requireIdp(c.get('core'), c.req.param('idp')!);
    return googleError(c, 404, 'NOT_FOUND', `Mock IdP "${idp.id}" is a ${idp.vendor} IdP; the Directory API is served by google ones.`);
  };

  // What every Directory API read checks first, in this order: a google IdP, its bearer token, and
  // for the list calls `customer=my_customer`. The IdP, or the answer that refuses the call.
  const directoryRead = (c: AppContext, listCall: boolean): IdpState | Response => {
    const idp = googleIdp(c);
    if (!idp) return notGoogle(c);
    const denied = authorized(c.get('core'), c, idp);
    if (denied) return denied;
    const bad = listCall ? checkCustomer(c) : undefined;
    if (bad) return googleError(c, 400, 'INVALID_ARGUMENT', bad);
    return idp;
  };

  // RFC 6749 §4.4: client credentials, the client authenticated with HTTP Basic or in the body (§2.3.1).
  r.post('/token', async (c) => {
    const idp = googleIdp(c);
    if (!idp) return notGoogle(c);
    const form = new URLSearchParams(await c.req.text());
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(c, 400, 'unsupported_grant_type', `grant_type "${form.get('grant_type') ?? ''}" is not supported here; use client_credentials.`);
    }
    let clientId = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        // RFC 6749 §2.3.1: form-encoded; a bad escape authenticates no client (not a 500).
        try {
          clientId = decodeURIComponent(decoded.slice(0, colon));
          secret = decodeURIComponent(decoded.slice(colon + 1));
        } catch {
          return oauthError(c, 401, 'invalid_client', `The Basic credentials are not form-encoded (RFC 6749 §2.3.1) at mock IdP "${idp.id}".`);
        }
      }
    }
    const client = clientId !== undefined && Object.hasOwn(idp.oidcClients, clientId) ? idp.oidcClients[clientId] : undefined;
    if (!client || secret === undefined || !sameSecret(client.clientSecret, secret)) {
      return oauthError(c, 401, 'invalid_client', `Client authentication failed for "${clientId ?? ''}" at mock IdP "${idp.id}".`);
    }
    const core = c.get('core');
    const tokens = core.runtime(GOOGLE_TOKENS);
    for (const [key, t] of tokens) if (t.expiresAtMs <= core.clock.nowMs()) tokens.delete(key);
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, { idp: idp.id, clientId: client.clientId, expiresAtMs: core.clock.nowMs() + TOKEN_TTL_MS });
    c.header('Cache-Control', 'no-store');
    return c.json({ access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_TTL_MS / 1000, scope: form.get('scope') ?? '' });
  });

  r.get('/admin/directory/v1/users', (c) => {
    const idp = directoryRead(c, true);
    if (idp instanceof Response) return idp;
    const p = page(c, 500, 100);
    if (typeof p === 'string') return googleError(c, 400, 'INVALID_ARGUMENT', p);
    const { items, nextPageToken } = paged(listed(idp), p);
    return c.json({ kind: 'admin#directory#users', etag: `"${idp.id}"`, users: items.map(userResource), ...(nextPageToken ? { nextPageToken } : {}) });
  });

  r.get('/admin/directory/v1/groups', (c) => {
    const idp = directoryRead(c, true);
    if (idp instanceof Response) return idp;
    const p = page(c, 200, 200);
    if (typeof p === 'string') return googleError(c, 400, 'INVALID_ARGUMENT', p);
    const all = Object.values(idp.groups).sort((a, b) => a.displayName.localeCompare(b.displayName));
    const { items, nextPageToken } = paged(all, p);
    return c.json({ kind: 'admin#directory#groups', etag: `"${idp.id}"`, groups: items.map((g) => groupResource(idp, g)), ...(nextPageToken ? { nextPageToken } : {}) });
  });

  // groupKey: the group's id or email (https://developers.google.com/admin-sdk/directory/reference/rest/v1/members/list).
  r.get('/admin/directory/v1/groups/:groupKey/members', (c) => {
    const idp = directoryRead(c, false);
    if (idp instanceof Response) return idp;
    const key = c.req.param('groupKey').toLowerCase();
    const group = Object.values(idp.groups).find((g) => g.id.toLowerCase() === key || groupEmail(idp, g) === key);
    if (!group) return googleError(c, 404, 'NOT_FOUND', `Resource Not Found: groupKey ${c.req.param('groupKey')}`);
    const p = page(c, 200, 200);
    if (typeof p === 'string') return googleError(c, 400, 'INVALID_ARGUMENT', p);
    const members = group.members.flatMap((id) => {
      const u = idp.users[id];
      return u && u.provisioned !== false ? [u] : [];
    });
    const { items, nextPageToken } = paged(members, p);
    return c.json({
      kind: 'admin#directory#members',
      etag: `"${group.id}"`,
      members: items.map((u) => ({ kind: 'admin#directory#member', id: u.id, email: u.email, role: 'MEMBER', type: 'USER', status: suspended(u) ? 'SUSPENDED' : 'ACTIVE' })),
      ...(nextPageToken ? { nextPageToken } : {}),
    });
  });
  return r;
}
