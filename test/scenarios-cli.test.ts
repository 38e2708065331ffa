// `edu-emulator run` and `validate` as CI uses them: the bundled scenarios pass, JUnit output is
// schema-valid, a wrong expectation fails with a readable diff, invalid files exit 2 with every
// problem, parallel runs give the same results as serial ones, and --target runs over HTTP.
// Each exit status (0, 1, 2) is checked once on the real bin in a child process; the other runs
// go through the CLI's main() in this process (same command code, no cold start per run).
import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../src/scenario/schema.js';
import { runCli, startServe } from './support/cli.js';
import { runMain } from './support/cli-in-process.js';
import { validateXml } from './support/xsd.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCENARIOS = join(ROOT, 'scenarios');
const tmp = () => mkdtemp(join(tmpdir(), 'edu-emulator-scenarios-'));


describe('edu-emulator run scenarios/', () => {
  it('passes every bundled scenario and writes JUnit XML a schema validator accepts', async () => {
    const dir = await tmp();
    const out = join(dir, 'r.xml');
    const res = await runCli(['run', 'scenarios/', '--reporter', 'junit', '--out', out], { cwd: ROOT });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const files = (await readdir(SCENARIOS)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(13);
    expect(res.stdout).toContain(`scenarios: ${files.length} passed, 0 failed`);
    const xml = await readFile(out, 'utf8');
    const xsd = await readFile(join(ROOT, 'fixtures/junit/junit.xsd'), 'utf8');
    expect(validateXml(xml, xsd)).toEqual([]);
    expect((xml.match(/<testsuite /g) ?? []).length).toBe(files.length);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(files.length);
    expect(xml).toContain('failures="0"');
    // The validator does refuse what the schema forbids.
    expect(validateXml(xml.replace(/ hostname="[^"]*"/, ''), xsd).length).toBeGreaterThan(0);
  }, 120_000);

  it('fails a copy with one wrong expectation: exit 1, the field, expected and actual values and the line', async () => {
    const dir = await tmp();
    const original = await readFile(join(SCENARIOS, '01-district-rollout.yaml'), 'utf8');
    const wrong = original.replace(
      '  - sign_in: { user: tom@springfield.k12.us, method: password }\n    expect: { outcome: denied, reason: sso_required }',
      '  - sign_in: { user: tom@springfield.k12.us, method: password }\n    expect: { outcome: denied, reason: invalid_credentials }',
    );
    expect(wrong).not.toBe(original);
    const line = wrong.split('\n').findIndex((l) => l.includes('reason: invalid_credentials'));
    const file = join(dir, 'wrong.yaml');
    await writeFile(file, wrong);
    const res = await runCli(['run', file, '--reporter', 'pretty']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('reason: expected "invalid_credentials", got "sso_required"');
    expect(res.stdout).toContain(`wrong.yaml:${line}`);
    expect(res.stdout).toMatch(/scenarios: 0 passed, 1 failed/);
    const junit = await runMain(['run', file, '--reporter', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toMatch(/<failure message="sign_in at line \d+: expectation not met" type="expectation">/);
  }, 60_000);

  it('stops at three mistakes with exit 2 and three file:line:col messages (run and validate alike)', async () => {
    const dir = await tmp();
    const file = join(dir, 'broken.yaml');
    await writeFile(
      file,
      ['name: Broken', 'steps:', '  - verify_domain: springfield.k12.us', '  - sing_in: { user: ada@springfield.k12.us, method: sso }', '  - advance_clock: 8', '  - create_role: { permissions: {} }', ''].join('\n'),
    );
    for (const command of ['validate', 'run']) {
      const res = command === 'validate' ? await runCli([command, file]) : await runMain([command, file]);
      expect(res.code).toBe(2);
      const lines = res.stderr.split('\n').filter((l) => l.startsWith(file));
      expect(lines).toEqual([
        `${file}:4:5 unknown step "sing_in"; did you mean "sign_in"?`,
        `${file}:5:20 step 3 advance_clock: expected string, received number`,
        `${file}:6:18 step 4 create_role.name: is required`,
      ]);
    }
    const ok = await runMain(['validate', SCENARIOS]);
    expect(ok.code).toBe(0);
  }, 60_000);

  it('gives the same results for ten scenarios run in parallel as one by one', async () => {
    const parallel = await runMain(['run', SCENARIOS, '--reporter', 'json', '--concurrency', '10']);
    const serial = await runMain(['run', SCENARIOS, '--reporter', 'json', '--concurrency', '1']);
    expect(parallel.code).toBe(0);
    expect(serial.code).toBe(0);
    const shape = (text: string) =>
      (JSON.parse(text).scenarios as { name: string; status: string; steps: { line: number; status: string }[] }[]).map((s) => ({
        name: s.name,
        status: s.status,
        steps: s.steps.map((st) => `${st.line}:${st.status}`),
      }));
    const files = (await readdir(SCENARIOS)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(shape(parallel.stdout)).toHaveLength(files.length);
    expect(shape(parallel.stdout)).toEqual(shape(serial.stdout));
  }, 120_000);

  it('runs the same file against a running emulator with --target, and exits 2 when it is unreachable', async () => {
    const server = await startServe(['--port', '0', '--memory']);
    try {
      const res = await runMain(['run', join(SCENARIOS, '01-district-rollout.yaml'), join(SCENARIOS, '09-clever-oidc.yaml'), '--target', server.url, '--admin-key', server.adminKey]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/scenarios: 2 passed, 0 failed/);
      const wrongKey = await runMain(['run', join(SCENARIOS, '07-domain-expiry.yaml'), '--target', server.url, '--admin-key', 'not-the-key']);
      expect(wrongKey.code).toBe(2);
      expect(wrongKey.stderr).toMatch(/refused the admin key/);
    } finally {
      await server.stop();
    }
    const gone = await runMain(['run', join(SCENARIOS, '07-domain-expiry.yaml'), '--target', server.url, '--admin-key', 'whatever-key']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/cannot reach the emulator/);
  }, 60_000);

  it('filters scenarios by name and bails after the first failure', async () => {
    const dir = await tmp();
    await cp(SCENARIOS, dir, { recursive: true });
    const text = await readFile(join(dir, '07-domain-expiry.yaml'), 'utf8');
    await writeFile(join(dir, '07-domain-expiry.yaml'), text.replace('expect: { status: 409, body: { error: { code: domain_expired } } }', 'expect: { status: 200 }'));
    const filtered = await runMain(['run', dir, '--filter', 'domain verification', '--reporter', 'json']);
    expect(filtered.code).toBe(1);
    expect(JSON.parse(filtered.stdout).scenarios.map((s: { name: string }) => s.name)).toEqual(['Domain verification and expiry']);
    const bail = await runMain(['run', dir, '--bail', '--concurrency', '1', '--reporter', 'json']);
    const statuses = JSON.parse(bail.stdout).scenarios.map((s: { status: string }) => s.status);
    expect(statuses.indexOf('failed')).toBe(6);
    expect(statuses.slice(7).every((s: string) => s === 'skipped')).toBe(true);
  }, 120_000);
});

describe('edu-emulator serve --scenario', () => {
  it('starts from a ready district: the scenario set up without its expectations', async () => {
    const server = await startServe(['--port', '0', '--memory', '--scenario', join(SCENARIOS, '01-district-rollout.yaml')]);
    try {
      await expect.poll(() => server.stdout(), { timeout: 10_000 }).toMatch(/scenario:\s+"District rollout \(five-step plan\)" set up in (\S+)/);
      const base = /set up in (\S+)/.exec(server.stdout())![1]!;
      const res = await fetch(`${base}/api/users?email=ada@springfield.k12.us`, { headers: { Authorization: `Bearer ${server.adminKey}` } });
      expect(((await res.json()) as any).users[0]).toMatchObject({ source: 'scim', status: 'active', role: 'owner' });
      const sso = (await (await fetch(`${base}/api/sso`, { headers: { Authorization: `Bearer ${server.adminKey}` } })).json()) as any;
      expect(sso).toMatchObject({ configured: true, enforcement: 'sso_only', entityId: `${base}/sso/saml/metadata` });
    } finally {
      await server.stop();
    }
    // Refused before anything listens: in process (exit 2 on the real bin is checked by `validate` above).
    const bad = await runMain(['serve', '--port', '0', '--memory', '--scenario', join(ROOT, 'package.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a valid scenario/);
  }, 60_000);
});

describe('scenarios/schema.json', () => {
  it('is the JSON Schema generated from the zod schema (run `edu-emulator schema > scenarios/schema.json` after a change)', async () => {
    const committed = JSON.parse(await readFile(join(SCENARIOS, 'schema.json'), 'utf8'));
    expect(committed).toEqual(scenarioJsonSchema());
  });
});
