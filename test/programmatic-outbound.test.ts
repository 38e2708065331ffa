// Outbound routing: the emulator's own outgoing requests to chosen hosts (OIDC discovery, JWKS,
// metadata) are answered in process, by a path of the emulator or by an app given as the target.
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { createEmulator, startEmulator } from '../src/index.js';

const TENANT = '8e2b1c6a-0d5f-4c52-9f3e-3f1d2b7a9c10';
const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

/** A stand-in for a vendor's OIDC provider: only its discovery document. */
function fakeEntra() {
  const seen: { url: string; forwarded: string | null }[] = [];
  const app = new Hono();
  app.use('*', async (c, next) => {
    seen.push({ url: c.req.url, forwarded: c.req.header('Forwarded') ?? null });
    await next();
  });
  app.get('/.well-known/openid-configuration', (c) =>
    c.json({
      issuer: ISSUER,
      authorization_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`,
      token_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
      jwks_uri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      response_types_supported: ['code'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
    }),
  );
  return { app, seen };
}

describe('outbound routes', () => {
  it('answers a URL prefix from an in-process app, with the prefix taken off', async () => {
    const entra = fakeEntra();
    const { core } = createEmulator({ outbound: { [ISSUER]: entra.app } });
    const response = await core.outboundFetch(`${ISSUER}/.well-known/openid-configuration?appid=1`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ issuer: ISSUER });
    expect(entra.seen).toEqual([
      { url: 'https://login.microsoftonline.com/.well-known/openid-configuration?appid=1', forwarded: 'host="login.microsoftonline.com";proto=https' },
    ]);
  });

  it('answers a host from a path of the emulator itself', async () => {
    const { core } = createEmulator({ outbound: { 'idp.example.test': '/_emulator' } });
    const response = await core.outboundFetch('https://idp.example.test/health');
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('prefers the longest key, matches the scheme of an origin key, and lets the rest through', async () => {
    const hosts = new Hono().all('*', (c) => c.text(`host ${new URL(c.req.url).pathname}`));
    const tenant = new Hono().all('*', (c) => c.text(`tenant ${new URL(c.req.url).pathname}`));
    const passthrough = vi.fn(async (url: string) => new Response(`network ${url}`));
    const { core } = createEmulator({
      fetch: passthrough,
      outbound: { 'login.microsoftonline.com': hosts, [`https://login.microsoftonline.com/${TENANT}`]: tenant, 'http://plain.test': hosts },
    });
    const text = async (url: string) => (await core.outboundFetch(url)).text();
    expect(await text(`https://login.microsoftonline.com/${TENANT}/v2.0/x`)).toBe('tenant /v2.0/x');
    expect(await text(`https://login.microsoftonline.com/${TENANT}`)).toBe('tenant /');
    expect(await text(`https://login.microsoftonline.com/${TENANT}0/x`)).toBe(`host /${TENANT}0/x`);
    expect(await text('https://login.microsoftonline.com/common/v2.0')).toBe('host /common/v2.0');
    expect(await text('https://plain.test/a')).toBe('network https://plain.test/a');
    expect(await text('https://accounts.google.com/x')).toBe('network https://accounts.google.com/x');
    expect(passthrough).toHaveBeenCalledTimes(2);
  });

  it('rewrites onto another base URL through the ordinary fetch', async () => {
    const passthrough = vi.fn(async (url: string, init?: RequestInit) => new Response(`${init?.method ?? 'GET'} ${url}`));
    const { core } = createEmulator({ fetch: passthrough, outbound: { 'okta.example.test': 'http://127.0.0.1:9/mock/' } });
    expect(await (await core.outboundFetch('https://okta.example.test/oauth2/v1/keys?x=1', { method: 'POST' })).text()).toBe(
      'POST http://127.0.0.1:9/mock/oauth2/v1/keys?x=1',
    );
  });

  it('refuses keys and targets it cannot use, naming them', () => {
    expect(() => createEmulator({ outbound: { 'https://a.test/?q=1': '/idp/x' } })).toThrow(/"https:\/\/a\.test\/\?q=1" must not carry a query/);
    expect(() => createEmulator({ outbound: { 'a.test': 'idp/x' } })).toThrow(/target "idp\/x" for "a.test" must be a path/);
  });

  it('lets an OIDC connection under a vendor issuer discover the provider with no network', async () => {
    const entra = fakeEntra();
    const running = await startEmulator({ outbound: { [ISSUER]: entra.app } });
    try {
      const ws = await running.workspace();
      await ws.admin.sso.configure({ protocol: 'oidc', issuer: ISSUER, clientId: 'edu-client', clientSecret: 'edu-secret' });
      const login = await fetch(`${ws.baseUrl}/sso/oidc/login?email=ada@springfield.k12.us`, { redirect: 'manual' });
      expect(login.status).toBe(302);
      const location = new URL(login.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`);
      expect(location.searchParams.get('client_id')).toBe('edu-client');
      expect(entra.seen.map((s) => new URL(s.url).pathname)).toEqual(['/.well-known/openid-configuration']);
    } finally {
      await running.stop();
    }
  });
});
