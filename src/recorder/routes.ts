// The recorder at the edge: the recording routes under /w/{ws}/api/recordings, and the middleware
// that watches `/w/{ws}/…` and `/idp/{idp}/…` exchanges while a recording runs (the core never knows).
import { AsyncLocalStorage } from 'node:async_hooks';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppContext, AppEnv } from '../http/context.js';
import { activeRecording, addStep, RECORDINGS, findRecording, listRecordings, recordingsOfIdp, recordingView, startRecording, stopRecording, type Recording } from './recording.js';
import { recordIdpExchange, recordWorkspaceExchange, type Exchange } from './translate.js';

export const startRecordingBody = z
  .object({
    name: z.string().min(1).max(200).optional(),
    /** The mock IdP to follow too; the one the workspace's SSO points at when absent. */
    idp: z.string().min(1).optional(),
  })
  .strict();

export const recordingViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  startedAt: z.string(),
  stoppedAt: z.string().optional(),
  /** Steps recorded so far. */
  steps: z.number().int(),
  /** The mock IdP followed too. */
  idp: z.string().optional(),
});

export function recordingRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json({ recordings: listRecordings(c.get('core'), c.get('ws').id).map(recordingView) }));
  r.post('/', async (c) => {
    const input = (await c.req.text()) === '' ? {} : await readBody(c, startRecordingBody);
    const rec = startRecording(c.get('core'), c.get('ws'), input);
    return c.json(recordingView(rec), 201);
  });
  r.get('/:id', (c) => c.json(recordingView(findRecording(c.get('core'), c.get('ws').id, c.req.param('id')))));
  r.post('/:id/stop', (c) => {
    const rec = stopRecording(c.get('core'), c.get('ws'), c.req.param('id'));
    return c.json(recordingView(rec));
  });
  r.get('/:id/scenario', async (c) => {
    const core = c.get('core');
    const rec = findRecording(core, c.get('ws').id, c.req.param('id'));
    // The YAML writer loads when a recording is first read (docs/performance.md).
    const { recordingYaml } = await import('./render.js');
    const yaml = recordingYaml(rec, core.clockFor(c.get('ws').id).now());
    return c.body(yaml, 200, { 'Content-Type': 'text/yaml; charset=UTF-8', 'Content-Disposition': `attachment; filename="${rec.id}.yaml"` });
  });
  return r;
}

/** Requests made while another is being recorded (provisioning runs, OIDC token calls) belong to that one. */
const inside = new AsyncLocalStorage<true>();

const parseBody = (text: string, type: string): unknown => {
  if (text === '') return undefined;
  if (/json/.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (/x-www-form-urlencoded/.test(type)) return Object.fromEntries(new URLSearchParams(text));
  return text;
};

/** Watches one exchange for the recordings it concerns: `which` finds them from the request. */
function watch(which: (c: AppContext) => { recs: Recording[]; prefix: string }, record: (rec: Recording, ex: Exchange, c: AppContext) => void) {
  const watching = createMiddleware<AppEnv>(async (c, next) => {
    if (inside.getStore()) return next();
    const { recs, prefix } = which(c);
    if (recs.length === 0) return next();
    const type = c.req.header('Content-Type') ?? '';
    const text = ['GET', 'HEAD'].includes(c.req.method) ? '' : await c.req.raw.clone().text().catch(() => '');
    await inside.run(true, () => next());
    const url = new URL(c.req.url);
    const resType = c.res.headers.get('Content-Type') ?? '';
    const resText = /json|html/.test(resType) ? await c.res.clone().text().catch(() => '') : '';
    const conditional: Record<string, string> = {};
    for (const h of ['If-Match', 'If-None-Match']) {
      const v = c.req.header(h);
      if (v) conditional[h] = v;
    }
    const ex: Exchange = {
      method: c.req.method,
      path: url.pathname.slice(prefix.length) + url.search,
      ...(type ? { contentType: type.split(';')[0]!.trim() } : {}),
      body: parseBody(text, type),
      status: c.res.status,
      resBody: parseBody(resText, resType),
      resHeaders: c.res.headers,
      conditional,
    };
    const ua = c.req.header('User-Agent');
    // The credentials sent are never recorded; remembering them lets the file be checked for them.
    const credential = /^\s*Bearer\s+(\S+)/i.exec(c.req.header('Authorization') ?? '')?.[1];
    for (const rec of recs) {
      if (ua && rec.userAgents.size < 20) rec.userAgents.add(ua.slice(0, 200));
      if (credential) rec.secrets.add(credential);
      try {
        record(rec, ex, c);
      } catch (e) {
        rec.skipped.push(`${ex.method} ${ex.path} (${e instanceof Error ? e.message : String(e)})`);
      }
    }
  });
  // No recording runs anywhere (`which` would find none): the request goes on at once, without a
  // promise of its own (Hono's compose awaits what a middleware returns and catches what it throws).
  return createMiddleware<AppEnv>((c, next) => (c.get('core').runtime(RECORDINGS).active === 0 ? next() : watching(c, next)));
}

/** The workspace paths whose exchanges mean something to a scenario. */
const RECORDABLE = /^\/(api\/|scim\/v2\/|sso\/|login\/(password|social)$)/;

/** Mount on `/w/:ws/*` after the workspace is resolved. */
export const recordWorkspaceTraffic = () =>
  watch(
    (c) => {
      const prefix = `/w/${c.req.param('ws')}`;
      // Console pages are not traffic to record: the API calls they make are, one by one.
      if (!RECORDABLE.test(c.req.path.slice(prefix.length))) return { recs: [], prefix };
      const rec = activeRecording(c.get('core'), c.req.param('ws')!);
      return { recs: rec ? [rec] : [], prefix };
    },
    (rec, ex, c) => {
      const idps = c.get('core').state.idps;
      recordWorkspaceExchange(rec, ex, (id) => (Object.hasOwn(idps, id) ? idps[id] : undefined));
    },
  );

/** Mount on `/idp/:idp/*`. */
export const recordIdpTraffic = () =>
  watch(
    (c) => ({ recs: recordingsOfIdp(c.get('core'), c.req.param('idp')!), prefix: `/idp/${c.req.param('idp')}` }),
    (rec, ex) => recordIdpExchange(rec, ex),
  );

/**
 * Mount on `/_emulator/clock`: a clock moved by a duration while recording becomes `advance_clock`
 * in the recordings of the workspace it moved (all active ones when it moved the emulator's clock).
 */
export const recordClockMoves = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const core = c.get('core');
    if (c.req.method !== 'POST' || core.runtime(RECORDINGS).active === 0) return next();
    const text = await c.req.raw.clone().text().catch(() => '');
    await next();
    if (c.res.status !== 200) return;
    const body = parseBody(text, 'json') as { advance?: unknown; workspace?: unknown } | undefined;
    const advance = typeof body?.advance === 'string' ? body.advance.replace(/\s+/g, '') : undefined;
    if (!advance || !/^(-?\d+(\.\d+)?[smhd])+$/.test(advance)) return;
    const recs =
      typeof body?.workspace === 'string'
        ? [activeRecording(core, body.workspace)].filter((r): r is Recording => r !== undefined)
        : [...core.runtime(RECORDINGS).byWorkspace.values()].flatMap((r) => (r.active ? [r.active] : []));
    for (const rec of recs) addStep(rec, { advance_clock: advance }, 'POST /_emulator/clock');
  });
