// Pins the mock OpenID provider: its endpoints, vendor-shaped tokens, and that each fault is
// refused by the workspace's relying party with the matching `oidc_<check>` reason.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { OffsetClock } from '../../clock.js';
import { beginOidcLogin, completeOidcLogin, discoverOidcProvider, type OidcFetch } from '../../sso/oidc/relying-party.js';
import { MOCK_OIDC_FAULTS, parseMockOidcFault, type MockOidcFault } from './faults.js';
import { createMockOidcProvider, type MockOidcProviderOptions } from './provider.js';
import type { MockOidcUser, MockOidcVendor } from './vendor-claims.js';
import { refusal } from '../../../test/support/errors.js';

const ISSUER = 'http://localhost:4000/idp/district';
const CLIENT_ID = 'edu-workspace';
const CLIENT_SECRET = 'district-secret';
const REDIRECT_URI = 'http://localhost:4000/w/default/sso/oidc/callback';

const USERS: MockOidcUser[] = [
  { email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin' },
  { email: 'tom@springfield.k12.us', givenName: 'Tom', familyName: 'Lee', userType: 'student' },
];

function setup(overrides: Partial<Omit<MockOidcProviderOptions, 'clock'>> & { clock?: OffsetClock } = {}) {
  const clock = overrides.clock ?? new OffsetClock();
  const provider = createMockOidcProvider({
    issuer: ISSUER,
    clients: (id) => (id === CLIENT_ID ? { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT_URI] } : undefined),
    users: { find: (email) => USERS.find((u) => u.email === email.toLowerCase()), list: () => USERS },
    ...overrides,
    clock,
  });
  // Mounted as the emulator mounts it; requests are routed in-process, no socket.
  const host = new Hono().route('/idp/district', provider.app);
  const fetch: OidcFetch = async (url, init) => host.fetch(new Request(url, init));
  return { provider, clock, fetch };
}

async function signIn(
  env: { fetch: OidcFetch; clock: OffsetClock },
  email = 'ada@springfield.k12.us',
  options: { rpClock?: OffsetClock; method?: 'client_secret_basic' | 'client_secret_post' } = {},
) {
  const rp = await discoverOidcProvider({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    fetch: env.fetch,
    ...(options.method ? { tokenEndpointAuthMethod: options.method } : {}),
  });
  const login = await beginOidcLogin(rp, { email, redirectUri: REDIRECT_URI });
  const response = await env.fetch(login.url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const callbackUrl = response.headers.get('location')!;
  return completeOidcLogin(rp, { callbackUrl, pending: login }, options.rpClock ?? env.clock);
}

/** An authorization request built by hand, for endpoint-level tests. */
async function authorizationRequest(overrides: Record<string, string | null> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state: 'st-1',
    nonce: 'no-1',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    login_hint: 'ada@springfield.k12.us',
    ...overrides,
  };
  const url = new URL(`${ISSUER}/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return { url: url.href, verifier };
}

function tokenRequest(fetch: OidcFetch, form: Record<string, string>, basic: string | null = `${CLIENT_ID}:${CLIENT_SECRET}`) {
  return fetch(`${ISSUER}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

async function codeFrom(fetch: OidcFetch, url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  return new URL(response.headers.get('location')!).searchParams.get('code')!;
}

describe('mock OpenID provider endpoints', () => {
  it('publishes discovery metadata and an RS256 JWKS', async () => {
    const { fetch } = setup({ vendor: 'entra' });
    const metadata = (await (await fetch(`${ISSUER}/.well-known/openid-configuration`, {})).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      userinfo_endpoint: `${ISSUER}/userinfo`,
      jwks_uri: `${ISSUER}/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
    const jwks = (await (await fetch(`${ISSUER}/jwks`, {})).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('redirects with a code, the state and iss (RFC 9207) for a login_hint user', async () => {
    const { fetch } = setup();
    const { url } = await authorizationRequest();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('iss')).toBe(ISSUER);
    expect(location.searchParams.get('code')).toMatch(/^[\w-]{43}$/);
  });

  it('requires PKCE with S256', async () => {
    const { fetch } = setup();
    for (const overrides of [{ code_challenge: null }, { code_challenge_method: 'plain' }, { code_challenge_method: null }] as Array<Record<string, string | null>>) {
      const { url } = await authorizationRequest(overrides);
      const location = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('code')).toBeNull();
    }
  });

  it('never redirects to an unregistered redirect_uri or for an unknown client', async () => {
    const { fetch } = setup();
    for (const overrides of [{ redirect_uri: 'https://attacker.example/cb' }, { client_id: 'someone-else' }] as Array<Record<string, string>>) {
      const { url } = await authorizationRequest(overrides);
      const response = await fetch(url, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('shows a page listing the users when there is no login_hint, and signs in the one picked', async () => {
    const { fetch } = setup();
    const { url } = await authorizationRequest({ login_hint: null });
    const page = await fetch(url, {});
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('ada@springfield.k12.us');
    expect(text).toContain('tom@springfield.k12.us');
    expect(text).toContain('<form method="post"');
    const form = new URLSearchParams(new URL(url).searchParams);
    form.set('login_email', 'tom@springfield.k12.us');
    const chosen = await fetch(`${ISSUER}/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      redirect: 'manual',
    });
    expect(chosen.status).toBe(302);
    expect(new URL(chosen.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });

  it('escapes what the request carries on the page', async () => {
    const { fetch } = setup();
    const { url } = await authorizationRequest({ login_hint: '"><script>alert(1)</script>@x.org', state: '"><b>' });
    const text = await (await fetch(url, {})).text();
    expect(text).not.toContain('<script>alert(1)');
    expect(text).not.toContain('"><b>');
    expect(text).toContain('&lt;script&gt;');
  });

  it('shows the page instead of approving when autoApprove is off', async () => {
    const { fetch } = setup({ autoApprove: false });
    const { url } = await authorizationRequest();
    const page = await fetch(url, {});
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('value="ada@springfield.k12.us"');
  });

  it('checks PKCE, redirect_uri, one-time use and expiry of codes on the clock', async () => {
    const { fetch, clock } = setup();
    const exchange = (code: string, verifier: string, redirectUri = REDIRECT_URI) =>
      tokenRequest(fetch, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri });

    let req = await authorizationRequest();
    let response = await exchange(await codeFrom(fetch, req.url), client.randomPKCECodeVerifier());
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('PKCE') });

    req = await authorizationRequest();
    response = await exchange(await codeFrom(fetch, req.url), req.verifier, 'http://localhost:4000/elsewhere');
    expect(await response.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('redirect_uri') });

    req = await authorizationRequest();
    const code = await codeFrom(fetch, req.url);
    response = await exchange(code, req.verifier);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    response = await exchange(code, req.verifier);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('already used') });

    req = await authorizationRequest();
    const stale = await codeFrom(fetch, req.url);
    clock.advance(61_000);
    response = await exchange(stale, req.verifier);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('expired') });
  });

  it('authenticates clients with client_secret_basic or client_secret_post, and refuses a wrong secret', async () => {
    const { fetch } = setup();
    let req = await authorizationRequest();
    let form = { grant_type: 'authorization_code', code: await codeFrom(fetch, req.url), code_verifier: req.verifier, redirect_uri: REDIRECT_URI };
    let response = await tokenRequest(fetch, { ...form, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }, null);
    expect(response.status).toBe(200);

    req = await authorizationRequest();
    form = { grant_type: 'authorization_code', code: await codeFrom(fetch, req.url), code_verifier: req.verifier, redirect_uri: REDIRECT_URI };
    response = await tokenRequest(fetch, { ...form, client_secret: CLIENT_SECRET });
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });

    req = await authorizationRequest();
    form = { grant_type: 'authorization_code', code: await codeFrom(fetch, req.url), code_verifier: req.verifier, redirect_uri: REDIRECT_URI };
    response = await tokenRequest(fetch, form, `${CLIENT_ID}:wrong`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('serves userinfo for the access token only', async () => {
    const { fetch } = setup({ vendor: 'google' });
    const req = await authorizationRequest();
    const tokens = (await (
      await tokenRequest(fetch, { grant_type: 'authorization_code', code: await codeFrom(fetch, req.url), code_verifier: req.verifier, redirect_uri: REDIRECT_URI })
    ).json()) as { access_token: string; id_token: string };
    const info = await fetch(`${ISSUER}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await info.json()).toMatchObject({ sub: decodeJwt(tokens.id_token).sub, email: 'ada@springfield.k12.us', hd: 'springfield.k12.us' });
    const refused = await fetch(`${ISSUER}/userinfo`, { headers: { authorization: 'Bearer nope' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('signs with a key passed in', async () => {
    const { generateKeyPair } = await import('jose');
    const pair = await generateKeyPair('RS256');
    const { fetch, provider } = setup({ signingKey: { ...pair, kid: 'district-2025' } });
    const req = await authorizationRequest();
    const tokens = (await (
      await tokenRequest(fetch, { grant_type: 'authorization_code', code: await codeFrom(fetch, req.url), code_verifier: req.verifier, redirect_uri: REDIRECT_URI })
    ).json()) as { id_token: string };
    expect(decodeProtectedHeader(tokens.id_token)).toMatchObject({ alg: 'RS256', kid: 'district-2025', typ: 'JWT' });
    await jwtVerify(tokens.id_token, pair.publicKey, { issuer: ISSUER, audience: CLIENT_ID });
    expect((await provider.jwks()).keys[0]?.kid).toBe('district-2025');
  });
});

describe('vendor-shaped ID tokens', () => {
  const fixture = (vendor: MockOidcVendor) =>
    JSON.parse(readFileSync(new URL(`../../../fixtures/oidc/${vendor}-id-token.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

  for (const vendor of ['generic', 'google', 'entra', 'clever'] as const) {
    it(`${vendor}: carries the vendor's claims and signs in through the relying party`, async () => {
      const env = setup({ vendor });
      const identity = await signIn(env);
      expect(identity).toMatchObject({ email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin', issuer: ISSUER });
      const claims = identity.claims;
      const expected = Object.keys(fixture(vendor)).filter((k) => k !== 'at_hash' || vendor === 'google');
      for (const key of expected) expect(claims, `${vendor} claim ${key}`).toHaveProperty(key);
      expect(typeof claims.sub).toBe('string');
    });
  }

  it('entra: tid and oid are GUIDs, preferred_username is the UPN', async () => {
    const identity = await signIn(setup({ vendor: 'entra' }));
    expect(identity.claims.tid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(identity.claims.oid).toMatch(/^[0-9a-f]{8}-/);
    expect(identity.claims.preferred_username).toBe('ada@springfield.k12.us');
    expect(identity.claims).not.toHaveProperty('email_verified');
  });

  it('google: hd is the email domain and email_verified is true', async () => {
    const identity = await signIn(setup({ vendor: 'google' }));
    expect(identity.claims).toMatchObject({ hd: 'springfield.k12.us', email_verified: true, azp: CLIENT_ID });
    expect(identity.claims.sub).toMatch(/^\d{21}$/);
  });

  it('clever: user_type, district and 24-hex ids', async () => {
    const identity = await signIn(setup({ vendor: 'clever' }), 'tom@springfield.k12.us');
    expect(identity.claims).toMatchObject({ user_type: 'student' });
    expect(identity.claims.district).toMatch(/^[0-9a-f]{24}$/);
    expect(identity.claims.user_id).toBe(identity.sub);
  });
});

describe('faults of the mock provider, refused by the relying party', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup({ vendor: 'google' });
  });

  for (const [fault, reason] of Object.entries(MOCK_OIDC_FAULTS) as Array<[MockOidcFault, string]>) {
    it(`${fault} → ${reason}`, async () => {
      env.provider.setNextFault(fault);
      const err = await refusal(signIn(env));
      expect(err.code).toBe(reason);
      // The fault was for one sign-in only.
      await expect(signIn(env)).resolves.toMatchObject({ email: 'ada@springfield.k12.us' });
    });
  }

  it('a callback for another sign-in → oidc_state_mismatch; a wrong PKCE verifier → oidc_token_exchange', async () => {
    const rp = await discoverOidcProvider({ issuer: ISSUER, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: env.fetch });
    const first = await beginOidcLogin(rp, { email: 'ada@springfield.k12.us', redirectUri: REDIRECT_URI });
    const second = await beginOidcLogin(rp, { email: 'ada@springfield.k12.us', redirectUri: REDIRECT_URI });
    const callbackUrl = (await env.fetch(first.url, { redirect: 'manual' })).headers.get('location')!;
    expect((await refusal(completeOidcLogin(rp, { callbackUrl, pending: second }, env.clock))).code).toBe('oidc_state_mismatch');
    const err = await refusal(completeOidcLogin(rp, { callbackUrl, pending: { ...first, codeVerifier: second.codeVerifier } }, env.clock));
    expect(err.code).toBe('oidc_token_exchange');
    expect(err.message).toContain('PKCE');
    // The code was consumed by the failed exchange: replaying the callback is refused too.
    expect((await refusal(completeOidcLogin(rp, { callbackUrl, pending: first }, env.clock))).code).toBe('oidc_token_exchange');
  });

  it('applies a per-user fault until cleared', async () => {
    env.provider.setUserFault('Tom@springfield.k12.us', 'wrong_issuer');
    expect((await refusal(signIn(env, 'tom@springfield.k12.us'))).code).toBe('oidc_wrong_issuer');
    expect((await refusal(signIn(env, 'tom@springfield.k12.us'))).code).toBe('oidc_wrong_issuer');
    await expect(signIn(env, 'ada@springfield.k12.us')).resolves.toBeDefined();
    env.provider.setUserFault('tom@springfield.k12.us', undefined);
    await expect(signIn(env, 'tom@springfield.k12.us')).resolves.toBeDefined();
  });

  it('asks getFault at each sign-in', async () => {
    const seen: string[] = [];
    const faulty = setup({
      getFault: ({ user, clientId }) => {
        seen.push(`${user.email}/${clientId}`);
        return user.email.startsWith('tom') ? 'missing_email' : undefined;
      },
    });
    expect((await refusal(signIn(faulty, 'tom@springfield.k12.us'))).code).toBe('oidc_missing_email');
    await expect(signIn(faulty)).resolves.toBeDefined();
    expect(seen).toEqual([`tom@springfield.k12.us/${CLIENT_ID}`, `ada@springfield.k12.us/${CLIENT_ID}`]);
  });

  it('applies the fault option to every sign-in', async () => {
    const faulty = setup({ fault: 'expired' });
    expect((await refusal(signIn(faulty))).code).toBe('oidc_expired');
    expect((await refusal(signIn(faulty))).code).toBe('oidc_expired');
  });

  it('each fault is a token with exactly that defect', async () => {
    const good = setup({ vendor: 'generic' });
    const jwks = createLocalJWKSet(await good.provider.jwks());
    const idTokenWith = async (fault: MockOidcFault | undefined) => {
      good.provider.setNextFault(fault);
      const req = await authorizationRequest();
      const body = (await (
        await tokenRequest(good.fetch, { grant_type: 'authorization_code', code: await codeFrom(good.fetch, req.url), code_verifier: req.verifier, redirect_uri: REDIRECT_URI })
      ).json()) as { id_token: string };
      return body.id_token;
    };
    const clean = decodeJwt(await idTokenWith(undefined));
    const bad = await idTokenWith('bad_signature');
    expect(decodeProtectedHeader(bad).kid).toBe((await good.provider.jwks()).keys[0]?.kid);
    await expect(jwtVerify(bad, jwks)).rejects.toThrow(/signature/);
    expect(decodeProtectedHeader(await idTokenWith('alg_none'))).toEqual({ alg: 'none' });
    const wrongAud = decodeJwt(await idTokenWith('wrong_audience'));
    expect(wrongAud.aud).not.toBe(CLIENT_ID);
    expect({ ...wrongAud, aud: clean.aud, iat: clean.iat, exp: clean.exp, auth_time: clean.auth_time, at_hash: clean.at_hash }).toEqual(clean);
    const { payload: missing } = await jwtVerify(await idTokenWith('missing_email'), jwks, { issuer: ISSUER, audience: CLIENT_ID });
    expect(missing).not.toHaveProperty('email');
  });

  it('reads fault names as scenarios write them', () => {
    expect(parseMockOidcFault('unsigned')).toBe('alg_none');
    expect(parseMockOidcFault('none')).toBeUndefined();
    expect(parseMockOidcFault('nonce_mismatch')).toBe('nonce_mismatch');
    expect(parseMockOidcFault('replay')).toBeNull();
  });
});

describe('time on the emulator clock', () => {
  it('signs in with both clocks eight days ahead of real time (the offset is honoured)', async () => {
    const clock = new OffsetClock(8 * 86_400_000);
    const env = setup({ clock });
    await expect(signIn({ ...env, clock })).resolves.toMatchObject({ email: 'ada@springfield.k12.us' });
  });

  it('refuses tokens of a provider whose clock runs an hour ahead (iat in the future)', async () => {
    const env = setup({ clock: new OffsetClock(3_600_000) });
    expect((await refusal(signIn(env, undefined, { rpClock: new OffsetClock() }))).code).toBe('oidc_issued_in_future');
  });

  it('refuses tokens of a provider whose clock runs two hours behind (expired)', async () => {
    const env = setup({ clock: new OffsetClock(-7_200_000) });
    expect((await refusal(signIn(env, undefined, { rpClock: new OffsetClock() }))).code).toBe('oidc_expired');
  });

  it('works with client_secret_post', async () => {
    await expect(signIn(setup(), undefined, { method: 'client_secret_post' })).resolves.toBeDefined();
  });
});

describe('relying party edge cases against the mock provider', () => {
  const wrapped = (rewrite: (url: string, response: Response) => Promise<Response> | Response) => {
    const env = setup();
    const fetch: OidcFetch = async (url, init) => rewrite(url, await env.fetch(url, init));
    return { ...env, fetch };
  };

  it('a token response without id_token → oidc_invalid_id_token', async () => {
    const env = wrapped(async (url, response) => {
      if (!url.endsWith('/token')) return response;
      const { id_token: _dropped, ...rest } = (await response.json()) as Record<string, unknown>;
      return Response.json(rest);
    });
    expect((await refusal(signIn(env))).code).toBe('oidc_invalid_id_token');
  });

  it('an unreachable JWKS → oidc_jwks_unavailable, never an accepted token', async () => {
    const env = wrapped((url, response) => (url.endsWith('/jwks') ? new Response('down', { status: 503 }) : response));
    expect((await refusal(signIn(env))).code).toBe('oidc_jwks_unavailable');
  });

  it('a provider answering error=access_denied → oidc_error', async () => {
    const env = wrapped((url, response) => {
      const location = response.headers.get('location');
      if (!url.includes('/authorize') || !location) return response;
      const target = new URL(location);
      target.searchParams.delete('code');
      target.searchParams.set('error', 'access_denied');
      return new Response(null, { status: 302, headers: { location: target.href } });
    });
    const err = await refusal(signIn(env));
    expect(err.code).toBe('oidc_error');
    expect(err.details).toMatchObject({ error: 'access_denied' });
  });
});
