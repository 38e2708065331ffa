// Step 6, Roles: the permission matrix of the default role and the custom roles (the catalogue in
// words), new roles, the default role, and which groups each custom role is mapped to.
import type { DefaultRole, Role } from '../../client/types.js';
import { BOOLEAN_PERMISSIONS, describePermission, PERMISSION_CATALOGUE, PERMISSION_KEYS, type PermissionGrant } from '../../roles/permissions.js';
import { workspaceApi } from '../admin-api.js';
import { FormProblem, required, type Action, type FormFields } from '../actions.js';
import { ActionForm, Layout, type PageContext } from '../layout.js';
import { PermissionLabel } from './permissions-explained.js';

/** A column of the permission matrix: the default role, then each custom role. */
type RoleColumn = DefaultRole | Role;
const isDefault = (r: RoleColumn): r is DefaultRole => 'default' in r;

/**
 * One matrix cell. The default role's column says allowed or "—"; a custom role's column says how it
 * differs from the default role: "adds", "✓" (both allow it), "takes away", or "—" (neither does).
 */
const Cell = ({ v, base }: { v: unknown; base?: unknown }) => {
  if (typeof v === 'boolean' || v === undefined) {
    const on = v === true;
    if (base === undefined) return on ? <span class="yes">✓ allowed</span> : <span class="no">—</span>;
    const baseOn = base === true;
    if (on && !baseOn) return <span class="yes">adds</span>;
    if (on) return <span class="yes">✓</span>;
    if (baseOn) return <span class="bad-text">takes away</span>;
    return <span class="no">—</span>;
  }
  if (v === null) return <span>no limit</span>;
  if (Array.isArray(v)) return <span>{v.length ? v.join(', ') : '—'}</span>;
  return <span>{String(v)}</span>;
};

/** A permission in words: its label and its one-line description. */
const PermissionName = ({ k }: { k: string }) => <PermissionLabel k={k} />;

/**
 * Checkboxes for the catalogue, plus apps and the credit limit. The form starts from `current` and
 * says so (`full`), so every key is sent: what is unchecked is off (a role can take tools away).
 */
const PermissionFields = ({ prefix, current, apps, forDefault }: { prefix: string; current: PermissionGrant; apps: { id: string; name: string }[]; forDefault?: boolean }) => (
  <>
    <input type="hidden" name="full" value="1" />
    <fieldset>
      <legend>Permissions</legend>
      <div class="grid2">
        {PERMISSION_CATALOGUE.map((e) => (
          <label class="inline perm-choice" for={`${prefix}-${e.key}`}>
            <input type="checkbox" name="perm" value={e.key} checked={current[e.key] === true} id={`${prefix}-${e.key}`} />
            <span>
              {e.label}
              <br />
              <span class="muted small-text">{e.description}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
    {apps.length > 0 ? (
      <fieldset>
        <legend>Apps</legend>
        {apps.map((a) => (
          <label class="inline">
            <input type="checkbox" name="apps" value={a.id} checked={Array.isArray(current.apps) && current.apps.includes(a.id)} /> {a.name}
          </label>
        ))}
      </fieldset>
    ) : null}
    <label for={`${prefix}-credits`}>
      {forDefault ? 'Workspace usage limit, credits a month (blank: no limit)' : "Usage limit for the role's groups, credits a month (blank: none)"}
    </label>
    <input id={`${prefix}-credits`} name="credits" type="number" min="0" value={current['credits.monthly_limit'] == null ? '' : String(current['credits.monthly_limit'])} />
  </>
);

function grantFrom(form: FormFields, all: boolean): PermissionGrant {
  const picked = new Set(form.all('perm'));
  const permissions: PermissionGrant = {};
  for (const k of BOOLEAN_PERMISSIONS) {
    if (picked.has(k)) permissions[k] = true;
    else if (all) permissions[k] = false;
  }
  const apps = form.all('apps');
  if (apps.length || all) permissions.apps = apps;
  const credits = form.get('credits');
  if (credits === '' && all) permissions['credits.monthly_limit'] = null;
  else if (credits !== undefined && credits !== '') {
    const n = Number(credits);
    if (!Number.isFinite(n) || n < 0) throw new FormProblem(`The credit limit must be a number of 0 or more, not "${credits}".`);
    permissions['credits.monthly_limit'] = n;
  }
  return permissions;
}

export async function rolesPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const api = workspaceApi(c, user);
  const def = await api.roles.getDefault();
  const roles = await api.roles.list();
  const groups = await api.groups.list();
  const apps = await api.apps();
  const columns: RoleColumn[] = [def, ...roles];
  return (
    <Layout ctx={ctx} page="roles" title="Roles">
      <h1>6. Roles</h1>
      <p class="lead">
        The default role applies to members who hold no custom role. Custom roles reach members through the groups they are mapped to
        and override the default role: a member with custom roles gets what those roles grant, united, and nothing from the default. A new
        role starts from the default role's values. Map roles to directory (SCIM) groups so that the identity provider decides who gets
        what.
      </p>
      <section class="card" aria-labelledby="matrix-h">
        <h2 id="matrix-h">Permission matrix</h2>
        <div style="overflow-x:auto">
          <table class="matrix" id="role-matrix">
            <thead>
              <tr>
                <th scope="col">Permission</th>
                {columns.map((r) => (
                  <th scope="col">{isDefault(r) ? `${r.name} (members without a custom role)` : `${r.name}${r.restrictive ? ' (restrictive)' : ''}`}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PERMISSION_KEYS.map((k) => (
                <tr>
                  <th scope="row">
                    <PermissionName k={k} />
                  </th>
                  {columns.map((r) => (
                    <td>
                      <Cell v={r.permissions[k]} {...(isDefault(r) ? {} : { base: def.permissions[k] })} />
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th scope="row">Mapped groups</th>
                {columns.map((r) => (
                  <td>{isDefault(r) ? 'members without a custom role' : r.groups.map((g) => `${g.displayName} (${g.source === 'scim' ? 'SCIM' : 'local'})`).join(', ') || '—'}</td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
        <p class="legend" id="matrix-legend">
          How to read it: in the default role's column, <span class="yes">✓ allowed</span> or <span class="no">—</span> not allowed. In a
          custom role's column, compared with the default role: <span class="yes">adds</span> — this role allows what the default role
          does not; <span class="yes">✓</span> — both allow it; <span class="bad-text">takes away</span> — the default role allows it, this
          role does not; <span class="no">—</span> — neither allows it. Members who hold a custom role get what their custom roles allow
          instead of the default role.
        </p>
      </section>

      <section class="card" aria-labelledby="new-role-h">
        <h2 id="new-role-h">Create a custom role</h2>
        <ActionForm action={`${base}/admin/roles/create`}>
          <label for="role-name">Role name</label>
          <input id="role-name" name="name" type="text" required placeholder="GPT Publishers" />
          <PermissionFields prefix="new" current={{ ...def.permissions, 'credits.monthly_limit': undefined }} apps={apps} />
          <label class="inline">
            <input type="checkbox" name="restrictive" value="1" /> Restrictive: meant to take everyday tools away (a student or Lockdown
            Mode role)
          </label>
          <p>
            <button type="submit">Create role</button>
          </p>
        </ActionForm>
      </section>

      <section class="card" aria-labelledby="map-h">
        <h2 id="map-h">Map groups to roles</h2>
        {roles.length === 0 ? <p class="muted">Create a custom role first.</p> : null}
        {roles.map((r) => (
          <ActionForm action={`${base}/admin/roles/map`}>
            <input type="hidden" name="id" value={r.id} />
            <fieldset>
              <legend>{r.name}</legend>
              {groups.length === 0 ? <span class="muted">No group yet.</span> : null}
              {groups.map((g) => (
                <label class="inline">
                  <input type="checkbox" name="groupIds" value={g.id} checked={r.groups.some((x) => x.id === g.id)} /> {g.displayName}{' '}
                  <span class="muted">({g.source === 'scim' ? 'SCIM' : 'local'})</span>
                </label>
              ))}
              <div class="actions">
                <button type="submit" class="small">
                  Save groups of {r.name}
                </button>
              </div>
            </fieldset>
          </ActionForm>
        ))}
      </section>

      {roles.length > 0 ? (
        <section class="card" aria-labelledby="edit-role-h">
          <h2 id="edit-role-h">Change a custom role</h2>
          {roles.map((r) => (
            <details>
              <summary>Edit {r.name}</summary>
              <ActionForm action={`${base}/admin/roles/update`}>
                <input type="hidden" name="id" value={r.id} />
                <label for={`name-${r.id}`}>Role name</label>
                <input id={`name-${r.id}`} name="name" type="text" required value={r.name} />
                <PermissionFields prefix={`edit-${r.id}`} current={r.permissions} apps={apps} />
                <label class="inline">
                  <input type="checkbox" name="restrictive" value="1" checked={r.restrictive} /> Restrictive
                </label>
                <p>
                  <button type="submit">Save {r.name}</button>
                </p>
              </ActionForm>
            </details>
          ))}
        </section>
      ) : null}

      <details>
        <summary>Change the default role (members without a custom role)</summary>
        <ActionForm action={`${base}/admin/roles/default`}>
          <PermissionFields prefix="default" current={def.permissions} apps={apps} forDefault />
          <p>
            <button type="submit">Save the default role</button>
          </p>
        </ActionForm>
      </details>
      {roles.length > 0 ? (
        <details>
          <summary>Delete a custom role</summary>
          {roles.map((r) => (
            <ActionForm action={`${base}/admin/roles/delete`} confirm={`Delete the role ${r.name}?`}>
              <input type="hidden" name="id" value={r.id} />
              <button type="submit" class="danger small">
                Delete {r.name}
              </button>
            </ActionForm>
          ))}
        </details>
      ) : null}
    </Layout>
  );
}

export const roleActions: Record<string, Action> = {
  async create({ c, user }, form) {
    const name = required(form, 'name', 'the role name');
    const restrictive = form.get('restrictive') === '1';
    const permissions = grantFrom(form, form.get('full') === '1');
    // A blank limit on a role is no group default at all (not "no limit").
    if (permissions['credits.monthly_limit'] === null) delete permissions['credits.monthly_limit'];
    const r = await workspaceApi(c, user).roles.create({ name, permissions, ...(restrictive ? { restrictive } : {}) });
    return { tone: 'ok', text: `Role ${r.name} created. Map it to a group so that it reaches members.` };
  },
  async update({ c, user }, form) {
    const id = required(form, 'id', 'the role');
    const name = required(form, 'name', 'the role name');
    const permissions = grantFrom(form, true);
    const credits = permissions['credits.monthly_limit'];
    if (credits === null) delete permissions['credits.monthly_limit'];
    const r = await workspaceApi(c, user).roles.update(id, { name, permissions, restrictive: form.get('restrictive') === '1' });
    return { tone: 'ok', text: `Role ${r.name} saved.` };
  },
  async map({ c, user }, form) {
    const id = required(form, 'id', 'the role');
    const r = await workspaceApi(c, user).roles.setGroups(id, form.all('groupIds'));
    const names = r.groups.map((g) => g.displayName);
    return { tone: 'ok', text: names.length ? `${r.name} is mapped to ${names.join(', ')}.` : `${r.name} is mapped to no group.` };
  },
  async default({ c, user }, form) {
    await workspaceApi(c, user).roles.setDefault(grantFrom(form, true));
    return { tone: 'ok', text: 'The default role is saved; it applies to members who hold no custom role.' };
  },
  async delete({ c, user }, form) {
    const id = required(form, 'id', 'the role');
    await workspaceApi(c, user).roles.remove(id);
    return { tone: 'ok', text: 'Role deleted.' };
  },
};
