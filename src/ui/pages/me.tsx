// "My access" (/w/{ws}/me for a browser): the signed-in member's own page — who they are, their
// groups, and what they may do and why (which role through which group). JSON clients keep the JSON.
import { raw } from 'hono/html';
import type { AppContext } from '../../http/context.js';
import { memberView } from '../../members/members.js';
import type { MemberRecord } from '../../store/state.js';
import { permissionsWithLimit } from '../../usage-limits/usage-limits.js';
import { CONSOLE_CSS } from '../assets.js';
import { PermissionsExplained } from './permissions-explained.js';

const ROLE_WORDS: Record<string, string> = {
  owner: 'owner of the workspace',
  admin: 'workspace admin',
  analytics_viewer: 'analytics viewer',
  member: 'member',
};
const SOURCE_WORDS: Record<string, string> = { invite: 'invited', scim: "from your school's directory", auto: 'created at your first sign-in' };
const STATUS_WORDS: Record<string, string> = { active: 'active', pending_invite: 'invited, not signed in yet', deactivated: 'deactivated' };

export function mePage(c: AppContext, m: MemberRecord) {
  const core = c.get('core');
  const ws = c.get('ws');
  const view = memberView(core, ws, m);
  const perms = permissionsWithLimit(core, ws, m);
  const apps = new Map(ws.roles.apps.map((a) => [a.id, a.name]));
  const name = [view.givenName, view.familyName].filter(Boolean).join(' ');
  const base = `/w/${ws.id}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`My access — ${ws.name}`}</title>
        <style>{raw(CONSOLE_CSS)}</style>
      </head>
      <body>
        <header>
          <div class="banner">
            <strong>{ws.name}</strong>
            <span class="who">
              Signed in as {view.email}{' '}
              <form method="post" action={`${base}/login`}>
                <input type="hidden" name="action" value="signout" />
                <button type="submit">Sign out</button>
              </form>
            </span>
          </div>
        </header>
        <main id="main" class="me">
          <h1>My access</h1>
          <p class="lead">Who you are in this workspace, your groups, and what you may do — and why.</p>
          <section class="card" aria-labelledby="who-h">
            <h2 id="who-h">Who I am</h2>
            <table id="me-who">
              <tbody>
                <tr>
                  <th scope="row">Name</th>
                  <td>{name || <span class="muted">not given</span>}</td>
                </tr>
                <tr>
                  <th scope="row">Email</th>
                  <td>{view.email}</td>
                </tr>
                <tr>
                  <th scope="row">In this workspace</th>
                  <td>
                    {ROLE_WORDS[view.role] ?? view.role}, {STATUS_WORDS[view.status] ?? view.status}, {SOURCE_WORDS[view.source] ?? view.source}
                  </td>
                </tr>
              </tbody>
            </table>
          </section>
          <section class="card" aria-labelledby="groups-h">
            <h2 id="groups-h">My groups</h2>
            {view.groups.length ? (
              <ul id="me-groups">
                {view.groups.map((g) => (
                  <li>
                    {g.displayName} <span class="muted">({g.source === 'scim' ? "from the school's directory" : 'made in the workspace'})</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p id="me-groups">You are in no group.</p>
            )}
          </section>
          <section class="card" aria-labelledby="perm-h" id="permissions">
            <h2 id="perm-h">What I may do, and why</h2>
            <PermissionsExplained perms={perms} status={view.status} apps={apps} who="Where my permissions come from" />
          </section>
        </main>
      </body>
    </html>
  );
}
