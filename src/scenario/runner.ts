// Runs scenarios: each in its own fresh workspace and mock IdP (in process: its own emulator),
// steps in order, every `expect` compared field by field; a failed step skips the rest of its
// scenario. Scenarios run side by side up to a concurrency limit.
import { createEmulator } from '../app.js';
import { compare, interpolate, readPath, type Difference } from './compare.js';
import { describeError, ScenarioContext, StepError } from './context.js';
import type { LoadedScenario, LoadedStep } from './load.js';
import { STEPS } from './steps.js';
import { inProcessTarget, type RunTarget } from './target.js';

export interface StepReport {
  index: number;
  line: number;
  step: string;
  label?: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  message?: string;
  diffs?: Difference[];
}

export interface ScenarioReport {
  file: string;
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  workspace?: string;
  steps: StepReport[];
}

export interface RunListener {
  scenarioStarted?(s: LoadedScenario): void;
  stepFinished?(s: LoadedScenario, step: StepReport, total: number): void;
  scenarioFinished?(report: ScenarioReport): void;
}

export interface RunOptions {
  /** A running emulator; when absent each scenario gets its own in-process emulator. */
  target?: RunTarget;
  concurrency?: number;
  /** Stop starting scenarios after the first failure. */
  bail?: boolean;
  /** Keep the scenario's workspace and IdP (serve --scenario); default: delete them afterwards. */
  keep?: boolean;
  /** Run only the set-up: skip expectation steps and `expect` blocks. */
  setupOnly?: boolean;
  /** Use this workspace id (and IdP id) instead of a fresh random one. */
  workspaceId?: string;
  listener?: RunListener;
}

const EXPECTATION_STEPS = new Set(['expect_permissions', 'expect_member', 'expect_readiness', 'expect_events', 'expect_enforcement_preview']);

function label(step: LoadedStep): string {
  if (step.label) return step.label;
  const a = step.args;
  const brief = typeof a === 'string' ? a : a && typeof a === 'object' ? JSON.stringify(a).slice(0, 80) : '';
  return `${step.name}${brief ? ` ${brief}` : ''}`;
}

async function setUp(ctx: ScenarioContext): Promise<void> {
  const doc = ctx.scenario.doc;
  const created = await ctx.call('POST', '/_emulator/workspaces', { id: ctx.ws, name: doc.workspace?.name ?? doc.name });
  if (created.status !== 201) throw new StepError(`could not create workspace ${ctx.ws}: ${describeError(created)}`);
  if (doc.workspace?.settings) {
    const s = await ctx.api('PATCH', '/settings', doc.workspace.settings);
    if (s.status >= 400) throw new StepError(`workspace settings: ${describeError(s)}`);
  }
  if (doc.idp && ctx.idp) {
    const idp = await ctx.call('POST', '/_emulator/idps', {
      id: ctx.idp,
      vendor: doc.idp.vendor,
      name: `${doc.name} directory`,
      users: ctx.scenario.idpUsers,
    });
    if (idp.status !== 201) throw new StepError(`could not create the mock IdP: ${describeError(idp)}`);
  }
}

async function tearDown(ctx: ScenarioContext): Promise<void> {
  await ctx.call('DELETE', `/_emulator/workspaces/${ctx.ws}`).catch(() => undefined);
  if (ctx.idp) await ctx.call('DELETE', `/_emulator/idps/${ctx.idp}`).catch(() => undefined);
}

async function runStep(ctx: ScenarioContext, step: LoadedStep, setupOnly: boolean): Promise<Omit<StepReport, 'index' | 'line' | 'step' | 'durationMs'>> {
  const args = interpolate(step.args, ctx.vars);
  const outcome = await STEPS[step.name](ctx, args);
  const diffs = [...(setupOnly ? [] : (outcome.diffs ?? []))];
  if (step.expect && !setupOnly) diffs.push(...compare(interpolate(step.expect, ctx.vars), outcome.result));
  // A step with `expect` may be meant to be refused; setting up without expectations lets it be.
  else if (outcome.failedCall && !(setupOnly && step.expect)) {
    return { status: 'failed', message: `HTTP ${outcome.failedCall.status} ${describeError(outcome.failedCall)}` };
  }
  for (const [name, path] of Object.entries(step.save ?? {})) ctx.vars[name] = readPath(outcome.result, path);
  if (diffs.length > 0) return { status: 'failed', message: 'expectation not met', diffs };
  return { status: 'passed' };
}

/** Runs one scenario to its end on a target. */
export async function runScenario(scenario: LoadedScenario, options: RunOptions = {}): Promise<ScenarioReport> {
  const started = performance.now();
  const target = options.target ?? inProcessTarget(createEmulator());
  const ctx = new ScenarioContext(target, scenario, options.workspaceId);
  options.listener?.scenarioStarted?.(scenario);
  const steps: StepReport[] = [];
  const total = scenario.steps.length;
  let failed = false;
  try {
    await setUp(ctx);
  } catch (e) {
    failed = true;
    steps.push({ index: -1, line: 1, step: 'setup', status: 'failed', durationMs: 0, message: e instanceof Error ? e.message : String(e) });
  }
  for (const step of scenario.steps) {
    const base = { index: step.index, line: step.line, step: step.name, label: label(step) };
    if (failed || (options.setupOnly && EXPECTATION_STEPS.has(step.name))) {
      const report: StepReport = { ...base, status: 'skipped', durationMs: 0 };
      steps.push(report);
      options.listener?.stepFinished?.(scenario, report, total);
      continue;
    }
    const t0 = performance.now();
    let report: StepReport;
    try {
      report = { ...base, ...(await runStep(ctx, step, options.setupOnly === true)), durationMs: performance.now() - t0 };
    } catch (e) {
      report = { ...base, status: 'failed', durationMs: performance.now() - t0, message: e instanceof StepError ? e.message : `the step crashed: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (report.status === 'failed') failed = true;
    steps.push(report);
    options.listener?.stepFinished?.(scenario, report, total);
  }
  if (!options.keep) await tearDown(ctx);
  const result: ScenarioReport = {
    file: scenario.file,
    name: scenario.name,
    status: failed ? 'failed' : 'passed',
    durationMs: performance.now() - started,
    ...(options.keep ? { workspace: ctx.ws } : {}),
    steps,
  };
  options.listener?.scenarioFinished?.(result);
  return result;
}

/** Runs scenarios side by side (up to `concurrency`), reports in the order given. */
export async function runScenarios(scenarios: LoadedScenario[], options: RunOptions = {}): Promise<ScenarioReport[]> {
  const results: ScenarioReport[] = new Array(scenarios.length);
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (next < scenarios.length) {
      const i = next++;
      const s = scenarios[i]!;
      if (stop) {
        results[i] = { file: s.file, name: s.name, status: 'skipped', durationMs: 0, steps: [] };
        continue;
      }
      results[i] = await runScenario(s, options);
      if (results[i]!.status === 'failed' && options.bail) stop = true;
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 4, scenarios.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
