// users.csv and groups.csv read as RFC 4180: quoted fields, a BOM, headers in any case, unknown
// columns reported; each refusal names the file, line and column of the first problem.
import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../errors.js';
import { csvSnapshot, parseGroupsCsv, parseUsersCsv } from './csv.js';

function refusal(fn: () => unknown): { message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (e instanceof EmulatorError) return { message: e.message, details: e.details ?? {} };
    throw e;
  }
  throw new Error('not refused');
}

describe('users.csv', () => {
  it('reads quoted fields, a BOM, headers in any case and a default status', () => {
    const text = '\uFEFFID,E-mail,Email,First_Name,last_name,Status\r\n7,x,ada@lincoln.k12.us,"Ada ""Countess""",Lovelace,ACTIVE\r\n8,x,bob@lincoln.k12.us,Bob,"Smith,\r\nJr.",\r\n';
    const { users, warnings } = parseUsersCsv(text);
    expect(users).toEqual([
      { id: '7', email: 'ada@lincoln.k12.us', givenName: 'Ada "Countess"', familyName: 'Lovelace', active: true },
      { id: '8', email: 'bob@lincoln.k12.us', givenName: 'Bob', familyName: 'Smith,\r\nJr.', active: true },
    ]);
    expect(warnings).toEqual(['users.csv: unknown columns ignored: "e-mail"']);
  });

  it('takes the WorkOS-style spellings of the columns', () => {
    const { users } = parseUsersCsv('user_id,user_email,given_name,family_name,user_status\nu1,kim@lincoln.k12.us,Kim,Lee,inactive\n');
    expect(users).toEqual([{ id: 'u1', email: 'kim@lincoln.k12.us', givenName: 'Kim', familyName: 'Lee', active: false }]);
  });

  it('names the line and column of each problem', () => {
    expect(refusal(() => parseUsersCsv('id,first_name\n1,Ada\n')).details).toEqual({ file: 'users.csv', line: 1 });
    expect(refusal(() => parseUsersCsv('id,email\n1,a@lincoln.k12.us\n\n1,b@lincoln.k12.us\n')).details).toEqual({ file: 'users.csv', line: 4, column: 1 });
    expect(refusal(() => parseUsersCsv('name,id,email\nA,1,a@lincoln.k12.us\nB,2,A@Lincoln.k12.us\n')).details).toEqual({ file: 'users.csv', line: 3, column: 3 });
    expect(refusal(() => parseUsersCsv('id,email\n1,not-an-email\n')).message).toMatch(/^users\.csv, line 2, column 2: "not-an-email" is not an email address/);
    expect(refusal(() => parseUsersCsv('id,email,status\n1,a@lincoln.k12.us,gone\n')).details).toEqual({ file: 'users.csv', line: 2, column: 3 });
    expect(refusal(() => parseUsersCsv('id,email\n,a@lincoln.k12.us\n')).details).toEqual({ file: 'users.csv', line: 2, column: 1 });
    expect(refusal(() => parseUsersCsv('id,email\n1,"a@lincoln.k12.us\n')).message).toMatch(/not RFC 4180 CSV/);
    expect(refusal(() => parseUsersCsv('')).details).toEqual({ file: 'users.csv', line: 1 });
  });
});

describe('groups.csv', () => {
  it('gathers one row per membership into groups', () => {
    const { groups } = parseGroupsCsv('GROUP_ID,Group_Name,User_ID\nt,Teachers,1\nt,Teachers,2\ns,Students,2\nt,Teachers,1\n', new Set(['1', '2']));
    expect(groups).toEqual([
      { id: 't', name: 'Teachers', members: ['1', '2'] },
      { id: 's', name: 'Students', members: ['2'] },
    ]);
  });

  it('refuses an unknown member and a group with two names', () => {
    expect(refusal(() => parseGroupsCsv('group_id,group_name,user_id\nt,Teachers,1\nt,Teachers,9\n', new Set(['1']))).details).toEqual({ file: 'groups.csv', line: 3, column: 3 });
    expect(refusal(() => parseGroupsCsv('group_id,group_name,user_id\nt,Teachers,1\nt,Staff,1\n', new Set(['1']))).details).toEqual({ file: 'groups.csv', line: 3, column: 2 });
  });

  it('is optional beside users.csv, which is not', () => {
    expect(csvSnapshot({ 'users.csv': 'id,email\n1,a@lincoln.k12.us\n' }).groups).toEqual([]);
    expect(refusal(() => csvSnapshot({ 'groups.csv': 'group_id,group_name,user_id\n' })).message).toMatch(/No users\.csv has been uploaded/);
  });
});
