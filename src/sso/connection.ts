// The workspace's SSO connection (docs/http-api.md §6 `PUT /api/sso`): SAML from IdP metadata or fields, or
// OIDC issuer and client; validated before anything is stored, and changing it re-arms the
// enforcement guard (a new successful SSO sign-in is needed before enforcement can be raised).
// While enforcement is on, swapping the IdP itself is refused unless forced.
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { EmulatorError, badRequest, conflict } from '../errors.js';
import { describeIssues } from '../http/body.js';
import { ENFORCEMENT_LEVELS, type WorkspaceState } from '../store/state.js';
import { parseIssuer } from './oidc/issuer-policy.js';
import { parseIdpMetadata } from './saml/idp-metadata.js';
import { toCertificatePem } from './saml/certificates.js';
import { startLoadingSaml } from './saml/warm-up.js';

export interface SamlConnection {
  protocol: 'saml';
  /** `ssoBinding: 'post'` when the IdP takes AuthnRequests only by HTTP-POST; absent: HTTP-Redirect. */
  idp: { entityId: string; ssoUrl: string; certificates: string[]; ssoBinding?: 'post' };
  allowIdpInitiated: boolean;
  requireSignedAssertion: boolean;
  clockSkewSeconds: number;
  /** Accept RSA-SHA1 signatures and SHA-1 digests (older IdPs); absent means off. */
  allowSha1?: true;
  attributeMap?: { email?: string; givenName?: string; familyName?: string; displayName?: string };
  /** The built-in mock IdP this connection was wired to, if any. */
  mockIdp?: string;
}

export interface OidcConnection {
  protocol: 'oidc';
  issuer: string;
  clientId: string;
  clientSecret: string;
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post';
  clockSkewSeconds: number;
  mockIdp?: string;
}

export type SsoConnection = SamlConnection | OidcConnection;

/** Swap the IdP even though enforcement is on (recorded in the journal); never stored. */
const force = z.boolean().optional();

const samlOptions = {
  force,
  allowIdpInitiated: z.boolean().optional(),
  requireSignedAssertion: z.boolean().optional(),
  allowSha1: z.boolean().optional(),
  clockSkewSeconds: z.number().int().min(0).max(600).optional(),
  attributeMap: z
    .object({
      email: z.string().min(1).optional(),
      givenName: z.string().min(1).optional(),
      familyName: z.string().min(1).optional(),
      displayName: z.string().min(1).optional(),
    })
    .strict()
    .optional(),
};

export const connectionInput = z.union([
  z
    .object({
      protocol: z.literal('saml'),
      metadataXml: z.string().min(1).meta({ description: "The IdP's SAML 2.0 metadata XML: an IDPSSODescriptor with a signing certificate and an HTTP-Redirect or HTTP-POST SingleSignOnService (400 saml_metadata_invalid otherwise)." }),
      ...samlOptions,
    })
    .strict(),
  z
    .object({
      protocol: z.literal('saml'),
      idp: z.object({ entityId: z.string().min(1), ssoUrl: z.string().url(), certificates: z.array(z.string().meta({ description: 'An X.509 signing certificate, PEM or base64 DER (400 invalid_certificate otherwise).' })).min(1).max(4),
          ssoBinding: z.enum(['redirect', 'post']).optional(),
        })
        .strict(),
      ...samlOptions,
    })
    .strict(),
  z
    .object({
      protocol: z.literal('oidc'),
      // Checked by parseIssuer (400 oidc_invalid_issuer, oidc_insecure_issuer); the meta tells the OpenAPI document.
      issuer: z.string().min(1).meta({ format: 'uri', description: 'The issuer identifier: an absolute https URL (http only on a loopback host), without query or fragment (OIDC Discovery §2).' }),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
      clockSkewSeconds: z.number().int().min(0).max(600).optional(),
      force,
    })
    .strict(),
]);
export type ConnectionInput = z.infer<typeof connectionInput>;

/** Parses and checks a connection request; throws 400 naming what is wrong. */
export function parseConnection(raw: unknown): SsoConnection {
  const parsed = connectionInput.safeParse(raw);
  if (!parsed.success) {
    const protocol = (raw as { protocol?: unknown } | undefined)?.protocol;
    const hint =
      protocol === 'saml' || protocol === 'oidc'
        ? ''
        : ' Send {"protocol":"saml","metadataXml":"…"}, {"protocol":"saml","idp":{"entityId","ssoUrl","certificates":[PEM]}}, {"protocol":"oidc","issuer","clientId","clientSecret"}, or {"protocol":"saml"|"oidc","mockIdp":"<mock IdP id>"} for the built-in mock IdP.';
    throw badRequest('invalid_sso_config', `The SSO connection is not valid: ${describeIssues(parsed.error)}.${hint}`);
  }
  const input = parsed.data;
  if (input.protocol === 'oidc') {
    parseIssuer(input.issuer);
    return {
      protocol: 'oidc',
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      tokenEndpointAuthMethod: input.tokenEndpointAuthMethod ?? 'client_secret_basic',
      clockSkewSeconds: input.clockSkewSeconds ?? 60,
    };
  }
  let idp: SamlConnection['idp'];
  if ('metadataXml' in input) {
    const meta = parseIdpMetadata(input.metadataXml);
    // The metadata's endpoint: HTTP-Redirect when offered, else HTTP-POST (SAML metadata §2.4.3).
    idp = { entityId: meta.entityId, ssoUrl: meta.ssoUrl, certificates: meta.certificates, ...(meta.ssoBinding === 'post' ? { ssoBinding: 'post' as const } : {}) };
  } else {
    const certificates = input.idp.certificates.map((c, i) => {
      const pem = toCertificatePem(c);
      if (!pem) {
        throw badRequest('invalid_certificate', `idp.certificates[${i}] is not an X.509 certificate (PEM or base64 DER). Copy the IdP's signing certificate.`);
      }
      return pem;
    });
    idp = { entityId: input.idp.entityId, ssoUrl: input.idp.ssoUrl, certificates, ...(input.idp.ssoBinding === 'post' ? { ssoBinding: 'post' as const } : {}) };
  }
  const connection: SamlConnection = {
    protocol: 'saml',
    idp,
    allowIdpInitiated: input.allowIdpInitiated ?? false,
    requireSignedAssertion: input.requireSignedAssertion ?? true,
    clockSkewSeconds: input.clockSkewSeconds ?? 60,
  };
  if (input.attributeMap) connection.attributeMap = input.attributeMap;
  if (input.allowSha1) connection.allowSha1 = true;
  return connection;
}

export function currentConnection(ws: WorkspaceState): SsoConnection | null {
  return ws.sso.connection as SsoConnection | null;
}

/**
 * What makes `next` another identity provider than `before`, for users who sign in through it:
 * the protocol, the SAML entity ID or sign-in URL or binding, a trusted certificate dropped (adding
 * one beside the old, a key rollover, is not a swap), the OIDC issuer or client. Empty: same IdP.
 */
export function idpChanges(before: SsoConnection, next: SsoConnection): string[] {
  if (before.protocol !== next.protocol) return [`protocol ${before.protocol} → ${next.protocol}`];
  const changes: string[] = [];
  if (before.protocol === 'saml' && next.protocol === 'saml') {
    if (before.idp.entityId !== next.idp.entityId) changes.push(`entity ID ${before.idp.entityId} → ${next.idp.entityId}`);
    if (before.idp.ssoUrl !== next.idp.ssoUrl) changes.push(`sign-in URL ${before.idp.ssoUrl} → ${next.idp.ssoUrl}`);
    if (authnRequestBinding(before) !== authnRequestBinding(next)) changes.push(`AuthnRequest binding ${authnRequestBinding(before)} → ${authnRequestBinding(next)}`);
    const dropped = before.idp.certificates.filter((c) => !next.idp.certificates.includes(c)).length;
    if (dropped > 0) changes.push(`${dropped} trusted signing certificate${dropped > 1 ? 's' : ''} dropped`);
  } else if (before.protocol === 'oidc' && next.protocol === 'oidc') {
    if (before.issuer !== next.issuer) changes.push(`issuer ${before.issuer} → ${next.issuer}`);
    if (before.clientId !== next.clientId) changes.push(`client ID ${before.clientId} → ${next.clientId}`);
  }
  return changes;
}

/**
 * Refuses (409 `enforcement_active`) to swap the IdP while enforcement is above `off` unless
 * forced: a broken replacement would lock every verified-domain user out at once. Returns what
 * changed, for the journal.
 */
export function guardConnectionSwap(ws: WorkspaceState, next: SsoConnection, force: boolean): string[] {
  const before = currentConnection(ws);
  if (!before || ws.sso.enforcement === 'off') return [];
  const changes = idpChanges(before, next);
  if (changes.length > 0 && !force) {
    throw conflict(
      'enforcement_active',
      `SSO enforcement is "${ws.sso.enforcement}" and this replaces the identity provider (${changes.join('; ')}): if the new one does not work, every verified-domain user is locked out. Set enforcement to "off" first (PUT /w/${ws.id}/api/sso/enforcement), test the new connection with a sign-in, then raise it again; or send "force": true to swap now (it is recorded).`,
      { enforcement: ws.sso.enforcement, changes },
    );
  }
  return changes;
}

/**
 * Stores a connection; a change clears the record of a successful SSO sign-in. Swapping the IdP
 * while enforcement is on is refused unless `force` (see guardConnectionSwap).
 */
export function setConnection(core: EmulatorCore, ws: WorkspaceState, connection: SsoConnection, actor: string, options: { force?: boolean } = {}): void {
  const before = currentConnection(ws);
  const changed = JSON.stringify(before) !== JSON.stringify(connection);
  if (!changed) return;
  const swapped = guardConnectionSwap(ws, connection, options.force === true);
  ws.sso.connection = connection as unknown as Record<string, unknown>;
  if (connection.protocol === 'saml') startLoadingSaml();
  ws.sso.connectionChangedAt = core.clockFor(ws.id).nowIso();
  delete ws.sso.lastSuccessAt;
  core.record(ws, 'sso.configured', actor, {
    protocol: connection.protocol,
    ...(connection.protocol === 'saml' ? { idpEntityId: connection.idp.entityId, certificates: connection.idp.certificates.length } : { issuer: connection.issuer, clientId: connection.clientId }),
    ...(connection.mockIdp ? { mockIdp: connection.mockIdp } : {}),
    replaced: before !== null,
    ...(swapped.length > 0 ? { forced: true, enforcement: ws.sso.enforcement, changes: swapped } : {}),
  });
}

/** Removes the connection; refused while enforcement would lock users out. */
export function removeConnection(core: EmulatorCore, ws: WorkspaceState, actor: string): void {
  if (ws.sso.connection === null) return;
  if (ws.sso.enforcement !== 'off') {
    throw conflict(
      'enforcement_active',
      `SSO enforcement is "${ws.sso.enforcement}": removing the connection would lock verified-domain users out. Set enforcement to "off" first (PUT /w/${ws.id}/api/sso/enforcement).`,
    );
  }
  ws.sso.connection = null;
  ws.sso.connectionChangedAt = core.clockFor(ws.id).nowIso();
  delete ws.sso.lastSuccessAt;
  core.record(ws, 'sso.removed', actor, {});
}

/** How the SP sends AuthnRequests to this IdP (SAML bindings §3.4 or §3.5). */
export function authnRequestBinding(c: SamlConnection): 'redirect' | 'post' {
  return c.idp.ssoBinding === 'post' ? 'post' : 'redirect';
}

/** The workspace's own SSO values an admin pastes into the IdP. */
export function spValues(origin: string, wsId: string) {
  const base = `${origin}/w/${wsId}`;
  return {
    saml: {
      entityId: `${base}/sso/saml/metadata`,
      acsUrl: `${base}/sso/saml/acs`,
      metadataUrl: `${base}/sso/saml/metadata`,
      loginUrl: `${base}/sso/saml/login`,
    },
    oidc: {
      redirectUri: `${base}/sso/oidc/callback`,
      loginUrl: `${base}/sso/oidc/login`,
    },
  };
}

const connectionCommon = {
  /** The workspace's own SAML entity ID, ACS URL and metadata, and its OIDC redirect URI. */
  entityId: z.string(),
  acsUrl: z.string(),
  metadataUrl: z.string(),
  redirectUri: z.string(),
  enforcement: z.enum(ENFORCEMENT_LEVELS),
  tested: z.boolean(),
  lastSuccessfulSsoAt: z.string().optional(),
  changedAt: z.string().optional(),
};
const clockSkewSeconds = z.number().int();

/**
 * The connection as the admin API shows it (secrets withheld, the SP's own values added): the one
 * source of the view type, the typed client's and the OpenAPI document's.
 */
export const connectionViewSchema = z.union([
  z.object({ configured: z.literal(false), ...connectionCommon }),
  z.object({
    configured: z.literal(true),
    protocol: z.literal('saml'),
    idp: z.object({ entityId: z.string(), ssoUrl: z.string(), certificates: z.array(z.string()), ssoBinding: z.enum(['redirect', 'post']) }),
    /** How the AuthnRequest is sent: HTTP-POST only when the IdP offers nothing else. */
    authnRequestBinding: z.enum(['redirect', 'post']),
    allowIdpInitiated: z.boolean(),
    requireSignedAssertion: z.boolean(),
    allowSha1: z.boolean(),
    clockSkewSeconds,
    attributeMap: z.object({ email: z.string().optional(), givenName: z.string().optional(), familyName: z.string().optional(), displayName: z.string().optional() }).optional(),
    mockIdp: z.string().optional(),
    loginUrl: z.string(),
    ...connectionCommon,
  }),
  z.object({
    configured: z.literal(true),
    protocol: z.literal('oidc'),
    issuer: z.string(),
    clientId: z.string(),
    clientSecretSet: z.literal(true),
    tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post']),
    clockSkewSeconds,
    mockIdp: z.string().optional(),
    loginUrl: z.string(),
    ...connectionCommon,
  }),
]);
export type ConnectionView = z.output<typeof connectionViewSchema>;

export function connectionView(ws: WorkspaceState, origin: string): ConnectionView {
  const c = currentConnection(ws);
  const sp = spValues(origin, ws.id);
  const common = {
    entityId: sp.saml.entityId,
    acsUrl: sp.saml.acsUrl,
    metadataUrl: sp.saml.metadataUrl,
    redirectUri: sp.oidc.redirectUri,
    enforcement: ws.sso.enforcement,
    tested: ws.sso.lastSuccessAt !== undefined,
    ...(ws.sso.lastSuccessAt ? { lastSuccessfulSsoAt: ws.sso.lastSuccessAt } : {}),
    ...(ws.sso.connectionChangedAt ? { changedAt: ws.sso.connectionChangedAt } : {}),
  };
  if (!c) return { configured: false as const, ...common };
  if (c.protocol === 'oidc') {
    const { clientSecret: _secret, ...rest } = c;
    return { configured: true as const, ...rest, clientSecretSet: true as const, loginUrl: sp.oidc.loginUrl, ...common };
  }
  return {
    configured: true as const,
    ...c,
    idp: { ...c.idp, ssoBinding: authnRequestBinding(c) },
    authnRequestBinding: authnRequestBinding(c),
    allowSha1: c.allowSha1 === true,
    loginUrl: sp.saml.loginUrl,
    ...common,
  };
}

export function requireConnection<P extends SsoConnection['protocol']>(ws: WorkspaceState, protocol: P): Extract<SsoConnection, { protocol: P }> {
  const c = currentConnection(ws);
  if (!c) {
    throw new EmulatorError({
      code: 'sso_not_configured',
      status: 409,
      message: `Single sign-on is not configured for workspace "${ws.id}". An admin configures it with PUT /w/${ws.id}/api/sso.`,
    });
  }
  if (c.protocol !== protocol) {
    throw new EmulatorError({
      code: 'sso_protocol_mismatch',
      status: 409,
      message: `Workspace "${ws.id}" uses ${c.protocol.toUpperCase()} for SSO, not ${protocol.toUpperCase()}; sign in at /w/${ws.id}/sso/${c.protocol}/login.`,
    });
  }
  return c as Extract<SsoConnection, { protocol: P }>;
}
