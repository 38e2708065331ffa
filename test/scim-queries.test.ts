// SCIM queries over HTTP (RFC 7644 §3.4.2, §3.4.3): every filter operator, paging edge cases,
// attribute selection, sorting, and POST /.search.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

async function directory() {
  const t = inProcess();
  const { token } = (await t.call('POST', '/w/default/api/scim/tokens', {})).body;
  const scim = (method: string, path: string, body?: unknown) => t.call(method, `/w/default/scim/v2${path}`, body, { auth: token });
  await scim('GET', '/ServiceProviderConfig');
  const people = [
    { userName: 'ada@x.edu', externalId: 'E1', title: 'Teacher', name: { familyName: 'Lovelace' }, emails: [{ value: 'ada@x.edu', type: 'work', primary: true }], [ENTERPRISE]: { department: 'Math' } },
    { userName: 'bob@x.edu', externalId: 'E2', title: 'Principal', name: { familyName: 'Baker' }, emails: [{ value: 'bob@x.edu', type: 'work' }] },
    { userName: 'cy@y.edu', externalId: 'E3', name: { familyName: 'Adams' }, emails: [{ value: 'cy@y.edu', type: 'home' }], active: false },
  ];
  const ids: string[] = [];
  for (const p of people) ids.push((await scim('POST', '/Users', { schemas: [USER, ENTERPRISE], ...p })).body.id);
  const group = (await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Teachers', externalId: 'G1', members: [{ value: ids[0] }] })).body;
  await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Staff' });
  const find = async (filter: string, type = 'Users') => {
    const res = await scim('GET', `/${type}?filter=${encodeURIComponent(filter)}`);
    expect(res.status, `${filter}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body.Resources.map((r: any) => (type === 'Users' ? r.userName : r.displayName));
  };
  return { ...t, scim, ids, group, find };
}

describe('filters over HTTP', () => {
  it.each([
    ['userName eq "ADA@x.edu"', ['ada@x.edu']],
    ['userName ne "ada@x.edu"', ['bob@x.edu', 'cy@y.edu']],
    ['userName co "@x."', ['ada@x.edu', 'bob@x.edu']],
    ['userName sw "B"', ['bob@x.edu']],
    ['userName ew "y.edu"', ['cy@y.edu']],
    ['name.familyName gt "Baker"', ['ada@x.edu']],
    ['name.familyName ge "Baker"', ['ada@x.edu', 'bob@x.edu']],
    ['name.familyName lt "Baker"', ['cy@y.edu']],
    ['name.familyName le "Baker"', ['bob@x.edu', 'cy@y.edu']],
    ['title pr', ['ada@x.edu', 'bob@x.edu']],
    ['title eq null', ['cy@y.edu']],
    ['active eq false', ['cy@y.edu']],
    ['title eq "Teacher" or title eq "Principal"', ['ada@x.edu', 'bob@x.edu']],
    ['userName co "x" and not (title eq "Teacher")', ['bob@x.edu']],
    ['emails[type eq "work" and value co "bob"]', ['bob@x.edu']],
    ['emails[type eq "work"].value eq "ada@x.edu"', ['ada@x.edu']],
    ['externalId eq "E2"', ['bob@x.edu']],
    [`${ENTERPRISE}:department eq "math"`, ['ada@x.edu']],
    ['meta.created ge "2000-01-01T00:00:00Z"', ['ada@x.edu', 'bob@x.edu', 'cy@y.edu']],
    ['meta.resourceType eq "User" and userName eq "nobody@x.edu"', []],
  ])('%s', async (filter, expected) => {
    const { find } = await directory();
    expect(await find(filter)).toEqual(expected);
  });

  it('answers id, groups and group filters', async () => {
    const { find, ids, group } = await directory();
    expect(await find(`id eq "${ids[1]}"`)).toEqual(['bob@x.edu']);
    expect(await find(`groups.value eq "${group.id}"`)).toEqual(['ada@x.edu']);
    expect(await find('displayName eq "teachers"', 'Groups')).toEqual(['Teachers']);
    expect(await find('externalId eq "G1"', 'Groups')).toEqual(['Teachers']);
    expect(await find(`members.value eq "${ids[0]}"`, 'Groups')).toEqual(['Teachers']);
    expect(await find('displayName sw "S"', 'Groups')).toEqual(['Staff']);
  });

  it.each(['userName eq', 'userName xx "a"', '(userName eq "a"', 'active gt true', 'meta.created gt "yesterday"', 'userName eq "a" and'])(
    'refuses %j with 400 invalidFilter',
    async (filter) => {
      const { scim, state } = await directory();
      const before = await state();
      const res = await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });
      expect(await state()).toEqual(before);
    },
  );
});

describe('paging', () => {
  it('pages in creation order with correct totals and itemsPerPage', async () => {
    const { scim } = await directory();
    const page = async (q: string) => (await scim('GET', `/Users?${q}`)).body;
    expect(await page('startIndex=1&count=2')).toMatchObject({ schemas: [LIST], totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect((await page('startIndex=1&count=2')).Resources.map((r: any) => r.userName)).toEqual(['ada@x.edu', 'bob@x.edu']);
    expect((await page('startIndex=3&count=2')).Resources.map((r: any) => r.userName)).toEqual(['cy@y.edu']);
    expect(await page('startIndex=3&count=2')).toMatchObject({ itemsPerPage: 1, startIndex: 3 });
    expect(await page('startIndex=10')).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
    expect(await page('startIndex=0&count=1')).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    expect(await page('startIndex=-5&count=1')).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    expect(await page('count=0')).toEqual({ schemas: [LIST], totalResults: 3, startIndex: 1, itemsPerPage: 0, Resources: [] });
    expect(await page('count=-1')).toMatchObject({ totalResults: 3, itemsPerPage: 0 });
    expect(await page('count=5000')).toMatchObject({ itemsPerPage: 3 });
    expect(await page('COUNT=1')).toMatchObject({ itemsPerPage: 1 });
  });

  it.each(['count=1.5', 'count=abc', 'startIndex=2.0', 'startIndex=1e2'])('refuses %s with 400 invalidValue', async (q) => {
    const { scim } = await directory();
    const res = await scim('GET', `/Users?${q}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidValue' });
  });

  it('keeps the sort stable across pages', async () => {
    const { scim } = await directory();
    const all: string[] = [];
    for (const start of [1, 2, 3]) {
      const res = await scim('GET', `/Users?sortBy=title&sortOrder=descending&startIndex=${start}&count=1`);
      all.push(res.body.Resources[0].userName);
    }
    // descending puts the user without a title first (RFC 7644 §3.4.2.3)
    expect(all).toEqual(['cy@y.edu', 'ada@x.edu', 'bob@x.edu']);
    const asc = await scim('GET', '/Users?sortBy=name.familyName');
    expect(asc.body.Resources.map((r: any) => r.userName)).toEqual(['cy@y.edu', 'bob@x.edu', 'ada@x.edu']);
    const bad = await scim('GET', '/Users?sortBy=title&sortOrder=sideways');
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidValue');
  });
});

describe('attribute selection', () => {
  it('returns only the attributes asked for, always with id and schemas', async () => {
    const { scim, ids } = await directory();
    const res = await scim('GET', '/Users?filter=userName%20eq%20%22ada@x.edu%22&attributes=userName,name.familyName,emails.value,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department');
    expect(res.body.Resources).toEqual([
      { schemas: [USER, ENTERPRISE], id: ids[0], userName: 'ada@x.edu', name: { familyName: 'Lovelace' }, emails: [{ value: 'ada@x.edu' }], [ENTERPRISE]: { department: 'Math' } },
    ]);
    const one = await scim('GET', `/Users/${ids[1]}?attributes=USERNAME`);
    expect(one.body).toEqual({ schemas: [USER, ENTERPRISE].slice(0, 1), id: ids[1], userName: 'bob@x.edu' });
  });

  it('leaves out excluded attributes but never id', async () => {
    const { scim, ids, group } = await directory();
    const res = await scim('GET', `/Users/${ids[0]}?excludedAttributes=emails,meta,id,name.familyName,groups`);
    expect(res.body).not.toHaveProperty('emails');
    expect(res.body).not.toHaveProperty('meta');
    expect(res.body).not.toHaveProperty('groups');
    expect(res.body.name).toEqual({});
    expect(res.body.id).toBe(ids[0]);
    const groups = await scim('GET', '/Groups?excludedAttributes=members');
    expect(groups.body.Resources.map((g: any) => Object.keys(g).includes('members'))).toEqual([false, false]);
    const withMembers = await scim('GET', `/Groups/${group.id}`);
    expect(withMembers.body.members).toHaveLength(1);
  });
});

describe('POST /.search', () => {
  it('runs the same query from a SearchRequest body', async () => {
    const { scim, ids } = await directory();
    const res = await scim('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName co "@x.edu"',
      attributes: ['userName'],
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 1,
      count: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ schemas: [LIST], totalResults: 2, startIndex: 1, itemsPerPage: 1, Resources: [{ schemas: [USER], id: ids[1], userName: 'bob@x.edu' }] });
    const groups = await scim('POST', '/Groups/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'displayName eq "Staff"' });
    expect(groups.body.totalResults).toBe(1);
    const bad = await scim('POST', '/Users/.search', { filter: 'userName pr' });
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidSyntax');
    const badCount = await scim('POST', '/Users/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], count: 'ten' });
    expect(badCount.body.scimType).toBe('invalidValue');
  });
});
