import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../../errors.js';
import { sortComparator } from './sort.js';

const users = [
  { id: 'B', userName: 'bob', name: { familyName: 'Young' }, emails: [{ value: 'z@x', primary: false }, { value: 'b@x', primary: true }], meta: { created: '2024-01-01T10:00:00+02:00' } },
  { id: 'a', userName: 'Alice', name: { familyName: 'adams' }, emails: [{ value: 'a@x' }], meta: { created: '2024-01-01T09:00:00Z' } },
  { id: 'c', userName: 'carol', meta: { created: '2024-01-01T08:30:00Z' } },
];
const order = (sortBy: string, sortOrder?: string) =>
  [...users].sort(sortComparator(sortBy, 'User', sortOrder)).map((u) => u.id);

describe('sortComparator (RFC 7644 §3.4.2.3)', () => {
  it('sorts case-insensitive strings ignoring case', () => {
    expect(order('userName')).toEqual(['a', 'B', 'c']);
    expect(order('USERNAME', 'descending')).toEqual(['c', 'B', 'a']);
  });

  it('sorts caseExact strings exactly', () => {
    expect(order('id')).toEqual(['B', 'a', 'c']);
  });

  it('puts missing values last ascending and first descending', () => {
    expect(order('name.familyName')).toEqual(['a', 'B', 'c']);
    expect(order('name.familyName', 'descending')).toEqual(['c', 'B', 'a']);
  });

  it('sorts multi-valued attributes by the primary value, else the first', () => {
    expect(order('emails.value')).toEqual(['a', 'B', 'c']);
    expect(order('emails')).toEqual(['a', 'B', 'c']);
  });

  it('sorts dateTimes as instants', () => {
    // 10:00+02:00 is 08:00Z, the earliest.
    expect(order('meta.created')).toEqual(['B', 'c', 'a']);
  });

  it('rejects a malformed sortBy or sortOrder', () => {
    for (const [by, ord] of [['emails[type eq "work"]', 'ascending'], ['a b', 'ascending'], ['userName', 'sideways']] as const) {
      const e = (() => {
        try {
          sortComparator(by, 'User', ord);
        } catch (err) {
          return err as EmulatorError;
        }
        return undefined;
      })();
      expect(e?.scimType).toBe('invalidValue');
      expect(e?.code).toBe('invalid_sort');
    }
  });
});
