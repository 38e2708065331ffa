// Which Host names the emulator answers on its socket (a DNS-rebinding defence, as Vite's
// `server.allowedHosts`) and which origins are its own, derived from that list, never from requests.
import { isIP } from 'node:net';
import { hostname as machineHostname } from 'node:os';

/** `--allowed-hosts all` / `EMULATOR_ALLOWED_HOSTS=all`: no Host check at all. */
export const ALL_HOSTS = 'all';

/** The names answered without configuration: loopback names and addresses, and this machine's name. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['localhost', '*.localhost', '127.0.0.1', '::1'];

// In-process origins remembered from requests made by code in this process (app.request, MSW).
const MAX_IN_PROCESS_ORIGINS = 64;

/** A host name as URL.hostname spells it: lower case, IPv6 in brackets, no trailing dot. */
export function canonicalHostname(name: string): string {
  let h = name.trim().toLowerCase().replace(/\.$/, '');
  // Only an IPv6 address has a colon. Names, and ::1 of the defaults, skip isIP's IPv6 pattern:
  // compiling it is about 10 ms of a start.
  if (h === '::1') return '[::1]';
  if (h.includes(':') && isIP(h) === 6) h = `[${h}]`;
  return h;
}

/**
 * Parses an `--allowed-hosts` value: `all`, or names separated by commas. A name may start with
 * `*.` (every sub-domain) or `.` (the domain and every sub-domain), as in Vite.
 * @throws TypeError naming the bad entry.
 */
export function parseAllowedHosts(value: string): string[] | typeof ALL_HOSTS {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.some((s) => s.toLowerCase() === ALL_HOSTS)) return ALL_HOSTS;
  for (const item of items) {
    const bare = item.replace(/^\*?\./, '');
    if (isIP(bare) === 0 && !/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/.test(bare)) {
      throw new TypeError(`"${item}" is not a host name, *.domain, .domain or IP address.`);
    }
  }
  return items;
}

/** The emulator's Host allow-list and own origins. */
export class HostPolicy {
  /** True with `all`: every Host is answered (no DNS-rebinding defence). */
  readonly allowAll: boolean;
  private readonly names = new Set<string>();
  /** `.example.com` for `*.example.com` (sub-domains only) … */
  private readonly subdomainSuffixes: string[] = [];
  /** … and for `.example.com` (the domain and its sub-domains). */
  private readonly domainSuffixes: string[] = [];
  private readonly ports = new Set<string>();
  private readonly inProcessOrigins = new Set<string>();

  constructor(extra: readonly string[] | typeof ALL_HOSTS = []) {
    this.allowAll = extra === ALL_HOSTS;
    for (const name of DEFAULT_ALLOWED_HOSTS) this.allow(name);
    const machine = machineHostname();
    if (machine) this.allow(machine);
    if (extra !== ALL_HOSTS) for (const name of extra) this.allow(name);
  }

  /** Adds a name (`host`, `*.domain` or `.domain`) to the list. */
  allow(name: string): void {
    if (name.startsWith('*.')) this.subdomainSuffixes.push(canonicalHostname(name.slice(1)));
    else if (name.startsWith('.')) this.domainSuffixes.push(canonicalHostname(name));
    else this.names.add(canonicalHostname(name));
  }

  /** Records the socket the emulator listens on: its address becomes an allowed name, its port an own port. */
  listeningOn(address: string, port: number): void {
    if (address !== '0.0.0.0' && address !== '::') this.allow(address);
    this.ports.add(String(port));
  }

  /** Whether a host name is on the list (ignoring `all`). */
  listed(hostname: string): boolean {
    const h = canonicalHostname(hostname);
    if (this.names.has(h)) return true;
    if (this.subdomainSuffixes.some((s) => h.endsWith(s) && h.length > s.length)) return true;
    return this.domainSuffixes.some((s) => h.endsWith(s) || h === s.slice(1));
  }

  /**
   * Whether a request for `hostname` may be answered: listed names, and IP addresses (a Host that
   * is an address cannot be the result of DNS rebinding), or anything with `all`.
   */
  allows(hostname: string): boolean {
    if (this.allowAll) return true;
    const bare = hostname.replace(/^\[|\]$/g, '');
    return isIP(bare) !== 0 || this.listed(hostname);
  }

  /** Remembers the origin of a request made in this process (not over the socket). */
  rememberInProcessOrigin(origin: string): void {
    if (this.inProcessOrigins.size < MAX_IN_PROCESS_ORIGINS) this.inProcessOrigins.add(origin);
  }

  /**
   * Whether a URL is the emulator itself: a listed name on the port it listens on, or an origin
   * that code in this process used to call it in process (app.request, MSW's base URL).
   */
  isOwnOrigin(url: URL): boolean {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    if (this.inProcessOrigins.has(url.origin)) return true;
    return url.port !== '' && this.ports.has(url.port) && this.listed(url.hostname);
  }
}
