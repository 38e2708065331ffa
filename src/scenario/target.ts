// Where a scenario runs: in process through the app factory (no socket), or against a running
// emulator over HTTP (`--target URL --admin-key KEY`). Both speak the same HTTP.

export interface RunTarget {
  /** The origin absolute URLs are built on (SCIM base URL, redirects). */
  readonly origin: string;
  readonly adminKey: string;
  /** Requests a path (`/w/…`) or an absolute URL on the emulator. */
  fetch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
  /** Lets go of what the target holds (an emulator made for one scenario), when the runner made it. */
  close?(): Promise<void>;
}

/** What an in-process target needs of an emulator (an `Emulator` from createEmulator is one). */
export interface InProcessEmulator {
  readonly adminKey: string;
  readonly app: { request(url: string, init?: RequestInit): Response | Promise<Response> };
}

/** The app in process; `origin` is the URL the emulator is known by (its served URL, if served). */
export function inProcessTarget(emulator: InProcessEmulator, origin = 'http://localhost'): RunTarget {
  return {
    origin,
    adminKey: emulator.adminKey,
    fetch: async (p, init) => emulator.app.request(new URL(p, origin).href, withContentLength(init)),
  };
}

// A client on a socket states its body's length (RFC 9110 §8.6), as the remote target's fetch
// does; in process the request says it too, so the 1 MiB body check reads the header instead of
// copying the body through a counting stream into a new Request. The length is the body's own,
// whatever a scenario's headers say: a lie would carry a body past the limit.
function withContentLength(init: RequestInit | undefined): RequestInit | undefined {
  if (typeof init?.body !== 'string') return init;
  const headers = new Headers(init.headers);
  headers.set('content-length', String(Buffer.byteLength(init.body)));
  return { ...init, headers };
}

export function remoteTarget(url: string, adminKey: string): RunTarget {
  const origin = new URL(url).origin;
  return {
    origin,
    adminKey,
    fetch: (p, init) => fetch(new URL(p, origin), { redirect: 'manual', ...init }),
  };
}
