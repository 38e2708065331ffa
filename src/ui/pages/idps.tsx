// The mock identity providers, one console page each: the directory (add, edit, take out of scope,
// remove users; groups; moves), faults to arm for the next sign-in or a user, and a provisioning
// push to this workspace with its log. Every change goes through the mock IdP's own HTTP API.
import type { IdpGroupView, IdpUserView } from '../../idp/directory.js';
import type { ProvisioningReport } from '../../idp/provisioning/run.js';
import type { IdpView } from '../../idp/registry.js';
import { MOCK_OIDC_FAULTS } from '../../idp/oidc/faults.js';
import { SAML_FAULTS } from '../../idp/saml/issue-response.js';
import { runtimeSlot } from '../../emulator.js';
import { callApi, expectOk } from '../admin-api.js';
import { VENDOR_WORDS } from '../plain-words.js';
import { FormProblem, required, type Action, type FormFields } from '../actions.js';
import { ActionForm, Badge, DeveloperDetails, Layout, Time, type PageContext } from '../layout.js';
import { pushDirectory } from './scim.js';

const enc = encodeURIComponent;

/** Per emulator, the last provisioning push of each IdP to each workspace (memory only), by `idp workspace`. */
const LAST_PUSH = runtimeSlot('console idp pushes', () => new Map<string, { at: string; report: ProvisioningReport }>());

/** A fault's name in words ("wrong_audience" → "wrong audience"). */
const faultWords = (f: string) => f.replace(/_/g, ' ');

const ACTION_WORDS: Record<string, string> = {
  created: 'created',
  linked: 'linked to an existing member',
  updated: 'updated',
  reactivated: 'reactivated',
  deactivated: 'deactivated',
  deleted: 'deleted',
  renamed: 'renamed',
  members_changed: 'memberships changed',
  failed: 'failed',
};

async function idpApi<T>(ctx: PageContext, method: string, path: string, body?: unknown): Promise<T> {
  return expectOk<T>(await callApi(ctx.c, ctx.user, method, path, body));
}

/** Every mock IdP, with a link to its page. */
export async function idpsPage(ctx: PageContext) {
  const idps = Object.values(ctx.c.get('core').state.idps ?? {});
  return (
    <Layout ctx={ctx} page="idps" title="Mock identity providers">
      <h1>Mock identity providers</h1>
      <p class="lead">
        The district's side, emulated: each one has a directory of people and groups, signs them in (SAML or OpenID Connect) and pushes
        them to the workspace (SCIM). Change the directory here to show what the workspace does about it.
      </p>
      {idps.length === 0 ? (
        <p>
          No mock identity provider yet. Create one on the <a href={`${ctx.base}/admin/sso`}>Single sign-on</a> page.
        </p>
      ) : (
        <ul id="idp-list">
          {idps.map((i) => (
            <li>
              <a href={`${ctx.base}/admin/idps/${enc(i.id)}`}>{i.name}</a> <span class="muted">({Object.keys(i.users).length} people, imitates {VENDOR_WORDS[i.vendor] ?? i.vendor})</span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** One mock IdP: directory, faults, provisioning. */
export async function idpPage(ctx: PageContext, id: string) {
  const { base } = ctx;
  const idp = await idpApi<IdpView>(ctx, 'GET', `/idp/${enc(id)}`);
  const { users } = await idpApi<{ users: IdpUserView[] }>(ctx, 'GET', `/idp/${enc(id)}/users`);
  const { groups } = await idpApi<{ groups: IdpGroupView[] }>(ctx, 'GET', `/idp/${enc(id)}/groups`);
  const faults = await idpApi<{ next?: string; users: Record<string, string> }>(ctx, 'GET', `/idp/${enc(id)}/faults`);
  const push = ctx.c.get('core').runtime(LAST_PUSH).get(`${id} ${ctx.c.get('ws').id}`);
  const faultNames = [...new Set([...Object.keys(SAML_FAULTS), ...Object.keys(MOCK_OIDC_FAULTS)])].sort();
  const Hidden = () => <input type="hidden" name="idp" value={idp.id} />;
  const GroupOptions = ({ selected }: { selected?: string }) => (
    <>
      {groups.map((g) => (
        <option value={g.displayName} selected={g.displayName === selected}>
          {g.displayName}
        </option>
      ))}
    </>
  );
  return (
    <Layout ctx={ctx} page="idps" title={idp.name}>
      <p>
        <a href={`${base}/admin/idps`}>← All mock identity providers</a>
      </p>
      <h1 data-focus>{idp.name}</h1>
      {idp.vendor === 'google' ? (
        <p class="lead">
          A training identity provider that imitates {VENDOR_WORDS[idp.vendor]}. Google does not push SCIM to the workspace: the workspace pulls
          this directory, limited to chosen groups, on the <a href={`${base}/admin/directory`}>Directory sync (Google, CSV)</a> page. Suspending
          someone or moving them out of the chosen groups deactivates them at the next sync.
        </p>
      ) : (
        <p class="lead">
          A training identity provider that imitates {VENDOR_WORDS[idp.vendor] ?? idp.vendor}. People in the app's provisioning scope are pushed to the
          workspace; taking someone out of scope and pushing again deactivates them there.
        </p>
      )}

      <section class="card" aria-labelledby="dir-h">
        <h2 id="dir-h">Directory: people</h2>
        <table id="idp-users">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Groups</th>
              <th scope="col">Provisioning scope</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr data-idp-user={u.email}>
                <td>
                  {u.email}
                  <br />
                  <span class="muted">{[u.givenName, u.familyName].filter(Boolean).join(' ') || 'no name'}</span>
                </td>
                <td>{u.groups.map((g) => g.displayName).join(', ') || <span class="muted">none</span>}</td>
                <td>{u.provisioned ? <Badge value="active" label="in scope" /> : <Badge value="deactivated" label="out of scope" />}</td>
                <td>
                  <div class="actions">
                    <ActionForm action={`${base}/admin/idps/scope`}>
                      <Hidden />
                      <input type="hidden" name="email" value={u.email} />
                      <input type="hidden" name="provisioned" value={u.provisioned ? 'false' : 'true'} />
                      <button type="submit" class="secondary small" aria-label={`${u.provisioned ? 'Deactivate' : 'Reactivate'} ${u.email}`}>
                        {u.provisioned ? 'Deactivate (take out of scope)' : 'Reactivate (back in scope)'}
                      </button>
                    </ActionForm>
                    <ActionForm action={`${base}/admin/idps/remove-user`} confirm={`Remove ${u.email} from the directory?`}>
                      <Hidden />
                      <input type="hidden" name="email" value={u.email} />
                      <button type="submit" class="danger small" aria-label={`Remove ${u.email}`}>
                        Remove
                      </button>
                    </ActionForm>
                  </div>
                  <details>
                    <summary>Edit or move {u.email}</summary>
                    <ActionForm action={`${base}/admin/idps/edit-user`}>
                      <Hidden />
                      <input type="hidden" name="email" value={u.email} />
                      <label for={`given-${u.id}`}>Given name</label>
                      <input id={`given-${u.id}`} name="givenName" type="text" value={u.givenName ?? ''} />
                      <label for={`family-${u.id}`}>Family name</label>
                      <input id={`family-${u.id}`} name="familyName" type="text" value={u.familyName ?? ''} />
                      <p>
                        <button type="submit" class="small">
                          Save {u.email}
                        </button>
                      </p>
                    </ActionForm>
                    {u.groups.length > 0 && groups.length > 1 ? (
                      <ActionForm action={`${base}/admin/idps/move-user`}>
                        <Hidden />
                        <input type="hidden" name="email" value={u.email} />
                        <div class="row">
                          <div>
                            <label for={`from-${u.id}`}>Move from</label>
                            <select id={`from-${u.id}`} name="from">
                              {u.groups.map((g) => (
                                <option value={g.displayName}>{g.displayName}</option>
                              ))}
                            </select>
                          </div>
                          <div>
                            <label for={`to-${u.id}`}>to</label>
                            <select id={`to-${u.id}`} name="to">
                              <GroupOptions />
                            </select>
                          </div>
                          <button type="submit" class="small">
                            Move {u.email}
                          </button>
                        </div>
                      </ActionForm>
                    ) : null}
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Add a person</h3>
        <ActionForm action={`${base}/admin/idps/add-user`}>
          <Hidden />
          <div class="row">
            <div>
              <label for="new-email">Email</label>
              <input id="new-email" name="email" type="email" required />
            </div>
            <div>
              <label for="new-given">Given name</label>
              <input id="new-given" name="givenName" type="text" />
            </div>
            <div>
              <label for="new-family">Family name</label>
              <input id="new-family" name="familyName" type="text" />
            </div>
          </div>
          <label for="new-groups">Groups (separated by commas; new ones are created)</label>
          <input id="new-groups" name="groups" type="text" placeholder="Teachers" />
          <label class="inline">
            <input type="checkbox" name="provisioned" value="true" checked /> In the app's provisioning scope
          </label>
          <p>
            <button type="submit">Add the person</button>
          </p>
        </ActionForm>
      </section>

      <section class="card" aria-labelledby="groups-h">
        <h2 id="groups-h">Directory: groups</h2>
        {groups.length === 0 ? (
          <p class="muted">No group yet.</p>
        ) : (
          <ul id="idp-groups">
            {groups.map((g) => (
              <li>
                <strong>{g.displayName}</strong> <span class="muted">({g.members.length} {g.members.length === 1 ? 'person' : 'people'})</span>
              </li>
            ))}
          </ul>
        )}
        <ActionForm action={`${base}/admin/idps/add-group`}>
          <Hidden />
          <div class="row">
            <div>
              <label for="new-group">New group</label>
              <input id="new-group" name="displayName" type="text" required />
            </div>
            <button type="submit" class="secondary">
              Add the group
            </button>
          </div>
        </ActionForm>
      </section>

      <section class="card" aria-labelledby="faults-h">
        <h2 id="faults-h">Faults: make a sign-in go wrong</h2>
        <p>
          Arm a fault and the identity provider sends a broken answer, so the audience sees the workspace refuse it (and why).{' '}
          {faults.next ? (
            <>
              Armed for the next sign-in: <strong id="armed-next">{faultWords(faults.next)}</strong>.
            </>
          ) : (
            'Nothing armed for the next sign-in.'
          )}{' '}
          {Object.entries(faults.users).map(([email, f]) => (
            <span>
              For {email}: <strong>{faultWords(f)}</strong>.{' '}
            </span>
          ))}
        </p>
        <ActionForm action={`${base}/admin/idps/fault`}>
          <Hidden />
          <div class="row">
            <div>
              <label for="fault-name">Fault</label>
              <select id="fault-name" name="fault">
                {faultNames.map((f) => (
                  <option value={f}>{faultWords(f)}</option>
                ))}
              </select>
            </div>
            <div>
              <label for="fault-user">For</label>
              <select id="fault-user" name="user">
                <option value="">the next sign-in, whoever it is</option>
                {users.map((u) => (
                  <option value={u.email}>{u.email}, every time</option>
                ))}
              </select>
            </div>
            <button type="submit">Arm the fault</button>
          </div>
        </ActionForm>
        <ActionForm action={`${base}/admin/idps/clear-faults`}>
          <Hidden />
          <p>
            <button type="submit" class="secondary small">
              Clear all faults
            </button>
          </p>
        </ActionForm>
      </section>

      <section class="card" aria-labelledby="push-h">
        <h2 id="push-h">Provisioning push to this workspace</h2>
        <p>
          Runs one provisioning cycle over SCIM, the way {VENDOR_WORDS[idp.vendor] ?? idp.vendor} sends it: creates, updates and deactivates members, and
          pushes groups.{idp.vendor === 'google' ? ' (Google pushes SCIM only to apps in its own catalog; a district rehearses with the pulled directory instead.)' : ''}
        </p>
        <ActionForm action={`${base}/admin/idps/push`}>
          <Hidden />
          <button type="submit">Push the directory now</button>
        </ActionForm>
        {push ? (
          <>
            <h3>
              Last push, <Time iso={push.at} />
            </h3>
            <ul id="push-log">
              {push.report.outcomes.length === 0 ? <li>Nothing to change: the workspace already matches the directory.</li> : null}
              {push.report.outcomes.map((o) => (
                <li>
                  {o.type === 'user' ? 'Person' : 'Group'} {o.subject}: {ACTION_WORDS[o.action] ?? o.action}
                  {o.action === 'members_changed' ? ` (${o.added ?? 0} added, ${o.removed ?? 0} removed)` : ''}
                  {o.action === 'failed' && o.detail ? <DeveloperDetails text={`HTTP ${o.status ?? ''}: ${o.detail}`} /> : null}
                </li>
              ))}
            </ul>
            <DeveloperDetails text={push.report.requests.map((r) => `${r.method} ${r.path} → ${r.status}`).join(' · ')} />
          </>
        ) : (
          <p class="muted">No push from this page yet.</p>
        )}
      </section>
    </Layout>
  );
}

const idpOf = (form: FormFields) => required(form, 'idp', 'the identity provider');
const back = (form: FormFields) => `/admin/idps/${enc(idpOf(form))}`;
const userPath = (form: FormFields) => `/idp/${enc(idpOf(form))}/users/${enc(required(form, 'email', 'the person'))}`;

export const idpActions: Record<string, Action> = {
  async 'add-user'(ctx, form) {
    const email = required(form, 'email', 'the email');
    const groups = (form.get('groups') ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    await idpApi(ctx, 'POST', `/idp/${enc(idpOf(form))}/users`, {
      email,
      ...(form.get('givenName') ? { givenName: form.get('givenName') } : {}),
      ...(form.get('familyName') ? { familyName: form.get('familyName') } : {}),
      ...(groups.length ? { groups } : {}),
      provisioned: form.get('provisioned') === 'true',
    });
    return { flash: { tone: 'ok', text: `${email} added to the directory. Push the directory to bring them into the workspace.` }, back: back(form) };
  },
  async 'edit-user'(ctx, form) {
    const u = await idpApi<IdpUserView>(ctx, 'PATCH', userPath(form), { givenName: form.get('givenName') ?? '', familyName: form.get('familyName') ?? '' });
    return { flash: { tone: 'ok', text: `${u.email} saved. The next push sends the change to the workspace.` }, back: back(form) };
  },
  async scope(ctx, form) {
    const provisioned = form.get('provisioned') === 'true';
    const u = await idpApi<IdpUserView>(ctx, 'PATCH', userPath(form), { provisioned });
    return {
      flash: {
        tone: 'ok',
        text: provisioned
          ? `${u.email} is back in the provisioning scope: the next push reactivates them in the workspace.`
          : `${u.email} is out of the provisioning scope: the next push deactivates them in the workspace.`,
      },
      back: back(form),
    };
  },
  async 'remove-user'(ctx, form) {
    const email = required(form, 'email', 'the person');
    await idpApi(ctx, 'DELETE', userPath(form));
    return { flash: { tone: 'ok', text: `${email} removed from the directory. The next push deactivates them in the workspace.` }, back: back(form) };
  },
  async 'move-user'(ctx, form) {
    const from = required(form, 'from', 'the group to move from');
    const to = required(form, 'to', 'the group to move to');
    if (from === to) throw new FormProblem('Pick two different groups.');
    const u = await idpApi<IdpUserView>(ctx, 'POST', `${userPath(form)}/move`, { from, to });
    return { flash: { tone: 'ok', text: `${u.email} moved from ${from} to ${to}. The next push changes their groups in the workspace.` }, back: back(form) };
  },
  async 'add-group'(ctx, form) {
    const displayName = required(form, 'displayName', 'the group name');
    await idpApi(ctx, 'POST', `/idp/${enc(idpOf(form))}/groups`, { displayName });
    return { flash: { tone: 'ok', text: `Group ${displayName} added to the directory.` }, back: back(form) };
  },
  async fault(ctx, form) {
    const fault = required(form, 'fault', 'the fault');
    const user = form.get('user');
    await idpApi(ctx, 'PUT', `/idp/${enc(idpOf(form))}/faults`, user ? { users: { [user]: fault } } : { next: fault });
    return {
      flash: { tone: 'ok', text: `Armed: "${faultWords(fault)}" ${user ? `for every sign-in of ${user}` : 'for the next sign-in'}. Run a test sign-in to show the refusal.` },
      back: back(form),
    };
  },
  async 'clear-faults'(ctx, form) {
    await idpApi(ctx, 'DELETE', `/idp/${enc(idpOf(form))}/faults`);
    return { flash: { tone: 'ok', text: 'No fault is armed any more.' }, back: back(form) };
  },
  async push(ctx, form) {
    const id = idpOf(form);
    const { report, flash } = await pushDirectory(ctx, id);
    ctx.c.get('core').runtime(LAST_PUSH).set(`${id} ${ctx.c.get('ws').id}`, { at: ctx.c.get('core').clockFor(ctx.c.get('ws').id).now().toISOString(), report });
    return { flash, back: back(form) };
  },
};
