// A domain's status on the emulator clock (docs/rules.md §1), apart from the view shapes of
// verification.ts: the core settles expired domains without loading zod.
import type { DomainRecord } from '../store/state.js';

/** The status as of `nowMs`: a pending domain past its window is expired; verified never changes. */
export function domainStatus(record: DomainRecord, nowMs: number): DomainRecord['status'] {
  if (record.status === 'pending' && nowMs >= Date.parse(record.expiresAt)) return 'expired';
  return record.status;
}
