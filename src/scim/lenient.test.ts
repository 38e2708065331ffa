// Lenient SCIM reading (docs/rules.md §17): bare filter values quoted, nothing else touched.
import { describe, expect, it } from 'vitest';
import { bareFilterValues, canonicalScimPath, valuePathsAsAttributes } from './lenient.js';

describe('bareFilterValues', () => {
  it.each([
    ['userName sw O', ['O'], 'userName sw "O"'],
    ['meta.created gt 2015-10-10T14:38:21Z', ['2015-10-10T14:38:21Z'], 'meta.created gt "2015-10-10T14:38:21Z"'],
    ['emails[type eq work and value co x.org]', ['work', 'x.org'], 'emails[type eq "work" and value co "x.org"]'],
    ['(userName eq ada) or (title pr)', ['ada'], '(userName eq "ada") or (title pr)'],
  ])('%s', (filter, values, quoted) => {
    expect(bareFilterValues(filter)).toEqual({ values, quoted });
  });

  it.each(['userName eq "a eq b"', 'active eq true', 'x eq null', 'count gt 5', 'n lt -1.5e3', 'title pr and not (active eq false)', 'name eq "say \\"hi\\" eq x"'])(
    'leaves %s as it is',
    (filter) => {
      expect(bareFilterValues(filter)).toEqual({ values: [], quoted: filter });
    },
  );
});

describe('canonicalScimPath and value paths', () => {
  it.each([
    ['/w/d/scim/v2/users', '/w/d/scim/v2/Users'],
    ['/w/d/scim/v2/Users/', '/w/d/scim/v2/Users'],
    ['/w/d/scim/v2/GROUPS/g1/', '/w/d/scim/v2/Groups/g1'],
    ['/w/d/scim/v2/serviceConfiguration', '/w/d/scim/v2/ServiceProviderConfig'],
    ['/w/d/scim/v2/users/.SEARCH', '/w/d/scim/v2/Users/.search'],
  ])('%s → %s', (path, routed) => expect(canonicalScimPath(path)).toBe(routed));

  it('leaves RFC paths and ids alone', () => {
    expect(canonicalScimPath('/w/d/scim/v2/Users/AbC')).toBeUndefined();
    expect(canonicalScimPath('/w/d/api/users')).toBeUndefined();
    expect(valuePathsAsAttributes('emails[type eq "work"].value,userName')).toEqual({ changed: true, list: 'emails.value,userName' });
    expect(valuePathsAsAttributes('emails')).toEqual({ changed: false, list: 'emails' });
  });
});
