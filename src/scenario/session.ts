// The one scenario step engine: set up a scenario's workspace and mock IdP on a target, then run
// its steps one at a time (`expect` compared field by field, `save` kept from passed steps). The
// CLI runner and the console walkthrough both drive it.
import { compare, interpolate, readPath, type Difference } from './compare.js';
import { describeError, ScenarioContext, StepError } from './context.js';
import type { LoadedScenario, LoadedStep } from './load.js';
import { STEPS } from './steps.js';
import type { RunTarget } from './target.js';

export type { RunTarget } from './target.js';
export type { Difference } from './compare.js';

/** What one step did. `index` is -1 for the set-up (workspace and IdP creation). */
export interface StepReport {
  index: number;
  line: number;
  step: string;
  label: string;
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  message?: string;
  diffs?: Difference[];
}

export interface SessionOptions {
  /** Use this workspace id (and IdP id) instead of a fresh random one. */
  workspaceId?: string;
  /** Run only the set-up: skip expectation steps and `expect` blocks. */
  setupOnly?: boolean;
}

const EXPECTATION_STEPS = new Set(['expect_permissions', 'expect_member', 'expect_usage_limit', 'expect_readiness', 'expect_events', 'expect_enforcement_preview']);

/** Values never shown in a label: SCIM tokens and emulator admin keys. */
const SECRET_VALUE = /^(scim|emu)_[A-Za-z0-9_-]{16,}$/;

/** A step as people read it: its label, or its name and arguments in full (displays wrap it). */
export function stepLabel(step: LoadedStep, vars: Record<string, unknown> = {}): string {
  // `${name}` shows the value the step runs with (the variables saved by the steps before it),
  // except a secret (a SCIM token, an admin key), which stays `${name}` so no report carries it.
  const shown = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'string' && SECRET_VALUE.test(v) ? `\${${k}}` : v]));
  if (step.label) return interpolate(step.label, shown);
  const a = interpolate(step.args, shown);
  const brief = typeof a === 'string' ? a : a && typeof a === 'object' ? JSON.stringify(a) : '';
  return `${step.name}${brief ? ` ${brief}` : ''}`;
}

/**
 * One scenario on one target, step by step: `setUp()` once, then `next()` until `done`. A step
 * never throws: a crash or a refusal is a failed report that says why.
 */
export class ScenarioSession {
  readonly results: StepReport[] = [];
  private readonly ctx: ScenarioContext;
  private readonly setupOnly: boolean;

  constructor(
    target: RunTarget,
    readonly scenario: LoadedScenario,
    options: SessionOptions = {},
  ) {
    this.ctx = new ScenarioContext(target, scenario, options.workspaceId);
    this.setupOnly = options.setupOnly === true;
  }

  /** The scenario's workspace id (also its mock IdP's id when it has one). */
  get workspace(): string {
    return this.ctx.ws;
  }

  /** The variables saved so far by `save:` of passed steps. */
  get vars(): Readonly<Record<string, unknown>> {
    return this.ctx.vars;
  }

  /** The step `next()` runs, or undefined when every step has a result. */
  get upcoming(): LoadedStep | undefined {
    return this.scenario.steps[this.results.length];
  }

  get done(): boolean {
    return this.results.length >= this.scenario.steps.length;
  }

  /** Creates the workspace (with its settings) and the mock IdP; a failed report when that fails. */
  async setUp(): Promise<StepReport | undefined> {
    const ctx = this.ctx;
    const doc = this.scenario.doc;
    try {
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
          users: this.scenario.idpUsers,
        });
        if (idp.status !== 201) throw new StepError(`could not create the mock IdP: ${describeError(idp)}`);
      }
      return undefined;
    } catch (e) {
      return { index: -1, line: 1, step: 'setup', label: 'setup', status: 'failed', durationMs: 0, message: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Runs the next step; undefined when every step has a result. */
  async next(): Promise<StepReport | undefined> {
    const step = this.upcoming;
    if (!step) return undefined;
    if (this.setupOnly && EXPECTATION_STEPS.has(step.name)) return this.skip();
    const base = this.base(step);
    const t0 = performance.now();
    let outcome: Pick<StepReport, 'status' | 'message' | 'diffs'>;
    try {
      outcome = await this.run(step);
    } catch (e) {
      outcome = { status: 'failed', message: e instanceof StepError ? e.message : `the step crashed: ${e instanceof Error ? e.message : String(e)}` };
    }
    const report: StepReport = { ...base, ...outcome, durationMs: performance.now() - t0 };
    this.results.push(report);
    return report;
  }

  /** Marks the next step skipped without running it; undefined when every step has a result. */
  skip(): StepReport | undefined {
    const step = this.upcoming;
    if (!step) return undefined;
    const report: StepReport = { ...this.base(step), status: 'skipped', durationMs: 0 };
    this.results.push(report);
    return report;
  }

  /** Deletes the scenario's workspace and mock IdP (best effort). */
  async tearDown(): Promise<void> {
    await this.ctx.call('DELETE', `/_emulator/workspaces/${this.ctx.ws}`).catch(() => undefined);
    if (this.ctx.idp) await this.ctx.call('DELETE', `/_emulator/idps/${this.ctx.idp}`).catch(() => undefined);
  }

  private base(step: LoadedStep) {
    return { index: step.index, line: step.line, step: step.name, label: stepLabel(step, this.ctx.vars) };
  }

  private async run(step: LoadedStep): Promise<Pick<StepReport, 'status' | 'message' | 'diffs'>> {
    const { ctx, setupOnly } = this;
    // `as:` acts as a member for this step only.
    ctx.actAs = step.actAs;
    let outcome;
    try {
      outcome = await STEPS[step.name](ctx, interpolate(step.args, ctx.vars));
    } finally {
      ctx.actAs = undefined;
    }
    const diffs = [...(setupOnly ? [] : (outcome.diffs ?? []))];
    if (step.expect && !setupOnly) diffs.push(...compare(interpolate(step.expect, ctx.vars), outcome.result));
    // A step with `expect` may be meant to be refused; setting up without expectations lets it be.
    else if (outcome.failedCall && !(setupOnly && step.expect)) {
      return { status: 'failed', message: `HTTP ${outcome.failedCall.status} ${describeError(outcome.failedCall)}` };
    }
    if (diffs.length > 0) return { status: 'failed', message: 'expectation not met', diffs };
    // Only a passed step saves: a later step never reads a value from a call that went wrong.
    for (const [name, path] of Object.entries(step.save ?? {})) ctx.vars[name] = readPath(outcome.result, path);
    return { status: 'passed' };
  }
}
