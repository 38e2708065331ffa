// `edu-emulator serve` as a user runs it: the listening line, flags and env vars, the default
// store surviving a restart, refusals that name the problem and the fix, graceful shutdown.
// The table of argument refusals goes through the CLI's main() in this process; exit 2 and its
// one stderr line on the real bin are checked by the --fsync refusal.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startServe, type ServeProcess } from './support/cli.js';
import { runMain } from './support/cli-in-process.js';

const running: ServeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
const serve = async (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) => {
  const p = await startServe(args, opts);
  running.push(p);
  return p;
};
const tmp = () => mkdtemp(join(tmpdir(), 'edu-emulator-cli-'));

async function api(p: ServeProcess, method: string, path: string, body?: unknown) {
  const res = await fetch(`${p.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${p.adminKey}`, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('edu-emulator serve', () => {
  it('prints exactly one listening line first, then the key and URLs; health answers within 2 s', async () => {
    const p = await serve(['--port', '0', '--memory']);
    const lines = p.stdout().split('\n');
    expect(lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.filter((l) => l.startsWith('listening on'))).toHaveLength(1);
    expect(p.url).not.toMatch(/:0$/);
    const started = Date.now();
    const res = await fetch(`${p.url}/_emulator/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(p.stdout()).toContain(`${p.url}/w/default`);
    expect(p.stdout()).toMatch(/store:\s+memory/);
  });

  it('takes its settings from env vars, and flags win over them', async () => {
    const p = await serve([], { env: { EMULATOR_PORT: '0', EMULATOR_MEMORY: '1', EMULATOR_ADMIN_KEY: 'env-key-12345' } });
    expect(p.adminKey).toBe('env-key-12345');
    const q = await serve(['--admin-key', 'flag-key-12345'], { env: { EMULATOR_PORT: '0', EMULATOR_MEMORY: '1', EMULATOR_ADMIN_KEY: 'env-key-12345' } });
    expect(q.adminKey).toBe('flag-key-12345');
    expect((await api(q, 'GET', '/_emulator/workspaces')).status).toBe(200);
  });

  it('keeps workspaces and domains across a restart on the default store, saved on SIGTERM', async () => {
    const cwd = await tmp();
    const first = await serve(['--port', '0'], { cwd });
    expect(first.stdout()).toContain(join(cwd, '.emulator', 'state.json'));
    await api(first, 'POST', '/_emulator/workspaces', { id: 'springfield', name: 'Springfield' });
    const d = (await api(first, 'POST', '/w/springfield/api/domains', { domain: 'springfield.k12.us' })).body;
    await api(first, 'PUT', '/_emulator/dns/springfield.k12.us', { txt: [d.txt.value] });
    await api(first, 'POST', '/w/springfield/api/domains/springfield.k12.us/verify');
    await api(first, 'POST', '/w/springfield/api/domains', { domain: 'pending.example' });
    running.pop();
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await serve(['--port', '0'], { cwd });
    expect((await api(second, 'GET', '/_emulator/workspaces/springfield')).body.name).toBe('Springfield');
    const domains = (await api(second, 'GET', '/w/springfield/api/domains')).body.domains;
    expect(domains.map((x: { domain: string; status: string }) => [x.domain, x.status])).toEqual([
      ['pending.example', 'pending'],
      ['springfield.k12.us', 'verified'],
    ]);
    expect((await api(second, 'POST', '/w/default/api/domains', { domain: 'springfield.k12.us' })).body.error.code).toBe('domain_claimed');
  });

  it('saves a change before answering it: it survives kill -9 right after the answer, and a stop writes it into the state file', async () => {
    const cwd = await tmp();
    const p = await serve(['--port', '0', '--data', 'my-state.json'], { cwd });
    expect(p.stdout()).toMatch(/store:\s+\S+my-state\.json \(journal fsync: interval\)/);
    expect((await api(p, 'POST', '/_emulator/workspaces', { id: 'quick' })).status).toBe(201);
    running.pop();
    p.child.kill('SIGKILL');
    await p.exited;
    const q = await serve(['--port', '0', '--data', 'my-state.json'], { cwd });
    expect((await api(q, 'GET', '/_emulator/workspaces/quick')).status).toBe(200);
    running.pop();
    expect(await q.stop('SIGTERM')).toBe(0);
    const saved = JSON.parse(await readFile(join(cwd, 'my-state.json'), 'utf8'));
    expect(saved.workspaces.quick).toBeDefined();
  });

  it('refuses an unknown --fsync mode, naming the choices', async () => {
    const res = await runCli(['serve', '--port', '0', '--memory', '--fsync', 'sometimes']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--fsync must be always, interval or never, got "sometimes"/);
  });

  it('stops on SIGINT with exit 0', async () => {
    const p = await serve(['--port', '0', '--memory']);
    running.pop();
    expect(await p.stop('SIGINT')).toBe(0);
  });

  it.each([
    ['corrupt', '{"format":"edu-workspace-emulator/state","workspaces":{', /is not valid JSON/],
    ['foreign', '{"compilerOptions":{}}', /not an edu-workspace-emulator state file/],
  ])('refuses a %s data file with one clear line and leaves it untouched', async (_kind, content, message) => {
    const cwd = await tmp();
    const file = join(cwd, 'state.json');
    await writeFile(file, content);
    const res = await runCli(['serve', '--port', '0', '--data', file], { cwd });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).toContain(file);
    expect(res.stderr).toMatch(/--memory/);
    expect(await readFile(file, 'utf8')).toBe(content);
  });

  it('says so when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const res = await runCli(['serve', '--port', String(port), '--memory']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use.*--port 0`));
      expect(res.stdout).toBe('');
    } finally {
      blocker.close();
    }
  });

  it.each([
    [['serve', '--prot', '4000'], /Unknown option '--prot'.*--help/],
    [['serve', '--port', 'abc'], /--port must be a whole number/],
    [['serve', '--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['serve', '--memory', '--data', 'x.json'], /--data and --memory exclude each other/],
    [['serve', '--dns-server', 'dns.example:53'], /--dns-server must be HOST:PORT with an IP address/],
    [['serve', '--admin-key', 'short'], /--admin-key must be 8 to 200 characters/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('refuses %j with exit 2 and one line saying what to do', async (args, message) => {
    const res = await runMain(args);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
  });

  it('prints help and version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/edu-emulator serve \[--port 4000\]/);
    expect(help.stdout).toMatch(/EMULATOR_ADMIN_KEY/);
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
