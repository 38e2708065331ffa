// /w/{ws}/api/conformance (the report of the IdP's traffic, and clearing it) and the middleware
// that watches each SCIM request of a workspace and saves what the rules find (docs/conformance.md).
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { EmulatorError } from '../errors.js';
import { readBodyText } from '../http/body.js';
import { requestUrl, type AppEnv } from '../http/context.js';
import { emailFromAttributes, scimUser } from '../scim/users.js';
import { identityKey } from '../store/identity-key.js';
import type { WorkspaceState } from '../store/state.js';
import { rawOf } from '../store/tracked-state.js';
import { addFindings, clearFindings, listFindings } from './findings.js';
import { buildReport, renderHtmlPage, renderJunit } from './report.js';
import { PROFILES, isProfile, type Profile } from './rules.js';
import { quietScimRequest, scimFindings, type ScimObservation } from './scim-rules.js';
import { ssoFindings } from './sso-rules.js';

const utf8 = new TextDecoder('utf-8');

// The request body's text: as the route's `readJson` decoded it, else from Hono's cache (the route
// read it already); undefined when it cannot be read.
async function textOf(c: Context<AppEnv>): Promise<string | undefined> {
  const read = readBodyText(c);
  if (read !== undefined) return read;
  try {
    return utf8.decode(await c.req.arrayBuffer());
  } catch {
    return undefined;
  }
}

// The request's JSON body, read from Hono's cache (the route read it already); undefined otherwise.
async function bodyOf(c: Context<AppEnv>): Promise<unknown> {
  if (c.req.method !== 'POST' && c.req.method !== 'PUT' && c.req.method !== 'PATCH') return undefined;
  const text = await textOf(c);
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Watches the SCIM requests of a workspace (mounted on `/w/:ws/scim/v2/*`). `answered` is called
 * first with every answer, judged or not (the app writes the SCIM request log there: one layer
 * fewer per request).
 */
export function observeScim(options: { answered?: (c: Context<AppEnv>) => void } = {}) {
  const answered = options.answered;
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    answered?.(c);
    // Most reads and creates: no rule can find anything, so none is run. (Without a workspace
    // the rules throw, and `judge` keeps nothing: this check must not throw instead.)
    const ws = c.get('ws') as WorkspaceState | undefined;
    const url = requestUrl(c);
    const method = c.req.method;
    const status = c.res.status;
    const lenient = ws !== undefined && rawOf(ws).settings?.scimCompatibility === 'lenient';
    // A create's or a search's body text (the route read it already) says whether a rule can
    // find anything in it.
    const bodyText = ws !== undefined && !lenient && method === 'POST' && status >= 200 && status < 300 ? await textOf(c) : undefined;
    const quiet =
      ws !== undefined &&
      quietScimRequest({
        method,
        status,
        lenient,
        sentPath: url.pathname,
        routedPath: c.req.path,
        params: url.searchParams,
        bodyText,
      });
    if (quiet) return;
    // An IdP sends a bearer token (a wrong one is judged: `scim.auth.token`). A request without
    // any Authorization may come from any web page the user opens (no-cors fetch, <img>, form post:
    // a page cannot attach the header cross-site), so it must not write findings (docs/security.md).
    if (c.req.header('Authorization') === undefined) return;
    await judge(() => observedScim(c));
  });
}

// Judging never changes an answer: a rule that throws loses its findings, not the request.
async function judge(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch {
    // nothing to add: the answer stands as the route gave it
  }
}

// What the SCIM rules read of one request. The time, the Location header and the lookups are
// read only when a rule asks (most requests have no finding); one object with no closures.
class ObservedScim implements ScimObservation {
  readonly method: string;
  readonly sentPath: string;
  readonly routedPath: string;
  readonly params: URLSearchParams;
  readonly status: number;
  readonly lenient: boolean;
  declare error?: ScimObservation['error'];
  private time: string | undefined;

  constructor(
    private readonly c: Context<AppEnv>,
    private readonly ws: WorkspaceState,
    readonly body: unknown,
  ) {
    const url = requestUrl(c);
    this.method = c.req.method;
    this.sentPath = url.pathname;
    this.routedPath = c.req.path;
    this.params = url.searchParams;
    this.status = c.res.status;
    this.lenient = ws.settings.scimCompatibility === 'lenient';
    const error = c.error instanceof EmulatorError ? c.error : undefined;
    if (error) this.error = { code: error.code, message: error.message, ...(error.scimType !== undefined ? { scimType: error.scimType } : {}) };
  }

  get at(): string {
    return (this.time ??= this.c.get('core').clockFor(this.ws.id).nowIso());
  }

  // Reading the answer's headers makes @hono/node-server build them: only when a rule asks.
  get location(): string | undefined {
    return this.c.res.headers.get('Location') || undefined;
  }

  userActive(id: string): boolean | undefined {
    const found = scimUser(this.ws, id);
    return found ? found.member.status !== 'deactivated' : undefined;
  }

  isUser(id: string): boolean {
    return scimUser(this.ws, id) !== undefined;
  }

  sharedEmail(id: string): string | undefined {
    const found = scimUser(this.ws, id);
    if (!found) return undefined;
    try {
      const given = emailFromAttributes(found.record.attributes);
      return identityKey(given) === identityKey(found.member.email) ? undefined : given;
    } catch {
      return undefined;
    }
  }
}

async function observedScim(c: Context<AppEnv>): Promise<void> {
  const ws = c.get('ws');
  const findings = scimFindings(new ObservedScim(c, ws, await bodyOf(c)));
  if (findings.length > 0) {
    addFindings(ws, findings);
    // The route's changes are committed by the app's first middleware, after this one: the
    // findings go to the journal with them.
  }
}

/** Watches the SAML ACS and the OIDC callback of a workspace (mounted on each). */
export function observeSso(protocol: 'saml' | 'oidc') {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    await judge(() => observedSso(c, protocol));
  });
}

async function observedSso(c: Context<AppEnv>, protocol: 'saml' | 'oidc'): Promise<void> {
  const ws = c.get('ws');
  const error = c.error instanceof EmulatorError ? c.error : undefined;
  let samlXml: string | undefined;
  if (protocol === 'saml' && c.req.method === 'POST' && !error?.code.startsWith('saml_')) {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (typeof form.SAMLResponse === 'string') samlXml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
  }
  const findings = ssoFindings({
    protocol,
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    status: c.res.status,
    at: c.get('core').clockFor(ws.id).nowIso(),
    ...(error ? { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } } : {}),
    ...(samlXml !== undefined ? { samlXml } : {}),
  });
  if (findings.length > 0) addFindings(ws, findings);
}

function profileParam(value: string | undefined): Profile {
  if (value === undefined || value === '') return 'rfc';
  if (!isProfile(value)) {
    throw new EmulatorError({ code: 'invalid_profile', status: 400, message: `Unknown profile "${value}"; use one of ${PROFILES.join(', ')}.` });
  }
  return value;
}

function sinceParam(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new EmulatorError({ code: 'invalid_since', status: 400, message: `"since" must be an ISO 8601 time such as 2026-01-31T09:00:00Z, not "${value}".` });
  return ms;
}

export function conformanceRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => {
    const ws = c.get('ws');
    const profile = profileParam(c.req.query('profile'));
    const since = sinceParam(c.req.query('since'));
    const format = c.req.query('format') ?? 'json';
    const report = buildReport(listFindings(ws, since), profile);
    if (format === 'json') return c.json(report);
    if (format === 'html') return c.html(renderHtmlPage(report, ws.id));
    if (format === 'junit') {
      return c.body(renderJunit(report, c.get('core').clockFor(ws.id).now()), 200, { 'Content-Type': 'application/xml; charset=utf-8' });
    }
    throw new EmulatorError({ code: 'invalid_format', status: 400, message: `Unknown format "${format}"; use json, html or junit.` });
  });
  r.delete('/', (c) => {
    clearFindings(c.get('core'), c.get('ws'), c.get('actor'));
    return c.body(null, 204);
  });
  return r;
}
