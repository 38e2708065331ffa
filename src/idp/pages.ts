// The mock IdP's pages for people: the SAML sign-in page (pick a user, or type email and
// password) and the HTTP-POST binding's auto-submitting form to the service provider's ACS.
import { html } from 'hono/html';
import type { IdpState } from '../store/state.js';

/**
 * The sign-in page: one form of user buttons (a pick needs no password) and one for typing an
 * email and password, so that Enter in the email box submits the typed user, not the first button.
 * Both post back to `action` with the `hidden` fields.
 */
export function renderSignInPage(input: { idp: IdpState; action: string; hidden: Record<string, string>; hint?: string; notice?: string; audience?: string }) {
  const users = Object.values(input.idp.users);
  const hidden = Object.entries(input.hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const choices = users.map((u) => {
    const name = [u.givenName, u.familyName].filter(Boolean).join(' ');
    return html`<li><button type="submit" name="login_pick" value="${u.email}">${u.email}</button>${name ? html` <span>${name}</span>` : ''}${u.provisioned ? '' : html` <small>(not in the provisioning scope)</small>`}</li>`;
  });
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in — ${input.idp.name}</title></head>
<body>
<h1>Sign in${input.audience ? html` to ${input.audience}` : ''}</h1>
<p>${input.idp.name}: mock ${input.idp.vendor} identity provider. Pick a user, or type an email and password.</p>
${input.notice ? html`<p role="alert">${input.notice}</p>` : ''}
<form method="post" action="${input.action}" aria-label="Pick a user">
${hidden}
<ul>${choices}</ul>
</form>
<form method="post" action="${input.action}" aria-label="Type a user and password">
${hidden}
<p><label>Email <input type="email" name="login_email" value="${input.hint ?? ''}"></label>
<label>Password <input type="password" name="login_password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></p>
</form>
</body>
</html>`;
}

/** SAML bindings §3.5.4: an HTML form that posts SAMLResponse (and RelayState) to the ACS. */
export function renderAutoPostForm(input: { acsUrl: string; samlResponse: string; relayState?: string }) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signing in…</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="${input.acsUrl}">
<input type="hidden" name="SAMLResponse" value="${input.samlResponse}">
${input.relayState !== undefined ? html`<input type="hidden" name="RelayState" value="${input.relayState}">` : ''}
<noscript><p>JavaScript is off: press the button to continue.</p></noscript>
<button type="submit">Continue</button>
</form>
</body>
</html>`;
}
