// Test support: common set-up steps over the admin API.
import type { inProcess } from './in-process.js';

type Caller = ReturnType<typeof inProcess>['call'];

/** Adds and verifies a domain through the simulated zone. */
export async function verifyDomain(call: Caller, ws: string, domain: string): Promise<void> {
  const added = await call('POST', `/w/${ws}/api/domains`, { domain });
  if (added.status !== 201) throw new Error(`add ${domain}: ${JSON.stringify(added.body)}`);
  await call('PUT', `/_emulator/dns/${domain}`, { txt: [added.body.txt.value] });
  const verified = await call('POST', `/w/${ws}/api/domains/${domain}/verify`);
  if (verified.body.status !== 'verified') throw new Error(`verify ${domain}: ${JSON.stringify(verified.body)}`);
}

/** The session cookie (name=value) from a response's Set-Cookie header. */
export function sessionCookie(headers: Headers): string {
  const set = headers.get('Set-Cookie') ?? '';
  const m = /(edu_session=[^;]+)/.exec(set);
  if (!m) throw new Error(`no session cookie in ${JSON.stringify(set)}`);
  return m[1]!;
}
