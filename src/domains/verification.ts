// The rules of domain verification (docs/rules.md §1): the TXT value issued, the 7-day window on the
// emulator clock, and what a lookup must find. Pure functions over a DomainRecord.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { DomainRecord } from '../store/state.js';
import { domainStatus } from './domain-status.js';

export { domainStatus } from './domain-status.js';

export const VERIFICATION_WINDOW_MS = 7 * 86_400_000;
export const TXT_PREFIX = 'openai-domain-verification=';
const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh token: `dv-` and 24 alphanumerics from a CSPRNG. */
export function newVerificationToken(): string {
  let s = 'dv-';
  for (let i = 0; i < 24; i++) s += ALPHANUMERICS[randomInt(ALPHANUMERICS.length)];
  return s;
}

export const expectedTxtValue = (record: Pick<DomainRecord, 'token'>) => `${TXT_PREFIX}${record.token}`;

/** Whether the TXT values found at the domain include the expected one (surrounding quotes and spaces ignored). */
export function txtMatches(record: DomainRecord, found: readonly string[]): boolean {
  const expected = expectedTxtValue(record);
  return found.some((v) => v.trim().replace(/^"(.*)"$/, '$1') === expected);
}

export function newDomainRecord(domain: string, now: Date): DomainRecord {
  return {
    domain,
    status: 'pending',
    token: newVerificationToken(),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + VERIFICATION_WINDOW_MS).toISOString(),
  };
}

/** The public shape of a domain (docs/http-api.md §3): the one source of the view type, the typed client's and the OpenAPI document's. */
export const domainViewSchema = z.object({
  domain: z.string(),
  status: z.enum(['pending', 'verified', 'expired']),
  txt: z.object({ name: z.string(), type: z.literal('TXT'), value: z.string() }),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  expiredAt: z.string().optional(),
  verifiedAt: z.string().optional(),
  lastCheckedAt: z.string().optional(),
});
export type DomainView = z.output<typeof domainViewSchema>;

/** A verification that found no matching TXT value: the domain and what the lookup saw. */
export const domainVerificationSchema = domainViewSchema.extend({
  /** After a failed verification: the TXT values seen. */
  found: z.array(z.string()).optional(),
  expected: z.string().optional(),
  reason: z.enum(['lookup_failed', 'txt_not_found']).optional(),
  message: z.string().optional(),
});
export type DomainVerificationView = z.output<typeof domainVerificationSchema>;

export function domainView(record: DomainRecord, nowMs: number): DomainView {
  const status = domainStatus(record, nowMs);
  return {
    domain: record.domain,
    status,
    txt: { name: record.domain, type: 'TXT' as const, value: expectedTxtValue(record) },
    createdAt: record.createdAt,
    ...(status === 'pending' ? { expiresAt: record.expiresAt } : {}),
    ...(status === 'expired' ? { expiredAt: record.expiresAt } : {}),
    ...(record.verifiedAt ? { verifiedAt: record.verifiedAt } : {}),
    ...(record.lastCheckedAt ? { lastCheckedAt: record.lastCheckedAt } : {}),
  };
}
