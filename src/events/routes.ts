// The journal over HTTP: JSON lists, or server-sent events when the client asks for
// `text/event-stream` (backlog after Last-Event-ID / `after`, then live events).
import { streamSSE } from 'hono/streaming';
import { badRequest } from '../errors.js';
import type { AppContext } from '../http/context.js';
import { matcher, type EventQuery } from './journal.js';

function intParam(c: AppContext, name: string): number | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest('invalid_query', `Query parameter "${name}" must be a whole number, got "${v}".`);
  return Number(v);
}

/** Answers an event query for the journal, scoped to one workspace when `workspace` is given. */
export function eventsResponse(c: AppContext, workspace: string | undefined) {
  const core = c.get('core');
  const lastEventId = c.req.header('Last-Event-ID');
  const after = intParam(c, 'after') ?? (lastEventId && /^evt_\d+$/.test(lastEventId) ? Number(lastEventId.slice(4)) : undefined);
  const query: EventQuery = {
    ...(workspace !== undefined ? { workspace } : {}),
    ...(c.req.query('type') ? { type: c.req.query('type')! } : {}),
    ...(after !== undefined ? { after } : {}),
  };
  const limit = intParam(c, 'limit');
  const wantsStream = (c.req.header('Accept') ?? '').includes('text/event-stream');
  if (!wantsStream) {
    return c.json({ events: core.journal.list({ ...query, limit: limit ?? 500 }) });
  }
  return streamSSE(c, async (stream) => {
    const pending: Parameters<Parameters<typeof core.journal.subscribe>[0]>[0][] = [];
    let wake: (() => void) | undefined;
    const matches = matcher(query);
    const unsubscribe = core.journal.subscribe((e) => {
      if (matches(e)) {
        pending.push(e);
        wake?.();
      }
    });
    let open = true;
    stream.onAbort(() => {
      open = false;
      unsubscribe();
      wake?.();
    });
    try {
      for (const e of core.journal.list({ ...query, limit: limit ?? 500 })) {
        await stream.writeSSE({ id: e.id, event: e.type, data: JSON.stringify(e) });
      }
      while (open) {
        while (pending.length > 0 && open) {
          const e = pending.shift()!;
          await stream.writeSSE({ id: e.id, event: e.type, data: JSON.stringify(e) });
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          const t = setTimeout(resolve, 15_000);
          t.unref?.();
        });
        wake = undefined;
        if (open && pending.length === 0) await stream.write(': keep-alive\n\n');
      }
    } finally {
      unsubscribe();
    }
  });
}
