// The mock IdP's pages for people: the SAML sign-in page (pick a user, or type email and
// password) and the HTTP-POST binding's auto-submitting form to the service provider's ACS.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { IdpState } from '../store/state.js';

/** A neutral product sign-in look (readable on a projector), shared by the SAML and OIDC pages. */
export const IDP_PAGE_CSS = `
*{box-sizing:border-box}html{font-size:18px}
body{margin:0;min-height:100vh;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1b1f24;background:#eef1f5;display:flex;align-items:flex-start;justify-content:center}
main{background:#fff;margin:3rem 1rem;padding:2rem 2.25rem;border-radius:.8rem;box-shadow:0 2px 12px #0002;width:100%;max-width:32rem}
.idp{font-weight:700;font-size:1.05rem;color:#1b1f24;display:flex;gap:.6rem;align-items:center}
.idp .logo{width:1.6rem;height:1.6rem;border-radius:.35rem;background:#3b4a5a;color:#fff;display:inline-flex;align-items:center;justify-content:center;font-size:.9rem}
h1{font-size:1.5rem;margin:1.2rem 0 .2rem}.app{color:#4b5563;margin:0 0 1.2rem}
ul.users{list-style:none;margin:0 0 1rem;padding:0}ul.users li{border-bottom:1px solid #d0d7de}
ul.users button{all:unset;box-sizing:border-box;cursor:pointer;display:block;width:100%;padding:.6rem .5rem;border-radius:.3rem}
ul.users button:hover{background:#f0f3f7}ul.users button:focus-visible{outline:3px solid #f59e0b}
ul.users .email{display:block;font-weight:600}ul.users .name{display:block;color:#4b5563;font-size:.9rem}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}
input[type=email],input[type=password]{font:inherit;width:100%;padding:.45rem .6rem;border:1px solid #6b7280;border-radius:.35rem}
button.primary{font:inherit;font-weight:600;margin-top:1rem;padding:.5rem 1.2rem;border-radius:.4rem;border:1px solid #1b1f24;background:#1b1f24;color:#fff;cursor:pointer}
.notice{border-left:.3rem solid #b42318;background:#fef3f2;padding:.5rem .8rem;border-radius:.2rem}
.or{color:#4b5563;text-align:center;margin:1rem 0 .2rem;font-size:.9rem}
footer{color:#4b5563;font-size:.8rem;margin-top:1.5rem}
`;

/** The page around a sign-in form: the IdP's display name, "Sign in to continue to <app>", a training note. */
export function signInDocument(input: { idpName: string; vendor: string; appName?: string | undefined; notice?: string | undefined; body: HtmlEscapedString | Promise<HtmlEscapedString> }) {
  const initial = (input.idpName.trim()[0] ?? '?').toUpperCase();
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in \u2014 ${input.idpName}</title><style>${raw(IDP_PAGE_CSS)}</style></head>
<body>
<main>
<div class="idp"><span class="logo" aria-hidden="true">${initial}</span>${input.idpName}</div>
<h1>Sign in</h1>
<p class="app">to continue to <strong id="app-name">${input.appName ?? 'the application'}</strong></p>
${input.notice ? html`<p class="notice" role="alert">${input.notice}</p>` : ''}
${input.body}
<footer>Training identity provider (imitates ${input.vendor}): no real accounts or passwords.</footer>
</main>
</body>
</html>`;
}

/**
 * The sign-in page: one form of user buttons (a pick needs no password) and one for typing an
 * email and password, so that Enter in the email box submits the typed user, not the first button.
 * Both post back to `action` with the `hidden` fields.
 */
export function renderSignInPage(input: { idp: IdpState; action: string; hidden: Record<string, string>; hint?: string; notice?: string; audience?: string; appName?: string }) {
  const users = Object.values(input.idp.users);
  const hidden = Object.entries(input.hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const choices = users.map((u) => {
    const name = [u.givenName, u.familyName].filter(Boolean).join(' ');
    return html`<li><button type="submit" name="login_pick" value="${u.email}"><span class="email">${u.email}</span>${name || !u.provisioned ? html`<span class="name">${name}${u.provisioned ? '' : ' (not in the provisioning scope)'}</span>` : ''}</button></li>`;
  });
  const body = html`<form method="post" action="${input.action}" aria-label="Pick a user">
${hidden}
<ul class="users">${choices}</ul>
</form>
<p class="or">or type an email and password</p>
<form method="post" action="${input.action}" aria-label="Type a user and password">
${hidden}
<label for="login-email">Email</label><input id="login-email" type="email" name="login_email" value="${input.hint ?? ''}">
<label for="login-password">Password</label><input id="login-password" type="password" name="login_password" autocomplete="current-password">
<button type="submit" class="primary">Sign in</button>
</form>`;
  return signInDocument({ idpName: input.idp.name, vendor: input.idp.vendor, appName: input.appName, notice: input.notice, body });
}

/** SAML bindings §3.5.4: an HTML form that posts SAMLResponse (and RelayState) to the ACS. */
export function renderAutoPostForm(input: { acsUrl: string; samlResponse: string; relayState?: string }) {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signing in\u2026</title></head>
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
