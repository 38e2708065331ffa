// The mock OpenID provider's sign-in page: the directory's users to pick from, as one plain form
// that posts the authorization request back with the chosen email.
import { html } from 'hono/html';
import { signInDocument } from '../pages.js';
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
  /** The IdP's display name and the application's (the workspace's), for the heading. */
  idpName?: string;
  appName?: string;
}) {
  const hidden = [...input.params.entries()]
    .filter(([name]) => name !== 'login_email' && name !== 'login_password')
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const hint = input.params.get('login_hint') ?? '';
  const choices = input.users.map((user) => {
    const name = [user.givenName, user.familyName].filter(Boolean).join(' ');
    return html`<li><button type="submit" name="login_email" value="${user.email}"><span class="email">${user.email}</span>${name ? html`<span class="name">${name}</span>` : ''}</button></li>`;
  });
  const body = html`<form method="post" action="${input.action}" aria-label="Pick a user">
${hidden}
<ul class="users">${choices}</ul>
<p class="or">or type an email</p>
<label for="login-email">Email</label><input id="login-email" type="email" name="login_email" value="${hint}">${input.askPassword ? html`<label for="login-password">Password</label><input id="login-password" type="password" name="login_password" autocomplete="current-password">` : ''}
<button type="submit" class="primary">Sign in</button>
</form>`;
  return signInDocument({ idpName: input.idpName ?? `Mock ${input.vendor} identity provider`, vendor: input.vendor, appName: input.appName ?? input.clientId, notice: input.notice, body });
}
