// Launch readiness: the checklist, each item linking to the console page that fixes it; and the
// console's overview, the district plan with where each step stands.
import type { DirectoryView } from '../../directory/directory.js';
import { callApi, workspaceApi } from '../admin-api.js';
import { Badge, Layout, PAGES, pageTitle, type PageContext } from '../layout.js';
import { plainLevels } from '../plain-words.js';

export const ITEM_TITLES: Record<string, string> = {
  domain_verified: 'Email domain verified',
  sso_configured: 'SSO connected',
  sso_tested: 'SSO tested with a real sign-in',
  sso_enforced: 'SSO enforced',
  scim_connected: 'Directory sync (SCIM) connected',
  aac_with_scim: 'No automatic accounts beside SCIM',
  duplicate_groups: 'No duplicate group names',
  local_groups_in_roles: 'Roles granted through directory groups',
  default_role_elevated: 'Default role kept modest',
  unmanaged_members: 'Every member managed by the directory',
};

const STATUS_WORDS = { pass: 'ready', warn: 'check', fail: 'blocked' } as const;

async function readiness(ctx: PageContext) {
  return workspaceApi(ctx.c, ctx.user).readinessReport();
}

export async function readinessPage(ctx: PageContext) {
  const { items } = await readiness(ctx);
  const count = (s: string) => items.filter((i) => i.status === s).length;
  const allPass = items.every((i) => i.status === 'pass');
  return (
    <Layout ctx={ctx} page="readiness" title="Launch readiness">
      <h1>Launch readiness</h1>
      <p class="lead">What still stands between this workspace and launch day. Each item links to the page that fixes it.</p>
      <p id="readiness-summary" class={`notice ${allPass ? 'ok' : count('fail') ? 'error' : 'warn'}`}>
        <strong>{allPass ? 'Ready to launch: every item passes.' : `${count('pass')} of ${items.length} items pass`}</strong>
        {allPass ? null : ` · ${count('warn')} to check · ${count('fail')} blocking`}
      </p>
      <ol class="checklist" id="readiness">
        {items.map((i) => (
          <li data-item={i.id} data-status={i.status}>
            <span>
              <Badge value={i.status} label={`${i.status === 'pass' ? '✓' : i.status === 'warn' ? '!' : '✗'} ${STATUS_WORDS[i.status]}`} />
            </span>
            <div>
              <strong>{ITEM_TITLES[i.id] ?? i.id}</strong>
              <br />
              {plainLevels(i.message)}
              {i.subjects && i.subjects.length > 0 ? <div class="muted">{i.subjects.slice(0, 10).join(', ')}{i.subjects.length > 10 ? ` and ${i.subjects.length - 10} more` : ''}</div> : null}
            </div>
            <span>
              {i.status === 'pass' ? null : (
                <a class="button small secondary" href={`${ctx.base}/admin/${i.fix}`}>
                  Fix on {pageTitle(i.fix)}
                </a>
              )}
            </span>
          </li>
        ))}
      </ol>
    </Layout>
  );
}

export async function overviewPage(ctx: PageContext) {
  const { items } = await readiness(ctx);
  const api = workspaceApi(ctx.c, ctx.user);
  // A step with nothing in it yet is "not started", not "ready" (an empty workspace has nothing to fix).
  const [members, groups, roles, directory] = await Promise.all([
    api.users.list(),
    api.groups.list(),
    api.roles.list(),
    // Owners only: an admin's overview leaves the hint out.
    callApi(ctx.c, ctx.user, 'GET', `/w/${ctx.c.get('ws').id}/api/directory`).then((r) => (r.ok ? (r.body as DirectoryView) : undefined)),
  ]);
  const EMPTY: Record<string, string | undefined> = {
    members: members.length === 0 ? 'Nobody is in the workspace yet: invite people, or provision them with directory sync.' : undefined,
    groups: groups.length === 0 ? 'No group yet: groups come from directory sync, or are created here.' : undefined,
    roles: roles.length === 0 ? 'No custom role yet: everyone gets the default role.' : undefined,
    directory:
      directory !== undefined && (directory.type === 'none' || directory.type === 'scim')
        ? 'Optional: only for a district whose directory does not push SCIM (Google Workspace, or CSV files from a student information system).'
        : undefined,
  };
  const worst = (page: string) => {
    const s = items.filter((i) => i.fix === page).map((i) => i.status);
    return s.includes('fail') ? 'fail' : s.includes('warn') ? 'warn' : s.length ? 'pass' : undefined;
  };
  return (
    <Layout ctx={ctx} page="overview" title="Overview">
      <h1>Identity and Access</h1>
      <p class="lead">
        The district plan, in order. Work down the list; the launch readiness checklist turns green as each step is done.
      </p>
      <ol class="checklist">
        {PAGES.map((p) => {
          const empty = EMPTY[p.id];
          const s = empty && worst(p.id) !== 'fail' ? undefined : worst(p.id);
          return (
            <li data-page={p.id} data-status={s ?? (empty ? 'not_started' : 'none')}>
              <span>{s ? <Badge value={s} label={STATUS_WORDS[s]} /> : empty ? <Badge value="info" label="not started" /> : null}</span>
              <div>
                <strong>
                  {p.step}. <a href={`${ctx.base}/admin/${p.id}`}>{p.title}</a>
                </strong>
                <br />
                <span class="muted">
                  {items
                    .filter((i) => i.fix === p.id && i.status !== 'pass')
                    .map((i) => plainLevels(i.message))
                    .join(' ') || (empty ?? (s ? 'Nothing to fix.' : ''))}
                </span>
              </div>
              <span />
            </li>
          );
        })}
      </ol>
      <p>
        <a class="button" href={`${ctx.base}/admin/readiness`}>
          See the launch readiness checklist
        </a>
      </p>
    </Layout>
  );
}
