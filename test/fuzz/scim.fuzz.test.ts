// Fuzz: the SCIM service provider (RFC 7644) with generated filters, PATCH operations and
// resources of bounded size, each on a fresh copy of a provisioned directory. Properties: never
// 5xx; every refusal is a SCIM error (§3.12) and changes nothing.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createEmulator } from '../../src/app.js';
import type { EmulatorState } from '../../src/store/state.js';
import { NASTY_STRINGS, announceSeed, describeRequest, fuzzParameters, smallJson, type FuzzRequest } from '../support/fuzz.js';
import { inProcess } from '../support/in-process.js';
import { scimClient } from '../support/scim.js';

const FILE = 'test/fuzz/scim.fuzz.test.ts';
const ADMIN_KEY = 'fuzz-admin-key';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

async function directory() {
  const env = inProcess({ adminKey: ADMIN_KEY });
  const client = await scimClient(env);
  const ada = await client.user('ada@springfield.k12.us', 'Ada', 'Lovelace');
  const bob = await client.user('bob@springfield.k12.us', 'Bob', 'Babbage');
  await client.scim('PATCH', `/Users/${bob}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', value: { title: 'Teacher', [ENTERPRISE]: { employeeNumber: '42', manager: { value: ada } } } }] });
  const teachers = await client.group('Teachers', [ada, bob]);
  const empty = await client.group('Empty');
  const state = (await env.call('GET', '/_emulator/state')).body as EmulatorState;
  return { state, token: client.token, users: [ada, bob], groups: [teachers, empty] };
}

const ATTRIBUTES = [
  'userName', 'name', 'name.familyName', 'name.givenName', 'displayName', 'title', 'active', 'externalId', 'id',
  'emails', 'emails.value', 'emails.type', 'emails.primary', 'phoneNumbers.value', 'members', 'members.value', 'members.display',
  'meta.created', 'meta.lastModified', 'meta.resourceType', 'groups', 'groups.value', `${USER}:userName`, `${ENTERPRISE}:employeeNumber`,
  `${ENTERPRISE}:manager.value`, 'nickName', 'unknownAttr', 'x.y.z',
];
const attrPath = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ATTRIBUTES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const compareOp = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Co') }, { weight: 1, arbitrary: fc.constantFrom('xx', '==', '') });
const compValue = fc.oneof(
  fc.constantFrom('true', 'false', 'null', '0', '-1.5', '1e309', '"2026-01-01T00:00:00Z"', '"ada@springfield.k12.us"', '"ADA@SPRINGFIELD.K12.US"', '"Teachers"', '"a"', '""'),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom(...NASTY_STRINGS).map((s) => JSON.stringify(s)),
  fc.constantFrom('unquoted', '"unterminated', "'single'"),
);

/** SCIM filters (RFC 7644 §3.4.2.2) of bounded depth and size, some malformed on purpose. */
const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
    fc.tuple(attrPath, compareOp, compValue).map(([a, o, v]) => `${a} ${o} ${v}`),
    attrPath.map((a) => `${a} pr`),
    tie('f').map((f) => `(${f})`),
    tie('f').map((f) => `not (${f})`),
    fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('f')).map(([l, op, r]) => `${l} ${op} ${r}`),
    fc.tuple(fc.constantFrom('emails', 'members', 'phoneNumbers', 'groups'), tie('f')).map(([a, f]) => `${a}[${f}]`),
  ),
})).f;
const anyFilter = fc.oneof({ weight: 6, arbitrary: filter }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: fc.constantFrom('(', ')', '[', 'userName eq', 'and', 'not', '"') });

/** PATCH paths (RFC 7644 §3.5.2): attributes, sub-attributes and value filters. */
const patchPath = fc.oneof(
  { weight: 6, arbitrary: attrPath },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('emails', 'members', 'phoneNumbers', 'addresses'), filter, fc.constantFrom('', '.value', '.type', '.primary', '.display')).map(([a, f, s]) => `${a}[${f}]${s}`) },
  { weight: 1, arbitrary: fc.constantFrom('emails[', 'members[value eq', '[x]', '.', 'emails..value') },
);

const userish = fc.record(
  {
    userName: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 12 }), smallJson),
    name: fc.oneof(fc.record({ givenName: fc.string({ maxLength: 8 }), familyName: fc.string({ maxLength: 8 }) }, { requiredKeys: [] }), smallJson),
    emails: fc.oneof(fc.array(fc.record({ value: fc.oneof(fc.emailAddress(), smallJson), type: fc.constantFrom('work', 'home', 'other'), primary: fc.boolean() }, { requiredKeys: [] }), { maxLength: 3 }), smallJson),
    active: fc.oneof(fc.boolean(), fc.constantFrom('true', 'False', 1, null)),
    externalId: fc.oneof(fc.string({ maxLength: 8 }), smallJson),
    displayName: fc.oneof(fc.string({ maxLength: 12 }), smallJson),
    title: fc.string({ maxLength: 8 }),
    [ENTERPRISE]: fc.oneof(fc.record({ employeeNumber: fc.string({ maxLength: 6 }), manager: fc.record({ value: fc.string({ maxLength: 6 }) }) }, { requiredKeys: [] }), smallJson),
    members: fc.oneof(fc.array(fc.record({ value: fc.oneof(fc.string({ maxLength: 8 }), smallJson), display: fc.string({ maxLength: 6 }) }, { requiredKeys: [] }), { maxLength: 3 }), smallJson),
    unknown: smallJson,
  },
  { requiredKeys: [] },
);

function patchValue(ids: string[]) {
  return fc.oneof(smallJson, userish, fc.array(fc.record({ value: fc.constantFrom(...ids, 'nobody') }), { maxLength: 3 }), fc.constantFrom(...ids));
}

function requests(users: string[], groups: string[]): fc.Arbitrary<FuzzRequest> {
  const ids = [...users, ...groups];
  const userId = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...users) }, { weight: 1, arbitrary: fc.constantFrom('nobody', '__proto__', ...groups) });
  const groupId = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...groups) }, { weight: 1, arbitrary: fc.constantFrom('nobody', 'constructor', ...users) });
  const listQuery = fc
    .record(
      {
        filter: anyFilter,
        sortBy: fc.oneof(attrPath, fc.constant('')),
        sortOrder: fc.constantFrom('ascending', 'descending', 'sideways'),
        startIndex: fc.constantFrom('1', '0', '-5', '2', 'x', '1e309', '9007199254740993'),
        count: fc.constantFrom('0', '1', '-1', '10', 'many', '100000'),
        attributes: fc.oneof(attrPath, fc.constant('')),
        excludedAttributes: attrPath,
      },
      { requiredKeys: [] },
    );
  const json = (v: unknown) => JSON.stringify(v);
  const operation = fc.record(
    { op: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('add', 'remove', 'replace', 'Add', 'Replace') }, { weight: 1, arbitrary: fc.constantFrom('move', '', 'delete') }), path: patchPath, value: patchValue(ids) },
    { requiredKeys: ['op'] },
  );
  const patchBody = fc.oneof(
    { weight: 8, arbitrary: fc.array(operation, { minLength: 1, maxLength: 5 }).map((Operations) => ({ schemas: [PATCH_OP], Operations })) },
    { weight: 1, arbitrary: fc.oneof(smallJson, fc.record({ schemas: fc.constant([PATCH_OP]), Operations: smallJson })) },
  );
  return fc.oneof(
    fc.tuple(fc.constantFrom('Users', 'Groups'), listQuery).map(([type, q]) => ({ method: 'GET', path: `/${type}?${new URLSearchParams(q as Record<string, string>).toString()}` })),
    fc.tuple(fc.constantFrom('Users', 'Groups'), listQuery).map(([type, q]) => ({
      method: 'POST',
      path: `/${type}/.search`,
      body: json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], ...q, ...(q.attributes !== undefined ? { attributes: [q.attributes] } : {}), ...(q.startIndex !== undefined ? { startIndex: Number(q.startIndex) } : {}), ...(q.count !== undefined ? { count: Number(q.count) } : {}) }),
    })),
    fc.tuple(userId, patchBody).map(([id, body]) => ({ method: 'PATCH', path: `/Users/${encodeURIComponent(id)}`, body: json(body) })),
    fc.tuple(groupId, patchBody).map(([id, body]) => ({ method: 'PATCH', path: `/Groups/${encodeURIComponent(id)}`, body: json(body) })),
    userish.map((u) => ({ method: 'POST', path: '/Users', body: json({ schemas: [USER], ...u }) })),
    fc.tuple(userId, userish).map(([id, u]) => ({ method: 'PUT', path: `/Users/${encodeURIComponent(id)}`, body: json({ schemas: [USER, ENTERPRISE], ...u }) })),
    userish.map((g) => ({ method: 'POST', path: '/Groups', body: json({ schemas: [GROUP], ...g }) })),
    fc.tuple(groupId, userish).map(([id, g]) => ({ method: 'PUT', path: `/Groups/${encodeURIComponent(id)}`, body: json({ schemas: [GROUP], ...g }) })),
    fc.tuple(fc.constantFrom('Users', 'Groups'), fc.oneof(userId, groupId)).map(([type, id]) => ({ method: 'DELETE', path: `/${type}/${encodeURIComponent(id)}` })),
    fc.tuple(fc.constantFrom('Users', 'Groups', 'Schemas', 'ResourceTypes'), fc.oneof(userId, groupId, fc.constantFrom('User', USER)), listQuery).map(([type, id, q]) => ({ method: 'GET', path: `/${type}/${encodeURIComponent(id)}?${new URLSearchParams(q as Record<string, string>).toString()}` })),
  );
}

/** The directory part of the state, without what every authenticated request touches (token use). */
function directoryOf(state: any) {
  for (const ws of Object.values(state.workspaces) as any[]) for (const t of Object.values(ws.scimTokens) as any[]) delete t.lastUsedAt;
  delete state.savedAt;
  return state;
}

describe('fuzz: SCIM', () => {
  announceSeed(FILE);

  it('filters, PATCH operations and resources never answer 5xx, and a refusal changes nothing', async () => {
    const { state, token, users, groups } = await directory();
    const emulator = createEmulator({ adminKey: ADMIN_KEY });
    const exportState = async () => directoryOf(await (await emulator.app.request('http://localhost/_emulator/state', { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).json());
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(users, groups), async (request) => {
        emulator.core.replaceState(structuredClone(state));
        const before = await exportState();
        const res = await emulator.app.request(`http://localhost/w/default/scim/v2${request.path}`, {
          method: request.method,
          headers: { Authorization: `Bearer ${token}`, ...(request.body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}) },
          ...(request.body !== undefined ? { body: request.body } : {}),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        const where = `${describeRequest(request)} → ${res.status} ${text.slice(0, 500)}`;
        if (res.status >= 500) throw new Error(`5xx: ${where}`);
        if (res.status >= 400) {
          const body = JSON.parse(text) as { schemas?: unknown; status?: unknown };
          if (JSON.stringify(body.schemas) !== '["urn:ietf:params:scim:api:messages:2.0:Error"]' || body.status !== String(res.status)) throw new Error(`not a SCIM error: ${where}`);
          const after = await exportState();
          if (!isDeepStrictEqual(after, before)) throw new Error(`a ${res.status} changed the state: ${where}`);
        }
      }),
      fuzzParameters(400),
    );
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  }, 120_000);
});
