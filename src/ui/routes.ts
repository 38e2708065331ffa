// The web console (/w/{ws}/admin…) and the sign-in page (/w/{ws}/login), server-rendered. Every
// form posts here, calls the emulator's own HTTP API, and redirects back (post/redirect/get).
import { Hono } from 'hono';
import { EmulatorError, forbidden, notFound, unauthorized } from '../errors.js';
import type { AppContext, AppEnv } from '../http/context.js';
import { prefersHtml } from '../http/errors.js';
import { isSameOrigin } from '../http/same-origin.js';
import { sessionMember } from '../signin/routes.js';
import { safeReturnTo } from '../sso/finish.js';
import { ApiRefusal, authHeaders, callHttp, originOf } from './admin-api.js';
import { readForm, refusalFlash, type ActionResult } from './actions.js';
import { consoleUser, exchangeKey, leaveConsole } from './console-auth.js';
import { setFlash, takeFlash } from './flash.js';
import type { PageContext } from './layout.js';

// The pages (markup, hono/jsx, every page's module) load with the first console page asked for:
// a scenario run or an API-only client never draws one (docs/performance.md §2).
let pagesModule: Promise<typeof import('./console-pages.js')> | undefined;
const consolePages = () => (pagesModule ??= import('./console-pages.js'));

const has = <T,>(o: Record<string, T>, k: string): boolean => Object.hasOwn(o, k);

/**
 * Refuses a form post that does not prove it comes from this console: an Origin of another site,
 * `null` (sandboxed frames, some redirects) or none at all, unless `Sec-Fetch-Site: same-origin`.
 */
function checkSameOrigin(c: AppContext): void {
  if (c.req.method !== 'POST' || isSameOrigin(c)) return;
  const origin = c.req.header('Origin');
  throw forbidden(
    'cross_origin_form',
    `The form was posted from ${origin === undefined ? 'a page that sent no Origin header' : origin === 'null' ? 'an opaque origin ("null")' : origin}, not from this console (${originOf(c)}). Post it from the console page itself.`,
  );
}

/**
 * Resolves the console user and runs `fn`, or sends the browser to sign in. `?key=<admin key>` is
 * exchanged for a console cookie and removed from the address.
 */
async function withConsole(c: AppContext, fn: (ctx: PageContext) => Promise<Response>): Promise<Response> {
  checkSameOrigin(c);
  const base = `/w/${c.get('ws').id}`;
  const key = c.req.query('key');
  if (key !== undefined) {
    if (!(await exchangeKey(c, key))) {
      throw unauthorized('unauthorized', 'That is not the emulator admin key. Use the key printed by edu-emulator serve, or sign in as a workspace owner or admin.');
    }
    const url = new URL(c.req.url);
    url.searchParams.delete('key');
    return c.redirect(`${url.pathname}${url.search}`, 303);
  }
  const user = await consoleUser(c);
  if (!user) {
    if (c.req.method === 'GET') return c.redirect(`${base}/login?next=${encodeURIComponent(c.req.path)}`, 303);
    throw unauthorized('unauthorized', `Sign in as a workspace owner or admin at ${base}/login, or open the console with ?key=<admin key>.`);
  }
  const flash = takeFlash(c);
  try {
    return await fn({ c, user, base, origin: originOf(c), ...(flash ? { flash } : {}) });
  } catch (e) {
    // A refusal met while drawing a page (an unknown member id…) is the page's own error.
    if (e instanceof ApiRefusal) throw new EmulatorError({ code: e.code, status: e.status, message: e.detail });
    throw e;
  }
}

/** Drops `event:` lines so every relayed event arrives as a plain `message` in the browser. */
function asPlainMessages(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let rest = '';
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        rest += decoder.decode(chunk, { stream: true });
        const cut = rest.lastIndexOf('\n');
        if (cut < 0) return;
        const lines = rest.slice(0, cut + 1);
        rest = rest.slice(cut + 1);
        controller.enqueue(encoder.encode(lines.replace(/^event:.*\n/gm, '')));
      },
      flush(controller) {
        if (rest) controller.enqueue(encoder.encode(rest));
      },
    }),
  );
}

export function consoleRoutes() {
  const r = new Hono<AppEnv>();

  r.get('/admin', (c) => withConsole(c, async (ctx) => {
    const p = await consolePages();
    return p.renderPage(c, await p.overviewPage(ctx));
  }));
  r.get('/admin/', (c) => c.redirect(`/w/${c.get('ws').id}/admin`, 301));

  r.get('/admin/events/stream', (c) =>
    withConsole(c, async (ctx) => {
      const q = new URL(c.req.url).searchParams;
      const lastEventId = c.req.header('Last-Event-ID');
      const res = await c.get('core').selfFetch(
        new Request(`${ctx.origin}${ctx.base}/api/events?${q}`, {
          headers: { ...authHeaders(ctx.user), Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
        }),
      );
      if (!res.ok || !res.body) return res;
      return new Response(asPlainMessages(res.body), {
        headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Accel-Buffering': 'no' },
      });
    }),
  );

  // A recording's scenario file, fetched with the console user's credentials (docs/recorder.md).
  r.get('/admin/recordings/:id/scenario', (c) =>
    withConsole(c, async (ctx) => {
      const res = await c.get('core').outboundFetch(`${ctx.origin}${ctx.base}/api/recordings/${encodeURIComponent(c.req.param('id'))}/scenario`, { headers: authHeaders(ctx.user) });
      if (res.status !== 200) {
        const refusal = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
        throw new EmulatorError({ code: refusal.error?.code ?? 'recording_not_found', status: res.status, message: refusal.error?.message ?? `The recording could not be read (HTTP ${res.status}).` });
      }
      return new Response(res.body, { headers: { 'Content-Type': res.headers.get('Content-Type') ?? 'text/yaml', 'Content-Disposition': res.headers.get('Content-Disposition') ?? 'attachment' } });
    }),
  );

  // The full conformance report (docs/conformance.md), in the console with the console user's credentials.
  r.get('/admin/scim/conformance', (c) => withConsole(c, async (ctx) => {
    const p = await consolePages();
    return p.renderPage(c, await p.conformanceReportPage(ctx));
  }));

  r.get('/admin/idps/:id', (c) => withConsole(c, async (ctx) => {
    const p = await consolePages();
    return p.renderPage(c, await p.idpPage(ctx, c.req.param('id')));
  }));

  r.get('/admin/members/:id', (c) => withConsole(c, async (ctx) => {
    const p = await consolePages();
    return p.renderPage(c, await p.memberPage(ctx, c.req.param('id')));
  }));

  r.get('/admin/:page', (c) =>
    withConsole(c, async (ctx) => {
      const page = c.req.param('page');
      const { PAGE_RENDERERS, renderPage } = await consolePages();
      if (!has(PAGE_RENDERERS, page)) throw notFound('not_found', `The console has no page "${page}". Start at ${ctx.base}/admin.`);
      return renderPage(c, await PAGE_RENDERERS[page]!(ctx));
    }),
  );

  r.post('/admin/leave', (c) =>
    withConsole(c, async (ctx) => {
      leaveConsole(c);
      return c.redirect(`${ctx.base}/login`, 303);
    }),
  );

  r.post('/admin/:page/:action', (c) =>
    withConsole(c, async (ctx) => {
      const page = c.req.param('page');
      const name = c.req.param('action');
      const { PAGE_ACTIONS } = await consolePages();
      const actions = has(PAGE_ACTIONS, page) ? PAGE_ACTIONS[page]! : {};
      if (!has(actions, name)) throw notFound('not_found', `The console has no action "${name}" on the ${page} page.`);
      const form = await readForm(await c.req.parseBody({ all: true }));
      let result: ActionResult;
      try {
        const out = await actions[name]!(ctx, form);
        result = 'flash' in out ? out : { flash: out };
      } catch (e) {
        result = { flash: refusalFlash(e) };
      }
      setFlash(c, result.flash);
      return c.redirect(`${ctx.base}${result.back ?? `/admin/${page}`}`, 303);
    }),
  );

  // "My access" for a browser (Accept ranks HTML first) with a session; everyone else gets the JSON of signin/routes.ts.
  r.get('/me', async (c, next) => {
    const m = prefersHtml(c.req.header('Accept')) ? sessionMember(c) : undefined;
    if (!m) return next();
    const p = await consolePages();
    return p.renderPage(c, p.mePage(c, m));
  });

  // The sign-in page: email first (a GET form), then the methods policy allows.
  r.get('/login', async (c) => {
    const email = c.req.query('email')?.trim();
    const next = safeReturnTo(c.get('ws').id, c.req.query('next'));
    const error = c.req.query('error');
    const view = { ...(email ? { email } : {}), ...(next ? { next } : {}), ...(error && /^[a-z0-9_]{1,64}$/.test(error) ? { error } : {}) };
    const p = await consolePages();
    return p.renderPage(c, p.loginPage(c, view));
  });

  // Password and social sign-in, and sign-out, through the workspace's own sign-in endpoints.
  r.post('/login', async (c) => {
    checkSameOrigin(c);
    const base = `/w/${c.get('ws').id}`;
    const form = await readForm(await c.req.parseBody({ all: true }));
    const next = safeReturnTo(c.get('ws').id, form.get('next'));
    const email = form.get('email') ?? '';
    const action = form.get('action');
    const cookie = c.req.header('Cookie');
    const relay = (headers: Headers) => {
      for (const v of headers.getSetCookie()) c.header('Set-Cookie', v, { append: true });
    };
    if (action === 'signout') {
      relay((await callHttp(c, 'POST', `${base}/logout`, { headers: cookie ? { Cookie: cookie } : {} })).headers);
      return c.redirect(`${base}/login`, 303);
    }
    const body =
      action === 'password'
        ? { email, password: form.get('password') ?? '' }
        : action === 'social'
          ? { email, provider: form.get('provider') ?? 'google' }
          : undefined;
    if (!body) return c.redirect(`${base}/login`, 303);
    const res = await callHttp(c, 'POST', `${base}/login/${action}`, { body });
    const back = new URLSearchParams({ email, ...(next ? { next } : {}) });
    if (!res.ok) {
      back.set('error', String((res.body as { error?: { code?: string } } | undefined)?.error?.code ?? 'invalid_credentials'));
      return c.redirect(`${base}/login?${back}`, 303);
    }
    relay(res.headers);
    return c.redirect(next ?? `${base}/login`, 303);
  });

  return r;
}
