// Where verification looks TXT records up: the simulated zone of the control plane by default,
// or a real DNS server (`--dns-server HOST:PORT`) through node:dns.
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export type TxtLookup = { ok: true; records: string[] } | { ok: false; error: string };

export interface TxtResolver {
  /** Human description, e.g. `simulated zone` or `DNS server 127.0.0.1:5353`. */
  readonly description: string;
  resolveTxt(name: string): Promise<TxtLookup>;
}

/** Resolves from the emulator's simulated zone (a name → TXT values map). */
export class SimulatedZoneResolver implements TxtResolver {
  readonly description = 'the simulated DNS zone (POST or PUT /_emulator/dns/{name})';
  constructor(private readonly zone: () => Record<string, string[]>) {}
  async resolveTxt(name: string): Promise<TxtLookup> {
    return { ok: true, records: [...(this.zone()[name] ?? [])] };
  }
}

/** Parses `HOST:PORT` (IPv4, or `[IPv6]:PORT`); returns null when it is not of that form. */
export function parseDnsServer(text: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const host = (m[1] ?? m[2])!;
  const port = Number(m[3]);
  if (!isIP(host) || port < 1 || port > 65535) return null;
  return { host, port };
}

/** Real DNS queries to one server; TXT character-strings of a record are joined (RFC 7208 §3.3). */
export class DnsServerResolver implements TxtResolver {
  readonly description: string;
  private readonly resolver: Resolver;

  constructor(server: { host: string; port: number }, timeoutMs = 2_000) {
    const hostPort = server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
    this.description = `DNS server ${hostPort}`;
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    this.resolver.setServers([hostPort]);
  }

  async resolveTxt(name: string): Promise<TxtLookup> {
    try {
      const records = await this.resolver.resolveTxt(name);
      return { ok: true, records: records.map((chunks) => chunks.join('')) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // No such name, or no TXT at it: an answer, just an empty one.
      if (code === 'ENOTFOUND' || code === 'ENODATA') return { ok: true, records: [] };
      return { ok: false, error: `${this.description} did not answer for ${name} (${code ?? String(e)})` };
    }
  }
}
