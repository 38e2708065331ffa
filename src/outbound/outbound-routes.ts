// Outbound routing: the emulator's own outgoing requests (OIDC discovery, JWKS, metadata URLs) to
// chosen hosts are answered in process, so a mock IdP can stand under a real vendor's host name.

/** Something that answers a Request in process, e.g. a Hono app. */
export interface FetchHandler {
  fetch(request: Request): Response | Promise<Response>;
}

/**
 * Where requests to a host go: a path on the emulator itself (`'/idp/entra'`), another base URL
 * (`'http://127.0.0.1:5000/mock'`), or an in-process handler such as a Hono app.
 */
export type OutboundTarget = string | FetchHandler;

/**
 * Outbound routes, keyed by a host name (`'login.microsoftonline.com'`), an origin
 * (`'https://login.microsoftonline.com'`) or a URL prefix
 * (`'https://login.microsoftonline.com/<tenant>/v2.0'`). The longest matching key wins; the part
 * of the URL it matched is replaced by the target.
 */
export type OutboundRoutes = Record<string, OutboundTarget>;

type OutboundFetch = (url: string, init?: RequestInit) => Promise<Response>;

interface CompiledRoute {
  key: string;
  protocol: string | undefined;
  host: string;
  path: string;
  target: OutboundTarget;
}

function compile(key: string, target: OutboundTarget): CompiledRoute {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(key);
  let url: URL;
  try {
    url = new URL(hasScheme ? key : `https://${key}`);
  } catch {
    throw new TypeError(`outbound route "${key}" is not a host name, origin or URL prefix, e.g. "login.microsoftonline.com" or "https://login.microsoftonline.com/<tenant>/v2.0".`);
  }
  if (url.search || url.hash) throw new TypeError(`outbound route "${key}" must not carry a query or fragment: give a host, origin or path prefix.`);
  if (typeof target === 'string' && !target.startsWith('/') && !/^https?:\/\//i.test(target)) {
    throw new TypeError(`outbound target "${target}" for "${key}" must be a path on the emulator ("/idp/<id>") or an http(s) URL.`);
  }
  return { key, protocol: hasScheme ? url.protocol : undefined, host: url.host, path: url.pathname.replace(/\/+$/, ''), target };
}

function matches(route: CompiledRoute, url: URL): boolean {
  if (route.protocol !== undefined && url.protocol !== route.protocol) return false;
  if (url.host !== route.host) return false;
  return route.path === '' || url.pathname === route.path || url.pathname.startsWith(`${route.path}/`);
}

/**
 * Wraps an outbound fetch so requests matching `routes` are rewritten onto their target; the
 * rest go to `next`. `self` answers paths on the emulator itself (its `app.fetch`).
 * In-process targets see the original host (and a `Forwarded` header naming it), so links they
 * build under that host come back here too.
 */
export function routeOutbound(routes: OutboundRoutes, next: OutboundFetch, self: FetchHandler['fetch']): OutboundFetch {
  const compiled = Object.entries(routes)
    .map(([key, target]) => compile(key, target))
    .sort((a, b) => b.path.length - a.path.length);
  return async (url, init) => {
    const parsed = new URL(url);
    const route = compiled.find((r) => matches(r, parsed));
    if (!route) return next(url, init);
    const rest = parsed.pathname.slice(route.path.length);
    const tail = `${rest.startsWith('/') || rest === '' ? rest : `/${rest}`}${parsed.search}`;
    const { target } = route;
    if (typeof target === 'string' && !target.startsWith('/')) {
      return next(`${target.replace(/\/+$/, '')}${tail}`, init);
    }
    const path = typeof target === 'string' ? `${target.replace(/\/+$/, '')}${tail}` : tail;
    const request = new Request(new URL(path || '/', parsed.origin), init);
    request.headers.set('Forwarded', `host="${parsed.host}";proto=${parsed.protocol.slice(0, -1)}`);
    // The path the route stands for at the vendor's host, so a mock IdP can name itself by it
    // (an issuer such as https://login.microsoftonline.com/<tenant>/v2.0).
    if (typeof target === 'string') request.headers.set('X-Forwarded-Prefix', route.path || '/');
    return typeof target === 'string' ? self(request) : target.fetch(request);
  };
}
