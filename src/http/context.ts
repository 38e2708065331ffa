// The Hono environment shared by every route: the runtime core, the resolved workspace, the actor.
import type { Context } from 'hono';
import type { EmulatorCore } from '../emulator.js';
import type { WorkspaceState } from '../store/state.js';

export interface AppEnv {
  Variables: {
    core: EmulatorCore;
    /** The workspace of a `/w/{ws}/…` request. */
    ws: WorkspaceState;
    /** Who is acting, for the journal: `admin-key`, `user:<email>`, `scim:<token id>`. */
    actor: string;
    /** The built-in role an admin API request acts with (a member's session, or the admin key
     *  acting as a member); unset for the admin key itself, which has full power. */
    actorRole?: 'owner' | 'admin' | 'member' | 'analytics_viewer';
    /** True for a request the emulator dispatched to itself in process (never one from the socket). */
    inProcess: boolean;
  };
}

export type AppContext = Context<AppEnv>;

// Parsed once per request: the Host check, the SCIM routes, their request log and the conformance
// observer each read the URL of the same request. Kept on the request's context (a WeakMap entry
// per request cost the garbage collector more than the parse).
const PARSED_URL = Symbol('the parsed request URL');

/** The request's URL, parsed once per request. Shared: read it, never change it. */
export function requestUrl(c: Context): URL {
  const holder = c as Context & { [PARSED_URL]?: URL };
  let url = holder[PARSED_URL];
  if (url === undefined) {
    url = new URL(c.req.raw.url);
    holder[PARSED_URL] = url;
  }
  return url;
}
