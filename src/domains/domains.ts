// Domain verification in a workspace (docs/rules.md §1): add, list, get, verify, delete. A verified domain
// is never re-checked and never expires; a domain verified by one workspace cannot be claimed by another.
import type { EmulatorCore } from '../emulator.js';
import { conflict, notFound } from '../errors.js';
import type { DomainRecord, WorkspaceState } from '../store/state.js';
import { domainKey, normalizeDomainName } from './domain-name.js';
import { domainStatus, domainView, expectedTxtValue, newDomainRecord, txtMatches, type DomainVerificationView } from './verification.js';

/**
 * The workspace that owns a verified domain as seen from `ws`: among non-isolated workspaces the
 * domain index; an isolated workspace (test-only mode, docs/testing.md) sees only its own records.
 */
function ownerSeenBy(core: EmulatorCore, ws: WorkspaceState, name: string): string | undefined {
  if (ws.isolated === true) return undefined;
  return core.domainOwners.get(name);
}

function claimedError(domain: string) {
  return conflict(
    'domain_claimed',
    `${domain} is already verified by another workspace; a domain belongs to at most one workspace. Ask that workspace's admin to remove it.`,
    { domain },
  );
}

/** Settles a pending domain whose window has passed (records `domain.expired` once). */
function settle(core: EmulatorCore, ws: WorkspaceState, record: DomainRecord): DomainRecord {
  if (record.status === 'pending' && domainStatus(record, core.clockFor(ws.id).nowMs()) === 'expired') {
    record.status = 'expired';
    core.record(ws, 'domain.expired', 'system', { domain: record.domain, expiredAt: record.expiresAt });
  }
  return record;
}

function requireDomain(core: EmulatorCore, ws: WorkspaceState, input: string): DomainRecord {
  const name = normalizeDomainName(input);
  const record = Object.hasOwn(ws.domains, name) ? ws.domains[name] : undefined;
  if (!record) {
    throw notFound('domain_not_found', `Workspace "${ws.id}" has no domain ${name}. Add it first with POST /w/${ws.id}/api/domains.`);
  }
  return settle(core, ws, record);
}

export function listDomains(core: EmulatorCore, ws: WorkspaceState) {
  const now = core.clockFor(ws.id).nowMs();
  return Object.values(ws.domains)
    .map((d) => domainView(settle(core, ws, d), now))
    .sort((a, b) => a.domain.localeCompare(b.domain));
}

export function getDomain(core: EmulatorCore, ws: WorkspaceState, input: string) {
  return domainView(requireDomain(core, ws, input), core.clockFor(ws.id).nowMs());
}

/** Adds a domain (or restarts an expired one with a new TXT value). */
export function addDomain(core: EmulatorCore, ws: WorkspaceState, input: unknown, actor: string) {
  const name = normalizeDomainName(input);
  const owner = ownerSeenBy(core, ws, name);
  if (owner !== undefined && owner !== ws.id) throw claimedError(name);
  const existing = Object.hasOwn(ws.domains, name) ? settle(core, ws, ws.domains[name]!) : undefined;
  if (existing && existing.status !== 'expired') {
    throw conflict(
      'domain_exists',
      `${name} is already in this workspace (status ${existing.status}). Verify it with POST /w/${ws.id}/api/domains/${name}/verify.`,
      { domain: name, status: existing.status },
    );
  }
  const clock = core.clockFor(ws.id);
  const record = newDomainRecord(name, clock.now());
  ws.domains[name] = record;
  core.record(ws, existing ? 'domain.restarted' : 'domain.added', actor, { domain: name, txt: expectedTxtValue(record) });
  return domainView(record, clock.nowMs());
}

/** Looks the TXT record up and verifies the domain when it holds the expected value. */
export async function verifyDomain(core: EmulatorCore, ws: WorkspaceState, input: string, actor: string): Promise<DomainVerificationView> {
  const record = requireDomain(core, ws, input);
  const name = record.domain;
  const clock = core.clockFor(ws.id);
  if (record.status === 'verified') return domainView(record, clock.nowMs());
  if (record.status === 'expired') {
    throw conflict(
      'domain_expired',
      `${name} was not verified within 7 days and has expired. Add it again (POST /w/${ws.id}/api/domains) to get a new TXT value.`,
      { domain: name },
    );
  }
  const owner = ownerSeenBy(core, ws, name);
  if (owner !== undefined && owner !== ws.id) throw claimedError(name);

  const lookup = await core.resolver.resolveTxt(name);

  // The lookup awaited: the domain may have changed meanwhile; act on what is there now.
  const current = Object.hasOwn(ws.domains, name) ? ws.domains[name] : undefined;
  if (current !== record || core.workspace(ws.id) !== ws) {
    throw conflict('domain_changed', `${name} was changed while it was being verified; try again.`);
  }
  settle(core, ws, record);
  if (record.status !== 'pending') return verifyDomain(core, ws, name, actor);
  const ownerNow = ownerSeenBy(core, ws, name);
  if (ownerNow !== undefined && ownerNow !== ws.id) throw claimedError(name);

  const expected = expectedTxtValue(record);
  record.lastCheckedAt = clock.nowIso();
  if (!lookup.ok) {
    core.record(ws, 'domain.verification_failed', actor, { domain: name, reason: 'lookup_failed', error: lookup.error });
    return {
      ...domainView(record, clock.nowMs()),
      found: [],
      expected,
      reason: 'lookup_failed',
      message: `The TXT lookup failed: ${lookup.error}. Nothing changed; try again when the DNS server answers.`,
    };
  }
  if (!txtMatches(record, lookup.records)) {
    core.record(ws, 'domain.verification_failed', actor, { domain: name, reason: 'txt_not_found', found: lookup.records });
    return {
      ...domainView(record, clock.nowMs()),
      found: lookup.records,
      expected,
      reason: 'txt_not_found',
      message:
        lookup.records.length === 0
          ? `No TXT record found at ${name} (looked up in ${core.resolver.description}). Publish a TXT record at ${name} with the value ${expected}.`
          : `The TXT records at ${name} do not include the expected value. Found ${JSON.stringify(lookup.records)}; expected ${expected}.`,
    };
  }
  record.status = 'verified';
  record.verifiedAt = clock.nowIso();
  if (ws.isolated !== true) core.domainOwners.set(name, ws.id);
  core.record(ws, 'domain.verified', actor, { domain: name });
  return domainView(record, clock.nowMs());
}

export function deleteDomain(core: EmulatorCore, ws: WorkspaceState, input: string, actor: string): void {
  const record = requireDomain(core, ws, input);
  delete ws.domains[record.domain];
  if (core.domainOwners.get(record.domain) === ws.id) core.domainOwners.delete(record.domain);
  core.record(ws, 'domain.removed', actor, { domain: record.domain, status: record.status });
}

/** Whether a workspace has verified the domain of an email address (used by sign-in policy). */
export function isVerifiedDomainOf(core: EmulatorCore, ws: WorkspaceState, email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 0) return false;
  const domain = domainKey(email.slice(at + 1));
  if (ws.isolated === true) return Object.hasOwn(ws.domains, domain) && ws.domains[domain]!.status === 'verified';
  return core.domainOwners.get(domain) === ws.id;
}

