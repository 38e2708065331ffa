// The mock OpenID provider's sign-in page: the directory's users to pick from, as one plain form
// that posts the authorization request back with the chosen email.
import { html } from 'hono/html';
import type { MockOidcUser } from './vendor-claims.js';

/** Renders the user picker for an authorization request whose parameters are `params`. */
export function renderPickerPage(input: {
  action: string;
  vendor: string;
  clientId: string;
  params: URLSearchParams;
  users: readonly MockOidcUser[];
  notice?: string;
  /** Offer a password field beside the email (checked when filled in). */
  askPassword?: boolean;
}) {
  const hidden = [...input.params.entries()]
    .filter(([name]) => name !== 'login_email' && name !== 'login_password')
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const hint = input.params.get('login_hint') ?? '';
  const choices = input.users.map((user) => {
    const name = [user.givenName, user.familyName].filter(Boolean).join(' ');
    return html`<li><button type="submit" name="login_email" value="${user.email}">${user.email}</button>${name ? html` <span>${name}</span>` : ''}</li>`;
  });
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in — mock ${input.vendor} identity provider</title></head>
<body>
<h1>Sign in to ${input.clientId}</h1>
<p>Mock ${input.vendor} identity provider. Pick the user to sign in as.</p>
${input.notice ? html`<p role="alert">${input.notice}</p>` : ''}
<form method="post" action="${input.action}">
${hidden}
<ul>${choices}</ul>
<p><label>Email <input type="email" name="login_email" value="${hint}"></label>${input.askPassword ? html` <label>Password <input type="password" name="login_password" autocomplete="current-password"></label>` : ''} <button type="submit">Sign in</button></p>
</form>
</body>
</html>`;
}
