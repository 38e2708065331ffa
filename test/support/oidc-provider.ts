// Test support: an independent OpenID provider (oidc-provider 9) on a loopback port, whose login
// interaction signs in the account named by login_hint without a page, and a browser-like
// redirect follower that carries the provider's cookies.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface ProviderAccount {
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
}

export interface IndependentProvider {
  issuer: string;
  privateJwk: JWK;
  kid: string;
  close(): Promise<void>;
}

interface OidcProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ params: Record<string, unknown> }>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: object, options: object): Promise<void>;
  Grant: new (init: object) => { addOIDCScope(scope: string): void; save(): Promise<string> };
}

/**
 * Starts oidc-provider with one confidential client. An account id is its login_hint; the hint
 * `deny` answers the authorization with access_denied.
 */
export async function startIndependentProvider(options: {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  accounts: Record<string, ProviderAccount>;
  denyHint?: string;
  kid?: string;
}): Promise<IndependentProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kid = options.kid ?? 'provider-key-1';
  const pair = await generateKeyPair('RS256', { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(pair.privateKey)), kid, alg: 'RS256', use: 'sig' };

  // oidc-provider ships without type declarations; it is loaded as an untyped module.
  const specifier = 'oidc-provider';
  const { default: Provider } = (await import(specifier)) as { default: new (issuer: string, config: object) => OidcProviderInstance };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [privateJwk] },
    cookies: { keys: ['test-cookie-key'] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, id: string) => {
      const account = options.accounts[id];
      return account && { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
    // First-party client: consent is implied.
    loadExistingGrant: async (ctx: { oidc: { client: { clientId: string }; session: { accountId: string }; provider: OidcProviderInstance } }) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  handler = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        const hint = String(details.params.login_hint ?? '');
        const result =
          options.denyHint !== undefined && hint === options.denyHint
            ? { error: 'access_denied', error_description: 'The user is not assigned to this application' }
            : { login: { accountId: hint } };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      })().catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    callback(req, res);
  };
  return { issuer, privateJwk, kid, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Follows redirects like a browser (with cookies) until one lands on `stopAt`; returns that URL. */
export async function browse(url: string, stopAt: string): Promise<string> {
  const jar = new Map<string, string>();
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    if (current.startsWith(stopAt)) return current;
    const response = await fetch(current, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`no redirect from ${current}: HTTP ${response.status} ${await response.text()}`);
    current = new URL(location, current).href;
  }
  throw new Error('too many redirects');
}
