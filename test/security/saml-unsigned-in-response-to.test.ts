// Finding 2 (issue 14): with `allowIdpInitiated: false`, an IdP-initiated response whose Assertion
// alone is signed (as Entra sends) was accepted once an InResponseTo minted by the workspace's
// login was written onto the unsigned Response element. Correlation now reads signed data only.
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { issueSamlResponse } from '../../src/idp/saml/issue-response.js';
import { inProcess } from '../support/in-process.js';
import { connectTestIdp, TEST_IDP } from '../support/saml.js';
import { verifyDomain } from '../support/workspace.js';

const SP = { entityId: 'http://localhost/w/default/sso/saml/metadata', acsUrl: 'http://localhost/w/default/sso/saml/acs' };

async function setup() {
  const env = inProcess();
  await verifyDomain(env.call, 'default', 'springfield.k12.us');
  await env.call('POST', '/w/default/api/invites', { email: 'ada@springfield.k12.us' });
  await connectTestIdp(env);
  const login = await env.emulator.app.request('/w/default/sso/saml/login?email=ada@springfield.k12.us');
  const request = new URL(login.headers.get('Location')!).searchParams.get('SAMLRequest')!;
  const requestId = /ID="([^"]+)"/.exec(inflateRawSync(Buffer.from(request, 'base64')).toString('utf8'))![1]!;
  const issue = (inResponseTo?: string) =>
    issueSamlResponse({
      idp: TEST_IDP,
      sp: SP,
      user: { email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin' },
      ...(inResponseTo ? { inResponseTo } : {}),
      clock: env.emulator.core.clockFor('default'),
      vendor: 'entra',
      sign: 'assertion',
    });
  const acs = (samlResponse: string) =>
    env.emulator.app.request('/w/default/sso/saml/acs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    });
  return { env, requestId, issue, acs };
}

/** Writes `InResponseTo` onto the (unsigned) Response element, as an attacker relaying it could. */
function withEnvelopeInResponseTo(samlResponse: string, id: string): string {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const edited = xml.replace(/<((?:\w+:)?Response)\s[^>]*>/, (start: string, tag: string) =>
    /\sInResponseTo="/.test(start) ? start.replace(/\sInResponseTo="[^"]*"/, ` InResponseTo="${id}"`) : start.replace(`<${tag}`, `<${tag} InResponseTo="${id}"`),
  );
  expect(edited).not.toBe(xml);
  return Buffer.from(edited, 'utf8').toString('base64');
}

describe('SAML correlation from signed data only', () => {
  it('refuses an IdP-initiated response passed off as an answer through the unsigned envelope (saml_in_response_to_mismatch), no session', async () => {
    const { requestId, issue, acs } = await setup();
    const res = await acs(withEnvelopeInResponseTo(issue(), requestId));
    expect(res.status).toBe(400);
    expect(res.headers.get('Set-Cookie') ?? '').not.toMatch(/edu_session=[^;]/);
    expect((await res.json()).error.code).toBe('saml_in_response_to_mismatch');
  });

  it('refuses an unsigned envelope naming another request than the signed assertion', async () => {
    const { requestId, issue, acs } = await setup();
    const res = await acs(withEnvelopeInResponseTo(issue('_some-other-request'), requestId));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('saml_in_response_to_mismatch');
  });

  it('still accepts a well-formed SP-initiated response (the same InResponseTo in both places)', async () => {
    const { requestId, issue, acs } = await setup();
    const res = await acs(issue(requestId));
    expect(res.status).toBe(302);
  });
});
