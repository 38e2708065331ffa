// Finding 5 (issue 14): any Host header was accepted on the socket (DNS rebinding), the SP values
// were built from it, and made-up Hosts grew the emulator's "own origin" list until the console
// sent the admin key to a foreign origin. Now only allowed Hosts are answered (421 otherwise).
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../src/cli/main.js';
import { startEmulator, type RunningEmulator } from '../../src/start.js';

/** A GET over the socket with a Host header of our choosing (fetch would set its own). */
function get(url: string, path: string, host: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers: { Host: host, Accept: 'application/json', ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function start(options: Parameters<typeof startEmulator>[0] = {}) {
  const outbound: string[] = [];
  const r = await startEmulator({
    adminKey: 'host-check-key',
    fetch: async (url) => {
      outbound.push(url);
      return new Response('not here', { status: 502 });
    },
    ...options,
  });
  running.push(r);
  return { ...r, outbound, port: new URL(r.url).port };
}

describe('Host allow-list on the socket', () => {
  it('answers 421 to a Host it does not know, naming --allowed-hosts, and builds no SP values from it', async () => {
    const { url, port } = await start();
    const res = await get(url, '/w/default/sso/saml/metadata', `rebound.attacker.example:${port}`);
    expect(res.status).toBe(421);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'host_not_allowed' });
    expect(res.body).toContain('--allowed-hosts');
    expect(res.body).not.toContain('EntityDescriptor');
  });

  it('answers the loopback names by default', async () => {
    const { url, port } = await start();
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`, `[::1]:${port}`]) {
      expect((await get(url, '/_emulator/health', host)).status, host).toBe(200);
    }
  });

  it('never learns its own origins from Host headers: after many made-up Hosts the console stays in process', async () => {
    const { url, port, outbound } = await start();
    for (let i = 0; i < 70; i++) expect((await get(url, '/_emulator/health', `h${i}.attacker.example:${port}`)).status).toBe(421);
    const console = await get(url, '/w/default/admin', `127.0.0.1:${port}`, { Authorization: 'Bearer host-check-key', Accept: 'text/html' });
    expect(console.status).toBe(200);
    expect(outbound).toEqual([]);
  });

  it('answers names added with allowedHosts, and any Host with "all"', async () => {
    const named = await start({ allowedHosts: ['emulator', '*.example.test'] });
    expect((await get(named.url, '/_emulator/health', `emulator:${named.port}`)).status).toBe(200);
    expect((await get(named.url, '/_emulator/health', `a.example.test:${named.port}`)).status).toBe(200);
    expect((await get(named.url, '/_emulator/health', `other:${named.port}`)).status).toBe(421);
    const all = await start({ allowedHosts: 'all' });
    expect((await get(all.url, '/_emulator/health', `anything.example:${all.port}`)).status).toBe(200);
  });

  it('reads --allowed-hosts and EMULATOR_ALLOWED_HOSTS', () => {
    expect(parseServeArgs(['--allowed-hosts', 'emulator, *.test'], {}).allowedHosts).toEqual(['emulator', '*.test']);
    expect(parseServeArgs([], { EMULATOR_ALLOWED_HOSTS: 'all' }).allowedHosts).toBe('all');
    expect(() => parseServeArgs(['--allowed-hosts', 'bad host/'], {})).toThrow(/--allowed-hosts/);
  });
});
