// The mock IdP's part of the SAML warm-up is a real sign-in: every vendor shape's response passes
// every check of the SP, so the warm-up never fails quietly.
import { describe, expect, it } from 'vitest';
import { warmUpMockIdpSaml } from './warm-up.js';

describe('warmUpMockIdpSaml', () => {
  it('signs in once through every vendor shape, each response accepted by the SP', async () => {
    await expect(warmUpMockIdpSaml()).resolves.toBeUndefined();
  });
});
