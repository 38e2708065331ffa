// Why the emulator has its own filter engine: scim2-parse-filter answers these RFC cases wrongly.
// Each case pins the oracle's wrong answer beside ours, so a fixed oracle shows up here.

import { filter as oracleFilter, parse as oracleParse } from 'scim2-parse-filter';
import { describe, expect, it } from 'vitest';
import { evaluateFilter } from './evaluate-filter.js';
import { parseFilter } from './parse-filter.js';

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '2819c223',
  userName: 'Ada.Lovelace@Example.edu',
  title: '',
  emails: [
    { value: 'ada@example.edu', type: 'work', primary: false },
    { value: 'ada@home.example', type: 'home', primary: true },
  ],
  meta: { lastModified: '2024-03-15T12:30:00+02:00' },
};

function both(text: string): { ours: boolean; oracle: boolean } {
  return {
    ours: evaluateFilter(parseFilter(text), user, 'User'),
    oracle: oracleFilter(oracleParse(text))(user),
  };
}

describe('scim2-parse-filter departures from RFC 7644 that our engine gets right', () => {
  it('userName is caseExact false (RFC 7643 §4.1.1): the oracle compares it case-sensitively', () => {
    expect(both('userName eq "ada.lovelace@example.edu"')).toEqual({ ours: true, oracle: false });
    expect(both('userName sw "ADA."')).toEqual({ ours: true, oracle: false });
  });

  it('emails.value is caseExact false: the oracle compares it case-sensitively', () => {
    expect(both('emails.value eq "ADA@EXAMPLE.EDU"')).toEqual({ ours: true, oracle: false });
  });

  it('a value filter must hold for one element (RFC 7644 §3.4.2.2): the oracle mixes elements', () => {
    // No email is both work and primary; the oracle finds "work" in one and "primary" in another.
    expect(both('emails[type eq "work" and primary eq true]')).toEqual({ ours: false, oracle: true });
  });

  it('valuePath.subAttr tests the selected element: the oracle tests any element', () => {
    // The work email is not ada@home.example; the oracle finds it among all emails.
    expect(both('emails[type eq "work"].value eq "ada@home.example"')).toEqual({ ours: false, oracle: true });
  });

  it('eq null matches an unassigned attribute (RFC 7643 §2.5): the oracle never matches it', () => {
    expect(both('nickName eq null')).toEqual({ ours: true, oracle: false });
  });

  it('pr needs a non-empty value (RFC 7644 §3.4.2.2): the oracle accepts an empty string', () => {
    expect(both('title pr')).toEqual({ ours: false, oracle: true });
  });

  it('the core schema URN may prefix a core attribute (RFC 7644 §3.10): the oracle finds nothing', () => {
    expect(both('urn:ietf:params:scim:schemas:core:2.0:User:userName pr')).toEqual({ ours: true, oracle: false });
  });

  it('dateTime compares as instants (RFC 7643 §2.3.5): the oracle compares strings', () => {
    // 12:30+02:00 is 10:30Z, before 11:00Z.
    expect(both('meta.lastModified lt "2024-03-15T11:00:00Z"')).toEqual({ ours: true, oracle: false });
  });
});
