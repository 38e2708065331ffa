// Domain verification against a real DNS server on loopback (dns2), through `--dns-server`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsServerResolver, parseDnsServer } from '../src/domains/resolver.js';
import { startServe, type ServeProcess } from './support/cli.js';
import { startDnsServer, type TestDnsServer } from './support/dns-server.js';

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
});

describe('TXT lookups through a real DNS server', () => {
  it('joins the character-strings of a record and treats NXDOMAIN as no records', async () => {
    dns.zone.set('chunks.example', [['openai-domain-verification=', 'dv-abc'], ['v=spf1 -all']]);
    const resolver = new DnsServerResolver(parseDnsServer(dns.address)!);
    expect(await resolver.resolveTxt('chunks.example')).toEqual({ ok: true, records: ['openai-domain-verification=dv-abc', 'v=spf1 -all'] });
    expect(await resolver.resolveTxt('missing.example')).toEqual({ ok: true, records: [] });
  });

  it('reports a server that does not answer as a lookup failure', async () => {
    const silent = new DnsServerResolver({ host: '127.0.0.1', port: 9 }, 300);
    const res = await silent.resolveTxt('x.example');
    expect(res.ok).toBe(false);
  });

  it('verifies a domain end to end with edu-emulator serve --dns-server', async () => {
    let p: ServeProcess | undefined;
    try {
      p = await startServe(['--port', '0', '--memory', '--dns-server', dns.address]);
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${p!.url}${path}`, {
          method,
          headers: { Authorization: `Bearer ${p!.adminKey}`, 'Content-Type': 'application/json' },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        return { status: res.status, body: (await res.json()) as any };
      };
      const added = await call('POST', '/w/default/api/domains', { domain: 'Riverside.K12.ca.us' });
      expect(added.status).toBe(201);
      const miss = await call('POST', '/w/default/api/domains/riverside.k12.ca.us/verify');
      expect(miss.body).toMatchObject({ status: 'pending', found: [], reason: 'txt_not_found' });
      expect(miss.body.message).toContain(`DNS server ${dns.address}`);
      expect(dns.queries).toContain('riverside.k12.ca.us');

      // The simulated zone is not consulted when a real server is configured.
      await call('PUT', '/_emulator/dns/riverside.k12.ca.us', { txt: [added.body.txt.value] });
      expect((await call('POST', '/w/default/api/domains/riverside.k12.ca.us/verify')).body.status).toBe('pending');

      const value: string = added.body.txt.value;
      dns.zone.set('riverside.k12.ca.us', [['google-site-verification=xyz'], [value.slice(0, 20), value.slice(20)]]);
      const ok = await call('POST', '/w/default/api/domains/riverside.k12.ca.us/verify');
      expect(ok.body.status).toBe('verified');
    } finally {
      await p?.stop();
    }
  });
});
