import { describe, expect, it } from 'vitest';
import { domainStatus, expectedTxtValue, newDomainRecord, newVerificationToken, txtMatches, VERIFICATION_WINDOW_MS } from './verification.js';

describe('domain verification rules', () => {
  it('issues dv- tokens of 24 alphanumerics, each different', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newVerificationToken()));
    expect(tokens.size).toBe(200);
    for (const t of tokens) expect(t).toMatch(/^dv-[A-Za-z0-9]{24}$/);
  });

  it('expects the openai-domain-verification TXT value at the domain itself', () => {
    const r = newDomainRecord('springfield.k12.us', new Date('2026-01-01T00:00:00Z'));
    expect(expectedTxtValue(r)).toBe(`openai-domain-verification=${r.token}`);
    expect(txtMatches(r, ['v=spf1 -all', `openai-domain-verification=${r.token}`])).toBe(true);
    expect(txtMatches(r, [`"openai-domain-verification=${r.token}"`])).toBe(true);
    expect(txtMatches(r, [`openai-domain-verification=${r.token.toLowerCase()}x`])).toBe(false);
    expect(txtMatches(r, [])).toBe(false);
  });

  it('expires a pending domain exactly 7 days after it was added; verified never expires', () => {
    const created = Date.parse('2026-01-01T00:00:00Z');
    const r = newDomainRecord('springfield.k12.us', new Date(created));
    expect(domainStatus(r, created + VERIFICATION_WINDOW_MS - 1)).toBe('pending');
    expect(domainStatus(r, created + VERIFICATION_WINDOW_MS)).toBe('expired');
    const verified = { ...r, status: 'verified' as const };
    expect(domainStatus(verified, created + 365 * 86_400_000)).toBe('verified');
  });
});
