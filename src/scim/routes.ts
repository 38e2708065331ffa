// SCIM 2.0 service provider routes (RFC 7644) under /w/{ws}/scim/v2 with bearer-token auth, and
// SCIM token management and the recent-request log in the admin API (/w/{ws}/api/scim).
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { serviceProviderConfig } from './discovery.js';
import { createGroup, deleteGroup, groupResource, patchGroup, replaceGroup, scimGroup } from './groups.js';
import { listResources, projectResource, queryFromSearch, queryFromUrl, selectionFromUrl } from './list.js';
import { SCIM_CONTENT_TYPE, etagOf, invalidSyntax, noneMatch, resourceNotFound, type ScimScope } from './protocol.js';
import { isLenient, lenientParams, lenientSearch } from './lenient.js';
import { logScimRequest, recentScimRequests } from './request-log.js';
import { resourceTypeResources, schemaResources, type ScimResource, type ScimResourceType } from './schema.js';
import { authenticate, issueToken, revokeToken, tokenView } from './tokens.js';
import { createUser, deleteUser, patchUser, replaceUser, scimUser, userResource } from './users.js';
import { EmulatorError } from '../errors.js';
import { bearerToken, secretDigest } from '../http/auth.js';
import { readBody, readJson } from '../http/body.js';
import { requestUrl, type AppEnv } from '../http/context.js';

type C = Context<AppEnv>;

function scope(c: C): ScimScope {
  const ws = c.get('ws');
  return { core: c.get('core'), ws, actor: c.get('actor'), baseUrl: `${requestUrl(c).origin}/w/${ws.id}/scim/v2` };
}

/**
 * A SCIM JSON response (RFC 7644 §3.1: `application/scim+json`). Built as a Response of its own
 * with its headers as a plain record: Hono's `c.body` makes a Fetch `Headers` of more than one
 * header, which @hono/node-server then turns back into a record. No layer before a SCIM route
 * sets response headers through the context (they would be kept by `c.body` only).
 */
function scimJson(body: unknown, status: 200 | 201 = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': SCIM_CONTENT_TYPE, ...headers } });
}

/** The query parameters, as lenient mode reads them when the workspace is set to it (docs/rules.md §17). */
function params(c: C): URLSearchParams {
  const search = requestUrl(c).searchParams;
  return isLenient(c.get('ws')) ? lenientParams(search) : search;
}

async function searchBody(c: C): Promise<unknown> {
  const body = await resourceBody(c);
  return isLenient(c.get('ws')) ? lenientSearch(body) : body;
}

function versionOf(resource: ScimResource): string {
  return (resource.meta as { version: string }).version;
}

async function resourceBody(c: C): Promise<unknown> {
  const body = await readJson(c, { scim: true });
  if (body === undefined) throw invalidSyntax('The request needs a JSON body (Content-Type: application/scim+json or application/json).');
  return body;
}

// RFC 7644 §3.5.2 / RFC 7240: `Prefer: return=minimal`, or an empty `attributes`, asks for no body.
function wantsNoBody(c: C): boolean {
  if (/(^|[;,\s])return=minimal\b/i.test(c.req.header('Prefer') ?? '')) return true;
  const attributes = requestUrl(c).searchParams.get('attributes');
  return attributes !== null && attributes.trim() === '';
}

/** The answer to a create or change: the resource (projected as asked) with its ETag, or 204. */
function resourceResponse(c: C, resource: ScimResource, status: 200 | 201, type: ScimResourceType): Response {
  const headers: Record<string, string> = { ETag: versionOf(resource) };
  if (status === 201) headers.Location = String((resource.meta as { location: string }).location);
  if (status === 200 && wantsNoBody(c)) return c.body(null, 204, headers);
  return scimJson(projectResource(resource, type, selectionFromUrl(params(c))), status, headers);
}

// RFC 7644 §3.14: GET answers 304 when If-None-Match names the current version.
function getResponse(c: C, resource: ScimResource, type: ScimResourceType): Response {
  const etag = versionOf(resource);
  const version = Number(/"(\d+)"/.exec(etag)?.[1]);
  if (noneMatch(c.req.header('If-None-Match'), version)) return c.body(null, 304, { ETag: etag });
  return scimJson(projectResource(resource, type, selectionFromUrl(params(c))), 200, { ETag: etag });
}

// RFC 7644 §4: a filter on the discovery endpoints is refused with 403.
function refuseFilter(c: C): void {
  if (requestUrl(c).searchParams.has('filter')) {
    throw new EmulatorError({ code: 'filter_not_supported', status: 403, message: 'Discovery endpoints do not take a filter (RFC 7644 §4).' });
  }
}

function discoveryList(c: C, resources: Record<string, unknown>[]): Response {
  refuseFilter(c);
  return scimJson({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  });
}

function discoveryItem(c: C, resources: Record<string, unknown>[], what: string): Response {
  const id = c.req.param('id');
  const found = resources.find((r) => String(r.id).toLowerCase() === String(id).toLowerCase());
  if (!found) throw new EmulatorError({ code: 'resource_not_found', status: 404, message: `${what} "${id}" is not served here; GET /${what}s lists them.` });
  return scimJson(found);
}

/** Adds a SCIM request and its answer's status to the workspace's recent-request log. */
export function logScimAnswer(c: C): void {
  const actor = c.get('actor');
  const core = c.get('core');
  const ws = c.get('ws');
  const search = requestUrl(c).search;
  logScimRequest(core, ws, {
    at: core.clockFor(ws.id).nowMs(),
    method: c.req.method,
    path: c.req.path,
    query: search.length > 1 ? search.slice(1) : undefined,
    status: c.res.status,
    tokenId: actor.startsWith('scim:') ? actor.slice('scim:'.length) : null,
  });
}

/**
 * The SCIM 2.0 endpoints of a workspace, each request authenticated by a workspace SCIM token.
 * `isAdminKey` recognises the emulator admin key, so that its 401 can say a SCIM token is needed
 * instead. Each answer goes to the request log (`logScimAnswer`) unless `logAnswers` is false: the
 * app logs them from the layer that watches the same requests instead (src/app-routes.ts).
 */
export function scimRoutes(options: { isAdminKey?: (bearer: string, bearerDigest?: Buffer) => boolean; logAnswers?: boolean } = {}) {
  const r = new Hono<AppEnv>();

  if (options.logAnswers !== false) {
    r.use('*', async (c, next) => {
      await next();
      logScimAnswer(c);
    });
  }
  // Not async: the request goes on without a promise of its own (Hono's compose catches a throw).
  r.use('*', (c, next) => {
    const bearer = bearerToken(c.req.header('Authorization'));
    const ws = c.get('ws');
    // One digest of the bearer for both checks (each compares digests in constant time).
    const digest = bearer === undefined ? undefined : secretDigest(bearer);
    if (bearer !== undefined && options.isAdminKey?.(bearer, digest) === true) {
      throw new EmulatorError({
        code: 'unauthorized',
        status: 401,
        message: `That is the emulator admin key; SCIM takes a SCIM token of the workspace instead. Issue one with POST /w/${ws.id}/api/scim/tokens (admin key) and send "Authorization: Bearer <token>".`,
      });
    }
    const token = authenticate(c.get('core'), ws, bearer, digest);
    c.set('actor', `scim:${token.id}`);
    return next();
  });

  r.get('/ServiceProviderConfig', (c) => scimJson(serviceProviderConfig(scope(c).baseUrl)));
  r.get('/ResourceTypes', (c) => discoveryList(c, resourceTypeResources(scope(c).baseUrl)));
  r.get('/ResourceTypes/:id', (c) => discoveryItem(c, resourceTypeResources(scope(c).baseUrl), 'ResourceType'));
  r.get('/Schemas', (c) => discoveryList(c, schemaResources(scope(c).baseUrl)));
  r.get('/Schemas/:id', (c) => discoveryItem(c, schemaResources(scope(c).baseUrl), 'Schema'));

  // Users (RFC 7644 §3.3–§3.6)
  r.get('/Users', async (c) => scimJson(await listResources(scope(c), 'User', queryFromUrl(params(c)))));
  r.post('/Users/.search', async (c) => scimJson(await listResources(scope(c), 'User', queryFromSearch(await searchBody(c)))));
  r.post('/Users', async (c) => {
    const s = scope(c);
    const { member, record } = createUser(s, await resourceBody(c));
    return resourceResponse(c, userResource(s, member, record), 201, 'User');
  });
  r.get('/Users/:id', (c) => {
    const s = scope(c);
    const found = scimUser(s.ws, c.req.param('id'));
    if (!found) throw resourceNotFound('User', c.req.param('id'), s.ws);
    return getResponse(c, userResource(s, found.member, found.record), 'User');
  });
  r.put('/Users/:id', async (c) => {
    const s = scope(c);
    const body = await resourceBody(c);
    const { member, record } = replaceUser(s, c.req.param('id'), body, c.req.header('If-Match'));
    return resourceResponse(c, userResource(s, member, record), 200, 'User');
  });
  r.patch('/Users/:id', async (c) => {
    const s = scope(c);
    const body = await resourceBody(c);
    const { member, record } = await patchUser(s, c.req.param('id'), body, c.req.header('If-Match'));
    return resourceResponse(c, userResource(s, member, record), 200, 'User');
  });
  r.delete('/Users/:id', (c) => {
    deleteUser(scope(c), c.req.param('id'), c.req.header('If-Match'));
    return c.body(null, 204);
  });

  // Groups
  r.get('/Groups', async (c) => scimJson(await listResources(scope(c), 'Group', queryFromUrl(params(c)))));
  r.post('/Groups/.search', async (c) => scimJson(await listResources(scope(c), 'Group', queryFromSearch(await searchBody(c)))));
  r.post('/Groups', async (c) => {
    const s = scope(c);
    const g = createGroup(s, await resourceBody(c));
    return resourceResponse(c, groupResource(s, g), 201, 'Group');
  });
  r.get('/Groups/:id', (c) => {
    const s = scope(c);
    const g = scimGroup(s.ws, c.req.param('id'));
    if (!g) throw resourceNotFound('Group', c.req.param('id'), s.ws);
    return getResponse(c, groupResource(s, g), 'Group');
  });
  r.put('/Groups/:id', async (c) => {
    const s = scope(c);
    const body = await resourceBody(c);
    return resourceResponse(c, groupResource(s, replaceGroup(s, c.req.param('id'), body, c.req.header('If-Match'))), 200, 'Group');
  });
  r.patch('/Groups/:id', async (c) => {
    const s = scope(c);
    const body = await resourceBody(c);
    const g = await patchGroup(s, c.req.param('id'), body, c.req.header('If-Match'));
    // The ETag alone when no body is wanted: a large group's members are not listed for nothing.
    if (wantsNoBody(c)) return c.body(null, 204, { ETag: etagOf(g.version) });
    return resourceResponse(c, groupResource(s, g), 200, 'Group');
  });
  r.delete('/Groups/:id', (c) => {
    deleteGroup(scope(c), c.req.param('id'), c.req.header('If-Match'));
    return c.body(null, 204);
  });

  return r;
}

export const tokenInput = z.object({ name: z.string().min(1).max(200).optional() }).strict();

/** SCIM token management and the recent SCIM requests, in the admin API. */
export function scimTokenRoutes() {
  const r = new Hono<AppEnv>();
  r.post('/tokens', async (c) => {
    const input = await readBody(c, tokenInput);
    const { record, token } = issueToken(c.get('core'), c.get('ws'), input.name, c.get('actor'));
    return c.json({ ...tokenView(record), token }, 201);
  });
  r.get('/tokens', (c) => c.json({ tokens: Object.values(c.get('ws').scimTokens).map(tokenView) }));
  r.delete('/tokens/:id', (c) => {
    revokeToken(c.get('core'), c.get('ws'), c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });
  r.get('/requests', (c) => c.json({ requests: recentScimRequests(c.get('core'), c.get('ws')) }));
  return r;
}
