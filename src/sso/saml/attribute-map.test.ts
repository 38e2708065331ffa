// mapIdentity: where email and names come from, by default and with a per-connection override.

import { describe, expect, it } from 'vitest';
import { CLAIMS, mapIdentity } from './attribute-map.js';

describe('mapIdentity', () => {
  it('prefers an email-shaped NameID, then the default attributes, matching names without case', () => {
    expect(mapIdentity('ada@x.edu', { email: ['other@x.edu'] }).email).toBe('ada@x.edu');
    expect(mapIdentity('00u123', { [CLAIMS.emailaddress]: ['ada@x.edu'] })).toMatchObject({ email: 'ada@x.edu', emailSource: CLAIMS.emailaddress });
    expect(mapIdentity('ada', { Email: ['ada@x.edu'], FirstName: ['Ada'], LastName: ['L'] })).toMatchObject({
      email: 'ada@x.edu',
      givenName: 'Ada',
      familyName: 'L',
    });
    expect(mapIdentity('00u123', { email: ['not an email'] }).email).toBeUndefined();
  });

  it('uses only the override attributes for a field when the connection sets them', () => {
    const attributes = { mail: ['ada@x.edu'], upn: ['ada@x.onmicrosoft.com'] };
    expect(mapIdentity('ada@x.onmicrosoft.com', attributes, { email: 'mail' }).email).toBe('ada@x.edu');
    expect(mapIdentity('ada@x.edu', attributes, { email: ['missing'] }).email).toBeUndefined();
  });
});
