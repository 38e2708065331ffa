// The console's page shell: the training banner, who is signed in, the navigation in the order
// of the district plan, the one-shot message, and shared bits (badges, copy buttons, times).
import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import { raw } from 'hono/html';
import type { AppContext } from '../http/context.js';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { describeUser, type ConsoleUser } from './console-auth.js';
import type { Flash } from './flash.js';

/** The console's pages, in the order of the district plan. */
export const PAGES = [
  { id: 'domains', title: 'Domains', step: 1 },
  { id: 'sso', title: 'Single sign-on', step: 2 },
  { id: 'scim', title: 'Directory sync (SCIM)', step: 3 },
  { id: 'members', title: 'Members', step: 4 },
  { id: 'groups', title: 'Groups', step: 5 },
  { id: 'roles', title: 'Roles', step: 6 },
  { id: 'directory', title: 'Directory sync (Google, CSV)', step: 7 },
] as const;
export const TOOL_PAGES = [
  { id: 'readiness', title: 'Launch readiness' },
  { id: 'events', title: 'Event log' },
  { id: 'training', title: 'Training' },
  { id: 'idps', title: 'Mock identity providers' },
] as const;
export type PageId = (typeof PAGES)[number]['id'] | (typeof TOOL_PAGES)[number]['id'] | 'overview';

export const pageTitle = (id: string) => [...PAGES, ...TOOL_PAGES].find((p) => p.id === id)?.title ?? 'Overview';

export interface PageContext {
  c: AppContext;
  user: ConsoleUser;
  /** `/w/{ws}` */
  base: string;
  origin: string;
  flash?: Flash;
}

export const Badge: FC<{ value: string; tone?: string; label?: string }> = ({ value, tone, label }) => (
  <span class={`badge b-${tone ?? value}`}>{label ?? value.replace(/_/g, ' ')}</span>
);

export const CopyButton: FC<{ value: string; label?: string }> = ({ value, label }) => (
  <button type="button" class="secondary small" data-copy={value} aria-label={label ?? 'Copy to the clipboard'}>
    Copy
  </button>
);

/** A value with a copy button. */
export const Copyable: FC<{ value: string; label: string; id?: string }> = ({ value, label, id }) => (
  <span class="secret">
    <code id={id}>{value}</code>
    <CopyButton value={value} label={`Copy ${label}`} />
  </span>
);

/** An ISO time shown as the emulator's time, in UTC, to the minute. */
export const Time: FC<{ iso: string | null | undefined }> = ({ iso }) =>
  iso ? <time datetime={iso}>{iso.replace('T', ' ').slice(0, 16)} UTC</time> : <span class="muted">never</span>;

/** A POST form to a console action, with a CSRF-safe same-origin post. */
export const ActionForm: FC<PropsWithChildren<{ action: string; confirm?: string; inplace?: boolean; enctype?: 'multipart/form-data'; class?: string }>> = (p) => (
  <form method="post" action={p.action} data-confirm={p.confirm} data-inplace={p.inplace ? '' : undefined} enctype={p.enctype} class={p.class}>
    {p.children}
  </form>
);

/** API detail (the stable code, the API's own message) folded away from the trainer's words. */
export const DeveloperDetails: FC<{ code?: string | undefined; text?: string | undefined }> = ({ code, text }) => (
  <details class="dev">
    <summary>Details for developers</summary>
    {code ? (
      <p>
        Code: <code class="code">{code}</code>
      </p>
    ) : null}
    {text ? <p class="mono">{text}</p> : null}
  </details>
);

export const FlashMessage: FC<{ flash: Flash }> = ({ flash }) => (
  <div class={`notice ${flash.tone}`} role={flash.tone === 'error' ? 'alert' : 'status'} id="flash">
    <p>
      <strong>{flash.text}</strong>
    </p>
    {flash.details?.map((d) => <p>{d}</p>)}
    {flash.code || flash.developer ? <DeveloperDetails code={flash.code} text={flash.developer} /> : null}
    {flash.secret ? (
      <p>
        {flash.secret.label}: <Copyable value={flash.secret.value} label={flash.secret.label} id="secret-value" />
        <br />
        <span class="muted">It is shown only this once; the workspace keeps only its hash.</span>
      </p>
    ) : null}
  </div>
);

export const Layout: FC<PropsWithChildren<{ ctx: PageContext; page: PageId; title: string }>> = ({ ctx, page, title, children }) => {
  const ws = ctx.c.get('ws');
  const link = (id: string, label: Child, n?: number) => (
    <li>
      <a href={`${ctx.base}/admin/${id}`} aria-current={page === id ? 'page' : undefined}>
        {n !== undefined ? <span class="n">{n}.</span> : null}
        {n !== undefined ? ' ' : null}
        {label}
      </a>
    </li>
  );
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — ${ws.name} — workspace console`}</title>
        <style>{raw(CONSOLE_CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to the page
        </a>
        <header>
          <div class="banner">
            <strong>
              <a href={`${ctx.base}/admin`} style="color:#fff;text-decoration:none">
                {ws.name}
              </a>{' '}
              <span class="who">workspace console · {ws.id}</span>
            </strong>
            <span class="who">
              Acting as {describeUser(ctx.user)}{' '}
              <form method="post" action={`${ctx.base}/admin/leave`}>
                <button type="submit">Leave the console</button>
              </form>
            </span>
          </div>
          <div class="training" role="note">
            Training emulator: nothing here touches a real workspace, identity provider or DNS. Reset and replay from the <a href={`${ctx.base}/admin/training`}>Training</a> page.
          </div>
        </header>
        <div class="shell">
          <nav class="plan" aria-label="District plan">
            <h2 id="nav-plan">Identity and Access</h2>
            <ol aria-labelledby="nav-plan">{PAGES.map((p) => link(p.id, p.title, p.step))}</ol>
            <h2 id="nav-launch">Launch</h2>
            <ul aria-labelledby="nav-launch">{TOOL_PAGES.map((p) => link(p.id, p.title))}</ul>
            <h2>Sign-in</h2>
            <ul>
              <li>
                <a href={`${ctx.base}/login`}>Workspace sign-in page</a>
              </li>
            </ul>
          </nav>
          <main id="main">
            {ctx.flash ? <FlashMessage flash={ctx.flash} /> : null}
            {children}
          </main>
        </div>
        <script>{raw(CONSOLE_JS)}</script>
      </body>
    </html>
  );
};

/** Renders a full page as HTML. */
export function renderPage(c: AppContext, node: unknown, status = 200) {
  return c.html(`<!doctype html>\n${String(node)}`, status as 200);
}
