// Step 2, Single sign-on: connect the identity provider (a mock IdP, uploaded metadata, or fields),
// our SP values and metadata, test users with a test sign-in link, and enforcement with its guard.
import type { Enforcement, EnforcementPreview, Member, MemberRole, Settings, SsoConnection, SsoConnectionInput } from '../../client/types.js';
import type { IdpUserView } from '../../idp/directory.js';
import type { IdpView } from '../../idp/registry.js';
import { IDP_VENDORS, type EnforcementLevel, type IdpState } from '../../store/state.js';
import { callHttp, consoleClient, workspaceApi } from '../admin-api.js';
import type { ConsoleUser } from '../console-auth.js';
import { FormProblem, required, type Action, type FormFields } from '../actions.js';
import { ActionForm, Badge, Copyable, Layout, Time, type PageContext } from '../layout.js';
import { EnforcementPreviewTables, loadEnforcementPreviews } from './enforcement-preview.js';
import { levelWords, roleWords, VENDOR_WORDS } from '../plain-words.js';
import { sessionMember } from '../../signin/routes.js';
import { sessionToken } from '../../signin/session-cookie.js';

const enc = encodeURIComponent;

const LEVELS = [
  { id: 'off', title: 'Off', text: 'SSO works beside passwords and social sign-in.' },
  { id: 'no_passwords', title: 'No passwords', text: 'Verified-domain users may not use a password; SSO and social sign-in stay allowed.' },
  { id: 'sso_only', title: 'SSO only', text: 'Verified-domain users can sign in only through SSO.' },
] as const;

/** Where a test sign-in starts, coming back to this page when it succeeds. */
export function testSignInUrl(base: string, protocol: string, email?: string): string {
  const back = `${base}/admin/sso?tested=1`;
  const q = new URLSearchParams();
  if (email) q.set('email', email);
  q.set(protocol === 'oidc' ? 'returnTo' : 'relayState', back);
  return `${base}/sso/${protocol === 'oidc' ? 'oidc' : 'saml'}/login?${q}`;
}

export async function ssoPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const api = workspaceApi(c, user);
  const conn = await api.sso.get();
  const enforcement = await api.sso.enforcement.get();
  const settings = await api.settings.get();
  const previews = await loadEnforcementPreviews(ctx, enforcement.level);
  const members = await api.users.list();
  const idps = Object.values(c.get('core').state.idps ?? {});
  const mockIdp = conn.configured ? conn.mockIdp : undefined;
  const testUsers = conn.configured && mockIdp ? await mockIdpUsers(ctx, mockIdp) : [];
  const protocol = conn.configured ? conn.protocol : 'saml';
  const banner = c.req.query('tested') === '1' ? testedBanner(ctx, conn) : undefined;
  const sections = {
    connection: <ConnectionSection base={base} conn={conn} mockIdp={mockIdp} />,
    sp: <SpValuesSection base={base} workspace={c.get('ws').id} conn={conn} />,
    training: <TrainingIdpSection base={base} user={user} idps={idps} configured={conn.configured} mockIdp={mockIdp} protocol={protocol} />,
    other: <OtherIdpSection base={base} configured={conn.configured} />,
    test: <TestSection base={base} configured={conn.configured} protocol={protocol} testUsers={testUsers} members={members} />,
    enforcement: <EnforcementSection base={base} enforcement={enforcement} settings={settings} previews={previews} />,
  };
  return (
    <Layout ctx={ctx} page="sso" title="Single sign-on">
      <h1>2. Single sign-on</h1>
      <p class="lead">
        Connect the district's identity provider, test it with a few invited users, and only then enforce it. SSO signs people in; it
        never adds them to the workspace (invite them, or provision them with SCIM).
      </p>
      {banner}
      {conn.configured ? (
        <>
          {sections.connection}
          {sections.test}
          {sections.enforcement}
          <details class="fold card-fold">
            <summary>Change the connection</summary>
            {sections.training}
            {sections.other}
          </details>
          <details class="fold card-fold">
            <summary>This workspace's values, for the identity provider</summary>
            {sections.sp}
          </details>
        </>
      ) : (
        <>
          {sections.training}
          {sections.test}
          {sections.enforcement}
          <details class="fold card-fold">
            <summary>Connect the district's own identity provider instead (metadata or values)</summary>
            {sections.sp}
            {sections.other}
          </details>
        </>
      )}
    </Layout>
  );
}

/** After a test sign-in comes back: who signed in and how, from this browser's own session. */
function testedBanner(ctx: PageContext, conn: SsoConnection) {
  const m = sessionMember(ctx.c);
  // `?tested=1` is only where the test sign-in returns: anyone can link to it, so the banner also
  // needs this browser's session to come from SSO with this protocol, and the connection tested.
  const { c } = ctx;
  const session = c.get('core').sessions.get(sessionToken(c), c.get('ws').id, c.get('core').clockFor(c.get('ws').id).nowMs());
  if (!m || !conn.configured || !conn.tested || session?.method !== `sso:${conn.protocol}`) return undefined;
  const name = [m.givenName, m.familyName].filter(Boolean).join(' ');
  const how = conn.protocol === 'oidc' ? 'single sign-on (OpenID Connect)' : 'single sign-on (SAML)';
  const idp = conn.mockIdp ? (ctx.c.get('core').state.idps?.[conn.mockIdp]?.name ?? conn.mockIdp) : undefined;
  return (
    <div class="banner-ok" role="status" id="test-success">
      <strong>Test sign-in succeeded.</strong> {name ? `${name} (${m.email})` : m.email} signed in with {how}
      {idp ? ` through ${idp}` : ''}. {conn.enforcement === 'off' ? 'Enforcement can be raised now.' : ''}
    </div>
  );
}

/** The connected mock IdP's directory users (the test users), or none when it cannot be read. */
async function mockIdpUsers(ctx: PageContext, idp: string): Promise<IdpUserView[]> {
  const res = await callHttp(ctx.c, 'GET', `/idp/${enc(idp)}/users`);
  return res.ok ? (res.body as { users: IdpUserView[] }).users : [];
}

/** The current connection: its IdP values, the mock IdP behind it, whether it was tested; and disconnecting. */
const ConnectionSection = ({ base, conn, mockIdp }: { base: string; conn: SsoConnection; mockIdp: string | undefined }) => (
  <section class="card" aria-labelledby="conn-h">
    <h2 id="conn-h">
      Connection{' '}
      {conn.configured ? <Badge value="ok" label={`connected · ${String(conn.protocol).toUpperCase()}`} /> : <Badge value="warn" label="not connected" />}
    </h2>
    {conn.configured ? (
      <table>
        <tbody>
          {conn.protocol === 'saml' ? (
            <>
              <tr>
                <th scope="row">IdP entity ID</th>
                <td>
                  <code>{conn.idp.entityId}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">IdP sign-in URL</th>
                <td>
                  <code>{conn.idp.ssoUrl}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">Signing certificates</th>
                <td>{conn.idp.certificates.length} trusted</td>
              </tr>
            </>
          ) : (
            <>
              <tr>
                <th scope="row">Issuer</th>
                <td>
                  <code>{conn.issuer}</code>
                </td>
              </tr>
              <tr>
                <th scope="row">Client ID</th>
                <td>
                  <code>{conn.clientId}</code>
                </td>
              </tr>
            </>
          )}
          {mockIdp ? (
            <tr>
              <th scope="row">Mock identity provider</th>
              <td>
                <a href={`${base}/admin/idps/${enc(mockIdp)}`}>{mockIdp}: its directory, faults and provisioning</a>
              </td>
            </tr>
          ) : null}
          <tr>
            <th scope="row">Tested</th>
            <td>
              {conn.tested ? (
                <>
                  <Badge value="pass" label="yes" /> last successful SSO sign-in <Time iso={conn.lastSuccessfulSsoAt} />
                </>
              ) : (
                <Badge value="warn" label="not yet" />
              )}
            </td>
          </tr>
        </tbody>
      </table>
    ) : (
      <p>No identity provider is connected yet. Use one of the ways below.</p>
    )}
    {conn.configured ? (
      <ActionForm action={`${base}/admin/sso/disconnect`} confirm="Disconnect the identity provider? Enforcement must be off.">
        <button type="submit" class="danger">
          Disconnect
        </button>
      </ActionForm>
    ) : null}
  </section>
);

/** This workspace's SP values (entity ID, ACS URL, redirect URI) and its metadata, for the IdP. */
const SpValuesSection = ({ base, workspace, conn }: { base: string; workspace: string; conn: SsoConnection }) => (
  <section class="card" aria-labelledby="sp-h">
    <h2 id="sp-h">This workspace's values, for the identity provider</h2>
    <table>
      <tbody>
        <tr>
          <th scope="row">SP entity ID (Identifier, Audience URI)</th>
          <td>
            <Copyable value={conn.entityId} label="the SP entity ID" />
          </td>
        </tr>
        <tr>
          <th scope="row">ACS URL (Reply URL, HTTP-POST)</th>
          <td>
            <Copyable value={conn.acsUrl} label="the ACS URL" />
          </td>
        </tr>
        <tr>
          <th scope="row">OIDC redirect URI</th>
          <td>
            <Copyable value={conn.redirectUri} label="the redirect URI" />
          </td>
        </tr>
      </tbody>
    </table>
    <p>
      <a class="button secondary" href={`${base}/sso/saml/metadata`} download={`${workspace}-sp-metadata.xml`}>
        Download SP metadata (XML)
      </a>
    </p>
  </section>
);

interface ConnectProps {
  base: string;
  user: ConsoleUser;
  idps: IdpState[];
  configured: boolean;
  mockIdp: string | undefined;
  protocol: 'saml' | 'oidc';
}

/** The easy path first: a training (mock) identity provider, created here if needed, and connected. */
const TrainingIdpSection = ({ base, user, idps, configured, mockIdp, protocol }: ConnectProps) => (
  <section class="card" aria-labelledby="connect-h">
    <h2 id="connect-h">{configured ? 'Connect a training identity provider' : 'Connect the training identity provider'}</h2>
    <p class="muted">
      {configured
        ? 'Changing the connection means a new test sign-in is needed before enforcement can be raised.'
        : 'The quickest way: a built-in mock identity provider that behaves like the district\'s (Entra, Okta, Google, Clever…).'}
    </p>
    {idps.length === 0 ? (
      <p class="muted">No mock identity provider exists yet{user.kind === 'key' ? ': create one below.' : ' (creating one needs the emulator admin key).'}</p>
    ) : (
      <ActionForm action={`${base}/admin/sso/connect-mock`}>
        <div class="row">
          <div>
            <label for="mockIdp">Mock identity provider</label>
            <select id="mockIdp" name="mockIdp">
              {idps.map((i) => (
                <option value={i.id} selected={i.id === mockIdp}>
                  {i.name} ({i.vendor}, {Object.keys(i.users).length} users)
                </option>
              ))}
            </select>
          </div>
          <fieldset>
            <legend>Protocol</legend>
            <label class="inline">
              <input type="radio" name="protocol" value="saml" checked={protocol !== 'oidc'} /> SAML 2.0
            </label>
            <label class="inline">
              <input type="radio" name="protocol" value="oidc" checked={protocol === 'oidc'} /> OpenID Connect
            </label>
          </fieldset>
          <button type="submit">Connect</button>
        </div>
      </ActionForm>
    )}
    {user.kind === 'key' ? (
      <details open={idps.length === 0}>
        <summary>Create a training identity provider</summary>
        <ActionForm action={`${base}/admin/sso/create-idp`}>
          <div class="row">
            <div>
              <label for="idp-id">Id</label>
              <input id="idp-id" name="id" type="text" placeholder="springfield" pattern="[a-z0-9][a-z0-9-]*" />
            </div>
            <div>
              <label for="idp-name">Name on its sign-in page</label>
              <input id="idp-name" name="name" type="text" placeholder="Springfield Public Schools" />
            </div>
            <div>
              <label for="idp-vendor">Vendor it imitates</label>
              <select id="idp-vendor" name="vendor">
                {IDP_VENDORS.map((v) => (
                  <option value={v}>{v === 'generic' ? 'Generic (SAML and OpenID Connect)' : VENDOR_WORDS[v]}</option>
                ))}
              </select>
            </div>
          </div>
          <label for="idp-users">Users, one a line: email, given name, family name, groups separated by ;</label>
          <textarea id="idp-users" name="users" placeholder={'ada@springfield.k12.us, Ada, Admin\ntom@springfield.k12.us, Tom, Lee, Teachers'}></textarea>
          <p>
            <button type="submit">Create identity provider</button>
          </p>
        </ActionForm>
      </details>
    ) : null}

  </section>
);

/** The district's own IdP: uploaded metadata, SAML fields, OIDC fields. */
const OtherIdpSection = ({ base, configured }: { base: string; configured: boolean }) => (
  <section class="card" aria-labelledby="other-h">
    <h2 id="other-h">{configured ? "Connect another identity provider" : "The district's own identity provider"}</h2>
    <h3>Upload its SAML metadata</h3>
    <ActionForm action={`${base}/admin/sso/connect-metadata`} enctype="multipart/form-data">
      <label for="metadata-file">Metadata file (Federation Metadata XML)</label>
      <input id="metadata-file" name="metadataFile" type="file" accept=".xml,application/xml,text/xml,application/samlmetadata+xml" />
      <label for="metadata-xml">or paste it</label>
      <textarea id="metadata-xml" name="metadataXml" placeholder="<EntityDescriptor …>"></textarea>
      <p>
        <button type="submit">Connect with metadata</button>
      </p>
    </ActionForm>

    <details>
      <summary>Enter SAML fields by hand</summary>
      <ActionForm action={`${base}/admin/sso/connect-saml`}>
        <label for="saml-entity">IdP entity ID (Issuer)</label>
        <input id="saml-entity" name="entityId" type="text" />
        <label for="saml-sso">IdP sign-in URL</label>
        <input id="saml-sso" name="ssoUrl" type="url" />
        <label for="saml-cert">Signing certificate (PEM)</label>
        <textarea id="saml-cert" name="certificate" placeholder="-----BEGIN CERTIFICATE-----"></textarea>
        <p>
          <button type="submit">Connect with SAML</button>
        </p>
      </ActionForm>
    </details>
    <details>
      <summary>Enter OpenID Connect fields</summary>
      <ActionForm action={`${base}/admin/sso/connect-oidc`}>
        <label for="oidc-issuer">Issuer</label>
        <input id="oidc-issuer" name="issuer" type="url" placeholder="https://clever.com" />
        <label for="oidc-client">Client ID</label>
        <input id="oidc-client" name="clientId" type="text" />
        <label for="oidc-secret">Client secret</label>
        <input id="oidc-secret" name="clientSecret" type="password" autocomplete="off" />
        <p>
          <button type="submit">Connect with OpenID Connect</button>
        </p>
      </ActionForm>
    </details>
  </section>
);

interface TestProps {
  base: string;
  configured: boolean;
  protocol: 'saml' | 'oidc';
  testUsers: IdpUserView[];
  members: Member[];
}

/** The mock IdP's users with their membership here, an invite for each, and test sign-in links. */
function TestSection({ base, configured, protocol, testUsers, members }: TestProps) {
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]));
  return (
    <section class="card" aria-labelledby="test-h">
      <h2 id="test-h">Test users and test sign-in</h2>
      {!configured ? (
        <p class="muted">Connect an identity provider first.</p>
      ) : (
        <>
          <p>
            A test sign-in goes through the real protocol in this browser: to the identity provider and back to the workspace. Only
            members can sign in, so invite a test user first (or provision them with SCIM).
          </p>
          <p>
            <a class="button" href={testSignInUrl(base, protocol)} id="test-sign-in">
              Test sign-in (pick a user at the identity provider)
            </a>
          </p>
          {testUsers.length > 0 ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">User at the IdP</th>
                  <th scope="col">Groups</th>
                  <th scope="col">In the workspace</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {testUsers.map((u) => {
                  const m = byEmail.get(u.email.toLowerCase());
                  return (
                    <tr>
                      <td>
                        {u.email}
                        <br />
                        <span class="muted">{[u.givenName, u.familyName].filter(Boolean).join(' ')}</span>
                      </td>
                      <td>{u.groups.map((g) => g.displayName).join(', ') || <span class="muted">none</span>}</td>
                      <td>{m ? <><Badge value={m.status} /> {roleWords(m.role)}</> : <span class="muted">not a member</span>}</td>
                      <td class="actions">
                        {m ? null : (
                          <ActionForm action={`${base}/admin/sso/invite`}>
                            <input type="hidden" name="email" value={u.email} />
                            <label class="inline">
                              <span class="muted">as</span>
                              <select name="role" aria-label={`Role for ${u.email}`}>
                                <option value="member">member</option>
                                <option value="admin">admin</option>
                                <option value="owner">owner</option>
                              </select>
                            </label>
                            <button type="submit" class="secondary small">
                              Invite
                            </button>
                          </ActionForm>
                        )}
                        <a class="button small" href={testSignInUrl(base, protocol, u.email)} aria-label={`Test sign-in as ${u.email}`}>
                          Test sign-in
                        </a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : null}
        </>
      )}
    </section>
  );
}

/** Enforcement with its guard and the lockout warning, and owners' break-glass sign-in. */
const EnforcementSection = ({ base, enforcement, settings, previews }: { base: string; enforcement: Enforcement; settings: Settings; previews: EnforcementPreview[] }) => (
  <section class="card" aria-labelledby="enf-h">
    <h2 id="enf-h">
      Enforcement <Badge value={enforcement.level === 'off' ? 'warn' : 'pass'} label={levelWords(enforcement.level)} />
    </h2>
    <div class={`notice ${enforcement.tested ? 'ok' : 'warn'}`}>
      <p>
        <strong>The guard:</strong> raising enforcement above "Off" is refused until someone has signed in through SSO successfully
        since the connection last changed, so that a broken connection cannot lock everyone out.
      </p>
      <p>
        {!enforcement.ssoConfigured
          ? 'No connection yet: connect an identity provider first.'
          : enforcement.tested
            ? 'A test sign-in has succeeded: enforcement can be raised.'
            : 'No successful SSO sign-in yet: run a test sign-in above first.'}
      </p>
    </div>
    <div class="notice warn" role="note">
      <p>
        <strong>Lockout warning:</strong> under "SSO only", people of verified domains cannot use passwords or social sign-in. If the
        identity provider fails, nobody of those domains can sign in — including admins, unless owners keep break-glass password
        sign-in ({settings.breakGlass ? 'on' : 'off'} now).
      </p>
    </div>
    <EnforcementPreviewTables previews={previews} />
    <ActionForm action={`${base}/admin/sso/enforcement`}>
      <fieldset>
        <legend>Level</legend>
        {LEVELS.map((l) => (
          <label class="inline" style="display:flex">
            <input type="radio" name="level" value={l.id} checked={enforcement.level === l.id} />
            <span>
              <strong>{l.title}</strong> — {l.text}
            </span>
          </label>
        ))}
      </fieldset>
      <label class="inline">
        <input type="checkbox" name="force" value="true" /> Force it even though SSO is untested or no owner keeps a way in (recorded in
            the event log)
      </label>
      <p>
        <button type="submit">Save enforcement</button>
      </p>
    </ActionForm>
    <ActionForm action={`${base}/admin/sso/break-glass`}>
      <input type="hidden" name="breakGlass" value={settings.breakGlass ? 'false' : 'true'} />
      <p>
        Break-glass password sign-in for owners is <strong>{settings.breakGlass ? 'on' : 'off'}</strong>.{' '}
        <button type="submit" class="secondary small">
          Turn it {settings.breakGlass ? 'off' : 'on'}
        </button>
      </p>
    </ActionForm>
  </section>
);

/** `email, given, family, group; group` lines into IdP users. */
function parseUsers(text: string | undefined) {
  if (!text) return [];
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const [email = '', givenName, familyName, groups] = line.split(',').map((s) => s.trim());
      return {
        email,
        ...(givenName ? { givenName } : {}),
        ...(familyName ? { familyName } : {}),
        ...(groups ? { groups: groups.split(';').map((g) => g.trim()).filter(Boolean) } : {}),
      };
    });
}

const connected = (conn: SsoConnection) => ({
  tone: 'ok' as const,
  text: `Connected with ${String(conn.configured ? conn.protocol : undefined).toUpperCase()}.`,
  details: [
    conn.enforcement === 'off'
      ? 'Now test it: invite a test user and run a test sign-in. Raising enforcement stays refused until one succeeds.'
      : `Enforcement stays "${levelWords(conn.enforcement)}": verified-domain users sign in through this connection from now on. Run a test sign-in now.`,
  ],
});

async function put(ctx: PageContext, body: SsoConnectionInput) {
  return connected(await workspaceApi(ctx.c, ctx.user).sso.configure(body));
}

export const ssoActions: Record<string, Action> = {
  async 'connect-mock'(ctx, form) {
    return put(ctx, { protocol: form.get('protocol') === 'oidc' ? 'oidc' : 'saml', mockIdp: required(form, 'mockIdp', 'the identity provider') });
  },
  async 'connect-metadata'(ctx, form: FormFields) {
    const metadataXml = (await form.file('metadataFile')) ?? form.get('metadataXml');
    if (!metadataXml) throw new FormProblem('Choose the metadata file, or paste its XML.');
    return put(ctx, { protocol: 'saml', metadataXml });
  },
  async 'connect-saml'(ctx, form) {
    return put(ctx, {
      protocol: 'saml',
      idp: { entityId: required(form, 'entityId', 'the IdP entity ID'), ssoUrl: required(form, 'ssoUrl', 'the sign-in URL'), certificates: [required(form, 'certificate', 'the certificate')] },
    });
  },
  async 'connect-oidc'(ctx, form) {
    return put(ctx, {
      protocol: 'oidc',
      issuer: required(form, 'issuer', 'the issuer'),
      clientId: required(form, 'clientId', 'the client ID'),
      clientSecret: required(form, 'clientSecret', 'the client secret'),
    });
  },
  async disconnect({ c, user }) {
    await workspaceApi(c, user).sso.remove();
    return { tone: 'ok', text: 'The identity provider is disconnected.' };
  },
  async 'create-idp'({ c, user }, form) {
    const id = form.get('id');
    const name = form.get('name');
    const body = { ...(id ? { id } : {}), ...(name ? { name } : {}), vendor: form.get('vendor') ?? 'generic', users: parseUsers(form.get('users')) };
    const idp = await consoleClient(c, user).request<IdpView>('POST', '/_emulator/idps', body);
    return { tone: 'ok', text: `Mock identity provider "${idp.name}" created with ${body.users.length} users. Connect it below.` };
  },
  async invite({ c, user }, form) {
    const email = required(form, 'email', 'the email');
    // The API checks the role (and refuses an unknown one).
    const role = (form.get('role') ?? 'member') as MemberRole;
    await workspaceApi(c, user).invites.create({ email, role });
    return { tone: 'ok', text: `${email} invited as ${role}. They can now sign in through SSO.` };
  },
  async enforcement({ c, user }, form) {
    // The API checks the level (and refuses an unknown one).
    const level = required(form, 'level', 'the level') as EnforcementLevel;
    const force = form.get('force') === 'true';
    const res = await workspaceApi(c, user).sso.enforcement.set(level, force ? { force } : {});
    const blocked = res.preview.members.filter((r) => r.outcome === 'newly_blocked').map((r) => r.email);
    const details = [
      ...(res.level === 'sso_only' ? ['Verified-domain users can sign in only through SSO from now on.'] : []),
      ...(blocked.length > 0 ? [`Newly blocked (${blocked.length}): ${blocked.slice(0, 20).join(', ')}${blocked.length > 20 ? ', …' : ''}.`] : []),
    ];
    return { tone: 'ok', text: `Enforcement is now "${levelWords(res.level)}".`, ...(details.length > 0 ? { details } : {}) };
  },
  async 'break-glass'({ c, user }, form) {
    const on = form.get('breakGlass') === 'true';
    await workspaceApi(c, user).settings.update({ breakGlass: on });
    return { tone: 'ok', text: `Break-glass password sign-in for owners is ${on ? 'on' : 'off'}.` };
  },
};
