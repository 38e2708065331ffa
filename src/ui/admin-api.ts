// The console's only way to change anything: the emulator's own HTTP API (admin API, control
// plane, mock IdP), called in process through the app with the console user's credentials, through
// the typed admin client wherever it has the call.
import { AdminApiError, createAdminClient, type AdminClient } from '../client/admin-client.js';
import type { AppContext } from '../http/context.js';
import type { ConsoleUser } from './console-user.js';

export interface ApiResult {
  status: number;
  ok: boolean;
  body: unknown;
  headers: Headers;
}

/** Thrown by `expectOk` when the API refused (the typed client's error); the console shows its code and message. */
export { AdminApiError as ApiRefusal };

/** The request's origin: what absolute URLs handed out (SCIM base URL, SP values) are built on. */
export const originOf = (c: AppContext) => new URL(c.req.url).origin;

/** Authorization for a console user: the admin key as a bearer token, or the member's session cookie. */
export function authHeaders(user: ConsoleUser): Record<string, string> {
  return user.kind === 'key' ? { Authorization: `Bearer ${user.adminKey}` } : { Cookie: user.cookie };
}

/**
 * Calls the emulator's HTTP surface in process (never over the network, whatever the Host). `path` is absolute on the emulator: `/w/{ws}/api/…`, `/_emulator/…`, `/idp/…`.
 */
export async function callHttp(
  c: AppContext,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  // The console is a page of this origin: it says so, as a browser would (the admin API asks it of cookies).
  const headers: Record<string, string> = { Accept: 'application/json', Origin: originOf(c), ...(options.headers ?? {}) };
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  // Always in process: the console's credentials never leave the emulator.
  const res = await c.get('core').selfFetch(
    new Request(new URL(path, originOf(c)), {
      method,
      headers,
      redirect: 'manual',
      ...(payload !== undefined ? { body: payload } : {}),
    }),
  );
  const text = await res.text();
  let body: unknown = text === '' ? undefined : text;
  if (text !== '' && /json/.test(res.headers.get('Content-Type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, ok: res.status >= 200 && res.status < 300, body, headers: res.headers };
}

/**
 * The typed admin client acting as the console user (admin key or session cookie), answered in
 * process by the app (no socket). Its refusals are `ApiRefusal`s.
 */
export function consoleClient(c: AppContext, user: ConsoleUser): AdminClient {
  return createAdminClient({
    url: originOf(c),
    // The console is a page of this origin: it says so, as a browser would (the admin API asks it of cookies).
    headers: { ...authHeaders(user), Origin: originOf(c) },
    // Always in process: the console's credentials never leave the emulator.
    fetch: (request) => c.get('core').selfFetch(new Request(request, { redirect: 'manual' })),
  });
}

/** The admin API of the console's workspace, as the console user. */
export const workspaceApi = (c: AppContext, user: ConsoleUser) => consoleClient(c, user).workspace(c.get('ws').id);

/** An admin API call as the console user. */
export function callApi(c: AppContext, user: ConsoleUser, method: string, path: string, body?: unknown): Promise<ApiResult> {
  return callHttp(c, method, path, { headers: authHeaders(user), ...(body !== undefined ? { body } : {}) });
}

/**
 * The body of a successful answer (typed by the caller: the mock IdP's routes have no typed
 * client), or an ApiRefusal carrying the API's error (`{error}`, or SCIM's `scimType`/`detail`).
 */
export function expectOk<T = unknown>(res: ApiResult): T {
  if (res.ok) return res.body as T;
  const refusal = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as {
    error?: { code?: string; message?: string };
    scimType?: string;
    detail?: string;
  };
  const code = refusal.error?.code ?? refusal.scimType ?? `http_${res.status}`;
  const message = refusal.error?.message ?? refusal.detail ?? `The request was refused with HTTP ${res.status}.`;
  throw new AdminApiError(res.status, code, message, res.body);
}
