// One scenario's running context: its own workspace and mock IdP on a target, its variables,
// and the HTTP calls every step makes through the emulator's public API.
import type { LoadedScenario } from './load.js';
import type { RunTarget } from './target.js';

export interface HttpResult {
  status: number;
  body: any;
  headers: Record<string, string>;
}

/** A step that cannot go on (not an expectation mismatch): the message says why. */
export class StepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepError';
  }
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30) || 'scenario';

export class ScenarioContext {
  readonly ws: string;
  readonly idp: string | undefined;
  scimToken: string | undefined;
  readonly vars: Record<string, unknown> = {};
  /** Passwords given in invite steps, by lower-case email. */
  readonly passwords = new Map<string, string>();
  /** The member the current step acts as (`as: EMAIL`): its admin API calls carry X-Emulator-Act-As. */
  actAs: string | undefined;

  constructor(
    readonly target: RunTarget,
    readonly scenario: LoadedScenario,
    id?: string,
  ) {
    this.ws = id ?? `sc-${slug(scenario.name)}-${Math.random().toString(36).slice(2, 8)}`;
    this.idp = scenario.doc.idp ? this.ws : undefined;
  }

  /**
   * An HTTP call to the emulator; `auth` picks the admin key, the scenario's SCIM token, or none.
   * With the admin key on the workspace admin API, the step's `as:` member is acted as unless `asKey`.
   */
  async call(
    method: string,
    path: string,
    body?: unknown,
    auth: 'admin' | 'scim' | 'none' = 'admin',
    headers: Record<string, string> = {},
    asKey = false,
  ): Promise<HttpResult> {
    const h: Record<string, string> = { ...headers };
    if (auth === 'admin') h.Authorization = `Bearer ${this.target.adminKey}`;
    if (auth === 'admin' && !asKey && this.actAs && path.startsWith(`/w/${this.ws}/api/`)) h['X-Emulator-Act-As'] ??= this.actAs;
    if (auth === 'scim') {
      if (!this.scimToken) await this.ensureScimToken();
      h.Authorization = `Bearer ${this.scimToken}`;
    }
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['Content-Type'] ??= auth === 'scim' ? 'application/scim+json' : 'application/json';
    }
    const res = await this.target.fetch(path, { method: method.toUpperCase(), headers: h, ...(payload !== undefined ? { body: payload } : {}), redirect: 'manual' });
    return toResult(res);
  }

  api(method: string, sub: string, body?: unknown) {
    return this.call(method, `/w/${this.ws}/api${sub}`, body);
  }

  /** An admin API call with the admin key's own power: the runner's lookups, never acted as. */
  private keyApi(method: string, sub: string, body?: unknown) {
    return this.call(method, `/w/${this.ws}/api${sub}`, body, 'admin', {}, true);
  }

  idpCall(method: string, sub: string, body?: unknown) {
    if (!this.idp) throw new StepError('this step needs the scenario\'s identity provider: add an `idp:` section to the scenario');
    return this.call(method, `/idp/${this.idp}${sub}`, body);
  }

  /** Creates a SCIM token for the scenario when it has none yet. */
  async ensureScimToken(): Promise<string> {
    if (!this.scimToken) {
      const res = await this.keyApi('POST', '/scim/tokens', { name: 'scenario' });
      if (res.status !== 201) throw new StepError(`could not create a SCIM token: HTTP ${res.status} ${describeError(res)}`);
      this.scimToken = res.body.token as string;
    }
    return this.scimToken;
  }

  async member(email: string): Promise<any | undefined> {
    const res = await this.keyApi('GET', `/users?email=${encodeURIComponent(email)}`);
    return res.body?.users?.[0];
  }

  async requireMember(email: string): Promise<any> {
    const m = await this.member(email);
    if (!m) throw new StepError(`${email} is not a member of the workspace`);
    return m;
  }

  /** A group by display name; `source` settles a name that a local and a SCIM group share. */
  async group(name: string, source?: 'local' | 'scim'): Promise<any> {
    const groups = ((await this.keyApi('GET', '/groups')).body.groups as any[]).filter(
      (g) => g.displayName.toLowerCase() === name.toLowerCase() && (source === undefined || g.source === source),
    );
    if (groups.length === 0) throw new StepError(`no ${source ? `${source} ` : ''}group named "${name}" in the workspace`);
    if (groups.length > 1) throw new StepError(`"${name}" names both a local and a SCIM group: add source: local or source: scim`);
    return groups[0];
  }

  async role(name: string): Promise<any> {
    const roles = (await this.keyApi('GET', '/roles')).body.roles as any[];
    const role = roles.find((r) => r.name.toLowerCase() === name.toLowerCase());
    if (!role) throw new StepError(`no custom role named "${name}"`);
    return role;
  }
}

export async function toResult(res: Response): Promise<HttpResult> {
  const text = await res.text();
  let body: unknown = text;
  if (text === '') body = undefined;
  else if (/json/.test(res.headers.get('Content-Type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => (headers[k] = v));
  return { status: res.status, body, headers };
}

/** `code: message` of an error response, for step failure messages. */
export function describeError(res: HttpResult): string {
  const e = res.body?.error;
  if (e?.code) return `${e.code}: ${e.message}`;
  if (res.body?.detail) return `${res.body.scimType ?? res.body.status}: ${res.body.detail}`;
  return typeof res.body === 'string' ? res.body.slice(0, 200) : JSON.stringify(res.body)?.slice(0, 200) ?? '';
}
