// Issue 15 finding 4: PATCH cost grew quadratically with the number of `add emails` operations
// (each operation re-scanned every value added before). The work is counted, not timed: the
// engine's deep comparisons go through Object.keys, so its calls measure the work done.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyPatch } from '../../src/scim/patch/apply-patch.js';
import { MAX_PATCH_OPERATIONS } from '../../src/scim/limits.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const resource = () => ({ schemas: [USER], id: 'u1', userName: 'ada@springfield.k12.us' });
const addEmails = (n: number, primaryEvery = 0) => ({
  schemas: [PATCH_OP],
  Operations: Array.from({ length: n }, (_, i) => ({
    op: 'add',
    path: 'emails',
    value: [{ value: `ada.${i}@springfield.k12.us`, type: 'other', ...(primaryEvery && i % primaryEvery === 0 ? { primary: true } : {}) }],
  })),
});

/** Object.keys calls made while applying `body`. */
function work(body: unknown): number {
  const spy = vi.spyOn(Object, 'keys');
  try {
    applyPatch(resource(), body, 'User');
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('PATCH engine cost', () => {
  it('grows linearly with the number of add operations (twice the operations, about twice the work)', () => {
    const small = work(addEmails(45));
    const large = work(addEmails(90));
    expect(large / small).toBeLessThan(2.6);
  });

  it('stays linear when every other added value is primary (no re-scan to clear the old primary)', () => {
    const small = work(addEmails(45, 2));
    const large = work(addEmails(90, 2));
    expect(large / small).toBeLessThan(2.6);
    const out = applyPatch(resource(), addEmails(90, 2), 'User').resource.emails as Array<{ primary?: boolean }>;
    expect(out).toHaveLength(90);
    expect(out.filter((e) => e.primary === true)).toHaveLength(1);
  });

  it(`refuses the 8,000-operation PATCH that held the event loop for seconds (limit ${MAX_PATCH_OPERATIONS})`, () => {
    expect(() => applyPatch(resource(), addEmails(8000), 'User')).toThrow(/at most 1000/);
  });
});
