// Runs scenarios: each in its own fresh workspace and mock IdP, its steps in order through the
// step session (session.ts); a failed step skips the rest of its scenario. Scenarios run side by
// side up to a concurrency limit.
import type { LoadedScenario } from './load.js';
import { ScenarioSession, type StepReport } from './session.js';
import type { RunTarget } from './target.js';

export type { StepReport } from './session.js';

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
  /**
   * Where scenarios run: a running emulator, or a function that gives each scenario a target of
   * its own (the CLI passes one that builds a fresh in-process emulator).
   */
  target: RunTarget | (() => RunTarget);
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

/** Runs one scenario to its end on a target. */
export async function runScenario(scenario: LoadedScenario, options: RunOptions): Promise<ScenarioReport> {
  const started = performance.now();
  const made = typeof options.target === 'function';
  const target = typeof options.target === 'function' ? options.target() : options.target;
  try {
    return await runOn(target, scenario, options, started);
  } finally {
    // A target made for this scenario is let go when it ends (its emulator's timers and state),
    // unless the workspace is kept for the caller.
    if (made && !options.keep) await target.close?.();
  }
}

async function runOn(target: RunTarget, scenario: LoadedScenario, options: RunOptions, started: number): Promise<ScenarioReport> {
  const session = new ScenarioSession(target, scenario, {
    ...(options.workspaceId !== undefined ? { workspaceId: options.workspaceId } : {}),
    ...(options.setupOnly ? { setupOnly: true } : {}),
  });
  options.listener?.scenarioStarted?.(scenario);
  const steps: StepReport[] = [];
  const total = scenario.steps.length;
  const setup = await session.setUp();
  let failed = setup !== undefined;
  if (setup) steps.push(setup);
  while (!session.done) {
    const report = failed ? session.skip()! : (await session.next())!;
    if (report.status === 'failed') failed = true;
    steps.push(report);
    options.listener?.stepFinished?.(scenario, report, total);
  }
  if (!options.keep) await session.tearDown();
  const result: ScenarioReport = {
    file: scenario.file,
    name: scenario.name,
    status: failed ? 'failed' : 'passed',
    durationMs: performance.now() - started,
    ...(options.keep ? { workspace: session.workspace } : {}),
    steps,
  };
  options.listener?.scenarioFinished?.(result);
  return result;
}

/** Runs scenarios side by side (up to `concurrency`), reports in the order given. */
export async function runScenarios(scenarios: LoadedScenario[], options: RunOptions): Promise<ScenarioReport[]> {
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
