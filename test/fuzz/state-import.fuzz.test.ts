// Fuzz: mutated exports of a provisioned emulator imported with PUT /_emulator/state. Either the
// import is refused (4xx, nothing changed) or every later request keeps working (no 5xx), and the
// state exports and imports again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/app.js';
import { NASTY_STRINGS, announceSeed, fuzzParameters, smallJson } from '../support/fuzz.js';
import { inProcess } from '../support/in-process.js';
import { scimClient } from '../support/scim.js';

const FILE = 'test/fuzz/state-import.fuzz.test.ts';
const ADMIN_KEY = 'fuzz-admin-key';
const offline = async (url: string) => {
  throw new Error(`offline: the fuzz suite makes no outgoing request (${url})`);
};

async function provisionedExport(): Promise<Record<string, unknown>> {
  const env = inProcess({ adminKey: ADMIN_KEY, fetch: offline });
  const { call } = env;
  await call('POST', '/_emulator/workspaces', { id: 'second' });
  await call('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' });
  await call('PUT', '/_emulator/dns/_edu-verify.springfield.k12.us', { txt: ['x'] });
  const invited = (await call('POST', '/w/default/api/invites', { email: 'ivy@springfield.k12.us' })).body.id as string;
  const local = (await call('POST', '/w/default/api/groups', { displayName: 'Pilot' })).body.id as string;
  await call('PUT', `/w/default/api/groups/${local}/members`, { userIds: [invited] });
  const client = await scimClient(env);
  const ada = await client.user('ada@springfield.k12.us', 'Ada', 'Lovelace');
  const teachers = await client.group('Teachers', [ada]);
  const role = (await call('POST', '/w/default/api/roles', { name: 'Teachers role', permissions: { 'gpts.publish_workspace': true } })).body.id as string;
  await call('PUT', `/w/default/api/roles/${role}/groups`, { groupIds: [teachers, local] });
  await call('POST', '/_emulator/idps', { id: 'district', vendor: 'entra', users: [{ email: 'una@springfield.k12.us', groups: ['Staff'] }], groups: ['Staff'] });
  await call('PUT', '/idp/district/faults', { next: 'expired' });
  await call('PUT', '/w/default/api/sso', { protocol: 'saml', mockIdp: 'district' });
  await call('PUT', '/w/second/api/sso', { protocol: 'oidc', mockIdp: 'district' });
  const state = (await call('GET', '/_emulator/state')).body;
  expect(Object.keys(state.workspaces.default.members)).toHaveLength(2);
  return state;
}

type Path = (string | number)[];

function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

type Mutation = { at: Path; change: 'delete' } | { at: Path; change: 'set'; value: unknown };

function applyMutation(doc: any, m: Mutation): void {
  let parent = doc;
  for (const key of m.at.slice(0, -1)) parent = parent?.[key];
  if (parent === null || typeof parent !== 'object') return;
  const last = m.at[m.at.length - 1]!;
  if (m.change === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = m.value;
}

const oddValues = fc.oneof(
  fc.constantFrom(null, 0, -1, 1.5, 1e20, -1e20, 2 ** 53, '', [], {}, true, '1970-01-01', '+275760-09-13T00:00:00.000Z', 'not a time'),
  fc.constantFrom(...NASTY_STRINGS),
  smallJson,
);

describe('fuzz: state import', () => {
  announceSeed(FILE);

  it('refuses a mutated export or keeps every later request working', async () => {
    const base = await provisionedExport();
    const paths = pathsOf(base).filter((p) => !(p[0] === 'events' || (p[0] === 'workspaces' && p[2] === 'events')) || p.length < 4);
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.constantFrom(...paths).map((at) => ({ at, change: 'delete' as const })),
      fc.tuple(fc.constantFrom(...paths), oddValues).map(([at, value]) => ({ at, change: 'set' as const, value })),
    );
    const emulator = createEmulator({ adminKey: ADMIN_KEY, fetch: offline });
    const admin = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };
    const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) => {
      const res = await emulator.app.request(`http://localhost${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      if (res.status >= 500) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
      return { status: res.status, body: text && res.headers.get('Content-Type')?.includes('json') ? JSON.parse(text) : text };
    };
    const exportState = async () => {
      const s = (await call('GET', '/_emulator/state')).body;
      delete s.savedAt;
      return s;
    };
    let accepted = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        emulator.core.resetAll('fuzz');
        const before = await exportState();
        const doc = structuredClone(base);
        for (const m of mutations) applyMutation(doc, m);
        const put = await call('PUT', '/_emulator/state', doc);
        if (put.status >= 400) {
          expect(put.body.error.code).toBeTypeOf('string');
          expect(await exportState()).toEqual(before);
          return;
        }
        expect(put.status).toBe(200);
        accepted++;
        await laterRequests(call, doc);
        // What was taken exports and imports again.
        const again = (await call('GET', '/_emulator/state')).body;
        const reimport = await call('PUT', '/_emulator/state', again);
        if (reimport.status !== 200) throw new Error(`its own export was refused after an accepted import: ${JSON.stringify(reimport.body)}`);
      }),
      fuzzParameters(80),
    );
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`state import: ${accepted} accepted\n`);
    expect(accepted).toBeGreaterThan(0);
  }, 120_000);
});

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: any }>;

/** A battery of requests over whatever the imported state holds; each must answer below 500. */
async function laterRequests(call: Call, doc: any): Promise<void> {
  for (const path of ['/_emulator/clock', '/_emulator/workspaces', '/_emulator/dns', '/_emulator/events', '/_emulator/idps', '/_emulator/health']) await call('GET', path);
  await call('POST', '/_emulator/clock', { advance: '8d' });
  await call('POST', '/_emulator/workspaces', {});
  const workspaces = Object.keys(doc?.workspaces ?? {}).filter((k) => typeof k === 'string').slice(0, 3);
  for (const ws of workspaces) {
    const api = `/w/${encodeURIComponent(ws)}/api`;
    for (const p of ['domains', 'settings', 'users', 'groups', 'roles', 'roles/default', 'apps', 'readiness', 'events', 'sso', 'sso/enforcement', 'scim/tokens', 'scim/requests']) await call('GET', `${api}/${p}`);
    const members = Object.keys(doc.workspaces[ws]?.members ?? {}).slice(0, 3);
    for (const id of members) {
      await call('GET', `${api}/users/${encodeURIComponent(id)}`);
      await call('GET', `${api}/users/${encodeURIComponent(id)}/permissions`);
      const email = doc.workspaces[ws].members[id]?.email;
      if (typeof email === 'string') {
        await call('POST', `${api}/sign-in/check`, { email, method: 'sso' });
        await call('GET', `/w/${encodeURIComponent(ws)}/sso/saml/login?email=${encodeURIComponent(email)}`, undefined, {});
      }
    }
    for (const id of Object.keys(doc.workspaces[ws]?.groups ?? {}).slice(0, 3)) {
      await call('GET', `${api}/groups/${encodeURIComponent(id)}`);
      await call('GET', `${api}/groups/${encodeURIComponent(id)}/members`);
    }
    for (const d of Object.keys(doc.workspaces[ws]?.domains ?? {}).slice(0, 2)) await call('POST', `${api}/domains/${encodeURIComponent(d)}/verify`);
    await call('POST', `${api}/groups`, { displayName: 'Fuzz group' });
    await call('POST', '/_emulator/clock', { advance: '1h', workspace: ws });
    await call('GET', `/w/${encodeURIComponent(ws)}/sso/saml/metadata`, undefined, {});
    const token = await call('POST', `${api}/scim/tokens`, {});
    if (token.status !== 201) continue;
    const scimHeaders = { Authorization: `Bearer ${token.body.token}`, 'Content-Type': 'application/scim+json' };
    const scim = `/w/${encodeURIComponent(ws)}/scim/v2`;
    for (const p of ['/Users', '/Groups', '/Users?filter=userName%20eq%20%22ada@springfield.k12.us%22', '/Users?filter=emails%20co%20%22springfield%22&sortBy=name.familyName', '/Groups?filter=displayName%20sw%20%22T%22']) await call('GET', `${scim}${p}`, undefined, scimHeaders);
    for (const id of members) await call('GET', `${scim}/Users/${encodeURIComponent(id)}`, undefined, scimHeaders);
    const created = await call('POST', `${scim}/Users`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'fuzz@springfield.k12.us', emails: [{ value: 'fuzz@springfield.k12.us', primary: true }] }, scimHeaders);
    for (const id of Object.keys(doc.workspaces[ws]?.groups ?? {}).slice(0, 2)) {
      await call('GET', `${scim}/Groups/${encodeURIComponent(id)}`, undefined, scimHeaders);
      if (created.status === 201) {
        await call('PATCH', `${scim}/Groups/${encodeURIComponent(id)}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'members', value: [{ value: created.body.id }] }] }, scimHeaders);
      }
    }
  }
  for (const idp of Object.keys(doc?.idps ?? {}).slice(0, 2)) {
    const at = `/idp/${encodeURIComponent(idp)}`;
    for (const p of ['', '/users', '/groups', '/apps', '/faults', '/provision', '/saml/metadata']) await call('GET', `${at}${p}`);
    await call('POST', `${at}/users`, { email: 'new@springfield.k12.us', groups: ['Staff'] });
  }
}
