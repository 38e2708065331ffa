// Step 4, Members: who is in the workspace (source, status, role, groups), invitations, and a
// member's permissions with each grant explained by role and group.
import type { MemberRole } from '../../client/types.js';
import { workspaceApi } from '../admin-api.js';
import { required, type Action } from '../actions.js';
import { ActionForm, Badge, Layout, Time, type PageContext } from '../layout.js';
import { PermissionsExplained } from './permissions-explained.js';
import { roleWords } from '../plain-words.js';

const enc = encodeURIComponent;

const SOURCE_TEXT: Record<string, string> = { invite: 'invited', scim: 'directory (SCIM)', auto: 'automatic' };

export async function membersPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const members = await workspaceApi(c, user).users.list();
  return (
    <Layout ctx={ctx} page="members" title="Members">
      <h1>4. Members</h1>
      <p class="lead">
        Members come from invitations, from the directory (SCIM), or from automatic account creation. Open a member to see their
        permissions and where each one comes from.
      </p>
      <section class="card" aria-labelledby="invite-h">
        <h2 id="invite-h">Invite a member</h2>
        <ActionForm action={`${base}/admin/members/invite`}>
          <div class="row">
            <div>
              <label for="invite-email">Email</label>
              <input id="invite-email" name="email" type="email" required />
            </div>
            <div>
              <label for="invite-role">Workspace role</label>
              <select id="invite-role" name="role">
                <option value="member">member</option>
                <option value="analytics_viewer">analytics viewer</option>
                <option value="admin">admin</option>
                <option value="owner">owner</option>
              </select>
            </div>
            <div>
              <label for="invite-password">Password (optional, for password sign-in)</label>
              <input id="invite-password" name="password" type="password" autocomplete="new-password" />
            </div>
            <button type="submit">Invite</button>
          </div>
        </ActionForm>
      </section>
      <h2>
        {members.length} member{members.length === 1 ? '' : 's'}
      </h2>
      <table id="members">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Role</th>
            <th scope="col">Groups</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr>
              <td>
                <a href={`${base}/admin/members/${enc(m.id)}`}>{m.email}</a>
                <br />
                <span class="muted">{[m.givenName, m.familyName].filter(Boolean).join(' ')}</span>
              </td>
              <td>
                <Badge value={m.source} label={SOURCE_TEXT[m.source] ?? m.source} />
              </td>
              <td>
                <Badge value={m.status} />
              </td>
              <td>{roleWords(m.role)}</td>
              <td>
                {m.groups.map((g) => (
                  <span>
                    {g.displayName} <Badge value={g.source} />{' '}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export async function memberPage(ctx: PageContext, id: string) {
  const { c, user, base } = ctx;
  const api = workspaceApi(c, user);
  const m = await api.users.get(id);
  const perms = await api.users.permissions(id);
  const appList = await api.apps();
  const apps = new Map(appList.map((a) => [a.id, a.name]));
  return (
    <Layout ctx={ctx} page="members" title={m.email}>
      <p>
        <a href={`${base}/admin/members`}>← All members</a>
      </p>
      <h1 data-focus>{m.email}</h1>
      <table>
        <tbody>
          <tr>
            <th scope="row">Name</th>
            <td>{[m.givenName, m.familyName].filter(Boolean).join(' ') || <span class="muted">—</span>}</td>
          </tr>
          <tr>
            <th scope="row">Source</th>
            <td>
              <Badge value={m.source} label={SOURCE_TEXT[m.source] ?? m.source} />
            </td>
          </tr>
          <tr>
            <th scope="row">Status</th>
            <td>
              <Badge value={m.status} /> {m.lastSignInAt ? <>last sign-in <Time iso={m.lastSignInAt} /></> : null}
            </td>
          </tr>
          <tr>
            <th scope="row">Groups</th>
            <td>{m.groups.length ? m.groups.map((g) => `${g.displayName} (${g.source})`).join(', ') : <span class="muted">none</span>}</td>
          </tr>
          <tr>
            <th scope="row">Workspace role</th>
            <td>
              <ActionForm action={`${base}/admin/members/role`} class="actions">
                <input type="hidden" name="id" value={m.id} />
                <label class="inline" for="member-role">
                  <span class="muted">Role</span>
                </label>
                <select id="member-role" name="role">
                  {['member', 'analytics_viewer', 'admin', 'owner'].map((r) => (
                    <option value={r} selected={m.role === r}>
                      {roleWords(r)}
                    </option>
                  ))}
                </select>
                <button type="submit" class="secondary small">
                  Change role
                </button>
              </ActionForm>
            </td>
          </tr>
        </tbody>
      </table>
      <section class="card" aria-labelledby="perm-h" id="permissions">
        <h2 id="perm-h">Permissions, explained</h2>
        <p class="muted">
          A member who holds custom roles through their groups gets what those roles allow (anything one of them allows is allowed); a
          member with none gets the default role. The credit limit is the member's monthly usage limit.
        </p>
        <PermissionsExplained perms={perms} status={m.status} apps={apps} />
      </section>
    </Layout>
  );
}

export const memberActions: Record<string, Action> = {
  async invite({ c, user }, form) {
    const email = required(form, 'email', 'the email');
    // The API checks the role (and refuses an unknown one).
    const role = (form.get('role') ?? 'member') as MemberRole;
    const password = form.get('password');
    const m = await workspaceApi(c, user).invites.create({ email, role, ...(password ? { password } : {}) });
    return { tone: 'ok', text: `${m.email} invited as ${roleWords(m.role)}; they stay "pending invite" until their first sign-in.` };
  },
  async role({ c, user }, form) {
    const id = required(form, 'id', 'the member');
    const role = required(form, 'role', 'the role') as MemberRole;
    const m = await workspaceApi(c, user).users.update(id, { role });
    return { flash: { tone: 'ok', text: `${m.email} is now ${roleWords(m.role)}.` }, back: `/admin/members/${enc(id)}` };
  },
};
