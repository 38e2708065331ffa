// SCIM bearer tokens of a workspace (docs/rules.md §7): issued once in clear, stored as
// sha256, revocable, several at once for rotation; and the check of a SCIM request's token.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { EmulatorError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { ScimTokenRecord, WorkspaceState } from '../store/state.js';
import { rawOf } from '../store/tracked-state.js';

// lastUsedAt moves at most this often, so a sync does not rewrite the store on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

const sha256 = (token: string) => hash('sha256', token, 'hex');

/** The public view of a token: never its secret or hash. The one source of the view type and its documented schema. */
export const scimTokenViewSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().optional(),
  status: z.enum(['active', 'revoked']),
});
export type ScimTokenView = z.output<typeof scimTokenViewSchema>;

/** The one answer that shows a token's secret: the token's view and the secret. */
export const issuedScimTokenSchema = scimTokenViewSchema.extend({ token: z.string() });
export type IssuedScimTokenView = z.output<typeof issuedScimTokenSchema>;

export function tokenView(t: ScimTokenRecord): ScimTokenView {
  return {
    id: t.id,
    ...(t.name !== undefined ? { name: t.name } : {}),
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt ?? null,
    ...(t.revokedAt !== undefined ? { revokedAt: t.revokedAt } : {}),
    status: t.revokedAt !== undefined ? ('revoked' as const) : ('active' as const),
  };
}

/** Issues a token; the clear value is returned here and nowhere else. */
export function issueToken(core: EmulatorCore, ws: WorkspaceState, name: string | undefined, actor: string): { record: ScimTokenRecord; token: string } {
  const token = `scim_${randomBytes(32).toString('base64url')}`;
  const record: ScimTokenRecord = {
    id: newId('tok'),
    hash: sha256(token),
    ...(name !== undefined ? { name } : {}),
    createdAt: core.clockFor(ws.id).nowIso(),
  };
  ws.scimTokens[record.id] = record;
  core.record(ws, 'scim.token.created', actor, { tokenId: record.id, ...(name !== undefined ? { name } : {}) });
  return { record, token };
}

/** Revokes a token; revoking a revoked token changes nothing. */
export function revokeToken(core: EmulatorCore, ws: WorkspaceState, id: string, actor: string): void {
  const t = Object.hasOwn(ws.scimTokens, id) ? ws.scimTokens[id] : undefined;
  if (!t) throw notFound('scim_token_not_found', `Workspace "${ws.id}" has no SCIM token "${id}". List them with GET /w/${ws.id}/api/scim/tokens.`);
  if (t.revokedAt !== undefined) return;
  t.revokedAt = core.clockFor(ws.id).nowIso();
  core.record(ws, 'scim.token.revoked', actor, { tokenId: t.id });
}

// Each token's stored hash decoded once, not on every request; kept by the plain record (an
// import or a reset brings new records) and checked against the hash it was decoded from.
const storedDigests = new WeakMap<ScimTokenRecord, { hash: string; digest: Buffer }>();

function storedDigest(t: ScimTokenRecord): Buffer {
  let d = storedDigests.get(t);
  if (d === undefined || d.hash !== t.hash) storedDigests.set(t, (d = { hash: t.hash, digest: Buffer.from(t.hash, 'hex') }));
  return d.digest;
}

function refuse(message: string): EmulatorError {
  return new EmulatorError({ code: 'unauthorized', status: 401, message });
}

/**
 * The live token of this workspace that a bearer value names (RFC 6750 §2.1); 401 when the
 * value is missing, unknown here (another workspace's tokens included) or revoked. `bearerDigest`
 * is its SHA-256, when the caller has it.
 */
export function authenticate(core: EmulatorCore, ws: WorkspaceState, bearer: string | undefined, bearerDigest?: Buffer): ScimTokenRecord {
  // Built for a refusal only.
  const how = () => `Send "Authorization: Bearer <token>" with a token from POST /w/${ws.id}/api/scim/tokens.`;
  if (bearer === undefined) throw refuse(`SCIM requests need a bearer token. ${how()}`);
  // The caller may have the digest already (the admin-key check takes the same one).
  const digest = bearerDigest ?? hash('sha256', bearer, 'buffer');
  // Compared over the plain records (no write-tracking proxy per token); the write goes through the state.
  const tokens = rawOf(ws.scimTokens);
  let key: string | undefined;
  for (const k of Object.keys(tokens)) {
    const stored = storedDigest(tokens[k]!);
    if (stored.length === digest.length && timingSafeEqual(stored, digest)) {
      key = k;
      break;
    }
  }
  const record = key === undefined ? undefined : tokens[key];
  if (!record) throw refuse(`The bearer token is not a SCIM token of workspace "${ws.id}". ${how()}`);
  if (record.revokedAt !== undefined) throw refuse(`SCIM token "${record.id}" was revoked at ${record.revokedAt}. ${how()}`);
  const found = ws.scimTokens[key!]!;
  const now = core.clockFor(ws.id).nowMs();
  if (record.lastUsedAt === undefined || now - parsedTime(record.lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
    found.lastUsedAt = new Date(now).toISOString();
    core.changed();
  }
  return found;
}

// `Date.parse` of the last time read: a token's lastUsedAt stays the same for a minute of requests.
let lastTime = { text: '', ms: Number.NaN };

function parsedTime(text: string): number {
  if (text !== lastTime.text) lastTime = { text, ms: Date.parse(text) };
  return lastTime.ms;
}
