// The mock IdP's SAML 2.0 side over HTTP: metadata, the SSO endpoint for SP-initiated requests
// (HTTP-Redirect or HTTP-POST in, HTTP-POST out) and IdP-initiated launch to a registered SP.
import { Hono } from 'hono';
import { EmulatorError, badRequest } from '../errors.js';
import { ssoRuntime } from '../sso/runtime.js';
import type { AppContext, AppEnv } from '../http/context.js';
import { passwordMatches } from '../members/members.js';
import type { IdpState, IdpUser } from '../store/state.js';
import { findUser } from './directory.js';
import { chooseFault, requestedFault } from './faults.js';
import { idpSigningKeys } from './keys.js';
import { renderAutoPostForm, renderSignInPage } from './pages.js';
import { idpEndpoints, requireIdp } from './registry.js';
import { idpClock, idpRuntime, recordSignIn } from './runtime.js';
import { escapeXml } from '../sso/saml/saml-xml.js';
import { buildIdpMetadata, issueSamlResponse, parseAuthnRequest, type IssuedAssertionMemory, type Vendor } from './saml/index.js';

const SAML_VENDOR: Record<IdpState['vendor'], Vendor> = {
  entra: 'entra',
  okta: 'okta',
  google: 'google',
  classlink: 'classlink',
  clever: 'generic',
  generic: 'generic',
};

// The metadata depends only on the URLs (one key pair for every IdP): built once per origin with
// a stand-in IdP id, then given each IdP's id. The stand-in holds a `/`, which neither an origin
// nor an IdP id ([a-z0-9-]) can, so only the id's own places are replaced.
const ID_STAND_IN = 'id/stand-in';
const metadataTemplates = new Map<string, string>();

/** The IdP's SAML metadata at an origin. */
export function idpMetadataXml(idp: IdpState, origin: string): string {
  let template = metadataTemplates.get(origin);
  if (template === undefined) {
    if (metadataTemplates.size > 1000) metadataTemplates.clear();
    const urls = idpEndpoints(origin, ID_STAND_IN).saml;
    template = buildIdpMetadata({ entityId: urls.entityId, ssoUrl: urls.ssoUrl, certPem: idpSigningKeys().certPem });
    metadataTemplates.set(origin, template);
  }
  // Escaped as the template's own values are: an imported state may hold any IdP id.
  return template.replaceAll(`/idp/${ID_STAND_IN}/`, `/idp/${escapeXml(idp.id)}/`);
}

type Params = Record<string, string>;

async function readParams(c: AppContext): Promise<Params> {
  const out: Params = {};
  for (const [k, v] of new URL(c.req.url).searchParams) out[k] ??= v;
  if (c.req.method === 'POST') {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    for (const [k, v] of Object.entries(form)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

const wantsJson = (c: AppContext) => /application\/json/i.test(c.req.header('Accept') ?? '');

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

type Chosen = { user: IdpUser } | { page: { notice?: string; status: 200 | 400 | 401 | 404 } };

/**
 * Who signs in: a user picked or typed on the page (a typed password must match when the user has
 * one), else with auto-approve the hinted user (`login_hint` or the AuthnRequest's Subject).
 */
function chooseUser(idp: IdpState, params: Params, hint: string | undefined): Chosen {
  // A user picked from the list (the page's buttons), else one typed into the form.
  const typed = params.login_pick?.trim() || params.login_email?.trim();
  if (typed) {
    const user = findUser(idp, typed);
    if (!user || user.email.toLowerCase() !== typed.toLowerCase()) return { page: { notice: `No user ${typed} in this directory.`, status: 404 } };
    const password = params.login_password ?? '';
    if (password !== '' && user.passwordHash !== undefined && !passwordMatches(user.passwordHash, password)) {
      return { page: { notice: `Wrong password for ${user.email}.`, status: 401 } };
    }
    return { user };
  }
  const auto = flag(params.auto_approve) ?? idp.autoApprove;
  if (hint && auto) {
    const user = findUser(idp, hint);
    if (user && user.email.toLowerCase() === hint.toLowerCase()) return { user };
    return { page: { notice: `No user ${hint} in this directory; pick one.`, status: 404 } };
  }
  return { page: { status: 200 } };
}

function loginRequired(c: AppContext, idp: IdpState, page: { notice?: string; status: number }, action: string, hidden: Params, hint: string | undefined, audience: string) {
  if (wantsJson(c)) {
    throw new EmulatorError({
      code: page.status === 401 ? 'idp_invalid_credentials' : page.status === 404 ? 'idp_user_not_found' : 'idp_login_required',
      status: page.status === 200 ? 400 : page.status,
      message:
        page.notice ??
        `The mock IdP "${idp.id}" needs to know who signs in: send login_hint=<email> (or a Subject in the AuthnRequest) with auto-approve on, or login_email (and login_password) as a form post.`,
    });
  }
  // The application's name is the workspace the SP entity ID belongs to (never a URL on the page).
  const wsId = /\/w\/([^/]+)\//.exec(audience)?.[1];
  const appName = wsId && Object.hasOwn(c.get('core').state.workspaces, wsId) ? c.get('core').state.workspaces[wsId]!.name : undefined;
  const html = renderSignInPage({ idp, action, hidden, audience, ...(appName ? { appName } : {}), ...(hint ? { hint } : {}), ...(page.notice ? { notice: page.notice } : {}) });
  return c.html(html, page.status as 200);
}

/**
 * Where the `replay` fault finds the assertion to re-send. For a workspace of this emulator: the
 * last assertion that workspace accepted from this IdP (so a replay after a refused fault still
 * replays one the SP took, and is refused `saml_replayed`). For an SP outside the emulator, whose
 * verdicts the IdP cannot see: the last one issued to it.
 */
function replayMemory(c: AppContext, idp: IdpState, sp: { workspace?: string }, issuer: string): IssuedAssertionMemory {
  const core = c.get('core');
  const ws = sp.workspace !== undefined ? core.workspace(sp.workspace) : undefined;
  if (!ws) return idpRuntime(core, idp).issuedAssertions;
  return { get: () => ssoRuntime(core, ws).lastAccepted(issuer)?.assertionId, set: () => {} };
}

/** Issues the response and answers with the auto-post form, or JSON for programs. */
function answer(
  c: AppContext,
  idp: IdpState,
  sp: { entityId: string; acsUrl: string; workspace?: string },
  user: IdpUser,
  params: Params,
  inResponseTo: string | undefined,
) {
  const core = c.get('core');
  const origin = new URL(c.req.url).origin;
  const chosen = chooseFault(idp, 'saml', user.email, requestedFault('saml', params.fault));
  const keys = idpSigningKeys();
  const entityId = idpEndpoints(origin, idp.id).saml.entityId;
  const samlResponse = issueSamlResponse({
    idp: { entityId, privateKeyPem: keys.privateKeyPem, certPem: keys.certPem },
    sp: { entityId: sp.entityId, acsUrl: sp.acsUrl },
    user: { email: user.email, givenName: user.givenName ?? '', familyName: user.familyName ?? '', attributes: user.attributes },
    ...(inResponseTo !== undefined ? { inResponseTo } : {}),
    clock: idpClock(core, sp.workspace),
    vendor: SAML_VENDOR[idp.vendor],
    ...(chosen.fault ? { fault: chosen.fault } : {}),
    memory: replayMemory(c, idp, sp, entityId),
  });
  recordSignIn(
    core,
    idp,
    'saml',
    user.email,
    { sp: sp.entityId, ...(sp.workspace ? { workspace: sp.workspace } : {}), initiatedBy: inResponseTo === undefined ? 'idp' : 'sp' },
    chosen,
  );
  const relayState = params.RelayState;
  if (wantsJson(c)) {
    return c.json({ acsUrl: sp.acsUrl, SAMLResponse: samlResponse, ...(relayState !== undefined ? { RelayState: relayState } : {}), email: user.email, ...(chosen.fault ? { fault: chosen.fault } : {}) });
  }
  return c.html(renderAutoPostForm({ acsUrl: sp.acsUrl, samlResponse, ...(relayState !== undefined ? { relayState } : {}) }));
}

export function idpSamlRoutes() {
  const r = new Hono<AppEnv>();

  r.get('/metadata', (c) => {
    const idp = requireIdp(c.get('core'), c.req.param('idp')!);
    return c.body(idpMetadataXml(idp, new URL(c.req.url).origin), 200, { 'Content-Type': 'application/samlmetadata+xml' });
  });

  const sso = async (c: AppContext) => {
    const idp = requireIdp(c.get('core'), c.req.param('idp')!);
    const params = await readParams(c);
    const samlRequest = params.SAMLRequest;
    if (!samlRequest) {
      throw badRequest(
        'saml_request_invalid',
        `The SSO endpoint of mock IdP "${idp.id}" needs a SAMLRequest: start at the service provider's login URL, or use /idp/${idp.id}/saml/launch for IdP-initiated sign-in.`,
      );
    }
    // A GET is the HTTP-Redirect binding; our own sign-in page posts the redirect-encoded request back.
    const binding = c.req.method === 'GET' || params.binding === 'redirect' ? 'redirect' : 'post';
    const request = parseAuthnRequest(samlRequest, { binding });
    const sp = Object.hasOwn(idp.samlSps, request.issuer) ? idp.samlSps[request.issuer] : undefined;
    if (!sp) {
      throw badRequest(
        'idp_unknown_sp',
        `The AuthnRequest comes from "${request.issuer}", which is not an application of mock IdP "${idp.id}". Connect the workspace with PUT /w/{ws}/api/sso {"protocol":"saml","mockIdp":"${idp.id}"}, or register the SP with POST /idp/${idp.id}/apps/saml {"entityId","acsUrl"}.`,
      );
    }
    if (request.acsUrl !== undefined && request.acsUrl !== sp.acsUrl) {
      throw badRequest(
        'idp_acs_mismatch',
        `The AuthnRequest asks for the response at ${request.acsUrl}, but ${sp.entityId} registered ${sp.acsUrl}; the IdP only posts to a registered ACS URL.`,
      );
    }
    const hint = params.login_hint ?? request.subject;
    const chosen = chooseUser(idp, params, hint);
    if ('page' in chosen) {
      const hidden: Params = { SAMLRequest: samlRequest, binding };
      for (const k of ['RelayState', 'fault']) if (params[k] !== undefined) hidden[k] = params[k]!;
      return loginRequired(c, idp, chosen.page, idpEndpoints(new URL(c.req.url).origin, idp.id).saml.ssoUrl, hidden, hint, sp.entityId);
    }
    return answer(c, idp, sp, chosen.user, params, request.id);
  };
  r.get('/sso', sso);
  r.post('/sso', sso);

  // IdP-initiated: ?workspace=<ws> (a connected workspace) or ?sp=<entity id>, and the user.
  const launch = async (c: AppContext) => {
    const idp = requireIdp(c.get('core'), c.req.param('idp')!);
    const params = await readParams(c);
    const sps = Object.values(idp.samlSps);
    const sp = params.sp !== undefined ? sps.find((s) => s.entityId === params.sp) : params.workspace !== undefined ? sps.find((s) => s.workspace === params.workspace) : sps.length === 1 ? sps[0] : undefined;
    if (!sp) {
      throw badRequest(
        'idp_unknown_sp',
        `Say which application to launch: ?workspace=<a workspace connected to "${idp.id}"> or ?sp=<entity id>. Registered: ${sps.map((s) => s.workspace ?? s.entityId).join(', ') || '(none)'}.`,
      );
    }
    const hint = params.email ?? params.login_hint;
    const chosen = chooseUser(idp, { ...params, auto_approve: params.auto_approve ?? 'true' }, hint);
    if ('page' in chosen) {
      const hidden: Params = { sp: sp.entityId };
      for (const k of ['RelayState', 'fault']) if (params[k] !== undefined) hidden[k] = params[k]!;
      return loginRequired(c, idp, chosen.page, idpEndpoints(new URL(c.req.url).origin, idp.id).saml.launchUrl, hidden, hint, sp.entityId);
    }
    return answer(c, idp, sp, chosen.user, params, undefined);
  };
  r.get('/launch', launch);
  r.post('/launch', launch);

  return r;
}
