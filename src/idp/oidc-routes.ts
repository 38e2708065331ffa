// The mock IdP's OpenID provider over HTTP: /idp/{idp}/oidc/* is answered by the IdP's provider
// for the request's origin, with a program's per-request `fault` and `auto_approve` in scope.
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../http/context.js';
import { requestedFault } from './faults.js';
import { idpEndpoints, requireIdp } from './registry.js';
import { idpRuntime, withOidcRequest, type OidcRequestSettings } from './runtime.js';

function flag(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

/** The client a request is for: client_id on /authorize, the client authentication on /token. */
function oidcClientOf(path: string, url: URL, body: ArrayBuffer | undefined, authorization: string | undefined): string | undefined {
  if (path === '/authorize') {
    const fromQuery = url.searchParams.get('client_id');
    if (fromQuery) return fromQuery;
  }
  if (path === '/token' || path === '/authorize') {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        // A bad escape names no client; the token endpoint refuses it as invalid_client.
        try {
          return decodeURIComponent(decoded.slice(0, colon));
        } catch {
          return undefined;
        }
      }
    }
    if (body) return new URLSearchParams(new TextDecoder().decode(body)).get('client_id') ?? undefined;
  }
  return undefined;
}

export function idpOidcRoutes() {
  const r = new Hono<AppEnv>();
  r.all('/*', async (c: AppContext) => {
    const core = c.get('core');
    const idp = requireIdp(core, c.req.param('idp')!);
    const url = new URL(c.req.url);
    const prefix = `/idp/${idp.id}/oidc`;
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.arrayBuffer();

    const settings: OidcRequestSettings = {};
    if (path === '/authorize') {
      const params = new URLSearchParams(url.search);
      if (body && /application\/x-www-form-urlencoded/i.test(c.req.header('Content-Type') ?? '')) {
        for (const [k, v] of new URLSearchParams(new TextDecoder().decode(body))) params.set(k, v);
      }
      const fault = requestedFault('oidc', params.get('fault') ?? undefined);
      const autoApprove = flag(params.get('auto_approve'));
      if (fault !== undefined) settings.fault = fault;
      if (autoApprove !== undefined) settings.autoApprove = autoApprove;
    }
    const clientId = oidcClientOf(path, url, body, c.req.header('Authorization'));
    const workspace = clientId !== undefined && Object.hasOwn(idp.oidcClients, clientId) ? idp.oidcClients[clientId]!.workspace : undefined;
    if (workspace !== undefined) settings.workspace = workspace;
    // Answered under a vendor's host through an outbound route, the provider is named by that
    // host and path; otherwise by its own URL under /idp/{idp}/oidc.
    // Only the emulator's own outbound routing sets this header; from outside it is ignored.
    const forwardedPrefix = c.get('inProcess') ? c.req.header('X-Forwarded-Prefix') : undefined;
    const issuer =
      forwardedPrefix !== undefined && /^(\/[A-Za-z0-9._~-]+)*\/?$/.test(forwardedPrefix)
        ? `${url.origin}${forwardedPrefix.replace(/\/$/, '')}`
        : idpEndpoints(url.origin, idp.id).oidc.issuer;
    const provider = idpRuntime(core, idp).oidcProvider(issuer);
    const forwarded = new Request(new URL(`${path}${url.search}`, url.origin), {
      method: c.req.method,
      headers: c.req.raw.headers,
      ...(body !== undefined ? { body } : {}),
    });
    return withOidcRequest(settings, () => provider.app.fetch(forwarded));
  });
  return r;
}
