// The console's only way to change anything: the emulator's own HTTP API (admin API, control
// plane, mock IdP), called in process through the app with the console user's credentials.
import { AdminApiError } from '../client/admin-client.js';
import type { AppContext } from '../http/context.js';
import type { ConsoleUser } from './console-auth.js';

export interface ApiResult {
  status: number;
  ok: boolean;
  body: any;
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

/** An admin API call as the console user. */
export function callApi(c: AppContext, user: ConsoleUser, method: string, path: string, body?: unknown): Promise<ApiResult> {
  return callHttp(c, method, path, { headers: authHeaders(user), ...(body !== undefined ? { body } : {}) });
}

/** The body of a successful answer, or an ApiRefusal carrying the API's error. */
export function expectOk(res: ApiResult): any {
  if (res.ok) return res.body;
  const err = res.body?.error;
  const code: string = err?.code ?? res.body?.scimType ?? `http_${res.status}`;
  const message: string = err?.message ?? res.body?.detail ?? `The request was refused with HTTP ${res.status}.`;
  throw new AdminApiError(res.status, code, message, res.body);
}
