import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../../errors.js';
import { compileFilter, equalityLookup, evaluateFilter } from './evaluate-filter.js';
import { parseFilter } from './parse-filter.js';
import { errorOf } from '../../../test/support/errors.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

// RFC 7643 §8.2 / §8.3, trimmed.
const bjensen = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'Bjensen-701984',
  userName: 'bjensen@example.com',
  name: { familyName: 'Jensen', givenName: 'Barbara', formatted: 'Ms. Barbara J Jensen, III' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'someaimhandle', type: 'aim' }],
  groups: [{ value: 'e9e30dba-f08f-4109-8486-d5c6a331660a', display: 'Tour Guides' }],
  meta: {
    resourceType: 'User',
    created: '2010-01-23T04:56:22Z',
    lastModified: '2011-05-13T04:42:34Z',
    version: 'W/"3694e05e9dff591"',
  },
  [ENTERPRISE]: {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
  loginCount: 42,
};

const group = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
  displayName: 'Tour Guides',
  members: [{ value: '2819c223-7f76-453a-919d-413861904646', display: 'Babs Jensen', type: 'User' }],
};

const user = (text: string) => evaluateFilter(parseFilter(text), bjensen, 'User');

describe('evaluateFilter: case rules from the schema', () => {
  it('compares userName case-insensitively (caseExact false)', () => {
    expect(user('userName eq "BJensen@Example.COM"')).toBe(true);
    expect(user('userName sw "BJEN"')).toBe(true);
    expect(user('userName ew "EXAMPLE.com"')).toBe(true);
    expect(user('userName co "JENSEN@"')).toBe(true);
    expect(user('userName ne "BJENSEN@EXAMPLE.COM"')).toBe(false);
  });

  it('compares emails.value and display names case-insensitively', () => {
    expect(user('emails.value eq "BABS@JENSEN.ORG"')).toBe(true);
    expect(user('displayName eq "babs jensen"')).toBe(true);
    expect(user('name.givenName eq "BARBARA"')).toBe(true);
  });

  it('compares id and externalId exactly (caseExact true)', () => {
    expect(user('id eq "2819c223-7f76-453a-919d-413861904646"')).toBe(true);
    expect(user('id eq "2819C223-7F76-453A-919D-413861904646"')).toBe(false);
    expect(user('externalId eq "Bjensen-701984"')).toBe(true);
    expect(user('externalId eq "bjensen-701984"')).toBe(false);
    expect(user('externalId sw "bjensen"')).toBe(false);
    expect(user('meta.version eq "w/\\"3694e05e9dff591\\""')).toBe(false);
  });

  it('orders strings case-insensitively unless caseExact', () => {
    expect(user('userName gt "A"')).toBe(true);
    expect(user('userName lt "C"')).toBe(true);
    expect(user('userName ge "BJENSEN@EXAMPLE.COM"')).toBe(true);
    expect(user('userName le "bjensen@example.com"')).toBe(true);
    // 'B' (0x42) < 'a' (0x61) when compared exactly.
    expect(user('externalId lt "a"')).toBe(true);
  });

  it('reads attribute names and URNs in any case', () => {
    expect(user('USERNAME eq "bjensen@example.com"')).toBe(true);
    expect(user('Name.GivenName eq "Barbara"')).toBe(true);
    expect(user('URN:IETF:params:scim:schemas:core:2.0:User:userName eq "bjensen@example.com"')).toBe(true);
    expect(user(`${ENTERPRISE.toUpperCase()}:EMPLOYEENUMBER eq "701984"`)).toBe(true);
  });
});

describe('evaluateFilter: typing', () => {
  it('compares booleans as booleans', () => {
    expect(user('active eq true')).toBe(true);
    expect(user('active eq false')).toBe(false);
    expect(user('active ne false')).toBe(true);
    expect(user('active eq "true"')).toBe(false);
    expect(user('emails[primary eq true].value eq "bjensen@example.com"')).toBe(true);
  });

  it('rejects ordering on a Boolean (RFC 7644 §3.4.2.2)', () => {
    const e = errorOf(() => compileFilter(parseFilter('active gt false'), 'User'));
    expect(e.scimType).toBe('invalidFilter');
    expect(e.status).toBe(400);
  });

  it('compares dateTime as instants, not strings', () => {
    expect(user('meta.lastModified gt "2011-05-13T04:42:33Z"')).toBe(true);
    expect(user('meta.lastModified eq "2011-05-13T06:42:34+02:00"')).toBe(true);
    expect(user('meta.lastModified eq "2011-05-13T04:42:34.000Z"')).toBe(true);
    // As strings "2011-05-13T05…" > "2011-05-13T04…"; as instants it is earlier.
    expect(user('meta.lastModified lt "2011-05-13T05:00:00+02:00"')).toBe(false);
    expect(user('meta.created lt "2011-01-01T00:00:00Z" and meta.created ge "2010-01-23T04:56:22Z"')).toBe(true);
    expect(user('meta.lastModified sw "2011-05"')).toBe(true);
  });

  it('rejects a dateTime literal that is not a dateTime', () => {
    const e = errorOf(() => compileFilter(parseFilter('meta.lastModified gt "yesterday"'), 'User'));
    expect(e.scimType).toBe('invalidFilter');
    expect(e.message).toContain('meta.lastModified');
  });

  it('compares numbers as numbers for attributes outside the schema', () => {
    expect(user('loginCount gt 9')).toBe(true);
    expect(user('loginCount eq 42.0')).toBe(true);
    expect(user('loginCount lt 100')).toBe(true);
    expect(user('loginCount eq "42"')).toBe(false);
  });

  it('treats null as unassigned (RFC 7643 §2.5)', () => {
    expect(user('nickName eq null')).toBe(true);
    expect(user('title eq null')).toBe(false);
    expect(user('title ne null')).toBe(true);
    expect(() => compileFilter(parseFilter('title gt null'), 'User')).toThrow(EmulatorError);
  });
});

describe('evaluateFilter: presence, multi-values and value paths', () => {
  it('matches pr only for non-empty values', () => {
    expect(user('title pr')).toBe(true);
    expect(user('nickName pr')).toBe(false);
    expect(user('emails pr')).toBe(true);
    expect(evaluateFilter(parseFilter('emails pr'), { emails: [] }, 'User')).toBe(false);
    expect(evaluateFilter(parseFilter('title pr'), { title: '' }, 'User')).toBe(false);
    expect(evaluateFilter(parseFilter('name pr'), { name: {} }, 'User')).toBe(false);
    expect(evaluateFilter(parseFilter('title pr'), { title: null }, 'User')).toBe(false);
  });

  it('matches a multi-valued attribute when any value matches', () => {
    expect(user('emails.value ew "jensen.org"')).toBe(true);
    expect(user('emails.type eq "home"')).toBe(true);
    expect(user('emails.type ne "work"')).toBe(true);
    expect(user('emails.type eq "other"')).toBe(false);
  });

  it('compares a complex multi-valued attribute through its value sub-attribute', () => {
    expect(user('emails co "example.com"')).toBe(true);
    expect(user('emails eq "babs@jensen.org"')).toBe(true);
  });

  it('requires the same element to satisfy the whole value filter', () => {
    expect(user('emails[type eq "work" and value co "example.com"]')).toBe(true);
    expect(user('emails[type eq "home" and value co "example.com"]')).toBe(false);
    expect(user('emails[type eq "work" and primary eq true]')).toBe(true);
    expect(user('emails[not (type eq "work")]')).toBe(true);
    expect(user('emails[TYPE EQ "WORK"]')).toBe(true);
  });

  it('evaluates valuePath.subAttr on the matched element (Entra)', () => {
    expect(user('emails[type eq "work"].value eq "BJENSEN@example.com"')).toBe(true);
    expect(user('emails[type eq "work"].value eq "babs@jensen.org"')).toBe(false);
    expect(user('emails[type eq "home"].value pr')).toBe(true);
    expect(user('emails[type eq "other"].value pr')).toBe(false);
  });

  it('evaluates enterprise attributes with or without the URN', () => {
    expect(user(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`)).toBe(true);
    expect(user('manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"')).toBe(true);
    expect(user(`${ENTERPRISE}:department eq "tour operations"`)).toBe(true);
    expect(user(`${ENTERPRISE}:manager pr`)).toBe(true);
  });

  it('combines not/and/or', () => {
    expect(user('not (userName eq "x") and (title pr or nickName pr)')).toBe(true);
    expect(user('userName eq "x" or title eq "tour guide" and active eq true')).toBe(true);
    expect(user('(userName eq "x" or title eq "tour guide") and active eq false')).toBe(false);
    expect(user('not (not (active eq true))')).toBe(true);
  });

  it('evaluates Group filters', () => {
    const g = (text: string) => evaluateFilter(parseFilter(text), group, 'Group');
    expect(g('displayName eq "tour guides"')).toBe(true);
    expect(g('members[value eq "2819c223-7f76-453a-919d-413861904646"]')).toBe(true);
    expect(g('members.value eq "2819C223-7F76-453A-919D-413861904646"')).toBe(true);
    expect(g('members.display co "babs"')).toBe(true);
    expect(g('id eq "E9E30DBA-F08F-4109-8486-D5C6A331660A"')).toBe(false);
  });

  it('reads unknown attributes case-insensitively and matches nothing when absent', () => {
    expect(user('nosuchattribute eq "x"')).toBe(false);
    expect(user('nosuchattribute ne "x"')).toBe(false);
    expect(user('LOGINCOUNT pr')).toBe(true);
  });
});

describe('equalityLookup', () => {
  it('recognises indexable equality filters', () => {
    expect(equalityLookup(parseFilter('userName eq "Ada@Example.edu"'), 'User')).toEqual({
      attribute: 'userName',
      value: 'Ada@Example.edu',
      caseExact: false,
    });
    expect(equalityLookup(parseFilter('USERNAME EQ "a"'), 'User')?.attribute).toBe('userName');
    expect(equalityLookup(parseFilter('externalId eq "X1"'), 'User')).toEqual({ attribute: 'externalId', value: 'X1', caseExact: true });
    expect(equalityLookup(parseFilter('id eq "abc"'), 'Group')).toEqual({ attribute: 'id', value: 'abc', caseExact: true });
    expect(equalityLookup(parseFilter('displayName eq "Teachers"'), 'Group')).toEqual({
      attribute: 'displayName',
      value: 'Teachers',
      caseExact: false,
    });
    expect(equalityLookup(parseFilter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"'), 'User')?.attribute).toBe('userName');
  });

  it('returns null for everything else', () => {
    for (const text of [
      'userName ne "a"',
      'userName eq "a" and active eq true',
      'userName co "a"',
      'title eq "a"',
      'emails.value eq "a"',
      'userName eq null',
      'userName eq 1',
      'emails[value eq "a"]',
      'not (userName eq "a")',
    ]) {
      expect(equalityLookup(parseFilter(text), 'User'), text).toBeNull();
    }
    expect(equalityLookup(parseFilter('userName eq "a"'), 'Group')).toBeNull();
  });
});
