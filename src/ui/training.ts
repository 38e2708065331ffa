// Training: put the workspace back to a fresh start, load a bundled scenario's set-up, or walk
// through a scenario one step at a time with the scenario step session. Every step goes through
// the emulator's public HTTP API; a refusal comes back as a FormProblem the page shows.
import { runtimeSlot } from '../emulator.js';
import type { AppContext } from '../http/context.js';
import { loadBundled } from '../scenario/bundled.js';
import { runScenario, type ScenarioReport } from '../scenario/runner.js';
import { ScenarioSession, type RunTarget, type StepReport } from '../scenario/session.js';
import type { LoadedScenario } from '../scenario/load.js';
import { FormProblem } from './actions.js';
import { callApi, expectOk, originOf, workspaceApi } from './admin-api.js';
import { levelWords } from './plain-words.js';
import type { ConsoleUser } from './console-user.js';

export { bundledScenarios } from '../scenario/bundled.js';
import { bundledScenarios } from '../scenario/bundled.js';
export { stepLabel, type StepReport } from '../scenario/session.js';

export interface Walkthrough {
  /** The bundled scenario's file name. */
  file: string;
  session: ScenarioSession;
  /** The workspace in a line after each step run, by step index (guided mode shows it). */
  states: string[];
}

/** Per emulator, the walkthrough running in each workspace, by workspace id. */
export const WALKTHROUGHS = runtimeSlot('console walkthroughs', () => new Map<string, Walkthrough>());

const walkthroughsOf = (c: AppContext) => c.get('core').runtime(WALKTHROUGHS);

/** The walkthrough running in this workspace, if any. */
export const currentWalkthrough = (c: AppContext) => walkthroughsOf(c).get(c.get('ws').id);

async function bundled(name: string): Promise<LoadedScenario> {
  const loaded = await loadBundled(name);
  if ('problem' in loaded) throw new FormProblem(loaded.problem);
  return loaded.scenario;
}

/** Runs scenarios against this emulator in process, with the console's admin key. */
function target(c: AppContext, adminKey: string): RunTarget {
  const origin = originOf(c);
  return { origin, adminKey, fetch: (p, init) => c.get('core').outboundFetch(new URL(p, origin).href, init) };
}

/** Removes the workspace and the scenario IdP of the same id, so a scenario can build them again. */
async function clearForScenario(c: AppContext, user: ConsoleUser & { kind: 'key' }) {
  const ws = c.get('ws').id;
  walkthroughsOf(c).delete(ws);
  const del = await callApi(c, user, 'DELETE', `/_emulator/workspaces/${encodeURIComponent(ws)}`);
  if (del.status !== 404) expectOk(del);
  const idp = await callApi(c, user, 'DELETE', `/_emulator/idps/${encodeURIComponent(ws)}`);
  if (idp.status !== 404) expectOk(idp);
}

/** Puts this workspace back to its state at creation. */
export async function resetWorkspace(c: AppContext, user: ConsoleUser & { kind: 'key' }) {
  walkthroughsOf(c).delete(c.get('ws').id);
  expectOk(await callApi(c, user, 'POST', '/_emulator/reset', { workspace: c.get('ws').id }));
}

/** Rebuilds this workspace from a scenario's set-up (its steps without the expectations). */
export async function loadSetup(c: AppContext, user: ConsoleUser & { kind: 'key' }, name: string): Promise<ScenarioReport> {
  const scenario = await bundled(name);
  const ws = c.get('ws').id;
  await clearForScenario(c, user);
  return runScenario(scenario, { target: target(c, user.adminKey), keep: true, workspaceId: ws, setupOnly: true });
}

/** Rebuilds this workspace with a scenario's workspace and IdP, ready to run its first step. */
export async function startWalkthrough(c: AppContext, user: ConsoleUser & { kind: 'key' }, name: string): Promise<Walkthrough> {
  const scenario = await bundled(name);
  const ws = c.get('ws').id;
  await clearForScenario(c, user);
  const session = new ScenarioSession(target(c, user.adminKey), scenario, { workspaceId: ws });
  const failed = await session.setUp();
  if (failed) throw new FormProblem(`The scenario's set-up failed: ${failed.message ?? 'unknown reason'}`);
  const w: Walkthrough = { file: name, session, states: [] };
  walkthroughsOf(c).set(ws, w);
  return w;
}

/** Runs the walkthrough's next step (as the CLI runner does) and notes the workspace after it; undefined when every step has run. */
export async function nextStep(c: AppContext, user: ConsoleUser, w: Walkthrough): Promise<StepReport | undefined> {
  const r = await w.session.next();
  if (r) w.states[w.session.results.length - 1] = await workspaceSummary(c, user);
  return r;
}

/** The bundled scenarios with the name each one gives itself (`name:`), in file order. */
export async function bundledScenarioNames(): Promise<{ file: string; name: string }[]> {
  const out: { file: string; name: string }[] = [];
  for (const file of await bundledScenarios()) {
    const loaded = await loadBundled(file);
    out.push({ file, name: 'scenario' in loaded ? loaded.scenario.name : file });
  }
  return out;
}

/** The workspace in one line: domains, SSO, enforcement, members, groups, roles, readiness. */
export async function workspaceSummary(c: AppContext, user: ConsoleUser): Promise<string> {
  try {
    const api = workspaceApi(c, user);
    const [domains, sso, enforcement, members, groups, roles, readiness] = await Promise.all([
      api.domains.list(),
      api.sso.get(),
      api.sso.enforcement.get(),
      api.users.list(),
      api.groups.list(),
      api.roles.list(),
      api.readiness(),
    ]);
    const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
    const byStatus = (st: string) => members.filter((m) => m.status === st).length;
    return [
      domains.length ? `domains: ${domains.map((d) => `${d.domain} ${d.status}`).join(', ')}` : 'no domain',
      sso.configured ? `SSO connected${sso.tested ? ' and tested' : ', not tested yet'}` : 'SSO not connected',
      `enforcement: ${levelWords(enforcement.level)}`,
      `${count(members.length, 'member')} (${byStatus('active')} active, ${byStatus('pending_invite')} invited, ${byStatus('deactivated')} deactivated)`,
      count(groups.length, 'group'),
      count(roles.length, 'custom role'),
      `readiness ${readiness.filter((i) => i.status === 'pass').length} of ${readiness.length}`,
    ].join(' · ');
  } catch {
    return 'The workspace could not be read after this step.';
  }
}

export function stopWalkthrough(c: AppContext): void {
  walkthroughsOf(c).delete(c.get('ws').id);
}

/** The console page that shows what a step changed. */
export const STEP_PAGE: Record<string, string> = {
  verify_domain: 'domains',
  advance_clock: 'domains',
  configure_sso: 'sso',
  set_enforcement: 'sso',
  sign_in: 'events',
  invite: 'members',
  expect_member: 'members',
  expect_permissions: 'members',
  usage_limits: 'members',
  expect_usage_limit: 'members',
  idp_add_user: 'members',
  idp_remove_user: 'members',
  idp_move_user: 'members',
  settings: 'scim',
  issue_scim_token: 'scim',
  scim_sync: 'scim',
  directory_sync: 'directory',
  create_group: 'groups',
  adopt_group: 'groups',
  create_role: 'roles',
  map_group: 'roles',
  expect_readiness: 'readiness',
  expect_events: 'events',
  expect_conformance: 'scim',
  request: 'events',
};
