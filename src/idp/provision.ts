// The provisioning client at the HTTP edge: picks the target and dialect, sends each SCIM request
// through the emulator's outbound fetch (its own origins in process), and journals the run.
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { EmulatorError, badRequest, conflict } from '../errors.js';
import { SCIM_DIALECTS, type IdpState } from '../store/state.js';
import { defaultDialect, requestUrl, type ScimRequest } from './provisioning/dialects.js';
import { runProvisioning, type ProvisioningReport, type ScimResponse } from './provisioning/run.js';
import { recordIdp } from './registry.js';
import { idpRuntime } from './runtime.js';

export const provisionInput = z
  .object({
    target: z.object({ baseUrl: z.string().url(), token: z.string().min(1) }).strict().optional(),
    dialect: z.enum(SCIM_DIALECTS).optional(),
  })
  .strict();
export type ProvisionInput = z.infer<typeof provisionInput>;

const CONTENT_TYPE = { entra: 'application/scim+json', okta: 'application/scim+json; charset=utf-8', generic: 'application/scim+json' } as const;

/**
 * Refuses (403 `idp_target_not_allowed`) a target other than one of this emulator's own workspaces
 * (`<own origin>/w/{ws}/scim/v2`) unless the admin key was sent: the mock IdP is open to any
 * page, and sending SCIM requests with a caller's token to any host and port would make it a
 * port scanner.
 */
function checkTarget(core: EmulatorCore, idp: IdpState, baseUrl: string, privileged: boolean): void {
  if (privileged) return;
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  const ws = url && !url.search && !url.hash ? /^\/w\/([^/]+)\/scim\/v2$/.exec(url.pathname)?.[1] : undefined;
  let wsId: string | undefined;
  try {
    wsId = ws === undefined ? undefined : decodeURIComponent(ws);
  } catch {
    wsId = undefined; // a bad escape names no workspace: refused below, not a 500
  }
  if (url && wsId !== undefined && core.isOwnOrigin(url) && core.workspace(wsId)) return;
  throw new EmulatorError({
    code: 'idp_target_not_allowed',
    status: 403,
    message: `Mock IdP "${idp.id}" provisions without the admin key only to this emulator's own workspaces (<emulator origin>/w/<ws>/scim/v2), not to ${baseUrl}. Send "Authorization: Bearer <admin key>" to provision to another SCIM server.`,
    details: { target: baseUrl },
  });
}

/**
 * Runs one provisioning cycle of the IdP's directory to a SCIM target and returns its report.
 * `privileged`: the request carried the admin key, so any target may be used and remembered.
 */
export async function provision(core: EmulatorCore, idp: IdpState, input: ProvisionInput, actor: string, privileged = false): Promise<ProvisioningReport> {
  const targets = Object.values(idp.provisioning);
  let baseUrl: string;
  if (input.target) baseUrl = input.target.baseUrl.replace(/\/+$/, '');
  else if (targets.length === 1) baseUrl = targets[0]!.baseUrl;
  else {
    throw badRequest(
      'idp_no_target',
      targets.length === 0
        ? `Say where to provision: {"target":{"baseUrl":"<origin>/w/<ws>/scim/v2","token":"<SCIM token from POST /w/<ws>/api/scim/tokens>"}}.`
        : `Mock IdP "${idp.id}" provisions ${targets.length} targets; name one with {"target":{"baseUrl","token"}}: ${targets.map((t) => t.baseUrl).join(', ')}.`,
    );
  }
  // Before anything is remembered: a refused target is not stored.
  checkTarget(core, idp, baseUrl, privileged);
  const runtime = idpRuntime(core, idp);
  if (runtime.provisioning) throw conflict('idp_provisioning_busy', `Mock IdP "${idp.id}" is already provisioning; wait for that run to end.`);
  const target = (idp.provisioning[baseUrl] ??= {
    baseUrl,
    token: input.target?.token ?? '',
    dialect: input.dialect ?? defaultDialect(idp.vendor),
    users: {},
    groups: {},
  });
  if (input.target) target.token = input.target.token;
  if (input.dialect) target.dialect = input.dialect;

  const send = async (req: ScimRequest): Promise<ScimResponse> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${target.token}`, Accept: 'application/scim+json' };
    if (req.body !== undefined) headers['Content-Type'] = CONTENT_TYPE[target.dialect];
    let res: Response;
    try {
      res = await core.outboundFetch(requestUrl(baseUrl, req), {
        method: req.method,
        headers,
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      });
    } catch (err) {
      return { status: 0, body: `The SCIM target did not answer: ${err instanceof Error ? err.message : String(err)}` };
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the report
    }
    return { status: res.status, body };
  };

  runtime.provisioning = true;
  let report: ProvisioningReport;
  try {
    report = await runProvisioning(idp, target, send, core.clock.now());
  } catch (err) {
    if (err instanceof EmulatorError) throw err;
    throw new EmulatorError({ code: 'idp_provisioning_failed', status: 502, message: `Provisioning to ${baseUrl} stopped: ${err instanceof Error ? err.message : String(err)}.` });
  } finally {
    runtime.provisioning = false;
  }
  recordIdp(core, idp, 'idp.provisioned', { target: baseUrl, dialect: target.dialect, counts: report.counts }, actor);
  return report;
}
