// SCIM lookup and membership costs at 100 and 100,000 users: a `userName eq` GET and a
// one-member group PATCH through app.request. Run: npx tsx bench/scim-lookup.ts
import { createEmulator } from '../src/app.js';
import { createGroup } from '../src/scim/groups.js';
import { issueToken } from '../src/scim/tokens.js';
import { createUser } from '../src/scim/users.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ROUNDS = 2_000;

async function workspaceOf(users: number) {
  const emulator = createEmulator({ adminKey: 'bench' });
  const core = emulator.core;
  const ws = core.requireWorkspace('default');
  const scope = { core, ws, actor: 'bench', baseUrl: 'http://localhost/w/default/scim/v2' };
  const built = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < users; i++) {
    ids.push(createUser(scope, { schemas: [USER], userName: `user${i}@district.example`, externalId: `ext-${i}`, name: { givenName: 'U', familyName: `${i}` } }).member.id);
  }
  // A small group patched one member at a time, and a group holding every user.
  const small = createGroup(scope, { schemas: [GROUP], displayName: 'Small', members: ids.slice(0, 10).map((value) => ({ value })) });
  const everyone = createGroup(scope, { schemas: [GROUP], displayName: 'Everyone', members: ids.map((value) => ({ value })) });
  const { token } = issueToken(core, ws, 'bench', 'bench');
  return { emulator, ids, small: small.id, everyone: everyone.id, token, buildMs: performance.now() - built };
}

async function time(rounds: number, run: (i: number) => Response | Promise<Response>): Promise<number> {
  for (let i = 0; i < 500; i++) await (await run(i)).arrayBuffer(); // warm up the JIT
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    const res = await run(i);
    if (res.status >= 300) throw new Error(`status ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  return ((performance.now() - start) * 1000) / rounds;
}

const rows: Record<string, string | number>[] = [];
for (const users of [100, 100_000]) {
  const { emulator, ids, small, everyone, token, buildMs } = await workspaceOf(users);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
  const request = (path: string, init: RequestInit = {}) =>
    emulator.app.request(`/w/default/scim/v2${path}`, { ...init, headers: { ...headers, ...((init.headers as Record<string, string>) ?? {}) } });
  const member = (i: number) => ids[(i * 7919) % ids.length]!;
  const lookup = await time(ROUNDS, (i) => request(`/Users?filter=${encodeURIComponent(`userName eq "USER${(i * 7919) % users}@district.example"`)}`));
  const externalId = await time(ROUNDS, (i) => request(`/Users?filter=${encodeURIComponent(`externalId eq "ext-${(i * 7919) % users}"`)}`));
  // Add then remove the same user: each PATCH changes exactly one membership.
  const onePatch = (group: string, minimal: boolean) => (i: number) =>
    request(`/Groups/${group}`, {
      method: 'PATCH',
      ...(minimal ? { headers: { Prefer: 'return=minimal' } } : {}),
      body: JSON.stringify({
        schemas: [PATCH],
        Operations: [i % 2 === 0 ? { op: 'add', path: 'members', value: [{ value: member(i >> 1) }] } : { op: 'remove', path: `members[value eq "${member(i >> 1)}"]` }],
      }),
    });
  const smallPatch = await time(ROUNDS, onePatch(small, false));
  const bigPatch = await time(ROUNDS, onePatch(everyone, true));
  rows.push({
    users: users.toLocaleString('en-US'),
    'build (ms)': Math.round(buildMs),
    'userName eq GET (µs)': Math.round(lookup),
    'externalId eq GET (µs)': Math.round(externalId),
    'PATCH 1 member, 10-member group, 200 (µs)': Math.round(smallPatch),
    'PATCH 1 member, all-users group, 204 (µs)': Math.round(bigPatch),
  });
}
console.log(`SCIM through app.request, mean of ${ROUNDS} requests each (Node ${process.version})`);
console.table(rows);
