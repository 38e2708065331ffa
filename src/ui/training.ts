// Training: put the workspace back to a fresh start, load a bundled scenario's set-up, or walk
// through a scenario one step at a time. Every step goes through the emulator's public HTTP API.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { EmulatorCore } from '../emulator.js';
import type { AppContext } from '../http/context.js';
import { compare, interpolate, readPath, type Difference } from '../scenario/compare.js';
import { describeError, ScenarioContext, StepError } from '../scenario/context.js';
import { loadScenarioFile, formatIssue, type LoadedScenario, type LoadedStep } from '../scenario/load.js';
import { runScenario, type ScenarioReport } from '../scenario/runner.js';
import { STEPS } from '../scenario/steps.js';
import type { RunTarget } from '../scenario/target.js';
import { callApi, expectOk, originOf } from './admin-api.js';
import type { ConsoleUser } from './console-auth.js';

/** The scenarios shipped with the emulator (`scenarios/*.yaml` beside `src/` and `dist/`). */
export const BUNDLED_SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

export interface StepResult {
  index: number;
  label: string;
  name: string;
  status: 'passed' | 'failed';
  message?: string;
  diffs?: Difference[];
}

export interface Walkthrough {
  file: string;
  scenario: LoadedScenario;
  ctx: ScenarioContext;
  results: StepResult[];
}

const walkthroughs = new WeakMap<EmulatorCore, Map<string, Walkthrough>>();
function walkthroughsOf(core: EmulatorCore) {
  let m = walkthroughs.get(core);
  if (!m) walkthroughs.set(core, (m = new Map()));
  return m;
}

/** The walkthrough running in this workspace, if any. */
export const currentWalkthrough = (c: AppContext) => walkthroughsOf(c.get('core')).get(c.get('ws').id);

/** The bundled scenario files by name (file name without folder). */
export async function bundledScenarios(): Promise<string[]> {
  try {
    return (await readdir(BUNDLED_SCENARIOS_DIR)).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
}

export async function loadBundled(name: string): Promise<LoadedScenario> {
  const files = await bundledScenarios();
  if (!files.includes(name)) throw new StepError(`There is no bundled scenario "${name}"; pick one of: ${files.join(', ') || '(none)'}.`);
  const loaded = await loadScenarioFile(`${BUNDLED_SCENARIOS_DIR}${name}`);
  if (!loaded.scenario) throw new StepError(`The scenario ${name} is not valid: ${loaded.issues.map(formatIssue).join('; ')}`);
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
  walkthroughsOf(c.get('core')).delete(ws);
  const del = await callApi(c, user, 'DELETE', `/_emulator/workspaces/${encodeURIComponent(ws)}`);
  if (del.status !== 404) expectOk(del);
  const idp = await callApi(c, user, 'DELETE', `/_emulator/idps/${encodeURIComponent(ws)}`);
  if (idp.status !== 404) expectOk(idp);
}

/** Puts this workspace back to its state at creation. */
export async function resetWorkspace(c: AppContext, user: ConsoleUser & { kind: 'key' }) {
  walkthroughsOf(c.get('core')).delete(c.get('ws').id);
  expectOk(await callApi(c, user, 'POST', '/_emulator/reset', { workspace: c.get('ws').id }));
}

/** Rebuilds this workspace from a scenario's set-up (its steps without the expectations). */
export async function loadSetup(c: AppContext, user: ConsoleUser & { kind: 'key' }, name: string): Promise<ScenarioReport> {
  const scenario = await loadBundled(name);
  const ws = c.get('ws').id;
  await clearForScenario(c, user);
  return runScenario(scenario, { target: target(c, user.adminKey), keep: true, workspaceId: ws, setupOnly: true });
}

/** Rebuilds this workspace with a scenario's workspace and IdP, ready to run its first step. */
export async function startWalkthrough(c: AppContext, user: ConsoleUser & { kind: 'key' }, name: string): Promise<Walkthrough> {
  const scenario = await loadBundled(name);
  const ws = c.get('ws').id;
  await clearForScenario(c, user);
  const t = target(c, user.adminKey);
  // The runner builds the workspace and the IdP (a scenario without steps), then the steps run here one by one.
  const setup = await runScenario({ ...scenario, steps: [] }, { target: t, keep: true, workspaceId: ws });
  const failed = setup.steps.find((s) => s.status === 'failed');
  if (failed) throw new StepError(`The scenario's set-up failed: ${failed.message ?? 'unknown reason'}`);
  const w: Walkthrough = { file: name, scenario, ctx: new ScenarioContext(t, scenario, ws), results: [] };
  walkthroughsOf(c.get('core')).set(ws, w);
  return w;
}

export function stepLabel(step: LoadedStep): string {
  if (step.label) return step.label;
  const a = step.args;
  const brief = typeof a === 'string' ? a : a && typeof a === 'object' ? JSON.stringify(a).slice(0, 90) : '';
  return `${step.name}${brief ? ` ${brief}` : ''}`;
}

/** Runs the walkthrough's next step (as the runner does: `expect` compared, `save` kept). */
export async function nextStep(w: Walkthrough): Promise<StepResult | undefined> {
  const step = w.scenario.steps[w.results.length];
  if (!step) return undefined;
  const base = { index: step.index, label: stepLabel(step), name: step.name };
  let result: StepResult;
  try {
    // `as:` acts as a member for this step only, as the runner does.
    w.ctx.actAs = step.actAs;
    let outcome;
    try {
      outcome = await STEPS[step.name](w.ctx, interpolate(step.args, w.ctx.vars));
    } finally {
      w.ctx.actAs = undefined;
    }
    const diffs = [...(outcome.diffs ?? [])];
    if (step.expect) diffs.push(...compare(interpolate(step.expect, w.ctx.vars), outcome.result));
    for (const [name, path] of Object.entries(step.save ?? {})) w.ctx.vars[name] = readPath(outcome.result, path);
    if (!step.expect && outcome.failedCall) {
      result = { ...base, status: 'failed', message: `HTTP ${outcome.failedCall.status} ${describeError(outcome.failedCall)}` };
    } else if (diffs.length > 0) {
      result = { ...base, status: 'failed', message: 'expectation not met', diffs };
    } else {
      result = { ...base, status: 'passed' };
    }
  } catch (e) {
    result = { ...base, status: 'failed', message: e instanceof StepError ? e.message : `the step crashed: ${e instanceof Error ? e.message : String(e)}` };
  }
  w.results.push(result);
  return result;
}

export function stopWalkthrough(c: AppContext): void {
  walkthroughsOf(c.get('core')).delete(c.get('ws').id);
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
  create_group: 'groups',
  adopt_group: 'groups',
  create_role: 'roles',
  map_group: 'roles',
  expect_readiness: 'readiness',
  expect_events: 'events',
  request: 'events',
};
