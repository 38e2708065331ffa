// Pulls a Google Workspace directory through the Admin SDK Directory API (users.list, groups.list,
// members.list with pageToken paging) with an OAuth 2.0 bearer token, retrying 401 (new token), 429
// (after Retry-After) and 5xx, into a directory snapshot; the group filter decides who is in scope.
import { EmulatorError } from '../errors.js';
import type { DirectoryGroup, DirectorySnapshot, DirectoryUser } from './apply.js';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface GooglePullOptions {
  fetch: Fetch;
  /** Origin and path prefix under which `/admin/directory/v1/…` is served (`https://admin.googleapis.com`). */
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Group names (or group emails) whose members are synced; everyone when absent. */
  groups?: string[] | undefined;
  /** Waits between attempts (replaced in tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** Attempts per request for 429 and 5xx before the sync fails. */
const MAX_ATTEMPTS = 4;
/** The longest Retry-After honoured; a longer one fails the sync and says when to try again. */
const MAX_RETRY_AFTER_S = 30;
/** Pages read per list before the sync gives up on a server that never stops paging. */
const MAX_PAGES = 10_000;
// https://developers.google.com/admin-sdk/directory/v1/guides/authorizing: read-only scopes are enough.
const SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
].join(' ');

const pullError = (code: string, status: number, message: string, details?: Record<string, unknown>) =>
  new EmulatorError({ code, status, message, ...(details ? { details } : {}) });

function googleMessage(body: unknown): string {
  const e = (body as { error?: { message?: unknown } | string; error_description?: unknown } | undefined)?.error;
  if (typeof e === 'object' && e && typeof e.message === 'string') return e.message;
  const description = (body as { error_description?: unknown } | undefined)?.error_description;
  if (typeof description === 'string') return description;
  return typeof e === 'string' ? e : '';
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text.slice(0, 200);
  }
}

class GoogleDirectoryClient {
  private token: string | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: GooglePullOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** RFC 6749 §4.4: the client credentials grant, the client authenticated with HTTP Basic (§2.3.1). */
  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${encodeURIComponent(this.o.clientId)}:${encodeURIComponent(this.o.clientSecret)}`).toString('base64');
    let res: Response;
    try {
      res = await this.o.fetch(this.o.tokenUrl, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: SCOPES }).toString(),
      });
    } catch (err) {
      throw pullError('directory_unavailable', 502, `The token endpoint ${this.o.tokenUrl} did not answer: ${err instanceof Error ? err.message : String(err)}.`);
    }
    const body = (await readJson(res)) as { access_token?: unknown } | undefined;
    if (!res.ok || typeof body?.access_token !== 'string') {
      throw pullError(
        'directory_unauthorized',
        502,
        `The token endpoint ${this.o.tokenUrl} refused the client "${this.o.clientId}" (${res.status}${googleMessage(body) ? `: ${googleMessage(body)}` : ''}); check the client id and secret of the directory connection.`,
        { status: res.status },
      );
    }
    return body.access_token;
  }

  /** One GET of the Directory API, with the retries a careful client makes. */
  async get(path: string, query: Record<string, string>): Promise<Record<string, unknown>> {
    const url = `${this.o.baseUrl.replace(/\/+$/, '')}/admin/directory/v1${path}?${new URLSearchParams(query).toString()}`;
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      this.token ??= await this.fetchToken();
      let res: Response;
      try {
        res = await this.o.fetch(url, { headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } });
      } catch (err) {
        if (attempt < MAX_ATTEMPTS) {
          await this.sleep(100 * 2 ** attempt);
          continue;
        }
        throw pullError('directory_unavailable', 502, `The Directory API at ${url} did not answer after ${attempt} attempts: ${err instanceof Error ? err.message : String(err)}.`);
      }
      if (res.ok) {
        const body = await readJson(res);
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw pullError('directory_bad_response', 502, `The Directory API answered ${path} with something that is not a JSON object.`);
        }
        return body as Record<string, unknown>;
      }
      const body = await readJson(res);
      const detail = googleMessage(body);
      const said = `${res.status}${detail ? ` (${detail})` : ''}`;
      if (res.status === 401 && !renewed) {
        // An expired or revoked token: ask for a new one once.
        renewed = true;
        this.token = undefined;
        continue;
      }
      if (res.status === 401) throw pullError('directory_unauthorized', 502, `The Directory API refused a fresh token for ${path}: ${said}.`, { status: 401 });
      if (res.status === 403) {
        throw pullError('directory_forbidden', 502, `The Directory API refused ${path}: ${said}. The client needs the Admin SDK read-only scopes and domain-wide delegation (or an admin grant).`, { status: 403 });
      }
      if (res.status === 429 || res.status >= 500) {
        const retryAfter = Number(res.headers.get('Retry-After') ?? '');
        const waitS = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : 2 ** (attempt - 1) * 0.2;
        if (attempt < MAX_ATTEMPTS && waitS <= MAX_RETRY_AFTER_S) {
          await this.sleep(waitS * 1000);
          continue;
        }
        throw pullError(
          res.status === 429 ? 'directory_rate_limited' : 'directory_unavailable',
          502,
          `The Directory API answered ${path} with ${said} ${attempt} times${res.status === 429 && Number.isFinite(retryAfter) ? ` (Retry-After ${retryAfter}s)` : ''}; nothing was changed, sync again later.`,
          { status: res.status },
        );
      }
      throw pullError('directory_request_failed', 502, `The Directory API answered ${path} with ${said}; nothing was changed.`, { status: res.status });
    }
  }

  /** Every item of a paged list (`pageToken` / `nextPageToken`). */
  async list(path: string, key: string, query: Record<string, string>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const tokens = new Set<string>();
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.get(path, { ...query, ...(pageToken !== undefined ? { pageToken } : {}) });
      const list = body[key];
      if (list !== undefined && !Array.isArray(list)) throw pullError('directory_bad_response', 502, `The Directory API's ${path} answer has "${key}" that is not a list.`);
      for (const item of list ?? []) if (typeof item === 'object' && item !== null) items.push(item as Record<string, unknown>);
      const next = body.nextPageToken;
      if (typeof next !== 'string' || next === '') return items;
      if (tokens.has(next)) throw pullError('directory_bad_response', 502, `The Directory API's ${path} paging loops (pageToken "${next}" came twice).`);
      tokens.add(next);
      pageToken = next;
    }
    throw pullError('directory_bad_response', 502, `The Directory API's ${path} has more than ${MAX_PAGES} pages.`);
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** Pulls the directory and returns who is in scope: everyone, or the members of the filtered groups. */
export async function pullGoogleDirectory(o: GooglePullOptions): Promise<DirectorySnapshot> {
  const client = new GoogleDirectoryClient(o);
  const warnings: string[] = [];
  // users.list: https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/list
  const rawUsers = await client.list('/users', 'users', { customer: 'my_customer', maxResults: '500', orderBy: 'email', projection: 'basic' });
  const users = new Map<string, DirectoryUser>();
  for (const u of rawUsers) {
    const id = str(u.id);
    const email = str(u.primaryEmail);
    if (!id || !email) {
      warnings.push(`a user without id or primaryEmail was skipped (${JSON.stringify(u).slice(0, 80)})`);
      continue;
    }
    const name = (u.name ?? {}) as Record<string, unknown>;
    users.set(id, {
      id,
      email,
      active: u.suspended !== true && u.archived !== true,
      ...(str(name.givenName) ? { givenName: str(name.givenName)! } : {}),
      ...(str(name.familyName) ? { familyName: str(name.familyName)! } : {}),
    });
  }
  // groups.list: https://developers.google.com/admin-sdk/directory/reference/rest/v1/groups/list
  const rawGroups = await client.list('/groups', 'groups', { customer: 'my_customer', maxResults: '200' });
  const wanted = o.groups?.map((g) => g.toLowerCase());
  const chosen = rawGroups.filter((g) => {
    if (!wanted) return true;
    return wanted.includes((str(g.name) ?? '').toLowerCase()) || wanted.includes((str(g.email) ?? '').toLowerCase());
  });
  if (wanted) {
    for (const name of o.groups ?? []) {
      const found = chosen.some((g) => (str(g.name) ?? '').toLowerCase() === name.toLowerCase() || (str(g.email) ?? '').toLowerCase() === name.toLowerCase());
      if (!found) warnings.push(`the filtered group "${name}" is not in the directory`);
    }
  }
  const groups: DirectoryGroup[] = [];
  for (const g of chosen) {
    const id = str(g.id);
    if (!id) continue;
    // members.list: https://developers.google.com/admin-sdk/directory/reference/rest/v1/members/list
    const members = await client.list(`/groups/${encodeURIComponent(id)}/members`, 'members', { maxResults: '200' });
    const ids: string[] = [];
    for (const m of members) {
      if (str(m.type) !== undefined && m.type !== 'USER') {
        warnings.push(`group "${str(g.name) ?? id}": nested ${String(m.type).toLowerCase()} members are not synced`);
        continue;
      }
      const memberId = str(m.id);
      if (memberId && users.has(memberId)) ids.push(memberId);
    }
    groups.push({ id, name: str(g.name) ?? str(g.email) ?? id, members: ids });
  }
  if (!wanted) return { users: [...users.values()], groups, warnings };
  // WorkOS: when groups are filtered, only users with a membership in one of them are synced.
  const inScope = new Set(groups.flatMap((g) => g.members));
  const outside = [...users.keys()].filter((id) => !inScope.has(id)).length;
  if (outside > 0) warnings.push(outside === 1 ? '1 user outside the filtered groups was not synced' : `${outside} users outside the filtered groups were not synced`);
  return { users: [...users.values()].filter((u) => inScope.has(u.id)), groups, warnings };
}
