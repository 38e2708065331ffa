// `edu-emulator conformance` in a child process against an emulator on a loopback socket: exit 1 on
// an unexpected fail, 0 once the allow-list expects it, JUnit that the scenario reporter's XSD accepts.
// Exit 1 and exit 0 are checked on the real bin; the other runs go through the CLI's main() here.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/start.js';
import { runCli } from './support/cli.js';
import { runMain } from './support/cli-in-process.js';
import { validateXml } from './support/xsd.js';


let running: RunningEmulator;
let dir: string;

beforeAll(async () => {
  running = await startEmulator({ adminKey: 'conformance-cli-key' });
  dir = await mkdtemp(join(tmpdir(), 'edu-emulator-conformance-cli-'));
  const token = (await (await fetch(`${running.url}/w/default/api/scim/tokens`, { method: 'POST', headers: { Authorization: 'Bearer conformance-cli-key', 'Content-Type': 'application/json' }, body: '{}' })).json()).token;
  const scim = (path: string, init: RequestInit = {}) => fetch(`${running.url}/w/default/scim/v2${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' } });
  expect((await scim(`/Users?filter=${encodeURIComponent('userName eq ada@example.edu')}`)).status).toBe(400);
  const created = await scim('/Users', { method: 'POST', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.edu' }) });
  const id = (await created.json()).id;
  await scim(`/Users/${id}`, { method: 'PATCH', body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] }) });
});
afterAll(async () => running?.stop());

const base = () => ['conformance', '--url', running.url, '--workspace', 'default', '--admin-key', 'conformance-cli-key'];

describe('edu-emulator conformance', () => {
  it('exits 1 on a fail nobody expected, naming the rule, the clause and the request', async () => {
    const run = await runCli([...base(), '--profile', 'entra']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('FAIL  scim.filter.unquoted_value (RFC 7644 §3.4.2.2) GET /w/default/scim/v2/Users → 400');
    expect(run.stdout).toContain('quirk scim.patch.op_case');
    expect(run.stdout).toContain('1 fail, 0 warn, 0 info, 2 known quirk');
  });

  it('exits 0 when the allow-list expects the fail, and says so', async () => {
    const file = join(dir, 'allow.yaml');
    await writeFile(file, 'allow:\n  - rule: scim.filter.unquoted_value\n    path: /w/*/scim/v2/Users\n    comment: the district IdP sends bare userNames until its next release\n');
    const run = await runCli([...base(), '--profile', 'entra', '--allow', file, '--reporter', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ profile: 'entra', unexpected: 0, allowed: 1, summary: { fail: 0, known_quirk: 3 } });
    expect(report.findings[0].source).toBe('allow-list: the district IdP sends bare userNames until its next release');
    // A path that does not match leaves the fail unexpected.
    await writeFile(file, '- rule: scim.filter.unquoted_value\n  path: /w/other/**\n  comment: another workspace\n');
    expect((await runMain([...base(), '--allow', file])).code).toBe(1);
  });

  it('writes JUnit XML the scenario reporter XSD accepts', async () => {
    const run = await runMain([...base(), '--reporter', 'junit']);
    expect(run.code).toBe(1);
    const xsd = await readFile(new URL('../fixtures/junit/junit.xsd', import.meta.url), 'utf8');
    expect(validateXml(run.stdout, xsd)).toEqual([]);
    expect(run.stdout).toContain('<testcase name="scim.filter.unquoted_value" classname="conformance.scim" time="0">');
  });

  it('says what to do on a bad flag, a bad allow-list or a wrong key (exit 2)', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, '- rule: scim.nope\n  comment: x\n');
    for (const [args, message] of [
      [[...base(), '--profile', 'azure'], /--profile must be one of rfc, entra/],
      [[...base(), '--allow', bad], /is not a conformance rule id/],
      [[...base(), '--allow', join(dir, 'missing.yaml')], /cannot read the allow-list/],
      [['conformance', '--url', running.url, '--admin-key', 'wrong'], /refused the admin key/],
      [['conformance', '--admin-key', 'k'], /needs the emulator's URL/],
    ] as const) {
      const run = await runMain([...args], { env: { EMULATOR_ADMIN_KEY: '', EMULATOR_URL: '' } });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
