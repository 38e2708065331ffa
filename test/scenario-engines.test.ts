// Every bundled scenario through both drivers of the step engine: `edu-emulator run` (the CLI
// command, JSON report) and the console walkthrough (its forms, step by step). Both must find
// the same result for every step.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createEmulator } from '../src/app.js';
import { runCommand } from '../src/cli/scenarios.js';
import { BUNDLED_SCENARIOS_DIR, bundledScenarios } from '../src/scenario/bundled.js';
import type { StepReport } from '../src/scenario/session.js';
import { WALKTHROUGHS } from '../src/ui/training.js';

const KEY = 'engines-admin-key';
const tmp = await mkdtemp(join(tmpdir(), 'edu-engines-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** What a step found, without its timing. */
// Labels show saved values (`${id}` expanded); ids the two emulators assign differ, so they are
// compared by kind (`usr_…`), not by value.
const sameIds = (label: string | undefined) => label?.replace(/\b(usr|grp|role|tok|idp)_[A-Za-z0-9_-]+/g, '$1_…');
const outcome = (s: StepReport) => ({
  index: s.index,
  line: s.line,
  step: s.step,
  label: sameIds(s.label),
  status: s.status,
  ...(s.message !== undefined ? { message: s.message } : {}),
  ...(s.diffs !== undefined ? { diffs: s.diffs } : {}),
});

/** The CLI: `edu-emulator run --reporter json --out FILE scenarios/`, each scenario in its own emulator. */
async function cliResults(): Promise<Map<string, StepReport[]>> {
  const out = join(tmp, 'report.json');
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  let code: number;
  try {
    code = await runCommand(['--reporter', 'json', '--out', out, BUNDLED_SCENARIOS_DIR]);
  } finally {
    write.mockRestore();
  }
  const report = JSON.parse(await readFile(out, 'utf8')) as { scenarios: { file: string; steps: StepReport[] }[] };
  expect(code, JSON.stringify(report.scenarios.filter((s: any) => s.status !== 'passed'), null, 2)).toBe(0);
  return new Map(report.scenarios.map((s) => [basename(s.file), s.steps]));
}

/** The console: start a walkthrough of the bundled scenario, then run the next step until none is left. */
async function consoleResults(file: string): Promise<StepReport[]> {
  const emulator = createEmulator({ adminKey: KEY });
  const post = async (action: string, form: Record<string, string> = {}) => {
    const res = await emulator.app.request(`http://localhost/w/default/admin/training/${action}`, {
      method: 'POST',
      // A browser sends Origin on every form POST; the console refuses one without it.
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost' },
      body: new URLSearchParams(form).toString(),
    });
    expect(res.status, await res.text()).toBe(303);
  };
  await post('start', { scenario: file });
  const walkthrough = () => emulator.core.runtime(WALKTHROUGHS).get('default');
  expect(walkthrough(), `the walkthrough of ${file} did not start`).toBeDefined();
  const total = walkthrough()!.session.scenario.steps.length;
  for (let i = 0; i < total; i++) await post('next');
  const results = walkthrough()!.session.results;
  expect(results).toHaveLength(total);
  return results;
}

describe('one step engine, two drivers', () => {
  it('finds the same step results for every bundled scenario in the CLI runner and the console walkthrough', async () => {
    const files = await bundledScenarios();
    expect(files.length).toBeGreaterThanOrEqual(10);
    const cli = await cliResults();
    expect([...cli.keys()].sort()).toEqual(files);
    for (const file of files) {
      const fromCli = cli.get(file)!;
      expect(fromCli.length, `${file} has steps`).toBeGreaterThan(0);
      expect((await consoleResults(file)).map(outcome), file).toEqual(fromCli.map(outcome));
    }
  }, 600_000);
});
