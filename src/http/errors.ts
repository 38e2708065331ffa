// Maps every failure to the protocol's own form in one place: SCIM error JSON (RFC 7644 §3.12)
// on SCIM routes, a readable page for browsers, `{"error":{code,message}}` elsewhere. No stack traces.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { EmulatorError } from '../errors.js';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

const isScimPath = (path: string) => /^\/w\/[^/]+\/scim\/v2(\/|$)/.test(path);

/** Converts anything thrown into an EmulatorError (unknown errors become a 500 without detail). */
export function toEmulatorError(err: unknown): EmulatorError {
  if (err instanceof EmulatorError) return err;
  if (err instanceof HTTPException) {
    const status = err.status;
    return new EmulatorError({
      code: status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'bad_request',
      status,
      message: err.message || `Request refused with status ${status}.`,
    });
  }
  return new EmulatorError({
    code: 'internal_error',
    status: 500,
    message: 'The emulator failed to handle this request; the state was not changed. See the server log.',
  });
}

/** The response for an error, in the form the route's protocol expects. */
export function errorResponse(c: Context, err: unknown): Response {
  const e = toEmulatorError(err);
  if (e.status >= 500 && !(err instanceof EmulatorError)) {
    process.stderr.write(`edu-emulator: ${c.req.method} ${c.req.path}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  const headers: Record<string, string> = {};
  // RFC 9110 §15.5.6: a 405 says which methods the path does answer.
  if (e.status === 405 && Array.isArray(e.details?.allow)) headers.Allow = (e.details.allow as string[]).join(', ');
  if (e.status === 401) headers['WWW-Authenticate'] = isScimPath(c.req.path) ? 'Bearer realm="SCIM"' : 'Bearer realm="edu-workspace-emulator"';
  if (isScimPath(c.req.path)) {
    // RFC 7644 §3.12: status is a string; scimType only for the 400/409/412/413 kinds it names.
    const body: Record<string, unknown> = { schemas: [SCIM_ERROR_SCHEMA], status: String(e.status), detail: e.message };
    if (e.scimType) body.scimType = e.scimType;
    return c.body(JSON.stringify(body), e.status as 400, { ...headers, 'Content-Type': 'application/scim+json' });
  }
  if (prefersHtml(c.req.header('Accept'))) return errorPage(c, e, headers);
  return c.json({ error: { code: e.code, message: e.message, ...(e.details ?? {}) } }, e.status as 400, headers);
}

/**
 * True when the client ranks text/html above JSON (a browser navigating), so that `fetch()` with
 * its default `*\/*`, curl and API clients keep getting JSON.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  let html = -1;
  let json = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, q);
    if (type === 'application/json' || type === 'application/scim+json') json = Math.max(json, q);
  }
  return html > 0 && html >= json;
}

// Plain words for the refusals a browser lands on after a sign-in; the message adds the detail.
const PLAIN_WORDS: Record<string, string> = {
  not_a_member: 'This person is not a member of the workspace.',
  deactivated: 'This account has been deactivated in the workspace.',
  sso_required: 'This workspace requires single sign-on for this email domain.',
  sso_not_configured: 'Single sign-on is not set up for this workspace yet.',
  domain_not_verified: "The email's domain is not verified by this workspace, so it cannot use single sign-on.",
  invalid_credentials: 'The email or password is wrong.',
  saml_unsigned: "The identity provider's answer was not signed, so it cannot be trusted.",
  saml_bad_signature: "The signature on the identity provider's answer does not match its content.",
  saml_untrusted_cert: "The identity provider's answer was signed with a certificate this workspace does not trust.",
  saml_wrong_issuer: "The answer came from a different identity provider than the one this workspace is connected to.",
  saml_audience_mismatch: 'The identity provider addressed its answer to a different application.',
  saml_destination_mismatch: 'The identity provider sent its answer to a different address.',
  saml_recipient_mismatch: 'The identity provider sent its answer to a different address.',
  saml_expired: "The identity provider's answer had expired.",
  saml_not_yet_valid: "The identity provider's answer is not valid yet (a clock is off).",
  saml_replayed: "This answer from the identity provider was already used once; it cannot be used again.",
  saml_missing_email: "The identity provider's answer does not say the user's email address.",
  saml_assertion_count: "The identity provider's answer has an unexpected shape (more than one assertion).",
  saml_unsolicited: 'The identity provider started this sign-in, which the workspace does not allow.',
  saml_in_response_to_mismatch: "The identity provider's answer names a different sign-in in its signed and unsigned parts, so it was refused.",
  oidc_bad_signature: "The identity provider's token has a signature that does not match.",
  oidc_alg_none: "The identity provider's token was not signed.",
  oidc_wrong_issuer: 'The token came from a different identity provider than the one this workspace is connected to.',
  oidc_audience_mismatch: 'The identity provider issued its token to a different application.',
  oidc_expired: "The identity provider's token had expired.",
  oidc_issued_in_future: "The identity provider's token is dated in the future (a clock is off).",
  oidc_nonce_mismatch: 'The token does not belong to this sign-in attempt (nonce mismatch).',
  oidc_state_mismatch: 'This sign-in attempt is unknown or was already finished; start again.',
  oidc_missing_email: "The identity provider's token does not say the user's email address.",
  oidc_unverified_email: 'The identity provider says this email address is not verified.',
};

// The policy's own refusals already carry plain words as their message; say them once.
const POLICY_REASONS = new Set(['not_a_member', 'deactivated', 'sso_required', 'sso_not_configured', 'domain_not_verified', 'invalid_credentials']);

function plainWords(e: EmulatorError): { title: string; lead: string } {
  const lead = PLAIN_WORDS[e.code];
  if (lead) return { title: 'Sign-in refused', lead };
  if (e.code.startsWith('saml_') || e.code.startsWith('oidc_')) return { title: 'Single sign-on failed', lead: "The identity provider's answer was refused." };
  if (e.status === 401) return { title: 'Sign-in needed', lead: 'This page needs you to sign in first.' };
  if (e.status === 403) return { title: 'Not allowed', lead: 'You are signed in, but this is not open to you.' };
  if (e.status === 404) return { title: 'Not found', lead: 'There is nothing at this address.' };
  if (e.status >= 500) return { title: 'Something went wrong', lead: 'The emulator could not handle this request; nothing was changed.' };
  return { title: 'Request refused', lead: 'The emulator refused this request; nothing was changed.' };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** What fixes a sign-in refusal, and which console page does it (relative to `/w/{ws}`). */
function fixFor(code: string, who: string): { text: string; page: string; label: string } | undefined {
  switch (code) {
    case 'not_a_member':
      return { text: `Invite ${who} first (Test users, on the Single sign-on page), or provision them from the directory; then sign in again.`, page: '/admin/sso#test-h', label: 'Invite them on the Single sign-on page' };
    case 'deactivated':
      return { text: `${who} was deactivated, usually by the directory. Bring them back into the identity provider's provisioning scope and push again.`, page: '/admin/members', label: 'See them on the Members page' };
    case 'domain_not_verified':
      return { text: "Verify the email's domain first.", page: '/admin/domains', label: 'Verify it on the Domains page' };
    case 'sso_not_configured':
      return { text: 'Connect an identity provider first.', page: '/admin/sso', label: 'Connect one on the Single sign-on page' };
    case 'forbidden':
      return { text: 'The web console is for workspace owners and admins. Your own page shows who you are and what you may do.', page: '/me', label: 'See my access' };
    case 'not_signed_in':
      return { text: 'Sign in to the workspace first.', page: '/login', label: 'Sign in' };
    case 'sso_required':
      return { text: 'Sign in with single sign-on instead.', page: '/login', label: 'Back to the sign-in page' };
    default:
      return code.startsWith('saml_') || code.startsWith('oidc_')
        ? { text: 'Check the connection and the identity provider, then run a test sign-in again.', page: '/admin/sso', label: 'Check it on the Single sign-on page' }
        : undefined;
  }
}

/** The error as a small self-contained page: who was refused, why in words, the fix and a link to where it is done. */
function errorPage(c: Context, e: EmulatorError, headers: Record<string, string>): Response {
  const { title, lead } = plainWords(e);
  const ws = /^\/w\/([^/]+)\//.exec(c.req.path)?.[1];
  const email = typeof e.details?.email === 'string' && e.details.email !== '' ? e.details.email : undefined;
  const fix = ws ? fixFor(e.code, email ?? 'this person') : undefined;
  const developer = e.message && e.message !== lead && !POLICY_REASONS.has(e.code) ? `<p>${esc(e.message)}</p>` : '';
  const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} — edu workspace emulator</title>
<style>body{font:20px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}h1{font-size:1.8rem}
.reason{border-left:.4rem solid #b42318;background:#fef3f2;padding:1rem 1.25rem}.fix{border-left:.4rem solid #0b57d0;background:#eef4ff;padding:.8rem 1.25rem;margin:1rem 0}
.button{display:inline-block;background:#0b57d0;color:#fff;padding:.45rem 1rem;border-radius:.4rem;text-decoration:none;font-weight:600}
details{margin-top:1.5rem;font-size:.85rem;color:#4b5563}code{font-size:.9em;background:#eef1f4;padding:.1em .3em;border-radius:.2em}a{color:#0b57d0}a:focus{outline:3px solid #f59e0b;outline-offset:2px}a.button{color:#fff}</style></head>
<body>
<main>
<h1>${esc(title)}</h1>
<div class="reason" role="alert">${email ? `<p id="refused-person">Who: <strong>${esc(email)}</strong></p>` : ''}<p><strong>${esc(lead)}</strong></p></div>
${fix ? `<div class="fix" id="fix"><p>${esc(fix.text)}</p><p><a class="button" id="fix-link" href="/w/${esc(ws!)}${esc(fix.page)}">${esc(fix.label)}</a></p></div>` : ''}
${ws ? `<p><a href="/w/${esc(ws)}/login">Back to sign-in</a> · <a href="/w/${esc(ws)}/admin">Web console</a></p>` : ''}
<details><summary>Details for developers</summary>${developer}<p>Reason code: <code id="reason-code">${esc(e.code)}</code> (HTTP ${e.status})</p></details>
</main>
</body>
</html>`;
  return c.body(page, e.status as 400, { ...headers, 'Content-Type': 'text/html; charset=UTF-8' });
}
