// Pins how a sign-in's fault is chosen: request over armed-next over per-user, `none` as an
// explicit no-fault, and armed faults of the other protocol left waiting.
import { describe, expect, it } from 'vitest';
import { createIdpState } from './directory.js';
import { checkFaultName, chooseFault, faultFor } from './faults.js';

const idp = () => createIdpState({ id: 'd', vendor: 'generic' }, new Date());

describe('chooseFault', () => {
  it('takes the request first, then the armed next fault (once), then the user', () => {
    const i = idp();
    i.faults = { next: 'expired', users: { 'ada@x.example': 'wrong_issuer' } };
    expect(chooseFault(i, 'saml', 'ada@x.example', 'unsigned')).toEqual({ fault: 'unsigned', source: 'request' });
    expect(i.faults.next).toBe('expired');
    expect(chooseFault(i, 'saml', 'Ada@x.example')).toEqual({ fault: 'expired', source: 'next' });
    expect(chooseFault(i, 'saml', 'Ada@x.example')).toEqual({ fault: 'wrong_issuer', source: 'user' });
    expect(chooseFault(i, 'saml', 'ada@x.example', 'none')).toEqual({ fault: undefined });
  });

  it('leaves an armed fault of the other protocol for later', () => {
    const i = idp();
    i.faults.next = 'nonce_mismatch';
    expect(chooseFault(i, 'saml', 'a@x.example')).toEqual({ fault: undefined });
    expect(chooseFault(i, 'oidc', 'a@x.example')).toEqual({ fault: 'nonce_mismatch', source: 'next' });
  });

  it('knows the names of both protocols and the alias unsigned', () => {
    expect(faultFor('oidc', 'unsigned')).toBe('alg_none');
    expect(faultFor('saml', 'alg_none')).toBeNull();
    expect(checkFaultName('replay')).toBe('replay');
    expect(() => checkFaultName('gremlins')).toThrow(/not a fault/);
  });
});
