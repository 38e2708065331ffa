// The high-entropy bar of the secret check: tokens and signatures are caught, GUIDs, emails,
// URNs and variable references are not.
import { describe, expect, it } from 'vitest';
import { highEntropyRun } from './render.js';

describe('highEntropyRun', () => {
  it('finds base64 and base64url secrets inside longer text', () => {
    expect(highEntropyRun('Bearer aK9fQ2xLmP7vR4tW8zYb3N')).toBe('aK9fQ2xLmP7vR4tW8zYb3N');
    expect(highEntropyRun('sig=MEUCIQDx7Gk2pZ9vQ1Lw8RtY3sJd+Hf0bN6cVaE4uK5mT2oP==&x')).toBeDefined();
  });

  it('lets readable and structured values through', () => {
    for (const s of [
      '7f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      '7F0C1A2B-3C4D-4E5F-8A9B-0C1D2E3F4A5B',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'tom.lee.springfield-district@springfield.k12.us',
      '/scim/v2/Users/${scimUser12}',
      'recorded-password-3',
      'application/scim+json',
    ]) {
      expect(highEntropyRun(s), s).toBeUndefined();
    }
  });
});
