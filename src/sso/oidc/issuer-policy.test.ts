// Pins which issuers may use plain http: loopback hosts only.
import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../../errors.js';
import { isLoopbackHost, parseIssuer } from './issuer-policy.js';

const code = (issuer: string) => {
  try {
    parseIssuer(issuer);
    return 'accepted';
  } catch (err) {
    return (err as EmulatorError).code;
  }
};

describe('issuer policy', () => {
  it('recognises loopback hosts', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.8.9.10', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['localhost.example.com', '127.0.0.1.nip.io', '10.0.0.1', '[::2]', 'example.com']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it.each([
    ['https://login.example.com/tenant/v2.0', 'accepted'],
    ['http://127.0.0.1:4000/idp/district', 'accepted'],
    ['http://127.1:4000', 'accepted'],
    ['http://[::1]:4000', 'accepted'],
    ['http://localhost:4000', 'accepted'],
    ['http://idp.springfield.k12.us', 'oidc_insecure_issuer'],
    ['http://localhost.springfield.k12.us', 'oidc_insecure_issuer'],
    ['http://192.168.1.10', 'oidc_insecure_issuer'],
    ['ftp://idp.example.com', 'oidc_insecure_issuer'],
    ['https://idp.example.com/?tenant=1', 'oidc_invalid_issuer'],
    ['idp.example.com', 'oidc_invalid_issuer'],
  ])('%s → %s', (issuer, expected) => {
    expect(code(issuer)).toBe(expected);
  });
});
