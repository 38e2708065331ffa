// The control plane under /_emulator (docs/http-api.md §2): workspaces, reset, state export/import,
// the clock, the simulated DNS zone and the event journal (health is in health.ts). Admin key required.
import { Hono } from 'hono';
import { z } from 'zod';
import { parseDuration } from '../clock.js';
import { EmulatorError, badRequest, notFound } from '../errors.js';
import type { EmulatorCore } from '../emulator.js';
import { normalizeZoneName } from '../domains/domain-name.js';
import { eventsResponse } from '../events/routes.js';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { parseState } from '../store/state.js';
import { JsonTooLargeError, parseJsonStream } from '../store/json-stream.js';
import { serializeView } from '../store/serialize.js';

export const workspaceInput = z
  .object({
    id: z.string().optional(),
    name: z.string().min(1).max(200).optional(),
    isolated: z
      .boolean()
      .meta({ description: 'Test-only mode: the workspace\'s verified domains claim nothing from other workspaces (docs/testing.md). Default false (faithful).' })
      .optional(),
  })
  .strict();
export const resetInput = z.object({ workspace: z.string().optional() }).strict();
export const clockInput = z
  .object({
    // Checked by parseDuration / Date.parse and the clock window (400 invalid_duration, invalid_time,
    // invalid_clock); the meta tells the OpenAPI document.
    advance: z
      .string()
      .max(100)
      .meta({
        pattern: '^\\s*(-?\\d+(\\.\\d+)?[smhd])+\\s*$',
        description: 'A duration: numbers with a unit s, m, h or d, e.g. "8d", "1h30m", "-90m". The clock must stay between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (400 invalid_clock otherwise).',
      })
      .optional(),
    set: z
      .string()
      .max(100)
      .meta({ format: 'date-time', description: 'An ISO 8601 time, e.g. "2026-09-01T08:00:00Z", between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.' })
      .optional(),
    workspace: z.string().meta({ description: 'Move only this workspace\'s clock; every clock when absent.' }).optional(),
  })
  .strict()
  .refine((v) => (v.advance === undefined) !== (v.set === undefined), 'send exactly one of "advance" (e.g. "8d") or "set" (an ISO time)');
export const dnsInput = z.object({ txt: z.array(z.string().max(4096)).max(50) }).strict();

// The control plane's answers: the one source of their types (re-exported by the typed client)
// and of the responses the OpenAPI document describes.
export const healthViewSchema = z.object({ status: z.enum(['ok', 'degraded']), reason: z.string().optional(), version: z.string() });
export type HealthView = z.output<typeof healthViewSchema>;

export { STATE_IMPORT_PATH, healthResponse } from './health.js';
/** The body limit of a state import (STATE_IMPORT_PATH). */
export const STATE_IMPORT_MAX_BYTES = 512 * 1024 * 1024;

const tooLarge = () =>
  new EmulatorError({
    code: 'payload_too_large',
    status: 413,
    message: `The state document is larger than ${STATE_IMPORT_MAX_BYTES} bytes (512 MiB), the import limit; nothing was changed.`,
  });

/** The state as JSON, streamed: written in slices from a consistent view, never one big string. */
const EXPORT_OMITS: ReadonlySet<string> = new Set(['conformance']);

export function exportStream(core: EmulatorCore): ReadableStream<Uint8Array> {
  core.syncClocks();
  const view = core.tracker.openView();
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  // The conformance findings are a log of the IdP's traffic, kept by snapshots, not part of an export.
  serializeView(view, { write: (text) => writer.write(encoder.encode(text)) }, {}, { omitWorkspaceKeys: EXPORT_OMITS })
    .then(
      () => writer.close(),
      (e: unknown) => writer.abort(e),
    )
    .catch(() => {})
    .finally(() => core.tracker.closeView(view));
  return readable;
}

/** Public description of a workspace, with the base URL its routes live under. */
export const workspaceViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  baseUrl: z.string(),
  /** Present (true) only for a workspace created in the test-only isolated mode. */
  isolated: z.literal(true).optional(),
});
export type WorkspaceView = z.output<typeof workspaceViewSchema>;

export const resetViewSchema = z.union([
  z.object({ reset: z.literal('workspace'), workspace: workspaceViewSchema }),
  z.object({ reset: z.literal('all') }),
]);
export const stateImportedSchema = z.object({ imported: z.literal(true), workspaces: z.array(z.string()) });

export const clockViewSchema = z.object({ now: z.string(), workspace: z.string().optional() });
export type ClockView = z.output<typeof clockViewSchema>;

export const dnsRecordViewSchema = z.object({ name: z.string(), txt: z.array(z.string()) });
export type DnsRecordView = z.output<typeof dnsRecordViewSchema>;
/** The whole simulated zone: TXT values by name. */
export const dnsZoneViewSchema = z.object({ records: z.record(z.string(), z.array(z.string())) });

export function workspaceView(origin: string, ws: { id: string; name: string; createdAt: string; isolated?: boolean | undefined }): WorkspaceView {
  return { id: ws.id, name: ws.name, createdAt: ws.createdAt, baseUrl: `${origin}/w/${ws.id}`, ...(ws.isolated === true ? { isolated: true as const } : {}) };
}

export function controlRoutes() {
  const r = new Hono<AppEnv>();

  r.get('/workspaces', (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json({ workspaces: Object.values(c.get('core').state.workspaces).map((w) => workspaceView(origin, w)) });
  });
  r.post('/workspaces', async (c) => {
    const input = await readBody(c, workspaceInput);
    const ws = c.get('core').createWorkspace(input, c.get('actor'));
    return c.json(workspaceView(new URL(c.req.url).origin, ws), 201);
  });
  r.get('/workspaces/:id', (c) => {
    const ws = c.get('core').requireWorkspace(c.req.param('id'));
    return c.json(workspaceView(new URL(c.req.url).origin, ws));
  });
  r.delete('/workspaces/:id', (c) => {
    c.get('core').deleteWorkspace(c.req.param('id'), c.get('actor'));
    return c.body(null, 204);
  });
  r.post('/workspaces/:id/reset', (c) => {
    const ws = c.get('core').resetWorkspace(c.req.param('id'), c.get('actor'));
    return c.json(workspaceView(new URL(c.req.url).origin, ws));
  });

  r.post('/reset', async (c) => {
    const input = await readBody(c, resetInput);
    const core = c.get('core');
    if (input.workspace !== undefined) {
      const ws = core.resetWorkspace(input.workspace, c.get('actor'));
      return c.json({ reset: 'workspace', workspace: workspaceView(new URL(c.req.url).origin, ws) });
    }
    core.resetAll(c.get('actor'));
    return c.json({ reset: 'all' });
  });

  r.get('/state', (c) => c.body(exportStream(c.get('core')), 200, { 'Content-Type': 'application/json' }));
  r.put('/state', async (c) => {
    const declared = Number(c.req.header('Content-Length') ?? '0');
    if (declared > STATE_IMPORT_MAX_BYTES) throw tooLarge();
    const body = c.req.raw.body;
    if (!body) throw badRequest('invalid_state', 'Send the state document (as exported by GET /_emulator/state) as the request body.');
    let raw: unknown;
    try {
      raw = await parseJsonStream(body as unknown as AsyncIterable<Uint8Array>, STATE_IMPORT_MAX_BYTES);
    } catch (e) {
      if (e instanceof JsonTooLargeError) throw tooLarge();
      throw badRequest('invalid_json', `The state document is not valid JSON (${(e as Error).message}); nothing was changed.`);
    }
    const parsed = parseState(raw);
    if (!parsed.ok) {
      throw badRequest('invalid_state', `The state document is not valid, nothing was changed: ${parsed.issues.join('; ')}.`);
    }
    const core = c.get('core');
    core.replaceState(parsed.state);
    core.record(null, 'state.imported', c.get('actor'), { workspaces: Object.keys(parsed.state.workspaces).length });
    return c.json({ imported: true, workspaces: Object.keys(parsed.state.workspaces) });
  });

  r.get('/clock', (c) => {
    const core = c.get('core');
    const ws = c.req.query('workspace');
    const clock = ws === undefined ? core.clock : core.clockFor(core.requireWorkspace(ws).id);
    return c.json({ now: clock.nowIso() });
  });
  r.post('/clock', async (c) => {
    const input = await readBody(c, clockInput);
    const move: { advanceMs?: number; set?: Date } = {};
    if (input.advance !== undefined) {
      const ms = parseDuration(input.advance);
      if (ms === null) {
        throw badRequest('invalid_duration', `"${input.advance}" is not a duration: use a number and a unit s, m, h or d, e.g. "8d" or "90m".`);
      }
      move.advanceMs = ms;
    } else {
      const at = Date.parse(input.set!);
      if (Number.isNaN(at)) throw badRequest('invalid_time', `"${input.set}" is not an ISO 8601 time such as "2026-09-01T08:00:00Z".`);
      move.set = new Date(at);
    }
    const now = c.get('core').moveClock(move, input.workspace, c.get('actor'));
    return c.json({ now: now.toISOString(), ...(input.workspace ? { workspace: input.workspace } : {}) });
  });

  r.get('/dns', (c) => c.json({ records: c.get('core').state.dns }));
  r.get('/dns/:name', (c) => {
    const name = normalizeZoneName(c.req.param('name'));
    const txt = c.get('core').state.dns[name];
    if (!txt) throw notFound('dns_name_not_found', `The simulated zone has no records at ${name}. Publish some with PUT /_emulator/dns/${name}.`);
    return c.json({ name, txt });
  });
  r.put('/dns/:name', async (c) => {
    const name = normalizeZoneName(c.req.param('name'));
    const input = await readBody(c, dnsInput);
    const core = c.get('core');
    core.state.dns[name] = input.txt;
    core.record(null, 'dns.published', c.get('actor'), { name, txt: input.txt });
    return c.json({ name, txt: input.txt });
  });
  // Adds values at a name and keeps those already there (several workspaces may publish their own
  // verification value at the same name, as several TXT records can share a name, RFC 1035 §3.3.14).
  r.post('/dns/:name', async (c) => {
    const name = normalizeZoneName(c.req.param('name'));
    const input = await readBody(c, dnsInput);
    const core = c.get('core');
    const existing = Object.hasOwn(core.state.dns, name) ? core.state.dns[name]! : [];
    const txt = [...existing, ...input.txt.filter((v, i) => !existing.includes(v) && input.txt.indexOf(v) === i)];
    if (txt.length > 50) {
      throw badRequest('too_many_txt_values', `${name} would hold ${txt.length} TXT values; at most 50 are kept. Remove some first (PUT /_emulator/dns/${name} replaces them all).`);
    }
    core.state.dns[name] = txt;
    core.record(null, 'dns.published', c.get('actor'), { name, txt, added: input.txt });
    return c.json({ name, txt });
  });
  r.delete('/dns/:name', (c) => {
    const name = normalizeZoneName(c.req.param('name'));
    const core = c.get('core');
    if (!Object.hasOwn(core.state.dns, name)) {
      throw notFound('dns_name_not_found', `The simulated zone has no records at ${name}; nothing to delete.`);
    }
    delete core.state.dns[name];
    core.record(null, 'dns.removed', c.get('actor'), { name });
    return c.body(null, 204);
  });

  r.get('/events', (c) => eventsResponse(c, c.req.query('workspace')));

  return r;
}
