// Fuzz: every operation of the OpenAPI document with generated paths, queries and bodies (valid
// by the document, mutated, malformed, null, empty), each on a fresh copy of a provisioned state.
// Properties: never 5xx; a 2xx is the documented status; a body the route's schema refuses is a
// 4xx; every 4xx changes nothing (the export before and after are equal).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/app.js';
import type { EmulatorState } from '../../src/store/state.js';
import { openApiDocument } from '../../src/openapi/document.js';
import { OPERATIONS, type ApiOperation } from '../../src/openapi/operations.js';
import { NASTY_STRINGS, announceSeed, arbitraryFor, describeRequest, fuzzParameters, mutatedBody, type FuzzRequest } from '../support/fuzz.js';
import { inProcess } from '../support/in-process.js';
import { scimClient } from '../support/scim.js';

const FILE = 'test/fuzz/operations.fuzz.test.ts';
const ADMIN_KEY = 'fuzz-admin-key';
const offline = async (url: string) => {
  throw new Error(`offline: the fuzz suite makes no outgoing request (${url})`);
};

/** A provisioned state to start each case from, and the ids in it that paths can name. */
async function provisionedState() {
  const env = inProcess({ adminKey: ADMIN_KEY, fetch: offline });
  const { call } = env;
  await call('POST', '/_emulator/workspaces', { id: 'second', name: 'Second' });
  await call('POST', '/w/default/api/domains', { domain: 'springfield.k12.us' });
  await call('PUT', '/_emulator/dns/springfield.k12.us', { txt: ['v=spf1 -all'] });
  const invited = (await call('POST', '/w/default/api/invites', { email: 'ivy@springfield.k12.us', role: 'admin' })).body.id as string;
  const group = (await call('POST', '/w/default/api/groups', { displayName: 'Pilot' })).body.id as string;
  await call('PUT', `/w/default/api/groups/${group}/members`, { userIds: [invited] });
  const role = (await call('POST', '/w/default/api/roles', { name: 'Pilot role', permissions: {} })).body.id as string;
  const client = await scimClient(env);
  const ada = await client.user('ada@springfield.k12.us', 'Ada', 'Lovelace');
  const scimGroup = await client.group('Teachers', [ada]);
  const token = (await call('GET', '/w/default/api/scim/tokens')).body.tokens[0].id as string;
  await call('POST', '/_emulator/idps', { id: 'district', vendor: 'generic', users: [{ email: 'una@springfield.k12.us', groups: ['Staff'] }], groups: ['Staff'] });
  await call('PUT', '/w/second/api/sso', { protocol: 'oidc', mockIdp: 'district' });
  const state = (await call('GET', '/_emulator/state')).body as EmulatorState;
  const ids = [invited, group, role, ada, scimGroup, token, 'default', 'second', 'district'];
  return { state, ids };
}

function pathValues(ids: string[]): Record<string, fc.Arbitrary<string>> {
  const nasty = fc.constantFrom(...NASTY_STRINGS.filter((s) => s !== '' && s !== '..'));
  const anyOf = (...known: string[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: nasty }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) });
  return {
    ws: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('default', 'second') }, { weight: 1, arbitrary: nasty }),
    idp: fc.oneof({ weight: 8, arbitrary: fc.constant('district') }, { weight: 1, arbitrary: nasty }),
    id: anyOf(...ids),
    user: anyOf('una@springfield.k12.us', 'UNA@springfield.k12.us', 'nobody@x.example'),
    group: anyOf('Staff', 'staff', 'Missing'),
    domain: anyOf('springfield.k12.us', 'other.example', 'SPRINGFIELD.k12.us.'),
    name: anyOf('springfield.k12.us', '_edu-verify.springfield.k12.us', 'new.example'),
  };
}

const queryValue = fc.oneof(fc.constantFrom('default', 'second', 'scim', 'local', 'domain.', 'scim.*', '0', '-1', '5', '1e309', 'ada@springfield.k12.us', ''), fc.string({ maxLength: 10 }));
const malformed = fc.constantFrom('{', '{"a":', 'nul', '[1,', "{'a':1}", '{"a":1}}', '\u0000');

type BodyKind = 'none' | 'valid' | 'mutated' | 'malformed' | 'null' | 'empty';

interface Case {
  /** `method path` of the operation (the operation itself is looked up, so a failure prints short). */
  operation: string;
  request: FuzzRequest;
  kind: BodyKind;
}

function requestFor(op: ApiOperation, values: Record<string, fc.Arbitrary<string>>, doc: any): fc.Arbitrary<Case> {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const pathArb = fc.tuple(...params.map((p) => values[p] ?? fc.string({ minLength: 1 }))).map((parts) => {
    let i = 0;
    return op.path.replace(/\{\w+\}/g, () => encodeURIComponent(parts[i++]!));
  });
  const queryArb = fc
    .subarray([...Object.keys(op.query ?? {}), 'unexpected'])
    .chain((names) => fc.tuple(...names.map((n) => queryValue.map((v) => [n, v] as [string, string]))))
    .map((pairs) => (pairs.length ? `?${new URLSearchParams(pairs).toString()}` : ''));
  const schema = doc.paths[op.path][op.method].requestBody?.content['application/json']?.schema;
  // Routes that read no body ignore one (as HTTP allows); the state import reads any JSON.
  const readsBody = op.body !== undefined || isStateImport(op);
  const bodyArb: fc.Arbitrary<{ kind: BodyKind; body?: string }> =
    !readsBody
      ? fc.constant({ kind: 'none' })
      : fc.oneof(
          { weight: 4, arbitrary: arbitraryFor(schema).map((v) => ({ kind: 'valid' as const, body: JSON.stringify(v) })) },
          { weight: 3, arbitrary: arbitraryFor(schema).chain(mutatedBody).map((v) => ({ kind: 'mutated' as const, body: JSON.stringify(v) })) },
          { weight: 1, arbitrary: malformed.map((body) => ({ kind: 'malformed' as const, body })) },
          { weight: 1, arbitrary: fc.constant({ kind: 'null' as const, body: 'null' }) },
          { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
        );
  return fc.tuple(pathArb, queryArb, bodyArb).map(([path, query, { kind, body }]) => ({
    operation: `${op.method} ${op.path}`,
    kind,
    request: {
      method: op.method.toUpperCase(),
      path: `${path}${query}`,
      ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body } : {}),
    },
  }));
}

const isStateImport = (op: ApiOperation) => op.method === 'put' && op.path === '/_emulator/state';

/** True when the route's own schema refuses this body (so the request must be a 4xx). */
const byName = new Map(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op]));

function refusedBySchema(op: ApiOperation, c: Case): boolean {
  if (c.kind === 'malformed' || c.kind === 'null' || isStateImport(op)) return true;
  if (!op.body) return false;
  const parsed = c.request.body === undefined ? {} : (JSON.parse(c.request.body) as unknown);
  return !op.body.safeParse(parsed).success;
}

describe('fuzz: every documented operation', () => {
  announceSeed(FILE);

  it('never answers 5xx, answers documented statuses, and a refusal changes nothing', async () => {
    const { state, ids } = await provisionedState();
    const doc = openApiDocument() as any;
    const values = pathValues(ids);
    const cases = fc.oneof(...OPERATIONS.map((op) => requestFor(op, values, doc)));
    const seen = new Set<string>();
    const emulator = createEmulator({ adminKey: ADMIN_KEY, fetch: offline });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        seen.add(c.operation);
        const op = byName.get(c.operation)!;
        // Each case starts from the same provisioned state.
        emulator.core.replaceState(structuredClone(state));
        const exportState = async () => {
          const s = await (await emulator.app.request('http://localhost/_emulator/state', { headers: { Authorization: `Bearer ${ADMIN_KEY}` } })).json();
          delete s.savedAt;
          return s;
        };
        const before = await exportState();
        const res = await emulator.app.request(`http://localhost${c.request.path}`, {
          method: c.request.method,
          headers: { Authorization: `Bearer ${ADMIN_KEY}`, ...c.request.headers },
          ...(c.request.body !== undefined ? { body: c.request.body } : {}),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const text = await res.text();
        const where = `${describeRequest(c.request)} → ${res.status} ${text.slice(0, 500)}`;
        if (res.status >= 500) throw new Error(`5xx: ${where}`);
        const documented = Object.keys(doc.paths[op.path][op.method].responses).filter((s) => s !== '4XX');
        if (res.status < 400 && !documented.includes(String(res.status))) {
          throw new Error(`status ${res.status} is not documented (${documented.join(', ')}): ${where}`);
        }
        if (res.status < 400 && refusedBySchema(op, c)) throw new Error(`a body the schema refuses was accepted: ${where}`);
        if (res.status >= 400) {
          const body = JSON.parse(text) as { error?: { code?: unknown } };
          if (typeof body.error?.code !== 'string') throw new Error(`a refusal without an error code: ${where}`);
          const after = await exportState();
          try {
            expect(after).toEqual(before);
          } catch (e) {
            throw new Error(`a ${res.status} changed the state: ${where}\n${(e as Error).message.slice(0, 1500)}`);
          }
        }
      }),
      fuzzParameters(400),
    );
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    // Breadth: a run reaches most operations (one seed may miss a few).
    expect(seen.size).toBeGreaterThan(OPERATIONS.length / 2);
  }, 120_000);
});
