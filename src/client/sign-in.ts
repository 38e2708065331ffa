// Sign-in helpers for tests: the real round trips a browser makes (password, social, and SSO
// SP-initiated through the mock IdP), over the client's fetch, answered as {outcome, reason?, cookie?}.
/** How a sign-in ended. `cookie` is the `edu_session=…` pair to send as a `Cookie` header. */
export interface SignInOutcome {
  outcome: 'allowed' | 'denied';
  /** The refusal's stable code, e.g. `not_a_member`, `saml_audience_mismatch`, `password_sign_in_disabled`. */
  reason?: string;
  /** The emulator's message for a refusal. */
  message?: string;
  cookie?: string;
  /** The HTTP status of the last answer of the round trip. */
  status: number;
  /** Where a refusal came from when it was the mock IdP rather than the workspace. */
  at?: 'idp';
}

export interface SignInTransport {
  /** The emulator's origin (no trailing slash). */
  base: string;
  send: (request: Request) => Response | Promise<Response>;
}

async function readAnswer(response: Response): Promise<{ status: number; body: any; location: string | null; cookie: string | undefined }> {
  const text = await response.text();
  let body: any = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = /(?:^|[,\s])(edu_session=[^;,\s]+)/.exec(setCookie)?.[1];
  return { status: response.status, body, location: response.headers.get('location'), cookie: cookie && cookie !== 'edu_session=' ? cookie : undefined };
}

function outcomeOf(answer: Awaited<ReturnType<typeof readAnswer>>, at?: 'idp'): SignInOutcome {
  if ((answer.status === 200 || answer.status === 302 || answer.status === 303) && answer.cookie) {
    return { outcome: 'allowed', status: answer.status, cookie: answer.cookie };
  }
  const error = answer.body?.error;
  const reason: unknown = error?.code ?? answer.body?.reason;
  const message: unknown = error?.message ?? answer.body?.message;
  return {
    outcome: 'denied',
    status: answer.status,
    ...(typeof reason === 'string' ? { reason } : { reason: `http_${answer.status}` }),
    ...(typeof message === 'string' ? { message } : {}),
    ...(at ? { at } : {}),
  };
}

/** The sign-in helpers of one workspace. */
export function signInHelpers(transport: SignInTransport, workspaceId: string, ssoProtocol: () => Promise<'saml' | 'oidc'>) {
  const ws = `${transport.base}/w/${encodeURIComponent(workspaceId)}`;
  const call = async (url: string, init: RequestInit = {}) =>
    readAnswer(await transport.send(new Request(new URL(url, transport.base), { redirect: 'manual', ...init, headers: { Accept: 'application/json', ...(init.headers as Record<string, string>) } })));
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return {
    /** Password sign-in (`POST /w/{ws}/login/password`). */
    password: async (email: string, password: string) => outcomeOf(await call(`${ws}/login/password`, json({ email, password }))),
    /** Social sign-in (`POST /w/{ws}/login/social`). */
    social: async (email: string, provider: 'google' | 'microsoft' | 'apple') => outcomeOf(await call(`${ws}/login/social`, json({ email, provider }))),
    /**
     * SSO, SP-initiated, through the workspace's connection and the mock IdP it points to: the
     * login redirect, the IdP's answer (`fault` for this sign-in only) and the ACS or callback.
     * A sign-in allowed this way is the successful test sign-in that unlocks enforcement.
     */
    sso: async (email: string, options: { fault?: string } = {}): Promise<SignInOutcome> => {
      const protocol = await ssoProtocol();
      const start = await call(`${ws}/sso/${protocol}/login?email=${encodeURIComponent(email)}`);
      if (start.status !== 302 || !start.location) return outcomeOf(start);
      const idpUrl = new URL(start.location, transport.base);
      if (options.fault !== undefined) idpUrl.searchParams.set('fault', options.fault);
      const atIdp = await call(idpUrl.href);
      if (protocol === 'saml') {
        if (atIdp.status !== 200 || typeof atIdp.body?.SAMLResponse !== 'string') return outcomeOf(atIdp, 'idp');
        const form = new URLSearchParams({ SAMLResponse: atIdp.body.SAMLResponse, ...(atIdp.body.RelayState ? { RelayState: atIdp.body.RelayState } : {}) });
        return outcomeOf(await call(atIdp.body.acsUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }));
      }
      if (atIdp.status !== 302 || !atIdp.location) return outcomeOf(atIdp, 'idp');
      return outcomeOf(await call(atIdp.location));
    },
  };
}
