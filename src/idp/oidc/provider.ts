// The built-in mock OpenID provider (the district side): discovery, JWKS, authorization (code +
// PKCE S256), token and userinfo endpoints as a Hono sub-app, with vendor-shaped claims and faults.
import { Hono, type Context } from 'hono';
import { base64url, type JWK } from 'jose';
import type { Clock } from '../../clock.js';
import { faultIdentityClaims, faultIdTokenClaims, type MockOidcFault } from './faults.js';
import { GrantStore, type CodeGrant } from './grant-store.js';
import { renderPickerPage } from './picker-page.js';
import { createIdTokenSigner, type IdTokenSigner, type MockOidcSigningKey } from './signing.js';
import { vendorClaims, type MockOidcUser, type MockOidcVendor } from './vendor-claims.js';

type Awaitable<T> = T | Promise<T>;

/** A client (relying party) registered at the mock provider. */
export interface MockOidcClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs accepted (OIDC Core §3.1.2.1: simple string comparison). */
  redirectUris: readonly string[];
}

/** The provider's user directory. */
export interface MockOidcUserDirectory {
  /** The user with this email (case-insensitive), if any. */
  find(email: string): Awaitable<MockOidcUser | undefined>;
  /** Users offered on the sign-in page. */
  list(): Awaitable<readonly MockOidcUser[]>;
  /**
   * Checks a password typed on the sign-in page; when present, the page asks for one. Returns
   * false to refuse. A user picked from the list needs none.
   */
  verifyPassword?(email: string, password: string): Awaitable<boolean>;
}

/** What a fault is decided from, at the moment a user signs in. */
export interface MockOidcFaultContext {
  user: MockOidcUser;
  clientId: string;
}

export interface MockOidcProviderOptions {
  /** The issuer identifier: the absolute URL where the sub-app is mounted, e.g. `http://127.0.0.1:4000/idp/district`. */
  issuer: string;
  clients: (clientId: string) => Awaitable<MockOidcClient | undefined>;
  users: MockOidcUserDirectory;
  /** The emulator clock: token times and code expiry follow it. */
  clock: Clock;
  /** Whose ID tokens to imitate. Default `generic`. */
  vendor?: MockOidcVendor;
  /** Sign in the `login_hint` user without showing the picker (for programs), always or per request. Default true. */
  autoApprove?: boolean | ((params: URLSearchParams) => boolean);
  /** Decides the fault of a sign-in; consulted after `setNextFault` and `setUserFault`. */
  getFault?: (context: MockOidcFaultContext) => MockOidcFault | undefined;
  /** A fault for every sign-in that nothing else gave one. */
  fault?: MockOidcFault;
  /** The IdP's display name and, per client, the application's name, for the sign-in page. */
  displayName?: string;
  appName?: (clientId: string) => string | undefined;
  /** RS256 signing key; a fresh one is generated when absent. */
  signingKey?: MockOidcSigningKey;
  /** Lifetime of authorization codes. Default 60 s. */
  codeTtlSeconds?: number;
  /** Lifetime of access and ID tokens. Default 3600 s. */
  tokenTtlSeconds?: number;
}

/** A mock provider: its Hono app and controls for faults. */
export interface MockOidcProvider {
  /** Mount with `parent.route(<issuer path>, provider.app)`, or call `provider.app.fetch` with issuer-relative paths. */
  readonly app: Hono;
  readonly issuer: string;
  /** The fault of the next sign-in only (any user); `undefined` clears it. */
  setNextFault(fault: MockOidcFault | undefined): void;
  /** The fault of every sign-in of one user until cleared with `undefined`. */
  setUserFault(email: string, fault: MockOidcFault | undefined): void;
  /** The published JWK Set. */
  jwks(): Promise<{ keys: JWK[] }>;
}

/** Error of the authorization or token endpoint (RFC 6749 §4.1.2.1, §5.2). */
class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

const randomToken = () => base64url.encode(crypto.getRandomValues(new Uint8Array(32)));

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

const CLAIMS_SUPPORTED: Record<MockOidcVendor, string[]> = {
  generic: ['sub', 'email', 'email_verified', 'name', 'given_name', 'family_name'],
  google: ['sub', 'email', 'email_verified', 'hd', 'name', 'given_name', 'family_name', 'azp'],
  entra: ['sub', 'tid', 'oid', 'preferred_username', 'email', 'name', 'given_name', 'family_name', 'ver'],
  clever: ['sub', 'user_id', 'user_type', 'district', 'multi_role_user_id', 'email', 'given_name', 'family_name'],
};

/** The faults armed at the provider: the next sign-in's, per user, then the options' own. */
class FaultSelector {
  private next: MockOidcFault | undefined;
  private readonly byUser = new Map<string, MockOidcFault>();

  constructor(private readonly options: Pick<MockOidcProviderOptions, 'getFault' | 'fault'>) {}

  setNext(fault: MockOidcFault | undefined): void {
    this.next = fault;
  }

  setForUser(email: string, fault: MockOidcFault | undefined): void {
    if (fault === undefined) this.byUser.delete(email.toLowerCase());
    else this.byUser.set(email.toLowerCase(), fault);
  }

  /** The fault of this sign-in (using up the next-sign-in fault). */
  take(user: MockOidcUser, clientId: string): MockOidcFault | undefined {
    if (this.next !== undefined) {
      const fault = this.next;
      this.next = undefined;
      return fault;
    }
    return this.byUser.get(user.email.toLowerCase()) ?? this.options.getFault?.({ user, clientId }) ?? this.options.fault;
  }
}

/** What every endpoint handler of one provider shares. */
interface Provider {
  options: MockOidcProviderOptions;
  issuer: string;
  vendor: MockOidcVendor;
  autoApprove: NonNullable<MockOidcProviderOptions['autoApprove']>;
  tokenTtl: number;
  clock: Clock;
  endpoints: { authorization: string; token: string; userinfo: string; jwks: string };
  grants: GrantStore;
  faults: FaultSelector;
  signer(): Promise<IdTokenSigner>;
}

/**
 * Creates the mock OpenID provider. Routes (relative to where `app` is mounted, which must be the
 * issuer's path): `GET /.well-known/openid-configuration`, `GET /jwks`, `GET|POST /authorize`,
 * `POST /token`, `GET|POST /userinfo`.
 */
export function createMockOidcProvider(options: MockOidcProviderOptions): MockOidcProvider {
  const issuer = options.issuer;
  const base = issuer.replace(/\/+$/, '');
  const tokenTtl = options.tokenTtlSeconds ?? 3600;
  let signer: Promise<IdTokenSigner> | undefined;
  const p: Provider = {
    options,
    issuer,
    vendor: options.vendor ?? 'generic',
    autoApprove: options.autoApprove ?? true,
    tokenTtl,
    clock: options.clock,
    endpoints: { authorization: `${base}/authorize`, token: `${base}/token`, userinfo: `${base}/userinfo`, jwks: `${base}/jwks` },
    grants: new GrantStore(options.clock, (options.codeTtlSeconds ?? 60) * 1000, tokenTtl * 1000),
    faults: new FaultSelector(options),
    signer: () => (signer ??= createIdTokenSigner(options.signingKey)),
  };

  const app = new Hono();
  app.get('/.well-known/openid-configuration', (c) => c.json(discoveryDocument(p)));
  app.get('/jwks', async (c) => c.json((await p.signer()).jwks()));
  app.get('/authorize', (c) => authorizationEndpoint(p, c, new URL(c.req.url).searchParams));
  app.post('/authorize', async (c) => authorizationEndpoint(p, c, await authorizationFormParams(c)));
  app.post('/token', (c) => tokenEndpoint(p, c));
  app.get('/userinfo', (c) => userinfoEndpoint(p, c));
  app.post('/userinfo', (c) => userinfoEndpoint(p, c));

  return {
    app,
    issuer,
    setNextFault: (fault) => p.faults.setNext(fault),
    setUserFault: (email, fault) => p.faults.setForUser(email, fault),
    jwks: async () => (await p.signer()).jwks(),
  };
}

/** OIDC Discovery §3: the provider metadata. */
function discoveryDocument(p: Provider) {
  return {
    issuer: p.issuer,
    authorization_endpoint: p.endpoints.authorization,
    token_endpoint: p.endpoints.token,
    userinfo_endpoint: p.endpoints.userinfo,
    jwks_uri: p.endpoints.jwks,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: [p.vendor === 'entra' ? 'pairwise' : 'public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: CLAIMS_SUPPORTED[p.vendor],
    // RFC 9207: the authorization response names its issuer.
    authorization_response_iss_parameter_supported: true,
  };
}

/** OIDC Core §3.1.2.1: the authorization endpoint accepts the request as a form post too. */
async function authorizationFormParams(c: Context): Promise<URLSearchParams> {
  const params = new URLSearchParams(new URL(c.req.url).searchParams);
  for (const [name, value] of new URLSearchParams(await c.req.text())) {
    if (name === 'login_email' || name === 'login_password') params.append(name, value);
    else params.set(name, value);
  }
  return params;
}

/** The authorization endpoint: checks the request, signs a user in (picker page or hint), answers a code. */
async function authorizationEndpoint(p: Provider, c: Context, params: URLSearchParams): Promise<Response> {
  const clientId = params.get('client_id') ?? '';
  const client = clientId ? await p.options.clients(clientId) : undefined;
  const redirectUri = params.get('redirect_uri') ?? '';
  // RFC 6749 §4.1.2.1: without a known client and registered redirect_uri, never redirect.
  if (!client) return oauthErrorJson(c, new OAuthError('invalid_client', `Unknown client_id "${clientId}"; register the client at the mock provider.`));
  if (!client.redirectUris.includes(redirectUri)) {
    return oauthErrorJson(
      c,
      new OAuthError('invalid_request', `redirect_uri "${redirectUri}" is not registered for client "${clientId}"; registered: ${client.redirectUris.join(', ') || '(none)'}.`),
    );
  }
  const state = params.get('state');
  const back = (query: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
    if (state !== null) target.searchParams.set('state', state);
    target.searchParams.set('iss', p.issuer);
    return c.redirect(target.href, 302);
  };
  const refuse = (error: string, description: string) => back({ error, error_description: description });

  if (params.get('response_type') !== 'code') return refuse('unsupported_response_type', 'Only response_type=code is supported.');
  const scope = params.get('scope') ?? '';
  if (!scope.split(' ').includes('openid')) return refuse('invalid_scope', 'The scope must include "openid".');
  const codeChallenge = params.get('code_challenge');
  // RFC 7636 §4.4.1: PKCE is required here, with S256 only.
  if (!codeChallenge) return refuse('invalid_request', 'PKCE is required: send code_challenge and code_challenge_method=S256.');
  if (params.get('code_challenge_method') !== 'S256') return refuse('invalid_request', 'Only code_challenge_method=S256 is supported.');

  const { user, notice, chosen } = await signedInUser(p, params);
  if (!user) {
    // OIDC Core §3.1.2.6: prompt=none cannot show a page.
    if (params.get('prompt')?.split(' ').includes('none')) return refuse('login_required', 'The user must pick an account; prompt=none was requested.');
    const users = await p.options.users.list();
    const askPassword = p.options.users.verifyPassword !== undefined;
    return c.html(
      renderPickerPage({
        action: p.endpoints.authorization,
        vendor: p.vendor,
        clientId,
        params,
        users,
        askPassword,
        ...(notice ? { notice } : {}),
        ...(p.options.displayName ? { idpName: p.options.displayName } : {}),
        ...(p.options.appName?.(clientId) ? { appName: p.options.appName(clientId)! } : {}),
      }),
      notice && chosen ? 400 : 200,
    );
  }

  const code = randomToken();
  p.grants.issueCode(code, {
    clientId,
    redirectUri,
    codeChallenge,
    nonce: params.get('nonce') ?? undefined,
    scope,
    email: user.email,
    fault: p.faults.take(user, clientId),
    authTime: Math.floor(p.clock.nowMs() / 1000),
  });
  return back({ code });
}

/** The user picked on the sign-in page (with their password, when asked), or the auto-approved `login_hint`. */
async function signedInUser(p: Provider, params: URLSearchParams): Promise<{ user?: MockOidcUser; notice?: string; chosen?: string }> {
  const { users } = p.options;
  const chosen = params.getAll('login_email').find((v) => v.trim() !== '');
  if (chosen !== undefined) {
    const user = await users.find(chosen.trim());
    if (!user) return { notice: `No user ${chosen} in this directory.`, chosen };
    const password = params.get('login_password') ?? '';
    if (password !== '' && users.verifyPassword && !(await users.verifyPassword(user.email, password))) {
      return { notice: `Wrong password for ${user.email}.`, chosen };
    }
    return { user, chosen };
  }
  const hint = params.get('login_hint');
  if (hint && (typeof p.autoApprove === 'function' ? p.autoApprove(params) : p.autoApprove)) {
    const user = await users.find(hint.trim());
    return user ? { user } : { notice: `No user ${hint} in this directory; pick one.` };
  }
  return {};
}

/** The token endpoint: authenticates the client, redeems the code, answers the tokens. */
async function tokenEndpoint(p: Provider, c: Context): Promise<Response> {
  try {
    const type = c.req.header('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request', 'The token request must be application/x-www-form-urlencoded (RFC 6749 §4.1.3).');
    }
    const body = new URLSearchParams(await c.req.text());
    const clientId = await authenticateClient(c.req.header('authorization'), body, p.options.clients);
    if (body.get('grant_type') !== 'authorization_code') {
      throw new OAuthError('unsupported_grant_type', `grant_type "${body.get('grant_type') ?? ''}" is not supported; use authorization_code.`);
    }
    const { grant, user } = await redeemCode(p, body, clientId);
    const tokens = await issueTokens(p, grant, user, clientId);
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    return c.json(tokens);
  } catch (err) {
    if (err instanceof OAuthError) return oauthErrorJson(c, err, c.req.header('authorization')?.startsWith('Basic ') === true);
    throw err;
  }
}

/** Checks a code against its grant: known and unused, live, same client and redirect URI, PKCE; and its user. */
async function redeemCode(p: Provider, body: URLSearchParams, clientId: string): Promise<{ grant: CodeGrant; user: MockOidcUser }> {
  const grant = p.grants.takeCode(body.get('code') ?? '');
  if (!grant) throw new OAuthError('invalid_grant', 'The authorization code is unknown or was already used.');
  if (p.grants.isExpired(grant)) throw new OAuthError('invalid_grant', 'The authorization code has expired.');
  if (grant.clientId !== clientId) throw new OAuthError('invalid_grant', 'The authorization code was issued to another client.');
  if (body.get('redirect_uri') !== grant.redirectUri) {
    throw new OAuthError('invalid_grant', `redirect_uri "${body.get('redirect_uri') ?? ''}" does not match the authorization request's "${grant.redirectUri}".`);
  }
  const verifier = body.get('code_verifier');
  // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the code_challenge.
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) {
    throw new OAuthError('invalid_grant', 'PKCE verification failed: code_verifier is missing or not 43–128 unreserved characters.');
  }
  if (base64url.encode(await sha256(verifier)) !== grant.codeChallenge) {
    throw new OAuthError('invalid_grant', 'PKCE verification failed: the code_verifier does not match the code_challenge.');
  }
  const user = await p.options.users.find(grant.email);
  if (!user) throw new OAuthError('invalid_grant', `The user ${grant.email} no longer exists at the provider.`);
  return { grant, user };
}

/** The access token (remembered for userinfo) and the signed ID token, with the grant's fault applied. */
async function issueTokens(p: Provider, grant: CodeGrant, user: MockOidcUser, clientId: string) {
  const now = Math.floor(p.clock.nowMs() / 1000);
  const identity = faultIdentityClaims(grant.fault, await vendorClaims(p.vendor, user, { issuer: p.issuer, clientId }));
  const accessToken = randomToken();
  p.grants.issueAccessToken(accessToken, identity);
  // OIDC Core §3.1.3.6: at_hash is the left half of the access token's SHA-256.
  const atHash = base64url.encode((await sha256(accessToken)).slice(0, 16));
  const claims = faultIdTokenClaims(
    grant.fault,
    {
      ...identity,
      iss: p.issuer,
      aud: clientId,
      iat: now,
      ...(p.vendor === 'entra' ? { nbf: now } : {}),
      exp: now + p.tokenTtl,
      auth_time: grant.authTime,
      ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
      at_hash: atHash,
    },
    now,
  );
  const idToken = await (await p.signer()).sign(claims, grant.fault);
  return { access_token: accessToken, token_type: 'Bearer', expires_in: p.tokenTtl, id_token: idToken, scope: grant.scope };
}

/** The userinfo endpoint: the claims behind a live access token. */
async function userinfoEndpoint(p: Provider, c: Context): Promise<Response> {
  const header = c.req.header('authorization') ?? '';
  let token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  if (token === undefined && c.req.method === 'POST') {
    // RFC 6750 §2.2: the token may come in the form body.
    token = new URLSearchParams(await c.req.text()).get('access_token') ?? undefined;
  }
  const grant = p.grants.accessGrant(token);
  if (!grant) {
    // RFC 6750 §3.1.
    c.header('WWW-Authenticate', token === undefined ? 'Bearer' : 'Bearer error="invalid_token", error_description="The access token is unknown or expired"');
    return c.body(null, 401);
  }
  c.header('Cache-Control', 'no-store');
  return c.json(grant.claims);
}

/** RFC 6749 §2.3.1: client_secret_basic (form-encoded id and secret) or client_secret_post, not both. */
async function authenticateClient(
  authorization: string | undefined,
  body: URLSearchParams,
  clients: MockOidcProviderOptions['clients'],
): Promise<string> {
  let clientId: string | null;
  let secret: string | null;
  if (authorization?.startsWith('Basic ')) {
    if (body.has('client_secret')) throw new OAuthError('invalid_request', 'Use one client authentication method: Basic header or client_secret in the body, not both.');
    const decoded = atob(authorization.slice(6).trim());
    const colon = decoded.indexOf(':');
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    try {
      clientId = formDecode(colon < 0 ? decoded : decoded.slice(0, colon));
      secret = colon < 0 ? '' : formDecode(decoded.slice(colon + 1));
    } catch {
      throw new OAuthError('invalid_client', 'The Basic credentials are not form-encoded (RFC 6749 §2.3.1).', 401);
    }
    if (body.has('client_id') && body.get('client_id') !== clientId) throw new OAuthError('invalid_request', 'client_id in the body differs from the Basic credentials.');
  } else {
    clientId = body.get('client_id');
    secret = body.get('client_secret');
  }
  if (!clientId || secret === null) throw new OAuthError('invalid_client', 'Client authentication is required (client_secret_basic or client_secret_post).', 401);
  const client = await clients(clientId);
  if (!client || !timingSafeEqual(client.clientSecret, secret)) {
    throw new OAuthError('invalid_client', `Client authentication failed for client_id "${clientId}": unknown client or wrong secret.`, 401);
  }
  return clientId;
}

function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function oauthErrorJson(c: Context, err: OAuthError, basic = false): Response {
  c.header('Cache-Control', 'no-store');
  // RFC 6749 §5.2: a 401 answers a client that authenticated through the Authorization header.
  if (err.status === 401 && basic) c.header('WWW-Authenticate', 'Basic realm="mock-oidc-provider"');
  return c.json({ error: err.error, error_description: err.description }, err.status as 400);
}
