// Recordings of a workspace's inbound traffic (docs/recorder.md): kept in memory on the core in one
// runtime slot, owner-only like the other identity settings, turned into a scenario on demand.
import { EmulatorError, notFound, conflict } from '../errors.js';
import { runtimeSlot, type EmulatorCore } from '../emulator.js';
import type { IdpState, WorkspaceState } from '../store/state.js';

/** One recorded step: the scenario step object plus where it came from (for refusals). */
export interface RecordedStep {
  step: Record<string, unknown>;
  /** `METHOD /path` of the request it was made from. */
  from: string;
}

/** A sign-in started at the service provider or the IdP, waiting for its end at the ACS or callback. */
interface PendingSignIn {
  user?: string;
  fault?: string;
}

export interface Recording {
  id: string;
  name: string;
  workspace: string;
  startedAt: string;
  stoppedAt?: string;
  /** The mock IdP whose traffic is recorded too (linked at start, or when SSO is wired to one). */
  idp?: string;
  /** The IdP's directory, vendor and the protocol when the recording started: the scenario's `idp:` section. */
  idpSnapshot?: { vendor: string; users: Record<string, unknown>[]; groups: { name: string; members: string[] }[] };
  protocol?: 'saml' | 'oidc';
  steps: RecordedStep[];
  /** Server-assigned values seen in answers → the variable that stands for them. */
  vars: Map<string, string>;
  varCounts: Map<string, number>;
  /** Real passwords → the placeholder standing for each (the same placeholder for the same password). */
  passwords: Map<string, string>;
  /** Every secret value seen (tokens, passwords, client secrets): none may reach the file. */
  secrets: Set<string>;
  userAgents: Set<string>;
  /** What could not become a step (no step says it), named in the file's header. */
  skipped: string[];
  pendingSignIn?: PendingSignIn;
  /** Each custom role's group ids as last seen, so a change of them is told as the groups it adds. */
  roleGroups: Map<string, string[]>;
  /** The workspace was connected to an IdP by pasted values (a real one): the replay uses the mock IdP instead. */
  pastedConnection?: boolean;
  /** Who signed in through SSO: the mock IdP of a replay needs them in its directory. */
  ssoUsers: Set<string>;
}

interface WorkspaceRecordings {
  all: Recording[];
  active?: Recording;
}

/** Recordings by workspace id; `active` counts the workspaces with one running (the middleware's fast path). */
export const RECORDINGS = runtimeSlot('recordings', () => ({ byWorkspace: new Map<string, WorkspaceRecordings>(), active: 0 }));

const MAX_RECORDINGS = 20;
const MAX_STEPS = 5000;

function of(core: EmulatorCore, wsId: string): WorkspaceRecordings {
  const slot = core.runtime(RECORDINGS);
  let rec = slot.byWorkspace.get(wsId);
  if (!rec) slot.byWorkspace.set(wsId, (rec = { all: [] }));
  return rec;
}

/** The mock IdP a workspace uses: the one its SAML or OIDC app points at, or the one of the same id. */
export function linkedIdp(core: EmulatorCore, wsId: string): IdpState | undefined {
  const idps = Object.values(core.state.idps);
  return (
    idps.find((i) => Object.values(i.samlSps).some((s) => s.workspace === wsId) || Object.values(i.oidcClients).some((o) => o.workspace === wsId)) ??
    idps.find((i) => i.id === wsId)
  );
}

/** Links an IdP to a recording and snapshots its directory as the scenario's starting directory. */
export function linkIdp(rec: Recording, idp: IdpState): void {
  if (rec.idp) return;
  rec.idp = idp.id;
  const users = Object.values(idp.users);
  const byId = new Map(users.map((u) => [u.id, u.email]));
  rec.idpSnapshot = {
    vendor: idp.vendor,
    users: users.map((u) => ({
      email: u.email,
      ...(u.givenName ? { givenName: u.givenName } : {}),
      ...(u.familyName ? { familyName: u.familyName } : {}),
      ...(Object.keys(u.attributes).length > 0 ? { attributes: u.attributes } : {}),
    })),
    groups: Object.values(idp.groups).map((g) => ({ name: g.displayName, members: g.members.map((m) => byId.get(m)).filter((e): e is string => !!e) })),
  };
  // Users out of the provisioning scope at the start are taken out again by the first steps.
  for (const u of users) if (!u.provisioned) rec.steps.unshift({ step: { idp_remove_user: u.email }, from: 'the directory at the start' });
}

export function startRecording(core: EmulatorCore, ws: WorkspaceState, input: { name?: string; idp?: string }): Recording {
  const recs = of(core, ws.id);
  if (recs.active) {
    throw conflict('recording_active', `Recording ${recs.active.id} is already running in workspace "${ws.id}"; stop it with POST /w/${ws.id}/api/recordings/${recs.active.id}/stop first.`);
  }
  let idp: IdpState | undefined;
  if (input.idp !== undefined) {
    idp = Object.hasOwn(core.state.idps, input.idp) ? core.state.idps[input.idp] : undefined;
    if (!idp) throw notFound('idp_not_found', `There is no mock IdP "${input.idp}"; list them with GET /_emulator/idps, or leave "idp" out.`);
  } else idp = linkedIdp(core, ws.id);
  const now = core.clockFor(ws.id).nowIso();
  const id = `rec_${Math.random().toString(36).slice(2, 10)}`;
  const rec: Recording = {
    id,
    name: input.name ?? `Recording of ${ws.name} at ${now}`,
    workspace: ws.id,
    startedAt: now,
    steps: [],
    vars: new Map(),
    varCounts: new Map(),
    passwords: new Map(),
    secrets: new Set(),
    userAgents: new Set(),
    skipped: [],
    roleGroups: new Map(),
    ssoUsers: new Set(),
  };
  const connection = ws.sso.connection as { protocol?: string } | null;
  if (connection?.protocol === 'saml' || connection?.protocol === 'oidc') rec.protocol = connection.protocol;
  if (idp) linkIdp(rec, idp);
  recs.all.push(rec);
  if (recs.all.length > MAX_RECORDINGS) recs.all.shift();
  recs.active = rec;
  core.runtime(RECORDINGS).active++;
  core.record(ws, 'recording.started', 'recorder', { id, name: rec.name });
  return rec;
}

export function findRecording(core: EmulatorCore, wsId: string, id: string): Recording {
  const rec = of(core, wsId).all.find((r) => r.id === id);
  if (!rec) throw notFound('recording_not_found', `There is no recording "${id}" in workspace "${wsId}"; GET /w/${wsId}/api/recordings lists them.`);
  return rec;
}

export function stopRecording(core: EmulatorCore, ws: WorkspaceState, id: string): Recording {
  const rec = findRecording(core, ws.id, id);
  const recs = of(core, ws.id);
  if (recs.active === rec) {
    recs.active = undefined;
    core.runtime(RECORDINGS).active--;
    rec.stoppedAt = core.clockFor(ws.id).nowIso();
    core.record(ws, 'recording.stopped', 'recorder', { id, steps: rec.steps.length });
  }
  return rec;
}

export function listRecordings(core: EmulatorCore, wsId: string): Recording[] {
  return of(core, wsId).all;
}

/** The active recording of a workspace, if any. */
export function activeRecording(core: EmulatorCore, wsId: string): Recording | undefined {
  if (core.runtime(RECORDINGS).active === 0) return undefined;
  return core.runtime(RECORDINGS).byWorkspace.get(wsId)?.active;
}

/** The active recordings that follow a mock IdP. */
export function recordingsOfIdp(core: EmulatorCore, idpId: string): Recording[] {
  const slot = core.runtime(RECORDINGS);
  if (slot.active === 0) return [];
  return [...slot.byWorkspace.values()].flatMap((r) => (r.active && r.active.idp === idpId ? [r.active] : []));
}

export function addStep(rec: Recording, step: Record<string, unknown>, from: string): void {
  if (rec.steps.length >= MAX_STEPS) {
    if (rec.skipped.at(-1) !== 'steps beyond the limit') rec.skipped.push('steps beyond the limit');
    return;
  }
  rec.steps.push({ step, from });
}

export function recordingView(rec: Recording) {
  return {
    id: rec.id,
    name: rec.name,
    active: rec.stoppedAt === undefined,
    startedAt: rec.startedAt,
    ...(rec.stoppedAt ? { stoppedAt: rec.stoppedAt } : {}),
    steps: rec.steps.length,
    ...(rec.idp ? { idp: rec.idp } : {}),
  };
}

export const secretInRecording = (message: string, step: number) => new EmulatorError({ code: 'secret_in_recording', status: 422, message, details: { step } });
