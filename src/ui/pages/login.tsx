// The workspace sign-in page (/w/{ws}/login): email first, then only the methods the sign-in
// policy allows for that email (checkSignIn, no side effects), each refusal said in plain words.
import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import type { AppContext } from '../../http/context.js';
import { memberView } from '../../members/members.js';
import { sessionMember } from '../../signin/routes.js';
import { checkSignIn, refusalMessage } from '../../signin/sign-in.js';
import type { SignInMethod } from '../../signin/policy.js';
import { CONSOLE_CSS } from '../assets.js';

const METHOD_NAMES: Record<SignInMethod, string> = { sso: 'Single sign-on', password: 'Password', social: 'Google, Microsoft or Apple' };

export interface LoginView {
  email?: string;
  next?: string;
  /** A refusal code from the last attempt. */
  error?: string;
  notice?: string;
}

const Shell: FC<{ title: string; wsName: string; children?: unknown }> = ({ title, wsName, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} — ${wsName}`}</title>
      <style>{raw(`${CONSOLE_CSS}\nmain{max-width:40rem;margin:2rem auto}.method{border:1px solid var(--line);border-radius:.6rem;padding:1rem 1.25rem;margin:1rem 0}`)}</style>
    </head>
    <body>
      <div class="training" role="note">
        Training emulator: a local stand-in for the workspace's sign-in page.
      </div>
      <main id="main">{children as never}</main>
    </body>
  </html>
);

export function loginPage(c: AppContext, view: LoginView) {
  const ws = c.get('ws');
  const core = c.get('core');
  const base = `/w/${ws.id}`;
  const me = sessionMember(c);
  const next = view.next;
  const nextField = next ? <input type="hidden" name="next" value={next} /> : null;
  const email = view.email;
  const decisions = email
    ? (['sso', 'password', 'social'] as const).map((method) => ({ method, decision: checkSignIn(core, ws, email, method) }))
    : [];
  const allowed = decisions.filter((d) => d.decision.outcome === 'allowed').map((d) => d.method);
  const refusals = decisions.flatMap((d) => (d.decision.outcome === 'denied' ? [{ method: d.method, reason: d.decision.reason }] : []));
  const protocol = ws.sso.connection?.protocol === 'oidc' ? 'oidc' : 'saml';
  const ssoUrl = (() => {
    const q = new URLSearchParams({ email: email ?? '' });
    q.set(protocol === 'oidc' ? 'returnTo' : 'relayState', next ?? `${base}/login`);
    return `${base}/sso/${protocol}/login?${q}`;
  })();
  const isAdmin = me && (me.role === 'owner' || me.role === 'admin');
  return (
    <Shell title="Sign in" wsName={ws.name}>
      <h1 data-focus>Sign in to {ws.name}</h1>
      {view.notice ? <div class="notice">{view.notice}</div> : null}
      {view.error ? (
        <div class="notice error" role="alert" id="sign-in-error">
          <p>
            <strong>{refusalMessage(view.error)}</strong>
          </p>
          <p class="muted">
            Reason code: <code>{view.error}</code>
          </p>
        </div>
      ) : null}
      {me ? (
        <div class="notice ok" id="signed-in">
          <p>
            Signed in as <strong>{me.email}</strong> ({memberView(core, ws, me).role}).
          </p>
          <div class="actions">
            <a class="button" href={`${base}/me`} id="my-access">
              See my access
            </a>
            {isAdmin ? (
              <a class="button" href={`${base}/admin`}>
                Open the web console
              </a>
            ) : null}
            <form method="post" action={`${base}/login`}>
              <input type="hidden" name="action" value="signout" />
              <button type="submit" class="secondary">
                Sign out
              </button>
            </form>
          </div>
        </div>
      ) : null}
      <form method="get" action={`${base}/login`} class="method">
        {nextField}
        <label for="email">Email</label>
        <div class="row">
          <input id="email" name="email" type="email" autocomplete="username" value={email ?? ''} required autofocus={!email} />
          <button type="submit">{email ? 'Change' : 'Continue'}</button>
        </div>
      </form>
      {email ? (
        allowed.length === 0 ? (
          <div class="notice error" role="alert" id="no-method">
            <p>
              <strong>{email} cannot sign in here.</strong>
            </p>
            {[...new Set(refusals.map((r) => r.reason))].map((reason) => (
              <p>
                {refusalMessage(reason)} <span class="muted">(<code>{reason}</code>)</span>
              </p>
            ))}
          </div>
        ) : (
          <>
            {allowed.includes('sso') ? (
              <div class="method">
                <h2>Single sign-on</h2>
                <a class="button" href={ssoUrl} id="sso-button">
                  Continue with single sign-on
                </a>
              </div>
            ) : null}
            {allowed.includes('password') ? (
              <form method="post" action={`${base}/login`} class="method">
                <h2>Password</h2>
                {nextField}
                <input type="hidden" name="action" value="password" />
                <input type="hidden" name="email" value={email} />
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" autofocus />
                <p>
                  <button type="submit">Sign in with password</button>
                </p>
              </form>
            ) : null}
            {allowed.includes('social') ? (
              <form method="post" action={`${base}/login`} class="method">
                <h2>Social sign-in</h2>
                {nextField}
                <input type="hidden" name="action" value="social" />
                <input type="hidden" name="email" value={email} />
                <div class="actions">
                  {(['google', 'microsoft', 'apple'] as const).map((p) => (
                    <button type="submit" name="provider" value={p} class="secondary">
                      Continue with {p[0]!.toUpperCase() + p.slice(1)}
                    </button>
                  ))}
                </div>
              </form>
            ) : null}
            {refusals.length > 0 ? (
              <div class="notice" id="not-offered">
                <p>Not offered for {email}:</p>
                <ul>
                  {refusals.map((r) => (
                    <li>
                      {METHOD_NAMES[r.method]} — {refusalMessage(r.reason)}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </>
        )
      ) : null}
      {!me && next?.startsWith(`${base}/admin`) ? (
        <p class="muted">The web console is for workspace owners and admins. Trainers can also open it with <code>{`${base}/admin?key=<admin key>`}</code>.</p>
      ) : null}
    </Shell>
  );
}
