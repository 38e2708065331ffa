// What a state document must satisfy beyond its zod shape before the emulator takes it (an import
// or a data file): clocks inside the window, the nested records other modules own, keys that match
// ids, references that resolve and unique keys that are unique. An accepted state never fails later.
import { z } from 'zod';
import { CLOCK_MAX_MS, CLOCK_MIN_MS, clockInRange, describeClockReading } from '../clock.js';

// The parts of EmulatorState (state.ts) read here, spelled out so that state.ts can call this file
// without an import cycle.
interface WorkspaceShape {
  id: string;
  clockOffsetMs: number;
  isolated?: boolean | undefined;
  domains: Record<string, { domain: string; status: string }>;
  members: Record<string, { id: string; email: string; scim?: Record<string, unknown> | undefined }>;
  groups: Record<string, { id: string; members: string[] }>;
  scimTokens: Record<string, { id: string }>;
  roles: { custom: Record<string, { id: string; groupIds: string[] }> };
  sso: { connection: Record<string, unknown> | null };
  directory?: { managed: { users: Record<string, string> }; syncs: { id: string }[] };
  conformance: { seq: number; findings: Record<string, { seq: number }> };
}
interface StateShape {
  clock: { offsetMs: number };
  workspaces: Record<string, WorkspaceShape>;
  idps: Record<string, { id: string; users: Record<string, { id: string; email: string }>; groups: Record<string, { id: string; members: string[] }> }>;
}

/** The most issues reported at once (the rest are summed up). */
const MAX_ISSUES = 20;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');

/** The directory record of a SCIM member (src/scim/users.ts ScimUserRecord), as it is saved. */
const scimUserRecordSchema = z.object({
  userName: z.string().min(1),
  externalId: z.string().optional(),
  deleted: z.boolean().optional(),
  version: z.number().int().nonnegative(),
  created: isoTime,
  lastModified: isoTime,
  attributes: z.record(z.string(), z.unknown()).refine((a) => typeof a.userName === 'string' && a.userName !== '', 'must hold the userName'),
});

const clockSkewSeconds = z.number().int().min(0).max(600);
/** The SSO connection (src/sso/connection.ts SsoConnection), as it is saved after validation. */
const ssoConnectionSchema = z.discriminatedUnion('protocol', [
  z.object({
    protocol: z.literal('saml'),
    idp: z.object({
      entityId: z.string().min(1),
      ssoUrl: z.url(),
      certificates: z.array(z.string().regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, 'must be a PEM certificate')).min(1).max(4),
    }),
    allowIdpInitiated: z.boolean(),
    requireSignedAssertion: z.boolean(),
    clockSkewSeconds,
    attributeMap: z.object({ email: z.string().min(1).optional(), givenName: z.string().min(1).optional(), familyName: z.string().min(1).optional() }).optional(),
    mockIdp: z.string().min(1).optional(),
  }),
  z.object({
    protocol: z.literal('oidc'),
    issuer: z.url(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post']),
    clockSkewSeconds,
    mockIdp: z.string().min(1).optional(),
  }),
]);

const zodIssues = (prefix: string, error: z.ZodError) =>
  error.issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`);

/**
 * The semantic problems of a state that passed its zod schema, as `path: problem` lines (empty when
 * it is usable). `nowMs` is real time, against which the saved clock offsets are read.
 */
export function stateIssues(state: StateShape, nowMs = Date.now()): string[] {
  const issues = clockIssues(state, nowMs);
  const verifiedBy = new Map<string, string>();
  for (const [key, ws] of Object.entries(state.workspaces)) {
    const at = `workspaces.${key}`;
    if (ws.id !== key) issues.push(`${at}.id: must equal its key "${key}", got "${ws.id}"`);
    for (const [domainKey, d] of Object.entries(ws.domains)) {
      if (d.domain !== domainKey) issues.push(`${at}.domains.${domainKey}.domain: must equal its key, got "${d.domain}"`);
      // An isolated workspace claims nothing from others (its keys in `domains` are unique already).
      if (d.status !== 'verified' || ws.isolated === true) continue;
      const owner = verifiedBy.get(d.domain);
      if (owner !== undefined) issues.push(`${at}.domains.${domainKey}: already verified by workspace "${owner}" (a domain belongs to one workspace)`);
      else verifiedBy.set(d.domain, key);
    }
    workspaceIssues(at, ws, issues);
    if (issues.length > MAX_ISSUES) break;
  }
  for (const [key, idp] of Object.entries(state.idps)) {
    const at = `idps.${key}`;
    if (idp.id !== key) issues.push(`${at}.id: must equal its key "${key}", got "${idp.id}"`);
    const emails = new Map<string, string>();
    for (const [userKey, u] of Object.entries(idp.users)) {
      if (u.id !== userKey) issues.push(`${at}.users.${userKey}.id: must equal its key, got "${u.id}"`);
      const email = u.email.toLowerCase();
      if (emails.has(email)) issues.push(`${at}.users.${userKey}.email: "${u.email}" is also the email of user "${emails.get(email)}"`);
      else emails.set(email, userKey);
    }
    for (const [groupKey, g] of Object.entries(idp.groups)) {
      if (g.id !== groupKey) issues.push(`${at}.groups.${groupKey}.id: must equal its key, got "${g.id}"`);
      g.members.forEach((m, i) => {
        if (!Object.hasOwn(idp.users, m)) issues.push(`${at}.groups.${groupKey}.members.${i}: no user "${m}" in this IdP`);
      });
    }
    if (issues.length > MAX_ISSUES) break;
  }
  return issues.length > MAX_ISSUES ? [...issues.slice(0, MAX_ISSUES), `and ${issues.length - MAX_ISSUES} more`] : issues;
}

/**
 * The checks that depend on when the state is read rather than on what it holds: the saved clock
 * offsets against real time `nowMs`. A state this release saved itself is checked with these
 * only (src/store/durable-store.ts, the snapshot's integrity mark); everything else was checked
 * when it was taken.
 */
export function clockIssues(state: { clock: { offsetMs: number }; workspaces: Record<string, { clockOffsetMs: number }> }, nowMs = Date.now()): string[] {
  const issues: string[] = [];
  const window = `${new Date(CLOCK_MIN_MS).toISOString()} to ${new Date(CLOCK_MAX_MS).toISOString()}`;
  const globalNow = nowMs + state.clock.offsetMs;
  if (!clockInRange(globalNow)) {
    issues.push(`clock.offsetMs: puts the emulator clock at ${describeClockReading(globalNow)}, outside ${window}`);
  }
  for (const [key, ws] of Object.entries(state.workspaces)) {
    const wsNow = globalNow + ws.clockOffsetMs;
    if (!clockInRange(wsNow)) issues.push(`workspaces.${key}.clockOffsetMs: puts the workspace clock at ${describeClockReading(wsNow)}, outside ${window}`);
  }
  return issues;
}

function workspaceIssues(at: string, ws: WorkspaceShape, issues: string[]): void {
  // Conformance findings: keyed f<seq>, none ahead of the counter (src/conformance/findings.ts).
  for (const [key, f] of Object.entries(ws.conformance.findings)) {
    if (key !== `f${f.seq}`) issues.push(`${at}.conformance.findings.${key}: must be keyed "f${f.seq}" by its seq`);
    else if (f.seq > ws.conformance.seq) issues.push(`${at}.conformance.findings.${key}.seq: ${f.seq} is ahead of conformance.seq ${ws.conformance.seq}`);
  }
  const emails = new Map<string, string>();
  const userNames = new Map<string, string>();
  for (const [key, m] of Object.entries(ws.members)) {
    if (m.id !== key) issues.push(`${at}.members.${key}.id: must equal its key, got "${m.id}"`);
    const email = m.email.toLowerCase();
    if (emails.has(email)) issues.push(`${at}.members.${key}.email: "${m.email}" is also the email of member "${emails.get(email)}"`);
    else emails.set(email, key);
    if (m.scim === undefined) continue;
    const record = scimUserRecordSchema.safeParse(m.scim);
    if (!record.success) {
      issues.push(...zodIssues(`${at}.members.${key}.scim`, record.error));
      continue;
    }
    if (record.data.deleted === true) continue;
    const userName = record.data.userName.toLowerCase();
    if (userNames.has(userName)) issues.push(`${at}.members.${key}.scim.userName: "${record.data.userName}" is also the userName of member "${userNames.get(userName)}"`);
    else userNames.set(userName, key);
  }
  for (const [key, g] of Object.entries(ws.groups)) {
    if (g.id !== key) issues.push(`${at}.groups.${key}.id: must equal its key, got "${g.id}"`);
    g.members.forEach((m, i) => {
      if (!Object.hasOwn(ws.members, m)) issues.push(`${at}.groups.${key}.members.${i}: no member "${m}" in this workspace`);
    });
  }
  for (const [key, t] of Object.entries(ws.scimTokens)) {
    if (t.id !== key) issues.push(`${at}.scimTokens.${key}.id: must equal its key, got "${t.id}"`);
  }
  for (const [key, r] of Object.entries(ws.roles.custom)) {
    if (r.id !== key) issues.push(`${at}.roles.custom.${key}.id: must equal its key, got "${r.id}"`);
    r.groupIds.forEach((g, i) => {
      if (!Object.hasOwn(ws.groups, g)) issues.push(`${at}.roles.custom.${key}.groupIds.${i}: no group "${g}" in this workspace`);
    });
  }
  if (ws.sso.connection !== null) {
    const connection = ssoConnectionSchema.safeParse(ws.sso.connection);
    if (!connection.success) issues.push(...zodIssues(`${at}.sso.connection`, connection.error));
  }
  if (ws.directory) directoryIssues(`${at}.directory`, ws, ws.directory, issues);
}

// Directory sync (src/directory): what a sync manages names members of this workspace; sync ids are unique.
function directoryIssues(at: string, ws: WorkspaceShape, directory: NonNullable<WorkspaceShape['directory']>, issues: string[]): void {
  const owners = new Map<string, string>();
  for (const [key, memberId] of Object.entries(directory.managed.users)) {
    if (!Object.hasOwn(ws.members, memberId)) issues.push(`${at}.managed.users.${key}: no member "${memberId}" in this workspace`);
    else if (owners.has(memberId)) issues.push(`${at}.managed.users.${key}: member "${memberId}" is also managed as "${owners.get(memberId)}"`);
    else owners.set(memberId, key);
  }
  const ids = new Set<string>();
  directory.syncs.forEach((s, i) => {
    if (ids.has(s.id)) issues.push(`${at}.syncs.${i}.id: "${s.id}" is the id of another sync`);
    ids.add(s.id);
  });
}
