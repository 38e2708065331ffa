// Step 1, Domains: add a domain, hand its TXT record to the DNS team, (training only) publish it in
// the simulated DNS zone, verify it with the result explained, states and the expiry countdown.
import { ApiRefusal, consoleClient, workspaceApi } from '../admin-api.js';
import { required, type Action } from '../actions.js';
import { ActionForm, Badge, Copyable, Layout, Time, type PageContext } from '../layout.js';

function remaining(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  return `${d ? `${d} d ` : ''}${h} h ${m} min`;
}

export async function domainsPage(ctx: PageContext) {
  const { c, user, base } = ctx;
  const ws = c.get('ws');
  const domains = await workspaceApi(c, user).domains.list();
  const now = c.get('core').clockFor(ws.id).nowMs();
  const zone = c.get('core').state.dns;
  return (
    <Layout ctx={ctx} page="domains" title="Domains">
      <h1>1. Domains</h1>
      <p class="lead">
        Prove the district owns its email domain: add it, give the TXT record to the DNS team, then verify. Single sign-on and
        enforcement apply only to users of verified domains. A domain not verified within 7 days expires.
      </p>
      <section class="card" aria-labelledby="add-domain">
        <h2 id="add-domain">Add a domain</h2>
        <ActionForm action={`${base}/admin/domains/add`}>
          <div class="row">
            <div>
              <label for="domain">Domain name</label>
              <input id="domain" name="domain" type="text" placeholder="springfield.k12.us" required autocomplete="off" />
            </div>
            <button type="submit">Add domain</button>
          </div>
        </ActionForm>
      </section>
      <h2>Domains of this workspace</h2>
      {domains.length === 0 ? (
        <p class="muted">No domain yet.</p>
      ) : (
        domains.map((d) => {
          const published = zone[d.txt.name] ?? [];
          const isPublished = published.includes(d.txt.value);
          return (
            <section class="card" aria-label={d.domain} data-domain={d.domain}>
              <h3>
                {d.domain} <Badge value={d.status} />
              </h3>
              {d.status === 'verified' ? (
                <p>
                  Verified at <Time iso={d.verifiedAt} />. A verified domain is never checked again and never expires.
                </p>
              ) : d.status === 'expired' ? (
                <p>
                  Expired at <Time iso={d.expiredAt ?? d.expiresAt} /> without a successful verification. Remove it and add it again
                  for a new TXT value.
                </p>
              ) : (
                <>
                  <p>Give the DNS team this record to publish, then press Verify.</p>
                  <table>
                    <tbody>
                      <tr>
                        <th scope="row">Type</th>
                        <td>TXT</td>
                      </tr>
                      <tr>
                        <th scope="row">Name (host)</th>
                        <td>
                          <Copyable value={d.txt.name} label="the record name" />
                        </td>
                      </tr>
                      <tr>
                        <th scope="row">Value</th>
                        <td>
                          <Copyable value={d.txt.value} label="the TXT value" id={`txt-${d.domain}`} />
                        </td>
                      </tr>
                      <tr>
                        <th scope="row">Time left</th>
                        <td>
                          {d.expiresAt ? (
                            <>
                              <span data-expires={String(Date.parse(d.expiresAt) - now)}>{remaining(Date.parse(d.expiresAt) - now)}</span> (expires{' '}
                              <Time iso={d.expiresAt} />, emulator clock)
                            </>
                          ) : null}
                        </td>
                      </tr>
                      <tr>
                        <th scope="row">Simulated DNS</th>
                        <td>
                          {published.length === 0 ? (
                            <span class="muted">nothing published at {d.txt.name}</span>
                          ) : (
                            <>
                              {isPublished ? <Badge value="ok" label="record published" /> : <Badge value="warn" label="other records only" />}{' '}
                              {published.map((v) => (
                                <code>{v}</code>
                              ))}
                            </>
                          )}
                        </td>
                      </tr>
                    </tbody>
                  </table>
                </>
              )}
              <div class="actions">
                {d.status === 'pending' ? (
                  <>
                    {user.kind === 'key' && !isPublished ? (
                      <ActionForm action={`${base}/admin/domains/publish`}>
                        <input type="hidden" name="domain" value={d.domain} />
                        <button type="submit" class="secondary">
                          Publish in simulated DNS (training only)
                        </button>
                      </ActionForm>
                    ) : null}
                    <ActionForm action={`${base}/admin/domains/verify`}>
                      <input type="hidden" name="domain" value={d.domain} />
                      <button type="submit">Verify {d.domain}</button>
                    </ActionForm>
                  </>
                ) : null}
                <ActionForm action={`${base}/admin/domains/remove`} confirm={`Remove ${d.domain} from the workspace?`}>
                  <input type="hidden" name="domain" value={d.domain} />
                  <button type="submit" class="danger">
                    Remove
                  </button>
                </ActionForm>
              </div>
              {user.kind !== 'key' && d.status === 'pending' ? (
                <p class="muted">Publishing in the simulated DNS zone needs the emulator admin key (open the console with ?key=…).</p>
              ) : null}
            </section>
          );
        })
      )}
    </Layout>
  );
}

export const domainActions: Record<string, Action> = {
  async add({ c, user }, form) {
    const domain = required(form, 'domain', 'the domain name');
    const d = await workspaceApi(c, user).domains.add(domain);
    return {
      tone: 'ok',
      text: `${d.domain} added. Its TXT record is below: publish it at ${d.txt.name}, then verify.`,
    };
  },
  async publish({ c, user }, form) {
    const domain = required(form, 'domain', 'the domain');
    const client = consoleClient(c, user);
    const d = await client.workspace(c.get('ws').id).domains.get(domain);
    // Keep whatever else the zone holds at that name (other TXT records are normal in real DNS).
    const txt = await client.dns.get(d.txt.name).then(
      (record) => record.txt,
      (e: unknown): string[] => {
        if (e instanceof ApiRefusal) return [];
        throw e;
      },
    );
    if (!txt.includes(d.txt.value)) txt.push(d.txt.value);
    await client.dns.publish(d.txt.name, txt);
    return {
      tone: 'ok',
      text: `Published the TXT record at ${d.txt.name} in the simulated DNS zone.`,
      details: ['In a real rollout the DNS team does this; publishing can take minutes to hours to be seen. Now press Verify.'],
    };
  },
  async verify({ c, user }, form) {
    const domain = required(form, 'domain', 'the domain');
    const d = await workspaceApi(c, user).domains.verify(domain);
    if (d.status === 'verified') {
      return {
        tone: 'ok',
        text: `${d.domain} is verified.`,
        details: ['The TXT record was found. Users with this email domain can now use single sign-on, and enforcement will apply to them.'],
      };
    }
    const found = d.found ?? [];
    return {
      tone: 'error',
      text: `${d.domain} is not verified yet.`,
      ...(d.reason ? { code: d.reason } : {}),
      details: [
        ...(d.message ? [d.message] : []),
        `Expected the TXT value ${d.expected ?? d.txt.value} at ${d.txt.name}.`,
        found.length ? `Found instead: ${found.join(', ')}.` : `No TXT record was found at ${d.txt.name}.`,
      ],
    };
  },
  async remove({ c, user }, form) {
    const domain = required(form, 'domain', 'the domain');
    await workspaceApi(c, user).domains.remove(domain);
    return { tone: 'ok', text: `${domain} removed.` };
  },
};
