// The workspace as an OpenID Connect relying party: discovery, the authorization request
// (code flow, PKCE S256) and the callback, ending in a verified identity or an `oidc_<check>` refusal.
import * as client from 'openid-client';
import { createRemoteJWKSet, customFetch as joseCustomFetch, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../../clock.js';
import { EmulatorError } from '../../errors.js';
import { acceptedAlgorithms, checkIdTokenAlgorithm, checkIdTokenClaims, verifyIdToken, type IdTokenExpectations } from './id-token.js';
import { mapOidcIdentity, type OidcIdentity } from './identity.js';
import { assertSecureEndpoint, parseIssuer } from './issuer-policy.js';
import { oidcError } from './reasons.js';

/** A Fetch API function; pass `(url, init) => app.fetch(new Request(url, init))` to route in-process. */
export type OidcFetch = (url: string, init: RequestInit) => Promise<Response>;

/** How to reach and authenticate to an OpenID provider. */
export interface OidcRelyingPartyOptions {
  /** The provider's issuer identifier; https, or http on a loopback host. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Client authentication at the token endpoint (RFC 6749 §2.3.1). Default `client_secret_basic`. */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** Fetch used for discovery, token, userinfo and JWKS requests. Default: global fetch. */
  fetch?: OidcFetch;
  /** Leeway in seconds for exp/iat/nbf against the emulator clock. Default 30. */
  skewSeconds?: number;
}

/** A discovered provider and the client registered at it; obtain one with `discoverOidcProvider`. */
export interface OidcRelyingParty {
  readonly issuer: string;
  readonly clientId: string;
  readonly tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  readonly skewSeconds: number;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userinfoEndpoint?: string;
  readonly jwksUri: string;
  /** ID token algorithms accepted from this provider. */
  readonly idTokenAlgorithms: readonly string[];
}

/** What `beginOidcLogin` hands back: the URL to redirect the browser to, and what to keep until the callback. */
export interface OidcLoginRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}

/** What was kept from `beginOidcLogin` (server-side or in a sealed cookie) until the callback. */
export interface OidcPendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The redirect_uri sent; when given, the callback's query is read onto it, so proxies cannot change it. */
  redirectUri?: string;
}

interface Internals {
  server: client.ServerMetadata;
  clientSecret: string;
  fetch: OidcFetch;
  jwks: JWTVerifyGetKey;
  plainHttp: boolean;
}

const internals = new WeakMap<OidcRelyingParty, Internals>();

const SCOPE = 'openid email profile';

/**
 * Fetches the provider's discovery document (OIDC Discovery §4) and returns a relying party for
 * the client. Refuses non-loopback http (`oidc_insecure_issuer`), an unreachable or inconsistent
 * document (`oidc_discovery_failed`).
 */
export async function discoverOidcProvider(options: OidcRelyingPartyOptions): Promise<OidcRelyingParty> {
  const issuerUrl = parseIssuer(options.issuer);
  const fetch: OidcFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const plainHttpIssuer = issuerUrl.protocol === 'http:';
  let discovered: client.Configuration;
  try {
    discovered = await client.discovery(issuerUrl, options.clientId, options.clientSecret, undefined, {
      [client.customFetch]: fetch as client.CustomFetch,
      ...(plainHttpIssuer ? { execute: [client.allowInsecureRequests] } : {}),
    });
  } catch (err) {
    throw discoveryError(err, issuerUrl.href);
  }
  const server = discovered.serverMetadata();
  const endpoint = (name: 'authorization_endpoint' | 'token_endpoint' | 'jwks_uri' | 'userinfo_endpoint', required: boolean) => {
    const value = server[name];
    if (value === undefined) {
      if (!required) return undefined;
      throw oidcError('oidc_discovery_failed', `The discovery document of ${server.issuer} has no ${name}; the provider cannot be used for the code flow with signed ID tokens.`);
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw oidcError('oidc_discovery_failed', `The discovery document of ${server.issuer} has an invalid ${name} "${value}".`);
    }
    assertSecureEndpoint(name, url);
    return url;
  };
  const authorization = endpoint('authorization_endpoint', true)!;
  const token = endpoint('token_endpoint', true)!;
  const jwksUri = endpoint('jwks_uri', true)!;
  const userinfo = endpoint('userinfo_endpoint', false);
  const methods = server.code_challenge_methods_supported;
  if (methods !== undefined && !methods.includes('S256')) {
    throw oidcError('oidc_discovery_failed', `The provider ${server.issuer} advertises PKCE methods ${JSON.stringify(methods)} without S256; enable PKCE S256 at the provider (RFC 7636).`);
  }
  const algorithms = acceptedAlgorithms(server.id_token_signing_alg_values_supported);
  if (algorithms.length === 0) {
    throw oidcError('oidc_discovery_failed', `The provider ${server.issuer} signs ID tokens only with ${JSON.stringify(server.id_token_signing_alg_values_supported)}; configure an asymmetric algorithm such as RS256.`);
  }
  const rp: OidcRelyingParty = {
    issuer: server.issuer,
    clientId: options.clientId,
    tokenEndpointAuthMethod: options.tokenEndpointAuthMethod ?? 'client_secret_basic',
    skewSeconds: options.skewSeconds ?? 30,
    authorizationEndpoint: authorization.href,
    tokenEndpoint: token.href,
    ...(userinfo ? { userinfoEndpoint: userinfo.href } : {}),
    jwksUri: jwksUri.href,
    idTokenAlgorithms: algorithms,
  };
  internals.set(rp, {
    server,
    clientSecret: options.clientSecret,
    fetch,
    // The ID token arrives over the back channel, yet its signature is still checked against the
    // provider's keys (OIDC Core §3.1.3.7 step 6 allows skipping it; the emulator never does).
    jwks: createRemoteJWKSet(jwksUri, { [joseCustomFetch]: fetch }),
    plainHttp: [issuerUrl, authorization, token, jwksUri, userinfo].some((u) => u?.protocol === 'http:'),
  });
  return rp;
}

/**
 * Starts a sign-in: the authorization request URL (OIDC Core §3.1.2.1; response_type=code,
 * scope "openid email profile", PKCE S256 per RFC 7636, login_hint=email) and the state, nonce
 * and code verifier to keep until the callback.
 */
export async function beginOidcLogin(rp: OidcRelyingParty, request: { email: string; redirectUri: string }): Promise<OidcLoginRequest> {
  const config = configurationFor(rp, 0);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: request.redirectUri,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    login_hint: request.email,
  });
  return { url: url.href, state, nonce, codeVerifier, redirectUri: request.redirectUri };
}

/**
 * Completes a sign-in from the callback URL: checks state, exchanges the code with the PKCE
 * verifier, verifies the ID token (signature against the provider's JWKS, iss, aud, exp, iat,
 * nonce on `clock`), completes missing claims from userinfo and maps the identity.
 * Throws an EmulatorError whose code is an `oidc_<check>` reason.
 */
export async function completeOidcLogin(
  rp: OidcRelyingParty,
  callback: { callbackUrl: string | URL; pending: OidcPendingLogin },
  clock: Clock,
): Promise<OidcIdentity> {
  const { pending } = callback;
  const received = new URL(callback.callbackUrl, pending.redirectUri);
  const params = received.searchParams;

  // RFC 6749 §10.12: the state binds the callback to this browser's sign-in, error or not.
  const state = params.get('state');
  if (state !== pending.state) {
    throw oidcError(
      'oidc_state_mismatch',
      `The callback's state is ${state === null ? '(none)' : `"${state}"`}, expected "${pending.state}" (the state this sign-in sent). The callback belongs to another sign-in or was replayed; start the sign-in again from the login page.`,
      { expected: pending.state, actual: state },
    );
  }
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    throw oidcError(
      'oidc_error',
      `The provider refused the sign-in: error=${error}${description ? ` (${description})` : ''}. Check the user's assignment to the application and the client's configuration at the provider.`,
      { error, ...(description ? { error_description: description } : {}) },
    );
  }
  if (params.get('code') === null) {
    throw oidcError('oidc_missing_code', 'The callback carries neither code nor error; expected ?code=…&state=… from the provider (OIDC Core §3.1.2.5).');
  }
  const current = new URL(pending.redirectUri ?? received.href);
  current.search = received.search;
  current.hash = '';

  const expected: IdTokenExpectations = {
    issuer: rp.issuer,
    clientId: rp.clientId,
    nonce: pending.nonce,
    nowMs: clock.nowMs(),
    skewSeconds: rp.skewSeconds,
  };
  // The one read of real time: it measures how far the emulator clock is from it.
  const config = configurationFor(rp, Math.round((expected.nowMs - Date.now()) / 1000));
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, current, {
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      pkceCodeVerifier: pending.codeVerifier,
      idTokenExpected: true,
    });
  } catch (err) {
    throw exchangeError(err, rp, expected);
  }
  const idToken = tokens.id_token;
  if (idToken === undefined) {
    throw oidcError('oidc_invalid_id_token', 'The token response has no id_token; request the "openid" scope and use an OpenID Connect (not plain OAuth) application at the provider.');
  }
  const own = internal(rp);
  const idClaims = await verifyIdToken(idToken, own.jwks, rp.idTokenAlgorithms, expected);

  let claims: Record<string, unknown> = idClaims;
  if (idClaims.email === undefined && rp.userinfoEndpoint !== undefined) {
    // OIDC Core §5.4: providers may return scope claims from userinfo only, not in the ID token.
    let info: Record<string, unknown>;
    try {
      info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    } catch (err) {
      throw userinfoError(err, idClaims.sub);
    }
    claims = { ...info, ...idClaims };
  }
  return mapOidcIdentity(claims, rp.issuer);
}

function internal(rp: OidcRelyingParty): Internals {
  const own = internals.get(rp);
  if (!own) throw new TypeError('OidcRelyingParty must come from discoverOidcProvider()');
  return own;
}

/**
 * An openid-client configuration for one operation. openid-client reads real time; the offset of
 * the emulator clock from it is handed over as its clock skew so that its checks agree with ours.
 */
function configurationFor(rp: OidcRelyingParty, offsetSeconds: number): client.Configuration {
  const own = internal(rp);
  const metadata: Partial<client.ClientMetadata> = {
    client_secret: own.clientSecret,
    [client.clockSkew]: offsetSeconds,
    [client.clockTolerance]: rp.skewSeconds,
  };
  const auth =
    rp.tokenEndpointAuthMethod === 'client_secret_post' ? client.ClientSecretPost(own.clientSecret) : client.ClientSecretBasic(own.clientSecret);
  const config = new client.Configuration(own.server, rp.clientId, metadata, auth);
  config[client.customFetch] = own.fetch as client.CustomFetch;
  if (own.plainHttp) client.allowInsecureRequests(config);
  return config;
}

/** The detail object openid-client attaches to a failed check (claim, expected, claims, header…). */
function detailOf(err: client.ClientError): Record<string, unknown> {
  const inner = err.cause as { cause?: unknown } | undefined;
  const detail = inner && typeof inner === 'object' && 'cause' in inner ? inner.cause : inner;
  return detail && typeof detail === 'object' ? (detail as Record<string, unknown>) : {};
}

function innerMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  return cause instanceof Error && cause.message !== err.message ? `${err.message}: ${cause.message}` : err.message;
}

function discoveryError(err: unknown, issuer: string): EmulatorError {
  if (err instanceof EmulatorError) return err;
  if (err instanceof client.ClientError) {
    const detail = detailOf(err);
    if (err.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') {
      const body = detail.body as { issuer?: unknown } | undefined;
      return oidcError(
        'oidc_discovery_failed',
        `The discovery document says issuer ${JSON.stringify(body?.issuer)}, expected "${issuer}" (OIDC Discovery §4.3: it must equal the URL it was fetched for). Configure the SSO connection with the provider's exact issuer.`,
        { expected: issuer, actual: body?.issuer },
      );
    }
    if (err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && err.cause instanceof Response) {
      return oidcError(
        'oidc_discovery_failed',
        `${issuer}/.well-known/openid-configuration answered HTTP ${err.cause.status}, expected 200 with JSON. Check the issuer URL.`,
        { status: err.cause.status },
      );
    }
  }
  return oidcError(
    'oidc_discovery_failed',
    `Discovery of ${issuer} failed (${innerMessage(err)}). Check that ${issuer.replace(/\/$/, '')}/.well-known/openid-configuration is reachable and returns the provider's metadata.`,
  );
}

function exchangeError(err: unknown, rp: OidcRelyingParty, expected: IdTokenExpectations): EmulatorError {
  if (err instanceof EmulatorError) return err;
  if (err instanceof client.ResponseBodyError) {
    const hint =
      err.error === 'invalid_grant'
        ? 'The code is invalid, expired or already used, or the PKCE code_verifier or redirect_uri does not match the authorization request; start the sign-in again.'
        : err.error === 'invalid_client'
          ? `Client authentication failed: check the client ID and secret of the SSO connection and that the provider accepts ${rp.tokenEndpointAuthMethod}.`
          : 'Check the client registration at the provider.';
    return oidcError(
      'oidc_token_exchange',
      `The token endpoint refused the code: error=${err.error}${err.error_description ? ` (${err.error_description})` : ''}, HTTP ${err.status}. ${hint}`,
      { error: err.error, ...(err.error_description ? { error_description: err.error_description } : {}), status: err.status },
    );
  }
  if (err instanceof client.AuthorizationResponseError) {
    return oidcError('oidc_error', `The provider refused the sign-in: error=${err.error}${err.error_description ? ` (${err.error_description})` : ''}.`, { error: err.error });
  }
  if (err instanceof client.ClientError) {
    const detail = detailOf(err);
    const inner = err.cause instanceof Error ? err.cause.message : err.message;
    if (err.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' || err.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
      if (detail.claims && typeof detail.claims === 'object') {
        // Re-run our own checks on the same claims so that both paths give one message.
        checkIdTokenClaims(detail.claims as Record<string, unknown>, expected);
      }
      return claimError(String(detail.claim ?? ''), inner, expected);
    }
    if (detail.header && typeof detail.header === 'object') {
      checkIdTokenAlgorithm(detail.header as { alg?: unknown }, rp.idTokenAlgorithms);
      return oidcError('oidc_unsupported_alg', `ID token algorithm refused: ${inner}.`);
    }
    if (/"iss" \(issuer\) response parameter|response parameter "iss"/.test(inner)) {
      // RFC 9207: the authorization response names the provider that issued the code.
      const parameters = detail.parameters instanceof URLSearchParams ? detail.parameters.get('iss') : undefined;
      return oidcError(
        'oidc_wrong_issuer',
        `The authorization response's iss is ${parameters ? `"${parameters}"` : '(none)'}, expected "${rp.issuer}" (RFC 9207). The callback came from another provider; check the SSO connection's issuer.`,
        { expected: rp.issuer, actual: parameters ?? null },
      );
    }
    if (/claim missing|claim type/.test(inner)) {
      return oidcError('oidc_invalid_id_token', `The ID token is malformed: ${inner} (OIDC Core §2).`);
    }
    if (/"id_token"|ID Token/.test(inner)) {
      return oidcError('oidc_invalid_id_token', `The token response has no usable ID token (${inner}); request the "openid" scope from an OpenID Connect application at the provider.`);
    }
    return oidcError('oidc_token_exchange', `The token response from ${rp.tokenEndpoint} is not usable: ${inner}. Check the provider's token endpoint.`);
  }
  return oidcError(
    'oidc_token_exchange',
    `The token endpoint ${rp.tokenEndpoint} could not be reached (${innerMessage(err)}). Check that the provider is running and reachable.`,
  );
}

function claimError(claim: string, inner: string, expected: IdTokenExpectations): EmulatorError {
  switch (claim) {
    case 'iss':
      return oidcError('oidc_wrong_issuer', `ID token issuer refused: ${inner}; expected "${expected.issuer}".`);
    case 'aud':
    case 'azp':
      return oidcError('oidc_audience_mismatch', `ID token audience refused: ${inner}; expected "${expected.clientId}".`);
    case 'nonce':
      return oidcError('oidc_nonce_mismatch', `ID token nonce refused: ${inner}; start the sign-in again.`);
    case 'exp':
      return oidcError('oidc_expired', `ID token expired: ${inner} (allowed skew ${expected.skewSeconds}s).`);
    case 'nbf':
      return oidcError('oidc_not_yet_valid', `ID token not yet valid: ${inner} (allowed skew ${expected.skewSeconds}s).`);
    default:
      return oidcError('oidc_invalid_id_token', `ID token refused: ${inner}.`);
  }
}

function userinfoError(err: unknown, sub: string): EmulatorError {
  if (err instanceof client.ClientError && err.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
    return oidcError('oidc_userinfo_failed', `Userinfo answered for another subject than the ID token's sub "${sub}" (OIDC Core §5.3.2); the provider mixed up users.`);
  }
  if (err instanceof client.WWWAuthenticateChallengeError || err instanceof client.ResponseBodyError) {
    return oidcError('oidc_userinfo_failed', `The userinfo endpoint refused the access token (${innerMessage(err)}); the ID token has no email claim, so it is needed. Release the email claim in the ID token, or let the client call userinfo.`);
  }
  return oidcError('oidc_userinfo_failed', `The ID token has no email claim and the userinfo endpoint failed (${innerMessage(err)}).`);
}
