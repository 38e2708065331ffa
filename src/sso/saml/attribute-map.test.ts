// mapIdentity: where email and names come from, by default and with a per-connection override.

import { describe, expect, it } from 'vitest';
import { CLAIMS, OIDS, mapIdentity } from './attribute-map.js';

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

  it('reads the education federations\' OID names and FriendlyNames with an opaque NameID', () => {
    const shibboleth = {
      [OIDS.mail]: ['ada@springfield.k12.us'],
      [OIDS.givenName]: ['Ada'],
      [OIDS.sn]: ['Lovelace'],
      [OIDS.displayName]: ['Ada Lovelace'],
    };
    expect(mapIdentity('AAdzZWNyZXQx', shibboleth)).toEqual({
      email: 'ada@springfield.k12.us',
      emailSource: OIDS.mail,
      givenName: 'Ada',
      familyName: 'Lovelace',
      displayName: 'Ada Lovelace',
      emailCandidates: expect.arrayContaining(['NameID', OIDS.mail, OIDS.eduPersonPrincipalName]),
    });
    expect(mapIdentity('_transient', { mail: ['tom@x.edu'], givenName: ['Tom'], sn: ['Lee'], displayName: ['Tom Lee'] })).toMatchObject({
      email: 'tom@x.edu',
      givenName: 'Tom',
      familyName: 'Lee',
      displayName: 'Tom Lee',
    });
    expect(mapIdentity('_t', { surname: ['Lee'] }).familyName).toBe('Lee');
  });

  it('falls back to eduPersonPrincipalName for email only when it is an email address, after mail', () => {
    expect(mapIdentity('_t', { [OIDS.eduPersonPrincipalName]: ['ada@springfield.k12.us'] })).toMatchObject({
      email: 'ada@springfield.k12.us',
      emailSource: OIDS.eduPersonPrincipalName,
    });
    expect(mapIdentity('_t', { eduPersonPrincipalName: ['ada@springfield.k12.us'] }).email).toBe('ada@springfield.k12.us');
    expect(mapIdentity('_t', { [OIDS.eduPersonPrincipalName]: ['ada@idp'], [OIDS.mail]: ['ada@x.edu'] }).email).toBe('ada@x.edu');
    expect(mapIdentity('_t', { [OIDS.eduPersonPrincipalName]: ['ada@idp'] }).email).toBeUndefined();
    expect(mapIdentity('_t', { [OIDS.eduPersonPrincipalName]: ['eppn@x.edu'], [OIDS.mail]: ['mail@x.edu'] }).email).toBe('mail@x.edu');
  });
});
