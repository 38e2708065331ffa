// The event log: the workspace's journal, filterable by type, kept live with server-sent events
// relayed from the admin API (GET /w/{ws}/api/events with Accept: text/event-stream) as plain
// `message` events, so one listener sees every type.
import { raw } from 'hono/html';
import type { EmulatorEvent } from '../../client/types.js';
import type { Action } from '../actions.js';
import { callHttp, authHeaders, expectOk, workspaceApi } from '../admin-api.js';
import { Layout, type PageContext } from '../layout.js';

interface RecordingRow {
  id: string;
  name: string;
  active: boolean;
  startedAt: string;
  steps: number;
}

/** The workspace's recordings (docs/recorder.md), or undefined when the console user may not see them (owners only). */
async function recordings(ctx: PageContext): Promise<RecordingRow[] | undefined> {
  const res = await callHttp(ctx.c, 'GET', `${ctx.base}/api/recordings`, { headers: authHeaders(ctx.user) });
  return res.ok ? (res.body as { recordings: RecordingRow[] }).recordings : undefined;
}

/** Start and stop a recording of this workspace's traffic; download it as a scenario. */
function RecordingSection({ base, rows }: { base: string; rows: RecordingRow[] }) {
  const active = rows.find((r) => r.active);
  return (
    <section id="recordings">
      <h2>Record a rehearsal</h2>
      <p class="muted">
        While a recording runs, this workspace's admin changes, SCIM requests, sign-ins and its mock IdP's changes become scenario steps, with ids as variables and no secrets.
      </p>
      {active ? (
        <form method="post" action={`${base}/admin/events/stop-recording`} class="row">
          <input type="hidden" name="id" value={active.id} />
          <p role="status">
            Recording <strong>{active.name}</strong>: {active.steps} steps so far.
          </p>
          <button type="submit">Stop recording</button>
        </form>
      ) : (
        <form method="post" action={`${base}/admin/events/start-recording`} class="row">
          <div>
            <label for="recording-name">Name</label>
            <input id="recording-name" name="name" placeholder="Entra provisioning rehearsal" />
          </div>
          <button type="submit">Start recording</button>
        </form>
      )}
      {rows.some((r) => !r.active) ? (
        <ul>
          {rows
            .filter((r) => !r.active)
            .map((r) => (
              <li>
                {r.name} ({r.steps} steps) — <a href={`${base}/admin/recordings/${r.id}/scenario`}>download the scenario</a>
              </li>
            ))}
        </ul>
      ) : null}
    </section>
  );
}

export const eventActions: Record<string, Action> = {
  async 'start-recording'(ctx, form) {
    const name = form.get('name')?.trim();
    const body = expectOk<{ id: string }>(await callHttp(ctx.c, 'POST', `${ctx.base}/api/recordings`, { body: name ? { name } : {}, headers: authHeaders(ctx.user) }));
    return { tone: 'ok', text: `Recording ${body.id} started: rehearse, then stop it here.` };
  },
  async 'stop-recording'(ctx, form) {
    const id = form.get('id') ?? '';
    const body = expectOk<{ id: string; steps: number }>(await callHttp(ctx.c, 'POST', `${ctx.base}/api/recordings/${encodeURIComponent(id)}/stop`, { headers: authHeaders(ctx.user) }));
    return { tone: 'ok', text: `Recording ${body.id} stopped with ${body.steps} steps: download its scenario below.` };
  },
};

export const EVENT_FILTERS = [
  { value: '', label: 'All events' },
  { value: 'domain.*', label: 'Domains' },
  { value: 'sso.*', label: 'Single sign-on' },
  { value: 'signin.*', label: 'Sign-ins' },
  { value: 'signin.denied', label: 'Refused sign-ins' },
  { value: 'scim.*', label: 'SCIM' },
  { value: 'member.*', label: 'Members' },
  { value: 'group.*', label: 'Groups' },
  { value: 'role.*', label: 'Roles' },
  { value: 'settings.*', label: 'Settings' },
];

/** One line of the log; the same shape is built by the page's script for live events. */
export function describeEvent(e: EmulatorEvent): string {
  const d = e.detail ?? {};
  const bits = ['email', 'domain', 'reason', 'from', 'to', 'displayName', 'name', 'method']
    .filter((k) => d[k] !== undefined && typeof d[k] !== 'object')
    .map((k) => `${k}: ${String(d[k])}`);
  return bits.join(' · ');
}

const LIVE_JS = `
(function(){
  var list = document.getElementById('event-list'); var status = document.getElementById('live-status');
  if (!list || !window.EventSource) return;
  var src = new EventSource(list.getAttribute('data-stream'));
  var keys = ['email','domain','reason','from','to','displayName','name','method'];
  src.onopen = function(){ status.textContent = 'Live: new events appear at the top.'; };
  src.onerror = function(){ status.textContent = 'Live updates paused; reconnecting…'; };
  function add(ev){
    var e; try { e = JSON.parse(ev.data); } catch (x) { return; }
    if (document.querySelector('[data-event-id="' + e.id + '"]')) return;
    var li = document.createElement('li'); li.setAttribute('data-event-id', e.id);
    var d = e.detail || {}; var bits = keys.filter(function(k){ return d[k] !== undefined && typeof d[k] !== 'object'; }).map(function(k){ return k + ': ' + d[k]; });
    var t = document.createElement('time'); t.textContent = String(e.time).slice(11, 19) + ' '; li.appendChild(t);
    var b = document.createElement('strong'); b.textContent = e.type; li.appendChild(b);
    li.appendChild(document.createTextNode(' — ' + e.actor + (bits.length ? ' · ' + bits.join(' · ') : '')));
    list.insertBefore(li, list.firstChild);
    var empty = document.getElementById('no-events'); if (empty) empty.remove();
  }
  src.onmessage = add;
})();
`;

export async function eventsPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const type = c.req.query('type') ?? '';
  const events = (await workspaceApi(c, user).events({ limit: 200, ...(type ? { type } : {}) })).slice().reverse();
  const lastSeq = events[0]?.seq ?? 0;
  const stream = new URLSearchParams({ after: String(lastSeq) });
  const recordingRows = await recordings(ctx);
  if (type) stream.set('type', type);
  return (
    <Layout ctx={ctx} page="events" title="Event log">
      <h1>Event log</h1>
      <p class="lead">Every change and every sign-in attempt in this workspace, newest first, as it happens.</p>
      <form method="get" action={`${base}/admin/events`} class="row">
        <div>
          <label for="event-type">Show</label>
          <select id="event-type" name="type">
            {EVENT_FILTERS.map((f) => (
              <option value={f.value} selected={f.value === type}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <p id="live-status" class="muted" role="status" aria-live="polite">
        Live updates need JavaScript; reload to see new events.
      </p>
      <ul id="event-list" tabindex={0} aria-label="Events, newest first" data-technical="the raw event log" data-stream={`${base}/admin/events/stream?${stream}`}>
        {events.length === 0 ? <li id="no-events" class="muted">No events yet.</li> : null}
        {events.map((e) => {
          const text = describeEvent(e);
          return (
            <li data-event-id={e.id}>
              <time datetime={e.time}>{e.time.slice(11, 19)} </time>
              <strong>{e.type}</strong> — {e.actor}
              {text ? ` · ${text}` : ''}
            </li>
          );
        })}
      </ul>
      {recordingRows ? <RecordingSection base={base} rows={recordingRows} /> : null}
      <script>{raw(LIVE_JS)}</script>
    </Layout>
  );
}

