// Step 3, Directory sync (SCIM): the base URL, tokens (shown once, revocable), the last SCIM
// requests with their status, the mock IdP's push, and automatic account creation's contention.
import type { ConformanceProfile, ConformanceReport, ScimRequest, ScimToken, Settings } from '../../client/types.js';
import { raw } from 'hono/html';
import { renderHtmlBody } from '../../conformance/report.js';
import { PROFILES, isProfile } from '../../conformance/rules.js';
import type { ProvisioningReport } from '../../idp/provisioning/run.js';
import type { Flash } from '../flash.js';
import type { IdpState } from '../../store/state.js';
import { authHeaders, callHttp, expectOk, originOf, workspaceApi } from '../admin-api.js';
import { required, type Action } from '../actions.js';
import { ActionForm, Badge, Copyable, Layout, Time, type PageContext } from '../layout.js';

const enc = encodeURIComponent;

export const scimBaseUrl = (ctx: PageContext) => `${ctx.origin}${ctx.base}/scim/v2`;

export async function scimPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const api = workspaceApi(c, user);
  const tokens = await api.scimTokens.list();
  const requests = await api.scimTokens.requests();
  const settings = await api.settings.get();
  const conn = await api.sso.get();
  const idps = Object.values(c.get('core').state.idps ?? {});
  const asked = c.req.query('profile') ?? '';
  const profile: ConformanceProfile = isProfile(asked) ? asked : 'rfc';
  const conformance = await api.conformance({ profile }).catch(() => undefined);
  return (
    <Layout ctx={ctx} page="scim" title="Directory sync (SCIM)">
      <h1>3. Directory sync (SCIM)</h1>
      <p class="lead">
        The identity provider's provisioning app creates, updates and deactivates members and pushes groups here. Give it the base URL
        and a token.
      </p>
      <BaseUrlSection url={scimBaseUrl(ctx)} />
      <TokensSection base={base} tokens={tokens} />
      {idps.length > 0 ? <MockIdpPushSection base={base} idps={idps} connectedIdp={conn.configured ? conn.mockIdp : undefined} /> : null}
      <AutomaticAccountsSection base={base} settings={settings} activeTokens={tokens.filter((t) => t.status === 'active').length} />
      <RequestsSection requests={requests} />
      {conformance ? <ConformanceSection base={base} report={conformance} compatibility={settings.scimCompatibility} /> : null}
    </Layout>
  );
}

/** The base URL to give the IdP's provisioning app. */
const BaseUrlSection = ({ url }: { url: string }) => (
  <section class="card" aria-labelledby="url-h">
    <h2 id="url-h">SCIM base URL</h2>
    <p>
      <Copyable value={url} label="the SCIM base URL" id="scim-base-url" />
    </p>
    <p class="muted">For Microsoft Entra ID add <code>?aadOptscim062020</code> to the Tenant URL.</p>
  </section>
);

/** The workspace's SCIM tokens: create one (shown once), revoke one. */
const TokensSection = ({ base, tokens }: { base: string; tokens: ScimToken[] }) => (
  <section class="card" aria-labelledby="tok-h">
    <h2 id="tok-h">Tokens</h2>
    <ActionForm action={`${base}/admin/scim/create-token`}>
      <div class="row">
        <div>
          <label for="token-name">Token name</label>
          <input id="token-name" name="name" type="text" placeholder="Entra provisioning" />
        </div>
        <button type="submit">Create token</button>
      </div>
    </ActionForm>
    {tokens.length === 0 ? (
      <p class="muted">No token yet.</p>
    ) : (
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="muted">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr>
              <td>
                {t.name ?? <span class="muted">(no name)</span>} <span class="muted mono">{t.id}</span>
              </td>
              <td>
                <Badge value={t.status} />
              </td>
              <td>
                <Time iso={t.createdAt} />
              </td>
              <td>
                <Time iso={t.lastUsedAt} />
              </td>
              <td>
                {t.status === 'active' ? (
                  <ActionForm action={`${base}/admin/scim/revoke`} confirm={`Revoke ${t.name ?? t.id}? The IdP using it will get 401 from now on.`}>
                    <input type="hidden" name="id" value={t.id} />
                    <button type="submit" class="danger small">
                      Revoke
                    </button>
                  </ActionForm>
                ) : (
                  <span class="muted">
                    revoked <Time iso={t.revokedAt} />
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

/** One provisioning cycle of a mock IdP's directory against this workspace (training). */
const MockIdpPushSection = ({ base, idps, connectedIdp }: { base: string; idps: IdpState[]; connectedIdp: string | undefined }) => (
  <section class="card" aria-labelledby="push-h">
    <h2 id="push-h">Push from a mock identity provider (training)</h2>
    <p>Runs one provisioning cycle of the mock IdP's directory against this workspace, over SCIM, the way the vendor sends it.</p>
    <ActionForm action={`${base}/admin/scim/provision`}>
      <div class="row">
        <div>
          <label for="push-idp">Identity provider</label>
          <select id="push-idp" name="idp">
            {idps.map((i) => (
              <option value={i.id} selected={i.id === connectedIdp}>
                {i.name} ({i.vendor})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="push-token">SCIM token (blank: the one it used last, or a new one)</label>
          <input id="push-token" name="token" type="password" autocomplete="off" />
        </div>
        <button type="submit">Push the directory now</button>
      </div>
    </ActionForm>
  </section>
);

/** Automatic account creation, and its contention with SCIM when both are on. */
function AutomaticAccountsSection({ base, settings, activeTokens }: { base: string; settings: Settings; activeTokens: number }) {
  const contention = settings.automaticAccountCreation && activeTokens > 0;
  return (
    <section class="card" aria-labelledby="aac-h">
      <h2 id="aac-h">
        Automatic account creation <Badge value={settings.automaticAccountCreation ? 'warn' : 'ok'} label={settings.automaticAccountCreation ? 'on' : 'off'} />
      </h2>
      <p>When on, anyone of a verified domain who signs in through SSO is added to the workspace (source "auto").</p>
      {contention ? (
        <div class="notice warn" role="alert">
          <p>
            <strong>Contention with SCIM:</strong> both automatic account creation and SCIM are on. People who arrive automatically are
            not managed by the directory, so removing them in the identity provider does not deactivate them here: they stay active.
            Turn automatic account creation off once SCIM is live.
          </p>
        </div>
      ) : settings.automaticAccountCreation ? null : (
        <p class="muted">Turning it on while SCIM is in use creates members the directory never deprovisions.</p>
      )}
      <ActionForm action={`${base}/admin/scim/automatic-accounts`}>
        <input type="hidden" name="on" value={settings.automaticAccountCreation ? 'false' : 'true'} />
        <button type="submit" class="secondary">
          Turn automatic account creation {settings.automaticAccountCreation ? 'off' : 'on'}
        </button>
      </ActionForm>
    </section>
  );
}

/** The last SCIM requests with their status, newest first. */
const RequestsSection = ({ requests }: { requests: ScimRequest[] }) => (
  <section class="card" aria-labelledby="req-h">
    <h2 id="req-h">Last SCIM requests</h2>
    {requests.length === 0 ? (
      <p class="muted">No SCIM request yet.</p>
    ) : (
      <table id="scim-requests" data-technical="the SCIM requests themselves">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Request</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {requests.slice(0, 50).map((r) => (
            <tr>
              <td>
                <time datetime={r.time}>{r.time.slice(11, 19)}</time>
              </td>
              <td class="mono">
                {r.method} {r.path}
                {r.query ? `?${r.query.replace(/^\?/, '')}` : ''}
              </td>
              <td>
                <Badge value={r.status < 300 ? 'ok' : r.status < 500 ? 'warn' : 'fail'} label={String(r.status)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </section>
);

/** Each conformance profile by the IdP it judges as (docs/conformance.md §4). */
const PROFILE_WORDS: Record<ConformanceProfile, string> = {
  rfc: 'RFC 7643/7644 as written',
  entra: 'Microsoft Entra ID',
  'entra-aadoptscim062020': 'Microsoft Entra ID with the aadOptscim062020 flag',
  'okta-oin': 'Okta (app from the Okta Integration Network)',
  'okta-aiw': 'Okta (app made with the App Integration Wizard)',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  google: 'Google Workspace',
  classlink: 'ClassLink',
  clever: 'Clever',
};

/** The full conformance report in the console, every finding newest first ("the full report" of the section below). */
export async function conformanceReportPage(ctx: PageContext) {
  const asked = ctx.c.req.query('profile') ?? '';
  const report = await workspaceApi(ctx.c, ctx.user).conformance({ profile: isProfile(asked) ? asked : 'rfc' });
  return (
    <Layout ctx={ctx} page="scim" title="Conformance report">
      <p>
        <a href={`${ctx.base}/admin/scim?profile=${enc(report.profile)}`}>← 3. Directory sync (SCIM)</a>
      </p>
      <h1>Is the IdP sending what the workspace expects?</h1>
      <section class="card" id="conformance-report">
        {raw(renderHtmlBody(report))}
      </section>
    </Layout>
  );
}

/** What the conformance rules found in the IdP's traffic (docs/conformance.md), newest first. */
const ConformanceSection = ({ base, report, compatibility }: { base: string; report: ConformanceReport; compatibility: 'strict' | 'lenient' }) => (
  <section class="card" aria-labelledby="conf-h">
    <h2 id="conf-h">Is the IdP sending what the workspace expects?</h2>
    <form method="get" action={`${base}/admin/scim`} class="row">
      <div>
        <label for="conf-profile">Judge as</label>
        <select id="conf-profile" name="profile">
          {PROFILES.map((p) => (
            <option value={p} selected={p === report.profile}>
              {PROFILE_WORDS[p]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="secondary">Show</button>
    </form>
    <p id="conformance-summary" class={`notice ${report.summary.fail > 0 ? 'error' : report.summary.warn > 0 ? 'warn' : 'ok'}`}>
      {report.summary.fail} fail · {report.summary.warn} warn · {report.summary.info} info · {report.summary.known_quirk} known quirk
      {' · '}
      <a href={`${base}/admin/scim/conformance?profile=${enc(report.profile)}`}>the full report</a>
    </p>
    {report.findings.length === 0 ? (
      <p class="muted">No findings yet: everything the IdP sent so far is what the workspace expects.</p>
    ) : (
      <table id="conformance-findings">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Rule</th>
            <th scope="col">What and why</th>
            <th scope="col">Request</th>
          </tr>
        </thead>
        <tbody>
          {[...report.findings]
            .reverse()
            .slice(0, 50)
            .map((f) => (
              <tr>
                <td>
                  <Badge value={f.severity === 'fail' ? 'fail' : f.severity === 'warn' ? 'warn' : 'ok'} label={f.severity.replace('_', ' ')} />
                </td>
                <td class="mono">
                  {f.rule}
                  <div class="muted">{f.clause}</div>
                </td>
                <td>
                  {f.message}
                  {f.impact ? <div><strong>Impact:</strong> {f.impact}</div> : null}
                </td>
                <td class="mono">
                  {f.request.method} {f.request.path} → {f.request.status}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    )}
    <div class="row">
      <ActionForm action={`${base}/admin/scim/scim-compatibility`}>
        <input type="hidden" name="mode" value={compatibility === 'strict' ? 'lenient' : 'strict'} />
        <button type="submit" class="secondary">
          {compatibility === 'strict' ? 'SCIM is strict: accept common client mistakes (lenient)' : 'SCIM is lenient: back to strict RFC 7644'}
        </button>
      </ActionForm>
      <ActionForm action={`${base}/admin/scim/clear-conformance`} confirm="Clear every conformance finding of this workspace?">
        <button type="submit" class="secondary">Clear the findings</button>
      </ActionForm>
    </div>
  </section>
);

export const scimActions: Record<string, Action> = {
  async 'clear-conformance'({ c, user }) {
    await workspaceApi(c, user).clearConformance();
    return { tone: 'ok', text: 'Conformance findings cleared.' };
  },
  async 'scim-compatibility'({ c, user }, form) {
    const mode = form.get('mode') === 'lenient' ? 'lenient' : 'strict';
    await workspaceApi(c, user).settings.update({ scimCompatibility: mode });
    return { tone: 'ok', text: `SCIM compatibility is ${mode}.` };
  },
  async 'create-token'({ c, user }, form) {
    const name = form.get('name');
    const t = await workspaceApi(c, user).scimTokens.issue(name ? { name } : {});
    return { tone: 'ok', text: `Token ${name ?? t.id} created. Paste it into the identity provider's provisioning app now.`, secret: { label: 'SCIM token', value: t.token } };
  },
  async revoke({ c, user }, form) {
    const id = required(form, 'id', 'the token');
    await workspaceApi(c, user).scimTokens.revoke(id);
    return { tone: 'ok', text: `Token ${id} revoked.` };
  },
  async 'automatic-accounts'({ c, user }, form) {
    const on = form.get('on') === 'true';
    await workspaceApi(c, user).settings.update({ automaticAccountCreation: on });
    return { tone: 'ok', text: `Automatic account creation is ${on ? 'on' : 'off'}.` };
  },
  async provision(ctx, form) {
    return (await pushDirectory(ctx, required(form, 'idp', 'the identity provider'), form.get('token'))).flash;
  },
};

/** One provisioning cycle of a mock IdP's directory against this workspace: the report, and a message saying what it did. */
export async function pushDirectory(ctx: PageContext, idpId: string, givenToken?: string): Promise<{ report: ProvisioningReport; flash: Flash }> {
  const { c, user, base } = ctx;
  const baseUrl = `${originOf(c)}${base}/scim/v2`;
  let token = givenToken;
  if (!token) {
    // The token the IdP used for this workspace last time, if it still works (checked the way an
    // IdP's "test connection" does); else a new one.
    const remembered = c.get('core').state.idps?.[idpId]?.provisioning?.[baseUrl]?.token;
    const probe = remembered ? await callHttp(c, 'GET', `${base}/scim/v2/ServiceProviderConfig`, { headers: { Authorization: `Bearer ${remembered}` } }) : undefined;
    token = probe?.ok ? remembered : (await workspaceApi(c, user).scimTokens.issue({ name: `Mock IdP ${idpId}` })).token;
  }
  // With the admin key the run may also go through a Host this emulator does not know as its own.
  const headers = user.kind === 'key' ? authHeaders(user) : {};
  const report = expectOk<ProvisioningReport>(await callHttp(c, 'POST', `/idp/${enc(idpId)}/provision`, { body: { target: { baseUrl, token } }, headers }));
  const k = report.counts;
  return {
    report,
    flash: {
      tone: k.failedRequests > 0 ? 'error' : 'ok',
      text: `Provisioning run done: ${k.requests} SCIM requests, ${k.failedRequests} failed.`,
      details: [
        `Users: ${k.users.created} created, ${k.users.linked} linked, ${k.users.updated} updated, ${k.users.reactivated} reactivated, ${k.users.deactivated} deactivated, ${k.users.deleted} deleted, ${k.users.unchanged} unchanged, ${k.users.failed} failed.`,
        `Groups: ${k.groups.created} created, ${k.groups.linked} linked, ${k.groups.renamed} renamed, ${k.groups.deleted} deleted; memberships ${k.members.added} added, ${k.members.removed} removed.`,
      ],
    },
  };
}
