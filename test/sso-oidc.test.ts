// The workspace as an OpenID Connect relying party over HTTP, against a real provider started
// here (oidc-provider 9 on loopback): the whole code flow to a session, and the refusal matrix,
// each with its reason, nothing created and no session.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt, generateKeyPair, importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { browse, startIndependentProvider, type IndependentProvider } from './support/oidc-provider.js';
import { inProcess } from './support/in-process.js';
import { sessionCookie, verifyDomain } from './support/workspace.js';

const CLIENT_ID = 'chatgpt-edu';
const CLIENT_SECRET = 'client-secret-for-the-emulator-tests';
const REDIRECT_URI = 'http://localhost/w/default/sso/oidc/callback';

let provider: IndependentProvider;
/** Rewrites the ID token of the provider's token responses, as a man in the middle would. */
let tamper: ((idToken: string) => Promise<string>) | undefined;
/** Rewrites the token request body (for the PKCE verifier). */
let tamperTokenRequest: ((body: string) => string) | undefined;

beforeAll(async () => {
  provider = await startIndependentProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    accounts: {
      'ada@springfield.k12.us': { email: 'ada@springfield.k12.us', email_verified: true, given_name: 'Ada', family_name: 'Admin' },
      'uma@springfield.k12.us': { email: 'uma@springfield.k12.us', email_verified: false },
    },
  });
});
afterAll(async () => provider.close());

let env: ReturnType<typeof inProcess>;
beforeEach(async () => {
  tamper = undefined;
  tamperTokenRequest = undefined;
  env = inProcess({
    fetch: async (url, init) => {
      let request = init;
      if (tamperTokenRequest && url.endsWith('/token') && typeof init?.body === 'string') {
        request = { ...init, body: tamperTokenRequest(init.body) };
      } else if (tamperTokenRequest && url.endsWith('/token') && init?.body instanceof URLSearchParams) {
        request = { ...init, body: tamperTokenRequest(init.body.toString()) };
      }
      const response = await fetch(url, request);
      if (!tamper || !url.endsWith('/token') || response.status !== 200) return response;
      const body = (await response.json()) as { id_token: string };
      body.id_token = await tamper(body.id_token);
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  });
  await verifyDomain(env.call, 'default', 'springfield.k12.us');
  await env.call('POST', '/w/default/api/invites', { email: 'ada@springfield.k12.us' });
  await env.call('POST', '/w/default/api/invites', { email: 'uma@springfield.k12.us' });
  const res = await env.call('PUT', '/w/default/api/sso', { protocol: 'oidc', issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ configured: true, protocol: 'oidc', redirectUri: REDIRECT_URI, clientSecretSet: true });
  expect(res.body.clientSecret).toBeUndefined();
});

/** Login at the workspace → provider → back to our callback; returns the callback's response. */
async function signIn(email: string, mutateCallback?: (url: URL) => void): Promise<Response> {
  const login = await env.emulator.app.request(`/w/default/sso/oidc/login?email=${encodeURIComponent(email)}`);
  expect(login.status).toBe(302);
  const callback = new URL(await browse(login.headers.get('Location')!, REDIRECT_URI));
  mutateCallback?.(callback);
  return env.emulator.app.request(callback.pathname + callback.search);
}

const resigned = (change: (claims: Record<string, unknown>) => void) => async (token: string) => {
  const claims = decodeJwt(token) as Record<string, unknown>;
  change(claims);
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: provider.kid, typ: 'JWT' }).sign(await importJWK(provider.privateJwk, 'RS256'));
};
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('OIDC relying party over HTTP', () => {
  it('code flow with PKCE ends in a session whose /me shows the member', async () => {
    const res = await signIn('ada@springfield.k12.us');
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('/w/default/me');
    const me = await env.call('GET', '/w/default/me', undefined, { auth: null, headers: { Cookie: sessionCookie(res.headers) } });
    expect(me.body).toMatchObject({ email: 'ada@springfield.k12.us', status: 'active', givenName: 'Ada', familyName: 'Admin' });
    const allowed = (await env.call('GET', '/w/default/api/events?type=signin.allowed')).body.events;
    expect(allowed.at(-1).detail).toMatchObject({ method: 'sso', protocol: 'oidc', email: 'ada@springfield.k12.us', issuer: provider.issuer });
    // The authorization request carried PKCE S256, state, nonce and login_hint.
    const login = await env.emulator.app.request('/w/default/sso/oidc/login?email=ada@springfield.k12.us');
    const params = new URL(login.headers.get('Location')!).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('login_hint')).toBe('ada@springfield.k12.us');
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('redirect_uri')).toBe(REDIRECT_URI);
  });

  it('the callback is single-use', async () => {
    let used = '';
    const first = await signIn('ada@springfield.k12.us', (u) => (used = u.pathname + u.search));
    expect(first.status).toBe(302);
    const replay = await env.emulator.app.request(used);
    expect(replay.status).toBe(400);
    expect((await replay.json()).error.code).toBe('oidc_state_mismatch');
  });

  describe('refusals: each with its reason, nothing created, no session', () => {
    async function expectRefused(res: Response, reason: string) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('Set-Cookie')).toBeNull();
      expect((await res.json()).error.code).toBe(reason);
      const users = (await env.call('GET', '/w/default/api/users')).body.users;
      expect(users.every((u: any) => u.status === 'pending_invite')).toBe(true);
      const denied = (await env.call('GET', '/w/default/api/events?type=signin.denied')).body.events;
      expect(denied.at(-1).detail).toMatchObject({ method: 'sso', protocol: 'oidc', reason });
    }

    it('bad signature', async () => {
      tamper = async (token) => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'RS256', kid: provider.kid }).sign(privateKey);
      };
      await expectRefused(await signIn('ada@springfield.k12.us'), 'oidc_bad_signature');
    });
    it('alg none', async () => {
      tamper = async (token) => new UnsecuredJWT(decodeJwt(token)).encode();
      await expectRefused(await signIn('ada@springfield.k12.us'), 'oidc_alg_none');
    });
    it('wrong iss', async () => {
      tamper = resigned((c) => (c.iss = 'https://login.other-district.example'));
      await expectRefused(await signIn('ada@springfield.k12.us'), 'oidc_wrong_issuer');
    });
    it('wrong aud', async () => {
      tamper = resigned((c) => (c.aud = 'another-app'));
      await expectRefused(await signIn('ada@springfield.k12.us'), 'oidc_audience_mismatch');
    });
    it('expired', async () => {
      tamper = resigned((c) => {
        c.iat = nowSeconds() - 7200;
        c.exp = nowSeconds() - 3600;
      });
      await expectRefused(await signIn('ada@springfield.k12.us'), 'oidc_expired');
    });
    it('expired on the emulator clock after it moved', async () => {
      await env.call('POST', '/_emulator/clock', { advance: '2h' });
      await expectRefused(await signIn('ada@springfield.k12.us'), 'oidc_expired');
    });
    it('nonce mismatch', async () => {
      tamper = resigned((c) => (c.nonce = 'nonce-of-another-sign-in'));
      await expectRefused(await signIn('ada@springfield.k12.us'), 'oidc_nonce_mismatch');
    });
    it('state mismatch', async () => {
      await expectRefused(await signIn('ada@springfield.k12.us', (u) => u.searchParams.set('state', 'forged-state')), 'oidc_state_mismatch');
    });
    it('PKCE verifier mismatch', async () => {
      tamperTokenRequest = (body) => {
        const params = new URLSearchParams(body);
        params.set('code_verifier', 'x'.repeat(64));
        return params.toString();
      };
      await expectRefused(await signIn('ada@springfield.k12.us'), 'oidc_token_exchange');
    });
    it('unverified email', async () => {
      await expectRefused(await signIn('uma@springfield.k12.us'), 'oidc_unverified_email');
    });
  });
});
