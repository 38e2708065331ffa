// Interop with an independent SAML stack: pysaml2 (Debian's python3-pysaml2, signing with xmlsec1)
// as the district's IdP, against the workspace's SP over HTTP. Its metadata offers only HTTP-POST
// sign-in, it names attributes by OID with FriendlyNames and an opaque transient NameID (the
// Shibboleth/eduGAIN way), and it can sign with SHA-1. The tests fail when pysaml2 or xmlsec1 is
// missing (.ci/run installs them); EDU_EMULATOR_SKIP_PYSAML2=1 skips them on purpose, out loud.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformsToSamlSchema } from '../../src/sso/saml/schema-check.js';
import { inProcess } from '../support/in-process.js';
import { verifyDomain } from '../support/workspace.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./idp.py', import.meta.url));
const KEYS = {
  keyFile: fileURLToPath(new URL('../../fixtures/keys/idp-signing.key', import.meta.url)),
  certFile: fileURLToPath(new URL('../../fixtures/keys/idp-signing.crt', import.meta.url)),
};
const IDP = { entityId: 'https://idp.springfield.test/idp/shibboleth', ssoUrl: 'https://idp.springfield.test/idp/profile/SAML2/POST/SSO' };
const D = 'springfield.k12.us';
const ADA = `ada@${D}`;
const OID_MAIL = 'urn:oid:0.9.2342.19200300.100.1.3';
const OID_EPPN = 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6';

const skip = process.env.EDU_EMULATOR_SKIP_PYSAML2 === '1';
if (skip) console.warn('EDU_EMULATOR_SKIP_PYSAML2=1: the pysaml2 interop tests are skipped.');

/** The pysaml2 IdP script, started once for the file (`--lines`: one JSON line in, one out). */
let idp: { child: ChildProcess; lines: AsyncIterator<string>; stderr: () => string } | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Asks the pysaml2 IdP one request: JSON in, JSON out (requests in turn). */
function pysaml2(input: Record<string, unknown>): Promise<any> {
  const answer = queue.then(async () => {
    if (!idp) {
      const child = spawn(PYTHON, [SCRIPT, '--lines'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      idp = { child, lines, stderr: () => err };
    }
    const { child, lines, stderr } = idp;
    child.stdin!.write(`${JSON.stringify({ ...IDP, ...KEYS, ...input })}\n`);
    const next = await lines.next();
    if (next.done) throw new Error(`pysaml2 IdP exited ${child.exitCode}: ${stderr().slice(-2000)}`);
    const out = JSON.parse(next.value);
    if (out.error) throw new Error(`pysaml2 IdP failed: ${out.error}; ${stderr().slice(-2000)}`);
    return out;
  });
  queue = answer.catch(() => undefined);
  return answer;
}

afterAll(async () => {
  if (!idp) return;
  const closed = new Promise((resolve) => idp!.child.once('close', resolve));
  idp.child.stdin!.end();
  await closed;
});

async function setup(connect: Record<string, unknown> = {}) {
  const env = inProcess();
  await verifyDomain(env.call, 'default', D);
  expect((await env.call('POST', '/w/default/api/invites', { email: ADA })).status).toBe(201);
  const { metadata } = await pysaml2({ action: 'metadata' });
  const put = await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', metadataXml: metadata, ...connect });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return { env, metadata: metadata as string };
}

type Env = Awaited<ReturnType<typeof setup>>['env'];

/** SP login (HTTP-POST AuthnRequest form) → pysaml2 IdP → the workspace's ACS. */
async function signIn(env: Env, options: { identity: Record<string, string[]>; nameId?: string; sha1?: boolean }) {
  const { app } = env.emulator;
  const login = await app.request(`/w/default/sso/saml/login?email=${encodeURIComponent(ADA)}`);
  expect(login.status).toBe(200);
  const page = await login.text();
  expect(page).toContain(`action="${IDP.ssoUrl}"`);
  const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(page)![1]!;
  const spMetadata = await (await app.request('/w/default/sso/saml/metadata')).text();
  const answer = await pysaml2({
    action: 'respond',
    spMetadata,
    samlRequest,
    binding: 'post',
    identity: options.identity,
    nameId: options.nameId ?? 'AAdzZWNyZXQxELsTyPqcxf4Y1zsXUE8pAQ==',
    sha1: options.sha1 === true,
  });
  expect(answer.acsUrl).toBe('http://localhost/w/default/sso/saml/acs');
  const xml = Buffer.from(answer.SAMLResponse, 'base64').toString('utf8');
  const acs = await app.request(answer.acsUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ SAMLResponse: answer.SAMLResponse }),
  });
  return { acs, xml };
}

const EDU_IDENTITY = {
  mail: [ADA],
  givenName: ['Ada'],
  sn: ['Lovelace'],
  displayName: ['Ada Lovelace'],
  eduPersonPrincipalName: ['alovelace@springfield.k12.us'],
};

// Each step starts a Python process: a generous per-test limit for a loaded machine.
describe.skipIf(skip)('pysaml2 as the IdP (HTTP-POST only, OID attribute names, SHA-1)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    const missing = [PYTHON, '/usr/bin/xmlsec1'].filter((p) => !existsSync(p));
    const probe = missing.length === 0 ? spawnSync(PYTHON, ['-c', 'import saml2']) : undefined;
    if (missing.length > 0 || probe?.status !== 0) {
      throw new Error(
        `The pysaml2 interop tests need Debian's python3-pysaml2 and xmlsec1 (missing: ${missing.join(', ') || 'the saml2 module'}). Install them with: apt-get install -y python3-pysaml2 xmlsec1 (.ci/run does), or set EDU_EMULATOR_SKIP_PYSAML2=1 to skip these tests on purpose.`,
      );
    }
    // The SAML schema validator compiles once per process.
    await conformsToSamlSchema('<warm-up/>');
  }, 120_000);

  it('posts the AuthnRequest to an IdP whose metadata offers only HTTP-POST, and signs in with OID-named attributes', async () => {
    const { env, metadata } = await setup();
    expect(metadata).not.toMatch(/SingleSignOnService[^>]*HTTP-Redirect/);
    const sso = (await env.call('GET', '/w/default/api/sso')).body;
    expect(sso).toMatchObject({ authnRequestBinding: 'post', idp: { entityId: IDP.entityId, ssoBinding: 'post' }, allowSha1: false });

    const { acs, xml } = await signIn(env, { identity: EDU_IDENTITY });
    // What pysaml2 sent: OID names with FriendlyNames, an opaque transient NameID, RSA-SHA256.
    expect(xml).toMatch(new RegExp(`FriendlyName="mail"[^>]*Name="${OID_MAIL}"|Name="${OID_MAIL}"[^>]*FriendlyName="mail"`));
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    expect(xml).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(acs.status, await acs.clone().text()).toBe(302);
    const users = (await env.call('GET', `/w/default/api/users?email=${ADA}`)).body.users;
    expect(users[0]).toMatchObject({ email: ADA, status: 'active', givenName: 'Ada', familyName: 'Lovelace' });
    const member = env.emulator.core.requireWorkspace('default').members[users[0].id]!;
    expect(member.displayName).toBe('Ada Lovelace');
  });

  it('falls back to eduPersonPrincipalName for the email when no mail is sent', async () => {
    const { env } = await setup();
    const { acs, xml } = await signIn(env, { identity: { eduPersonPrincipalName: [ADA], givenName: ['Ada'] } });
    expect(xml).toContain(OID_EPPN);
    expect(xml).not.toContain(OID_MAIL);
    expect(acs.status, await acs.clone().text()).toBe(302);
  });

  it('refuses SHA-1 by default saying how to allow it, and accepts it with allowSha1', async () => {
    const { env, metadata } = await setup();
    const refused = await signIn(env, { identity: EDU_IDENTITY, sha1: true });
    expect(refused.xml).toContain('http://www.w3.org/2000/09/xmldsig#rsa-sha1');
    expect(refused.acs.status).toBe(400);
    const error = ((await refused.acs.json()) as any).error;
    expect(error.code).toBe('saml_weak_algorithm');
    expect(error.message).toContain('"allowSha1": true');

    expect((await env.call('PUT', '/w/default/api/sso', { protocol: 'saml', metadataXml: metadata, allowSha1: true })).body.allowSha1).toBe(true);
    const accepted = await signIn(env, { identity: EDU_IDENTITY, sha1: true });
    expect(accepted.acs.status, await accepted.acs.clone().text()).toBe(302);
    const readiness = (await env.call('GET', '/w/default/api/readiness')).body.items.find((i: any) => i.id === 'sso_configured');
    expect(readiness).toMatchObject({ status: 'warn', subjects: ['allowSha1'] });
  });
});
