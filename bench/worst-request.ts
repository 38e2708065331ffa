// The worst SCIM requests the limits still allow, sent over a real socket while a separate
// process polls /_emulator/health; prints each request's time and the longest health wait.
// Run: npx tsx bench/worst-request.ts
import { spawn } from 'node:child_process';
import { startEmulator } from '../src/start.js';
import { MAX_ATTRIBUTE_VALUES, MAX_FILTER_DEPTH, MAX_FILTER_TERMS, MAX_PATCH_FILTER_TERMS, MAX_PATCH_OPERATIONS } from '../src/scim/limits.js';
import { issueToken } from '../src/scim/tokens.js';
import { createUser } from '../src/scim/users.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const USERS = 5_000;
const MAX_BODY = 1024 * 1024;

// Polls health every 5 ms for `ms` in its own process (so its timer is not held up by the server)
// and prints the longest answer time.
const POLLER = `
const [url, ms] = [process.argv[1], Number(process.argv[2])];
let max = 0, n = 0;
const end = Date.now() + ms;
(async () => {
  while (Date.now() < end) {
    const t = performance.now();
    await (await fetch(url)).arrayBuffer();
    max = Math.max(max, performance.now() - t); n++;
    await new Promise((r) => setTimeout(r, 5));
  }
  process.stdout.write(JSON.stringify({ max, n }));
})();`;

function poll(url: string, ms: number): Promise<{ max: number; n: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', POLLER, `${url}/_emulator/health`, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(JSON.parse(out || '{"max":0,"n":0}')));
  });
}

const running = await startEmulator({ adminKey: 'bench-worst-request' });
const { core } = running.emulator;
const ws = core.requireWorkspace('default');
const scope = { core, ws, actor: 'bench', baseUrl: `${running.url}/w/default/scim/v2` };
for (let i = 0; i < USERS; i++) {
  createUser(scope, { schemas: [USER], userName: `user${i}@district.example`, name: { givenName: 'U', familyName: `${i}` }, emails: [{ value: `user${i}@district.example`, type: 'work' }] });
}
const emails = Array.from({ length: MAX_ATTRIBUTE_VALUES }, (_, i) => ({ value: `ada.${i}@district.example`, type: i % 2 ? 'home' : 'other' }));
const full = createUser(scope, { schemas: [USER], userName: 'ada@district.example', emails }).member.id;
const { token } = issueToken(core, ws, 'bench', 'bench');

const orChain = (terms: number, attr: string, prefix: string) => Array.from({ length: terms }, (_, i) => `${attr} eq "${prefix}${i}@district.example"`).join(' or ');
const deep = (inner: string) => `${'('.repeat(MAX_FILTER_DEPTH - 1)}${inner}${')'.repeat(MAX_FILTER_DEPTH - 1)}`;

// The value-filter budget spent in 200-term filters (each tested on every one of the user's
// values), the rest of the operations adding values that are already there.
const filterOps = Math.floor(MAX_PATCH_FILTER_TERMS / MAX_FILTER_TERMS);
const mixedOps = [
  ...Array.from({ length: filterOps }, (_, i) => ({ op: 'remove', path: `emails[${orChain(MAX_FILTER_TERMS, 'value', `none${i}.`).replaceAll(' eq ', ' co ')}]` })),
  ...Array.from({ length: MAX_PATCH_OPERATIONS - filterOps }, (_, i) => ({ op: 'add', path: 'emails', value: [emails[i % emails.length]] })),
];

const cases: { name: string; method: string; path: string; body: unknown }[] = [
  {
    name: `PATCH: ${MAX_PATCH_OPERATIONS} "add emails" ops on a user holding ${MAX_ATTRIBUTE_VALUES} emails`,
    method: 'PATCH',
    path: `/Users/${full}`,
    body: { schemas: [PATCH], Operations: Array.from({ length: MAX_PATCH_OPERATIONS }, (_, i) => ({ op: 'add', path: 'emails', value: [emails[i % emails.length]] })) },
  },
  {
    name: `PATCH: ${filterOps} ${MAX_FILTER_TERMS}-term "co" value filters + ${MAX_PATCH_OPERATIONS - filterOps} adds, ${MAX_ATTRIBUTE_VALUES} emails`,
    method: 'PATCH',
    path: `/Users/${full}`,
    body: { schemas: [PATCH], Operations: mixedOps },
  },
  {
    name: `POST /Users/.search: ${MAX_FILTER_TERMS} terms, ${MAX_FILTER_DEPTH} levels, over ${USERS + 1} users`,
    method: 'POST',
    path: '/Users/.search',
    body: { schemas: [SEARCH], filter: deep(orChain(MAX_FILTER_TERMS, 'emails.value', 'nobody')), count: 1000 },
  },
];

const rows: Record<string, string | number>[] = [];
// The same poll with nothing else running: what the machine itself adds.
const idle = await poll(running.url, 1_000);
rows.push({ request: '(none: health alone)', status: '', 'body KiB': 0, 'request ms': 0, 'max health ms': Math.round(idle.max), 'health polls': idle.n });
for (const c of cases) {
  const body = JSON.stringify(c.body);
  if (body.length > MAX_BODY) throw new Error(`${c.name}: body of ${body.length} bytes is over the 1 MiB limit`);
  const poller = poll(running.url, 1_500);
  await new Promise((r) => setTimeout(r, 300));
  const start = performance.now();
  const res = await fetch(`${running.url}/w/default/scim/v2${c.path}`, {
    method: c.method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
    body,
  });
  await res.arrayBuffer();
  const ms = performance.now() - start;
  const health = await poller;
  rows.push({ request: c.name, status: res.status, 'body KiB': Math.round(body.length / 1024), 'request ms': Math.round(ms), 'max health ms': Math.round(health.max), 'health polls': health.n });
}
console.table(rows);
console.log(`max health latency while the worst legal requests ran: ${Math.round(Math.max(...rows.slice(1).map((r) => Number(r['max health ms']))))} ms (health alone: ${Math.round(idle.max)} ms)`);
await running.stop();
