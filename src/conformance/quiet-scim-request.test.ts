// `quietScimRequest` (the observer's shortcut for reads and creates) against `scimFindings` over generated
// requests: whenever the shortcut says a request has nothing to find, the rules find nothing.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../test/support/seeded-random.js';
import { quietScimRequest, scimFindings, type ScimObservation } from './scim-rules.js';

const METHODS = ['GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
const STATUSES = [200, 200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 412, 413, 415, 500];
const ENDPOINTS = ['Users', 'users', 'Users/', 'Users/.search', '.search', 'Groups', 'groups', 'Users/usr_1', 'Users/%E0%A4%A', 'Groups/grp_1', 'ServiceProviderConfig', 'serviceConfiguration', 'Schemas', 'ResourceTypes', 'Nope'];
const FILTERS = [undefined, 'userName eq "ada@x.example"', 'userName eq ada@x.example', 'password eq "x"', 'members[value eq "u"]', '(', 'externalId eq 12'];
const SELECTIONS = [undefined, '', 'userName', 'name.givenName', 'emails[type eq "work"]', 'members[value eq "x"],displayName', ' ', 'a,b[', 'groups'];
const ERRORS: (ScimObservation['error'] | undefined)[] = [
  undefined,
  { code: 'invalid_filter', scimType: 'invalidFilter', message: 'bad filter' },
  { code: 'not_found', message: 'no route' },
  { code: 'resource_not_found', message: 'gone' },
  { code: 'invalid_value', scimType: 'invalidValue', message: "ada is not a User of this workspace's directory" },
  { code: 'uniqueness', scimType: 'uniqueness', message: 'taken' },
];
// A member name spelled with a JSON escape: the text does not say "attributes", the body does.
const ESCAPED = { body: { attributes: ['emails[type eq "work"]'] }, text: '{"\\u0061ttributes":["emails[type eq \\"work\\"]"]}' };
const textOf = (body: unknown): string => (body === ESCAPED.body ? ESCAPED.text : body === undefined ? '' : JSON.stringify(body));
const BODIES: unknown[] = [
  undefined,
  { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@x.example', active: false, password: 'secret-pass' },
  { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
  { Operations: [{ op: 'replace', value: { active: false, displayName: 'x' } }] },
  { Operations: [{ op: 'add', path: 'members', value: [{ value: 'usr_1' }, { value: 'stranger' }] }] },
  { members: [{ value: 'stranger' }], displayName: 'g' },
  { filter: 'userName eq ada', schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], attributes: ['emails[type eq "work"]'] },
  { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], excludedAttributes: 'members[value eq "x"]' },
  { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@x.example', ATTRIBUTES: 'emails[type eq "work"]' },
  { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@x.example', attributes: 'userName' },
  ESCAPED.body,
];

function observation(next: () => number): ScimObservation & { bodyText: string | undefined } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const endpoint = pick(ENDPOINTS);
  const sentPath = `/w/default/scim/v2/${endpoint}`;
  // Lenient mode routes another case or an alias; mostly the path is routed as sent.
  const routedPath = next() < 0.75 ? sentPath : `/w/default/scim/v2/${endpoint.replace(/^users\/?$/, 'Users').replace(/^groups$/, 'Groups').replace('serviceConfiguration', 'ServiceProviderConfig')}`;
  const params = new URLSearchParams();
  const filter = pick(FILTERS);
  if (filter !== undefined) params.append('filter', filter);
  for (const name of ['attributes', 'excludedAttributes']) {
    const first = pick(SELECTIONS);
    if (first !== undefined) params.append(name, first);
    // A second value: the rules read the first one.
    if (next() < 0.2) params.append(name, pick(SELECTIONS) ?? 'userName');
  }
  if (next() < 0.2) params.append(next() < 0.5 ? 'count' : 'Attributes', pick(SELECTIONS) ?? '3');
  const status = pick(STATUSES);
  const error = status >= 400 ? pick(ERRORS) : undefined;
  const body = pick(BODIES);
  return {
    method: pick(METHODS),
    sentPath,
    routedPath,
    params,
    body,
    // The text sent, as the observer reads it for a POST (sometimes it is not readable).
    bodyText: next() < 0.9 ? textOf(body) : undefined,
    status,
    ...(error ? { error } : {}),
    lenient: next() < 0.4,
    at: '2026-01-01T00:00:00.000Z',
    userActive: (id) => (id === 'usr_1' ? true : undefined),
    isUser: (id) => id === 'usr_1',
    sharedEmail: (id) => (id === 'usr_1' ? 'shared@x.example' : undefined),
    location: 'http://localhost/w/default/scim/v2/Users/usr_1',
  };
}

describe('quietScimRequest', () => {
  it('says "nothing to find" only for requests in which scimFindings finds nothing (20,000 generated requests)', () => {
    // Seeded, so a failure names a case that comes back run after run.
    const next = mulberry32(16);
    let quiet = 0;
    let quietPosts = 0;
    let withFindings = 0;
    for (let i = 0; i < 20_000; i++) {
      const o = observation(next);
      // A rule that throws (a malformed %-escape in an id) keeps nothing, as the observer's `judge` does.
      let findings: ReturnType<typeof scimFindings>;
      try {
        findings = scimFindings(o);
      } catch {
        findings = [];
      }
      if (findings.length > 0) withFindings++;
      if (quietScimRequest(o)) {
        quiet++;
        if (o.method === 'POST') quietPosts++;
        expect(findings, `case ${i}: ${o.method} ${o.sentPath} (routed ${o.routedPath}) ?${o.params} → ${o.status}, lenient ${o.lenient}`).toEqual([]);
      }
    }
    // Both kinds were generated in numbers: the comparison means something.
    expect(quiet).toBeGreaterThan(300);
    expect(quietPosts).toBeGreaterThan(50);
    expect(withFindings).toBeGreaterThan(1_000);
  });

  it('is not quiet for what a read can be judged on: a lenient workspace, another routed path, a value path, an error', () => {
    const base = { method: 'GET', status: 200, lenient: false, sentPath: '/w/d/scim/v2/Users', routedPath: '/w/d/scim/v2/Users', params: new URLSearchParams('filter=userName%20eq%20%22a%22') };
    expect(quietScimRequest(base)).toBe(true);
    expect(quietScimRequest({ ...base, lenient: true })).toBe(false);
    expect(quietScimRequest({ ...base, sentPath: '/w/d/scim/v2/users' })).toBe(false);
    expect(quietScimRequest({ ...base, params: new URLSearchParams('attributes=emails[type eq "work"]') })).toBe(false);
    expect(quietScimRequest({ ...base, params: new URLSearchParams('excludedAttributes=emails[type eq "work"]') })).toBe(false);
    expect(quietScimRequest({ ...base, status: 400 })).toBe(false);
    expect(quietScimRequest({ ...base, status: 304 })).toBe(false);
    expect(quietScimRequest({ ...base, method: 'POST', status: 201 })).toBe(false);
    expect(quietScimRequest({ ...base, method: 'HEAD' })).toBe(false);
  });

  it('is quiet for a create or search answered 2xx whose text names no attributes, and only then', () => {
    expect(JSON.parse(ESCAPED.text)).toEqual(ESCAPED.body);
    const create = { method: 'POST', status: 201, lenient: false, sentPath: '/w/d/scim/v2/Users', routedPath: '/w/d/scim/v2/Users', params: new URLSearchParams() };
    const text = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@x.example', emails: [{ value: 'ada@x.example', primary: true }] });
    expect(quietScimRequest({ ...create, bodyText: text })).toBe(true);
    expect(quietScimRequest({ ...create, bodyText: '' })).toBe(true);
    expect(quietScimRequest({ ...create, sentPath: '/w/d/scim/v2/Users/.search', routedPath: '/w/d/scim/v2/Users/.search', status: 200, bodyText: '{"filter":"userName pr"}' })).toBe(true);
    // Any escape in the text may spell a member name: the rules then run.
    expect(quietScimRequest({ ...create, bodyText: '{"filter":"userName eq \\"a\\""}' })).toBe(false);
    expect(quietScimRequest({ ...create, bodyText: undefined })).toBe(false);
    expect(quietScimRequest({ ...create, bodyText: '{"Attributes":"userName"}' })).toBe(false);
    expect(quietScimRequest({ ...create, bodyText: '{"excludedAttributes":"emails"}' })).toBe(false);
    expect(quietScimRequest({ ...create, bodyText: ESCAPED.text })).toBe(false);
    expect(quietScimRequest({ ...create, bodyText: text, status: 409 })).toBe(false);
    expect(quietScimRequest({ ...create, bodyText: text, lenient: true })).toBe(false);
    expect(quietScimRequest({ ...create, bodyText: text, method: 'PUT', status: 200 })).toBe(false);
    expect(quietScimRequest({ ...create, bodyText: text, params: new URLSearchParams('attributes=emails[type eq "work"]') })).toBe(false);
  });
});
