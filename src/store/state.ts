// The persisted shape of the emulator: plain JSON, validated with zod on load and on import.
// Lookup indexes are derived from it at load (see emulator.ts and store/workspace-index.ts) and never persisted.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { newRolesState, rolesStateSchema } from './role-state.js';
import { newUsageLimitsState, usageLimitsStateSchema } from './usage-limit-state.js';
import { directoryStateSchema, newDirectoryState } from './directory-state.js';
import { STATE_FORMAT, STATE_VERSION } from './new-state.js';
import { clockIssues, stateIssues } from './validate-state.js';

export { STATE_FORMAT, STATE_VERSION } from './new-state.js';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');

export const domainRecordSchema = z.object({
  domain: z.string().min(1),
  status: z.enum(['pending', 'verified', 'expired']),
  token: z.string().min(1),
  createdAt: isoTime,
  expiresAt: isoTime,
  verifiedAt: isoTime.optional(),
  lastCheckedAt: isoTime.optional(),
});
export type DomainRecord = z.infer<typeof domainRecordSchema>;

export const eventRecordSchema = z.object({
  id: z.string(),
  seq: z.number().int().nonnegative(),
  time: isoTime,
  workspace: z.string().nullable(),
  type: z.string().min(1),
  actor: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type EventRecord = z.infer<typeof eventRecordSchema>;

/** One conformance finding as saved: the severity is not saved, the report's profile sets it. */
export const conformanceFindingSchema = z.object({
  seq: z.number().int().positive(),
  rule: z.string().min(1),
  /** `refused`: the workspace answered 4xx; `tolerated`: lenient mode accepted it; `observed`: accepted as sent. */
  outcome: z.enum(['refused', 'tolerated', 'observed']),
  message: z.string(),
  impact: z.string().optional(),
  request: z.object({ id: z.string(), method: z.string(), path: z.string(), at: isoTime, status: z.number().int() }),
});
export type ConformanceFinding = z.infer<typeof conformanceFindingSchema>;

/** Findings keyed `f<seq>` (a record, so adding one journals one key, not the whole list). */
export const conformanceStateSchema = z.object({
  seq: z.number().int().nonnegative(),
  findings: z.record(z.string(), conformanceFindingSchema),
});
export type ConformanceState = z.infer<typeof conformanceStateSchema>;

export const workspaceSettingsSchema = z.object({
  automaticAccountCreation: z.boolean().default(false),
  breakGlass: z.boolean().default(false),
  /** How SCIM reads what clients send (docs/rules.md §17): `strict` (RFC 7644 as written) or `lenient`. */
  scimCompatibility: z.enum(['strict', 'lenient']).default('strict'),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export const memberRecordSchema = z.object({
  id: z.string().min(1),
  /** As given; every lookup compares it in lower case. */
  email: z.string().min(3),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  displayName: z.string().optional(),
  source: z.enum(['invite', 'scim', 'auto']),
  status: z.enum(['pending_invite', 'active', 'deactivated']),
  /** Built-in workspace role (help-center article 8266401): who may administer what. */
  role: z.enum(['owner', 'admin', 'member', 'analytics_viewer']),
  /** scrypt hash for password sign-in (`scrypt$<salt>$<hash>`), when the member has a password. */
  passwordHash: z.string().optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  lastSignInAt: isoTime.optional(),
  /** The last successful SSO sign-in (owned by src/signin; evidence for the enforcement what-if). */
  lastSsoSignInAt: isoTime.optional(),
  deactivatedAt: isoTime.optional(),
  /** The directory's view of this member (owned by src/scim), present once SCIM manages it. */
  scim: z.record(z.string(), z.unknown()).optional(),
});
export type MemberRecord = z.infer<typeof memberRecordSchema>;

export const groupRecordSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  source: z.enum(['scim', 'local']),
  externalId: z.string().optional(),
  /** Member ids. At run time the membership index is authoritative; this is its saved form. */
  members: z.array(z.string()).default([]),
  createdAt: isoTime,
  updatedAt: isoTime,
  version: z.number().int().nonnegative().default(1),
});
export type GroupRecord = z.infer<typeof groupRecordSchema>;

export const scimTokenRecordSchema = z.object({
  id: z.string().min(1),
  /** sha256 of the token, hex; the token itself is shown once and never stored. */
  hash: z.string().length(64),
  name: z.string().optional(),
  createdAt: isoTime,
  lastUsedAt: isoTime.optional(),
  revokedAt: isoTime.optional(),
});
export type ScimTokenRecord = z.infer<typeof scimTokenRecordSchema>;

export const ENFORCEMENT_LEVELS = ['off', 'no_passwords', 'sso_only'] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

export const ssoStateSchema = z.object({
  /** The SSO connection (owned by src/sso), null until configured. */
  connection: z.record(z.string(), z.unknown()).nullable().default(null),
  connectionChangedAt: isoTime.optional(),
  /** The last successful SSO sign-in since the connection last changed (the enforcement guard). */
  lastSuccessAt: isoTime.optional(),
  enforcement: z.enum(ENFORCEMENT_LEVELS).default('off'),
  enforcementChangedAt: isoTime.optional(),
});
export type SsoState = z.infer<typeof ssoStateSchema>;

export const workspaceStateSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  createdAt: isoTime,
  clockOffsetMs: z.number().finite().default(0),
  /**
   * Test-only mode (docs/testing.md): an isolated workspace's verified domains are its own and claim
   * nothing from other workspaces; the one-organization-per-domain rule holds inside it only.
   */
  isolated: z.boolean().optional(),
  settings: workspaceSettingsSchema.default({ automaticAccountCreation: false, breakGlass: false, scimCompatibility: 'strict' }),
  domains: z.record(z.string(), domainRecordSchema).default({}),
  members: z.record(z.string(), memberRecordSchema).default({}),
  groups: z.record(z.string(), groupRecordSchema).default({}),
  scimTokens: z.record(z.string(), scimTokenRecordSchema).default({}),
  sso: ssoStateSchema.default({ connection: null, enforcement: 'off' }),
  roles: rolesStateSchema.default(newRolesState),
  usageLimits: usageLimitsStateSchema.default(newUsageLimitsState),
  /** Directory sync (src/directory): the connection, what it manages, the last syncs; absent in older states. */
  directory: directoryStateSchema.default(newDirectoryState),
  events: z.array(eventRecordSchema).default([]),
  /** What the conformance rules found in the IdP's traffic (src/conformance), newest last, bounded. */
  conformance: conformanceStateSchema.default(() => ({ seq: 0, findings: {} })),
});
export type WorkspaceState = z.infer<typeof workspaceStateSchema>;

/** The vendors the mock identity provider imitates (docs/scenarios.md §2 `idp.vendor`). */
export const IDP_VENDORS = ['entra', 'okta', 'google', 'classlink', 'clever', 'generic'] as const;
export type IdpVendor = (typeof IDP_VENDORS)[number];
/** SCIM dialects the mock IdP's provisioning client speaks. */
export const SCIM_DIALECTS = ['entra', 'okta', 'generic'] as const;
export type ScimDialect = (typeof SCIM_DIALECTS)[number];

export const idpUserSchema = z.object({
  id: z.string().min(1),
  /** As given; lookups compare it in lower case. */
  email: z.string().min(3),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  /** Extra attributes sent in assertions. */
  attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
  /** scrypt hash for the IdP's login page, when the user has a password. */
  passwordHash: z.string().optional(),
  /** In the provisioning (SCIM app) scope; a user outside it can still sign in. */
  provisioned: z.boolean().default(true),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type IdpUser = z.infer<typeof idpUserSchema>;

export const idpGroupSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  /** Member user ids. */
  members: z.array(z.string()).default([]),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type IdpGroup = z.infer<typeof idpGroupSchema>;

/** What the provisioning client last pushed to one SCIM target (its memory between runs). */
export const idpProvisioningTargetSchema = z.object({
  baseUrl: z.string().min(1),
  token: z.string(),
  dialect: z.enum(SCIM_DIALECTS),
  users: z
    .record(
      z.string(),
      z.object({
        scimId: z.string(),
        userName: z.string(),
        email: z.string(),
        givenName: z.string().optional(),
        familyName: z.string().optional(),
        active: z.boolean(),
      }),
    )
    .default({}),
  groups: z.record(z.string(), z.object({ scimId: z.string(), displayName: z.string(), members: z.array(z.string()) })).default({}),
  lastRunAt: isoTime.optional(),
});
export type IdpProvisioningTarget = z.infer<typeof idpProvisioningTargetSchema>;

export const idpStateSchema = z.object({
  id: z.string().min(1),
  vendor: z.enum(IDP_VENDORS),
  name: z.string(),
  createdAt: isoTime,
  /** Sign in the hinted user without showing the login page. */
  autoApprove: z.boolean().default(true),
  users: z.record(z.string(), idpUserSchema).default({}),
  groups: z.record(z.string(), idpGroupSchema).default({}),
  /** Service providers registered with the SAML IdP, by entity ID. */
  samlSps: z
    .record(z.string(), z.object({ entityId: z.string(), acsUrl: z.string(), workspace: z.string().optional(), registeredAt: isoTime }))
    .default({}),
  /** Relying parties registered with the OIDC provider, by client id. */
  oidcClients: z
    .record(
      z.string(),
      z.object({
        clientId: z.string(),
        clientSecret: z.string(),
        redirectUris: z.array(z.string()),
        workspace: z.string().optional(),
        registeredAt: isoTime,
      }),
    )
    .default({}),
  /** Faults armed for the next sign-in, and per user (lower-case email). */
  faults: z.object({ next: z.string().optional(), users: z.record(z.string(), z.string()).default({}) }).default({ users: {} }),
  /** Provisioning memory by SCIM base URL. */
  provisioning: z.record(z.string(), idpProvisioningTargetSchema).default({}),
});
export type IdpState = z.infer<typeof idpStateSchema>;

export const emulatorStateSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.literal(STATE_VERSION),
  savedAt: isoTime.optional(),
  clock: z.object({ offsetMs: z.number().finite() }).default({ offsetMs: 0 }),
  dns: z.record(z.string(), z.array(z.string())).default({}),
  workspaces: z.record(z.string(), workspaceStateSchema),
  /** The built-in mock identity providers (src/idp), by id. */
  idps: z.record(z.string(), idpStateSchema).default({}),
  /** Emulator-level events (workspace null); each workspace keeps its own in `events`. */
  events: z
    .object({ seq: z.number().int().nonnegative(), items: z.array(eventRecordSchema) })
    .default({ seq: 0, items: [] }),
});
export type EmulatorState = z.infer<typeof emulatorStateSchema>;

/**
 * Validates a state document (from a data file or an import): its shape, then what the emulator
 * relies on beyond it (stateIssues); returns the issues when invalid. `nowMs` is real time.
 */
export function parseState(
  input: unknown,
  nowMs = Date.now(),
): { ok: true; state: EmulatorState } | { ok: false; issues: string[] } {
  const result = emulatorStateSchema.safeParse(input);
  if (result.success) {
    const issues = stateIssues(result.data, nowMs);
    return issues.length === 0 ? { ok: true, state: result.data } : { ok: false, issues };
  }
  return {
    ok: false,
    issues: result.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
  };
}

/**
 * Raise when a check in validate-state.ts changes what a state may hold without changing the zod
 * shape (the shape is fingerprinted on its own): a data file saved before is then checked in full.
 */
const VALIDATION_REVISION = 1;
let fingerprint: string | undefined;

/**
 * Names the state format this release writes and checks: a hash of the zod shape (with its
 * defaults) and VALIDATION_REVISION. A snapshot carries it; a snapshot with another one (another
 * release, other defaults) is checked in full.
 */
export function stateFingerprint(): string {
  fingerprint ??= createHash('sha256')
    .update(`${STATE_VERSION}:${VALIDATION_REVISION}:`)
    .update(JSON.stringify(z.toJSONSchema(emulatorStateSchema, { unrepresentable: 'any', io: 'input' })))
    .digest('hex')
    .slice(0, 32);
  return fingerprint;
}

/**
 * A state this release wrote itself, unchanged since (the snapshot's integrity mark matched, and
 * the journal records' checksums): it was checked in full when it was taken and by every change
 * since, so only what depends on the time of reading is checked again (clockIssues). Never for a
 * document from outside (an import, `PUT /_emulator/state`): those go through parseState.
 */
export function parseOwnState(
  input: Record<string, unknown>,
  nowMs = Date.now(),
): { ok: true; state: EmulatorState } | { ok: false; issues: string[] } {
  const shape = z.object({
    format: z.literal(STATE_FORMAT),
    version: z.literal(STATE_VERSION),
    clock: z.object({ offsetMs: z.number().finite() }),
    workspaces: z.record(z.string(), z.object({ clockOffsetMs: z.number().finite() }).loose()),
  }).loose();
  const top = shape.safeParse(input);
  if (!top.success) return { ok: false, issues: top.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  const issues = clockIssues(top.data, nowMs);
  return issues.length === 0 ? { ok: true, state: input as EmulatorState } : { ok: false, issues };
}
