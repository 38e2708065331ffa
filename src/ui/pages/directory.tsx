// Directory sync for districts that do not push SCIM (docs/directory-sync.md): the connection (Google
// Workspace pulled, CSV over SFTP), the group filter of a mock Google IdP, sync now, and the last syncs.
import type { DirectoryView, SyncView } from '../../directory/directory.js';
import { callApi, expectOk } from '../admin-api.js';
import type { Action } from '../actions.js';
import { ActionForm, Badge, Copyable, DeveloperDetails, Layout, Time, type PageContext } from '../layout.js';

const SHOWN_SYNCS = 10;

export async function directoryPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const api = `/w/${c.get('ws').id}/api/directory`;
  const view = expectOk<DirectoryView>(await callApi(c, user, 'GET', api));
  const syncs = expectOk<{ syncs: SyncView[] }>(await callApi(c, user, 'GET', `${api}/syncs`)).syncs.slice(0, SHOWN_SYNCS);
  const googleIdps = Object.values(c.get('core').state.idps ?? {}).filter((i) => i.vendor === 'google');
  return (
    <Layout ctx={ctx} page="directory" title="Directory sync (Google, CSV)">
      <h1>Directory sync: Google Workspace and CSV</h1>
      <p class="lead">
        For districts whose directory does not push SCIM: the workspace pulls Google Workspace through its Directory API, or reads the
        users.csv and groups.csv a student information system uploads over SFTP. Members and groups it brings behave as SCIM ones.
      </p>
      <ConnectionSection base={base} view={view} haveGoogle={googleIdps.length > 0} />
      {googleIdps.length > 0 ? <GoogleFilterSection base={base} view={view} idps={googleIdps.map((i) => i.id)} /> : null}
      <SyncsSection syncs={syncs} />
    </Layout>
  );
}

const ConnectionSection = ({ base, view, haveGoogle }: { base: string; view: DirectoryView; haveGoogle: boolean }) => (
  <section class="card" aria-labelledby="conn-h">
    <h2 id="conn-h">Connection</h2>
    <p>
      Type: <Badge value={view.type} tone={view.type === 'none' ? 'warn' : 'pass'} label={TYPE_WORDS[view.type]} /> {view.connectedAt ? <>since <Time iso={view.connectedAt} /></> : null}
    </p>
    {view.google ? (
      <dl>
        <dt>Directory API</dt>
        <dd>
          <code>{view.google.baseUrl}</code> {view.google.mockIdp ? <span class="muted">(mock IdP {view.google.mockIdp})</span> : null}
        </dd>
        <dt>Client</dt>
        <dd>
          <code>{view.google.clientId}</code>
        </dd>
        <dt>Group filter</dt>
        <dd>{view.google.groups ? view.google.groups.join(', ') : <span class="muted">none: every user</span>}</dd>
      </dl>
    ) : null}
    {view.sftp ? (
      <dl>
        <dt>SFTP server</dt>
        <dd>
          <code>
            sftp -P {view.sftp.port ?? '?'} {view.sftp.username}@{view.sftp.host}
          </code>
        </dd>
        <dt>Password</dt>
        <dd>
          <Copyable value={view.sftp.password} label="the SFTP password" id="sftp-password" />
        </dd>
        <dt>Files kept</dt>
        <dd>{view.sftp.files.length > 0 ? view.sftp.files.join(', ') : <span class="muted">none uploaded yet</span>}</dd>
      </dl>
    ) : null}
    {view.intervalMinutes ? (
      <p class="muted">
        Syncs every {view.intervalMinutes} minutes of the workspace clock; next <Time iso={view.nextSyncAt} />.
      </p>
    ) : null}
    {view.type === 'google' || view.type === 'sftp' ? (
      <ActionForm action={`${base}/admin/directory/sync`}>
        <button type="submit">Sync now</button>
      </ActionForm>
    ) : (
      <>
        <p class="muted">
          No pulled directory yet.{' '}
          {haveGoogle ? (
            'Choose a mock Google identity provider below, or let the district upload CSV files over SFTP.'
          ) : (
            <>
              Create a training identity provider that imitates Google Workspace on the <a href={`${base}/admin/sso`}>Single sign-on</a> page to pull
              its directory, or let the district upload CSV files over SFTP.
            </>
          )}
        </p>
        <ActionForm action={`${base}/admin/directory/sftp`}>
          <button type="submit" class="secondary">Use CSV files over SFTP</button>
        </ActionForm>
      </>
    )}
  </section>
);

/** For the mock Google IdP: connect it (or change the filter) with the groups whose members are provisioned. */
const GoogleFilterSection = ({ base, view, idps }: { base: string; view: DirectoryView; idps: string[] }) => (
  <section class="card" aria-labelledby="filter-h">
    <h2 id="filter-h">Mock Google IdP and group filter</h2>
    <ActionForm action={`${base}/admin/directory/google`}>
      <div class="row">
        <div>
          <label for="dir-idp">Mock IdP</label>
          <select id="dir-idp" name="idp">
            {idps.map((id) => (
              <option value={id} selected={view.google?.mockIdp === id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="dir-groups">Groups (comma-separated; empty: every user)</label>
          <input id="dir-groups" name="groups" type="text" value={view.google?.groups?.join(', ') ?? ''} placeholder="Teachers, Students" />
        </div>
        <button type="submit">Save the connection</button>
      </div>
    </ActionForm>
  </section>
);

const TYPE_WORDS: Record<DirectoryView['type'], string> = { none: 'not connected', scim: 'SCIM pushed by the IdP', google: 'Google Workspace, pulled', sftp: 'CSV files over SFTP' };
const TRIGGER_WORDS: Record<SyncView['trigger'], string> = { manual: 'Sync now', upload: 'file uploaded', interval: 'on schedule' };

const summaryText = (s: SyncView['summary']) =>
  `${s.created} created, ${s.updated} updated, ${s.deactivated} deactivated, ${s.reactivated} reactivated; groups ${s.groups.created} created, ${s.groups.updated} renamed, ${s.groups.deleted} deleted; memberships +${s.memberships.added} −${s.memberships.removed}`;

const SyncsSection = ({ syncs }: { syncs: SyncView[] }) => (
  <section class="card" aria-labelledby="syncs-h">
    <h2 id="syncs-h">Last syncs</h2>
    {syncs.length === 0 ? (
      <p class="muted">No sync yet.</p>
    ) : (
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Trigger</th>
            <th scope="col">Status</th>
            <th scope="col">Summary or error</th>
          </tr>
        </thead>
        <tbody>
          {syncs.map((s) => (
            <tr>
              <td>
                <Time iso={s.at} />
              </td>
              <td>{TRIGGER_WORDS[s.trigger]}</td>
              <td>
                <Badge value={s.status} tone={s.status === 'ok' ? 'pass' : 'fail'} />
              </td>
              <td>
                {s.error ? (
                  <>
                    {s.error.message}
                    <DeveloperDetails code={s.error.code} />
                  </>
                ) : (
                  summaryText(s.summary)
                )}
                {s.summary.warnings.map((w) => (
                  <div class="muted">{w}</div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

export const directoryActions: Record<string, Action> = {
  async sftp({ c, user }) {
    expectOk(await callApi(c, user, 'PUT', `/w/${c.get('ws').id}/api/directory`, { type: 'sftp' }));
    return { tone: 'ok', text: 'CSV files over SFTP: the district uploads users.csv and groups.csv with the user name and password shown here; each upload syncs.' };
  },
  async sync({ c, user }) {
    const s = expectOk<SyncView>(await callApi(c, user, 'POST', `/w/${c.get('ws').id}/api/directory/sync`));
    return { tone: 'ok', text: `Synced: ${summaryText(s.summary)}.` };
  },
  async google({ c, user }, form) {
    const idp = form.get('idp');
    const groups = (form.get('groups') ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== '');
    expectOk(await callApi(c, user, 'PUT', `/w/${c.get('ws').id}/api/directory`, { type: 'google', mockIdp: idp, ...(groups.length > 0 ? { groups } : {}) }));
    return { tone: 'ok', text: groups.length > 0 ? `Connected to ${idp}, syncing members of ${groups.join(', ')}.` : `Connected to ${idp}, syncing every user.` };
  },
};
