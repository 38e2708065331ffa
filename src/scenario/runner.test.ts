// The runner lets go of a target it made for a scenario (an in-process emulator: its timers and
// state) when the scenario ends, and never of one it was given or whose workspace is kept.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../app.js';
import { loadScenarioText } from './load.js';
import { runScenario, runScenarios } from './runner.js';
import { inProcessTarget, type RunTarget } from './target.js';

const TEXT = `name: close check
steps:
  - verify_domain: springfield.k12.us
`;

async function scenario() {
  const { scenario, issues } = await loadScenarioText(TEXT, 'close-check.yaml');
  expect(issues).toEqual([]);
  return scenario!;
}

/** A factory of in-process targets that counts how many were made and closed. */
function counting() {
  const made: RunTarget[] = [];
  let closed = 0;
  const factory = () => {
    const emulator = createEmulator();
    const target = { ...inProcessTarget(emulator), close: async () => ((closed += 1), emulator.close()) };
    made.push(target);
    return target;
  };
  return { factory, made, closed: () => closed };
}

describe('runScenario and the targets it makes', () => {
  it('closes each target it made when its scenario ends', async () => {
    const s = await scenario();
    const targets = counting();
    const reports = await runScenarios([s, s, s], { target: targets.factory, concurrency: 2 });
    expect(reports.map((r) => r.status)).toEqual(['passed', 'passed', 'passed']);
    expect(targets.made).toHaveLength(3);
    expect(targets.closed()).toBe(3);
  });

  it('keeps a made target whose workspace is kept, and never closes a target it was given', async () => {
    const s = await scenario();
    const targets = counting();
    expect((await runScenario(s, { target: targets.factory, keep: true })).status).toBe('passed');
    expect(targets.closed()).toBe(0);
    const given = targets.factory();
    expect((await runScenario(s, { target: given })).status).toBe('passed');
    expect(targets.closed()).toBe(0);
  });
});
