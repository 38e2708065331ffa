import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../errors.js';
import { normalizeDomainName, normalizeZoneName } from './domain-name.js';

describe('normalizeDomainName', () => {
  it.each([
    ['Springfield.K12.US', 'springfield.k12.us'],
    ['springfield.k12.us.', 'springfield.k12.us'],
    ['  schools.example.org ', 'schools.example.org'],
    ['mail.springfield.k12.us', 'mail.springfield.k12.us'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['a-b.example', 'a-b.example'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
  ])('accepts %j as %j', (input, out) => expect(normalizeDomainName(input)).toBe(out));

  it.each([
    ['', /empty/],
    ['localhost', /single label/],
    ['192.168.1.10', /IP addresses/],
    ['::1', /IP addresses/],
    ['[::1]', /IP addresses/],
    ['https://example.com', /no spaces, scheme/],
    ['ada@example.com', /no spaces, scheme/],
    ['exa mple.com', /no spaces/],
    ['example..com', /empty label/],
    ['-bad.example', /inner hyphens/],
    ['bad-.example', /inner hyphens/],
    ['under_score.example', /inner hyphens/],
    [`${'a'.repeat(64)}.example`, /limit is 63/],
    [`${'abcdefghi.'.repeat(26)}com`, /limit is 253/],
    ['example.123', /all digits/],
  ])('refuses %j', (input, why) => {
    try {
      normalizeDomainName(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EmulatorError);
      expect((e as EmulatorError).code).toBe('invalid_domain');
      expect((e as EmulatorError).status).toBe(400);
      expect((e as EmulatorError).message).toMatch(why);
    }
  });

  it('refuses non-strings', () => {
    expect(() => normalizeDomainName(42)).toThrow(/must be a string/);
  });
});

describe('normalizeZoneName', () => {
  it('allows underscore labels and lower-cases', () => {
    expect(normalizeZoneName('_DMARC.Example.COM.')).toBe('_dmarc.example.com');
  });
  it.each(['', 'a..b', 'bad name.com', '__proto__'])('refuses %j', (n) => {
    expect(() => normalizeZoneName(n)).toThrow(/not a DNS name/);
  });
});
