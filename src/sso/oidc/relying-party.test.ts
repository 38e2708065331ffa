// Pins the relying party against an independent OpenID provider (oidc-provider on a loopback
// port): the complete code flow, and each ID token or exchange defect refused with its own reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import * as client from 'openid-client';
import { OffsetClock } from '../../clock.js';
import { browse, startIndependentProvider, type IndependentProvider, type ProviderAccount } from '../../../test/support/oidc-provider.js';
import { beginOidcLogin, completeOidcLogin, discoverOidcProvider, type OidcFetch, type OidcRelyingParty } from './relying-party.js';
import { refusal } from '../../../test/support/errors.js';

const CLIENT_ID = 'edu-workspace';
const CLIENT_SECRET = 'a-long-enough-client-secret-for-tests';
const REDIRECT_URI = 'http://127.0.0.1:4000/w/default/sso/oidc/callback';
const KID = 'provider-key-1';

type Account = ProviderAccount;

/** Accounts of the independent provider, by login_hint (which is also the account id). */
const ACCOUNTS: Record<string, Account> = {
  'ada@springfield.k12.us': { email: 'Ada@Springfield.k12.us', email_verified: true, given_name: 'Ada', family_name: 'Admin' },
  'uma@springfield.k12.us': { email: 'uma@springfield.k12.us', email_verified: false, given_name: 'Uma' },
  'nomail@springfield.k12.us': { given_name: 'Nora' },
};
const DENY = 'deny@springfield.k12.us';

let provider: IndependentProvider;
let issuer: string;
let privateJwk: JWK;
/** When set, rewrites the id_token of the next token responses seen by the relying party. */
let tamper: ((idToken: string) => Promise<string>) | undefined;

/** The relying party's fetch: plain HTTP, with the test's man-in-the-middle on the token endpoint. */
const rpFetch: OidcFetch = async (url, init) => {
  const response = await fetch(url, init);
  if (!tamper || !url.endsWith('/token') || response.status !== 200) return response;
  const body = (await response.json()) as { id_token: string };
  body.id_token = await tamper(body.id_token);
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
};

beforeAll(async () => {
  provider = await startIndependentProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    accounts: ACCOUNTS,
    denyHint: DENY,
    kid: KID,
  });
  ({ issuer, privateJwk } = provider);
});

afterAll(async () => {
  await provider.close();
});

/** Follows the provider's redirects like a browser until it lands on our redirect_uri. */
const browseToCallback = (url: string) => browse(url, REDIRECT_URI);

const clock = new OffsetClock();
let rp: OidcRelyingParty;

async function signIn(email: string, change?: (pending: { state: string; nonce: string; codeVerifier: string }) => void) {
  rp ??= await discoverOidcProvider({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: rpFetch });
  const login = await beginOidcLogin(rp, { email, redirectUri: REDIRECT_URI });
  const callbackUrl = await browseToCallback(login.url);
  const pending = { state: login.state, nonce: login.nonce, codeVerifier: login.codeVerifier, redirectUri: login.redirectUri };
  change?.(pending);
  return completeOidcLogin(rp, { callbackUrl, pending }, clock);
}

/** Re-signs the provider's ID token with the provider's own key after changing its claims. */
const resigned = (change: (claims: Record<string, unknown>) => void) => async (idToken: string) => {
  const claims = decodeJwt(idToken) as Record<string, unknown>;
  change(claims);
  const key = await importJWK(privateJwk, 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(key);
};

const nowSeconds = () => Math.floor(clock.nowMs() / 1000);

describe('relying party against oidc-provider', () => {
  it('completes the code flow with PKCE and maps email, given and family name (claims from userinfo)', async () => {
    tamper = undefined;
    const identity = await signIn('ada@springfield.k12.us');
    expect(identity).toMatchObject({
      email: 'ada@springfield.k12.us',
      givenName: 'Ada',
      familyName: 'Admin',
      sub: 'ada@springfield.k12.us',
      issuer,
    });
    expect(identity.claims).toMatchObject({ iss: issuer, aud: CLIENT_ID, email_verified: true });
  });

  it('sends an authorization request with code, PKCE S256, nonce, state and login_hint', async () => {
    rp ??= await discoverOidcProvider({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: rpFetch });
    const login = await beginOidcLogin(rp, { email: 'ada@springfield.k12.us', redirectUri: REDIRECT_URI });
    const url = new URL(login.url);
    expect(url.origin + url.pathname).toBe(rp.authorizationEndpoint);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(login.codeVerifier),
      code_challenge_method: 'S256',
      state: login.state,
      nonce: login.nonce,
      login_hint: 'ada@springfield.k12.us',
    });
  });

  describe('refuses each defect with its own reason', () => {
    const cases: Array<[string, string, () => void, ((p: { state: string; nonce: string; codeVerifier: string }) => void)?, string?]> = [
      [
        'payload altered after signing',
        'oidc_bad_signature',
        () => {
          tamper = async (token) => {
            const [header, payload, signature] = token.split('.');
            const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
            claims.email = 'eve@springfield.k12.us';
            return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
          };
        },
      ],
      [
        'signed by another key under the provider kid',
        'oidc_bad_signature',
        () => {
          tamper = async (token) => {
            const { privateKey } = await generateKeyPair('RS256');
            return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'RS256', kid: KID }).sign(privateKey);
          };
        },
      ],
      ['alg none', 'oidc_alg_none', () => (tamper = async (token) => new UnsecuredJWT(decodeJwt(token)).encode())],
      ['wrong iss', 'oidc_wrong_issuer', () => (tamper = resigned((c) => (c.iss = 'https://login.other-district.example')))],
      ['wrong aud', 'oidc_audience_mismatch', () => (tamper = resigned((c) => (c.aud = 'another-app')))],
      [
        'expired',
        'oidc_expired',
        () =>
          (tamper = resigned((c) => {
            c.iat = nowSeconds() - 7200;
            c.exp = nowSeconds() - 3600;
          })),
      ],
      [
        'issued in the future',
        'oidc_issued_in_future',
        () =>
          (tamper = resigned((c) => {
            c.iat = nowSeconds() + 3600;
            c.exp = nowSeconds() + 7200;
          })),
      ],
      ['nonce mismatch', 'oidc_nonce_mismatch', () => (tamper = resigned((c) => (c.nonce = 'nonce-of-another-sign-in')))],
      ['state mismatch', 'oidc_state_mismatch', () => (tamper = undefined), (p) => (p.state = 'state-of-another-sign-in')],
      ['PKCE verifier mismatch', 'oidc_token_exchange', () => (tamper = undefined), (p) => (p.codeVerifier = client.randomPKCECodeVerifier())],
      ['unverified email', 'oidc_unverified_email', () => (tamper = undefined), undefined, 'uma@springfield.k12.us'],
      ['missing email', 'oidc_missing_email', () => (tamper = undefined), undefined, 'nomail@springfield.k12.us'],
      ['provider error=access_denied', 'oidc_error', () => (tamper = undefined), undefined, DENY],
    ];
    for (const [name, reason, arrange, change, email] of cases) {
      it(`${name} → ${reason}`, async () => {
        arrange();
        const err = await refusal(signIn(email ?? 'ada@springfield.k12.us', change));
        tamper = undefined;
        expect(err.code).toBe(reason);
        expect([400, 403]).toContain(err.status);
        expect(err.message.length).toBeGreaterThan(40);
      });
    }

    it('names expected and actual values and the fix', async () => {
      tamper = resigned((c) => (c.aud = 'another-app'));
      const aud = await refusal(signIn('ada@springfield.k12.us'));
      tamper = undefined;
      expect(aud.message).toContain('"another-app"');
      expect(aud.message).toContain(`"${CLIENT_ID}"`);
      expect(aud.message).toMatch(/client ID/);
      const pkce = await refusal(signIn('ada@springfield.k12.us', (p) => (p.codeVerifier = client.randomPKCECodeVerifier())));
      expect(pkce.message).toContain('invalid_grant');
      expect(pkce.details).toMatchObject({ error: 'invalid_grant' });
    });
  });

  it('checks time on the emulator clock: a valid token is expired once the clock moves past exp', async () => {
    const late = new OffsetClock(2 * 3600 * 1000);
    rp ??= await discoverOidcProvider({ issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch: rpFetch });
    const login = await beginOidcLogin(rp, { email: 'ada@springfield.k12.us', redirectUri: REDIRECT_URI });
    const callbackUrl = await browseToCallback(login.url);
    const err = await refusal(completeOidcLogin(rp, { callbackUrl, pending: login }, late));
    expect(err.code).toBe('oidc_expired');
  });
});

describe('issuer policy', () => {
  it('refuses an http issuer on a non-loopback host without contacting it', async () => {
    const calls: string[] = [];
    const spy: OidcFetch = async (url) => {
      calls.push(url);
      return new Response('{}');
    };
    const err = await refusal(discoverOidcProvider({ issuer: 'http://idp.springfield.k12.us', clientId: 'x', clientSecret: 'y', fetch: spy }));
    expect(err.code).toBe('oidc_insecure_issuer');
    expect(err.message).toContain('https://idp.springfield.k12.us');
    expect(calls).toEqual([]);
  });

  it('refuses a loopback issuer whose discovered endpoints are plain http elsewhere', async () => {
    const loopback = 'http://localhost:9';
    const document = {
      issuer: loopback,
      authorization_endpoint: `${loopback}/authorize`,
      token_endpoint: 'http://tokens.springfield.k12.us/token',
      jwks_uri: `${loopback}/jwks`,
    };
    const fake: OidcFetch = async () => new Response(JSON.stringify(document), { headers: { 'content-type': 'application/json' } });
    const err = await refusal(discoverOidcProvider({ issuer: loopback, clientId: 'x', clientSecret: 'y', fetch: fake }));
    expect(err.code).toBe('oidc_insecure_issuer');
    expect(err.message).toContain('token_endpoint');
  });

  it('reports a discovery document for another issuer', async () => {
    const fake: OidcFetch = async () =>
      new Response(JSON.stringify({ issuer: 'http://127.0.0.1:1/other', authorization_endpoint: 'http://127.0.0.1:1/a', token_endpoint: 'http://127.0.0.1:1/t', jwks_uri: 'http://127.0.0.1:1/j' }), {
        headers: { 'content-type': 'application/json' },
      });
    const err = await refusal(discoverOidcProvider({ issuer: 'http://127.0.0.1:1', clientId: 'x', clientSecret: 'y', fetch: fake }));
    expect(err.code).toBe('oidc_discovery_failed');
    expect(err.message).toContain('http://127.0.0.1:1/other');
  });
});
