// Step 5, Groups: directory (SCIM) and local groups side by side, duplicate names flagged, local
// pilot groups created and filled, and a local group adopted into its SCIM twin.
import type { Group } from '../../client/types.js';
import { workspaceApi } from '../admin-api.js';
import { required, type Action } from '../actions.js';
import { ActionForm, Badge, Layout, type PageContext } from '../layout.js';

export async function groupsPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const api = workspaceApi(c, user);
  const groups = await api.groups.list();
  const members = await api.users.list();
  const scimGroups = groups.filter((g) => g.source === 'scim');
  const twinsOf = (g: Group) => scimGroups.filter((s) => s.displayName.toLowerCase() === g.displayName.toLowerCase());
  const duplicates = groups.filter((g) => g.source === 'local' && twinsOf(g).length > 0);
  return (
    <Layout ctx={ctx} page="groups" title="Groups">
      <h1>5. Groups</h1>
      <p class="lead">
        Groups pushed by the identity provider (SCIM) are managed there. Local groups are for pilots before SCIM is live; once the
        directory pushes a group of the same name, adopt the local one so its role mappings move to the directory's group.
      </p>
      {duplicates.length > 0 ? (
        <div class="notice warn" role="alert">
          <p>
            <strong>Duplicate group names:</strong> {duplicates.map((g) => g.displayName).join(', ')} exist both as local and as SCIM groups.
            They do not merge: adopt each local group into its SCIM twin.
          </p>
        </div>
      ) : null}
      <section class="card" aria-labelledby="new-group-h">
        <h2 id="new-group-h">Create a local group</h2>
        <ActionForm action={`${base}/admin/groups/create`}>
          <div class="row">
            <div>
              <label for="group-name">Group name</label>
              <input id="group-name" name="displayName" type="text" required />
            </div>
            <button type="submit">Create local group</button>
          </div>
        </ActionForm>
      </section>
      <table id="groups">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Source</th>
            <th scope="col" class="num">
              Members
            </th>
            <th scope="col">Roles</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => {
            const twins = g.source === 'local' ? twinsOf(g) : [];
            return (
              <tr data-group={g.displayName}>
                <td>
                  {g.displayName}{' '}
                  {g.duplicateName || twins.length > 0 ? <Badge value="warn" label="duplicate name" /> : null}
                </td>
                <td>
                  <Badge value={g.source} label={g.source === 'scim' ? 'SCIM' : 'local'} />
                </td>
                <td class="num">{g.memberCount}</td>
                <td>{g.roles.map((r) => r.name).join(', ') || <span class="muted">none</span>}</td>
                <td>
                  {g.source === 'local' ? (
                    <>
                      {scimGroups.length > 0 ? (
                        <ActionForm action={`${base}/admin/groups/adopt`} class="actions">
                          <input type="hidden" name="id" value={g.id} />
                          <label class="inline" for={`adopt-${g.id}`}>
                            <span class="muted">Adopt into</span>
                          </label>
                          <select id={`adopt-${g.id}`} name="into">
                            {(twins.length ? twins : scimGroups).map((s) => (
                              <option value={s.id}>{s.displayName} (SCIM)</option>
                            ))}
                          </select>
                          <button type="submit" class="secondary small">
                            Adopt
                          </button>
                        </ActionForm>
                      ) : null}
                      <details>
                        <summary>Members of {g.displayName}</summary>
                        <ActionForm action={`${base}/admin/groups/members`}>
                          <input type="hidden" name="id" value={g.id} />
                          <fieldset>
                            <legend class="muted">Pick the members</legend>
                            {members
                              .filter((m) => m.status !== 'deactivated')
                              .map((m) => (
                                <label class="inline">
                                  <input type="checkbox" name="userIds" value={m.id} checked={m.groups.some((x) => x.id === g.id)} /> {m.email}
                                </label>
                              ))}
                          </fieldset>
                          <button type="submit" class="secondary small">
                            Save members
                          </button>
                        </ActionForm>
                      </details>
                      <ActionForm action={`${base}/admin/groups/delete`} confirm={`Delete the local group ${g.displayName}?`}>
                        <input type="hidden" name="id" value={g.id} />
                        <button type="submit" class="danger small">
                          Delete
                        </button>
                      </ActionForm>
                    </>
                  ) : (
                    <span class="muted">managed by the identity provider</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>
  );
}

export const groupActions: Record<string, Action> = {
  async create({ c, user }, form) {
    const displayName = required(form, 'displayName', 'the group name');
    const g = await workspaceApi(c, user).groups.create(displayName);
    return { tone: 'ok', text: `Local group ${g.displayName} created.` };
  },
  async members({ c, user }, form) {
    const id = required(form, 'id', 'the group');
    const g = await workspaceApi(c, user).groups.setMembers(id, form.all('userIds'));
    return { tone: 'ok', text: `${g.displayName} now has ${g.memberCount} member${g.memberCount === 1 ? '' : 's'}.` };
  },
  async adopt({ c, user }, form) {
    const id = required(form, 'id', 'the local group');
    const into = required(form, 'into', 'the SCIM group');
    const g = await workspaceApi(c, user).groups.adopt(id, into);
    return { tone: 'ok', text: `Adopted: the local group's role mappings moved to the SCIM group ${g.displayName}, and the local group is gone.` };
  },
  async delete({ c, user }, form) {
    const id = required(form, 'id', 'the group');
    await workspaceApi(c, user).groups.remove(id);
    return { tone: 'ok', text: 'Local group deleted.' };
  },
};
