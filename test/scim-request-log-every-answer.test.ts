// The recent SCIM request log (written by the layer that also runs the conformance rules) holds
// every SCIM request that reached a workspace exactly once, with the status it was answered: over
// generated requests of every kind (methods, known and unknown endpoints, lenient paths, good,
// wrong and missing tokens, bodies, queries), judged by the rules or not.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATHS = ['/Users', '/users', '/Users/', '/Groups', '/Users/.search', '/ServiceProviderConfig', '/serviceConfiguration', '/Schemas', '/ResourceTypes/User', '/Nope', '/Users/usr_nope', '/Groups/grp_nope', ''];
const QUERIES = ['', '?count=1', '?filter=userName%20eq%20%22a%40x.example%22', '?filter=userName%20eq%20a', '?attributes=emails%5Btype%20eq%20%22work%22%5D', '?startIndex=x', '?excludedAttributes=name'];
const METHODS = ['GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

describe('SCIM request log', () => {
  it('logs every SCIM request once with its answer status, judged by the conformance rules or not (300 generated requests)', async () => {
    const { call } = inProcess();
    await call('POST', '/_emulator/workspaces', { id: 'lenient' });
    expect((await call('PATCH', '/w/lenient/api/settings', { scimCompatibility: 'lenient' })).status).toBe(200);
    const tokens: Record<string, { id: string; token: string }> = {};
    for (const ws of ['default', 'lenient']) tokens[ws] = (await call('POST', `/w/${ws}/api/scim/tokens`, {})).body;
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const expected: Record<string, { method: string; path: string; query?: string; status: number; tokenId: string | null }[]> = { default: [], lenient: [] };
    for (let i = 0; i < 300; i++) {
      const ws = pick(['default', 'lenient']);
      const method = pick(METHODS);
      const path = `/w/${ws}/scim/v2${pick(PATHS)}`;
      const query = pick(QUERIES);
      const auth = pick(['good', 'good', 'good', 'wrong', 'none', 'admin'] as const);
      const body = method === 'GET' || method === 'DELETE' ? undefined : pick([{ schemas: [USER], userName: `u${i}@x.example` }, { Operations: [] }, 'not json']);
      const res = await call(method, `${path}${query}`, typeof body === 'string' ? undefined : body, {
        auth: auth === 'good' ? tokens[ws]!.token : auth === 'wrong' ? 'scim_wrong' : auth === 'admin' ? undefined : null,
        headers: { 'Content-Type': 'application/scim+json' },
        ...(typeof body === 'string' ? { raw: body } : {}),
      });
      expected[ws]!.unshift({
        method,
        // The path as routed: lenient mode routes /users and /Users/ as /Users, /serviceConfiguration as /ServiceProviderConfig.
        path: ws === 'lenient' ? path.replace(/\/users\/?$|\/Users\/$/, '/Users').replace(/\/serviceConfiguration$/, '/ServiceProviderConfig') : path,
        ...(query !== '' ? { query: query.slice(1) } : {}),
        status: res.status,
        tokenId: auth === 'good' && res.status !== 401 ? tokens[ws]!.id : null,
      });
    }
    for (const ws of ['default', 'lenient']) {
      const log = (await call('GET', `/w/${ws}/api/scim/requests`)).body.requests as Record<string, unknown>[];
      expect(log.map(({ time: _time, ...entry }) => entry)).toEqual(expected[ws]!.slice(0, 200));
    }
  });

  it('keeps no entry for a workspace that does not exist', async () => {
    const { call } = inProcess();
    expect((await call('GET', '/w/nope/scim/v2/Users', undefined, { auth: 'x' })).status).toBe(404);
    expect((await call('GET', '/w/default/api/scim/requests')).body.requests).toEqual([]);
  });
});
