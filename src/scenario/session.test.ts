// The step session both scenario drivers share: what a step saves, how a step is labelled, and a
// set-up that fails as a report instead of a throw.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../app.js';
import { loadScenarioText } from './load.js';
import { ScenarioSession } from './session.js';
import { inProcessTarget } from './target.js';

async function session(text: string, workspaceId?: string) {
  const { scenario, issues } = await loadScenarioText(text, 'session.yaml');
  expect(issues).toEqual([]);
  return new ScenarioSession(inProcessTarget(createEmulator()), scenario!, workspaceId !== undefined ? { workspaceId } : {});
}

describe('the scenario step session', () => {
  it('keeps save: variables of passed steps only (not after a missed expectation, not after a refused call)', async () => {
    const s = await session(`name: Saves
steps:
  - request: { method: GET, path: /api/settings }
    expect: { status: 200 }
    save: { first: status }
  - request: { method: GET, path: /api/settings }
    expect: { status: 404 }
    save: { missed: status }
  - create_role: { name: Teachers }
  - create_role: { name: Teachers }
    save: { refused: status }
  - request: { method: GET, path: /api/settings }
    expect: { status: '\${first}' }
`);
    expect(await s.setUp()).toBeUndefined();
    expect((await s.next())!.status).toBe('passed');
    expect(s.vars).toEqual({ first: 200 });
    const missed = (await s.next())!;
    expect(missed).toMatchObject({ status: 'failed', message: 'expectation not met', diffs: [{ path: 'status', expected: 404, actual: 200 }] });
    expect((await s.next())!.status).toBe('passed');
    const refused = (await s.next())!;
    expect(refused.status).toBe('failed');
    expect(refused.message).toMatch(/^HTTP 409 /);
    expect(s.vars).toEqual({ first: 200 });
    // The session goes on after a failure (the console does; the runner skips instead).
    expect((await s.next())!.status).toBe('passed');
    expect(s.done).toBe(true);
    expect(await s.next()).toBeUndefined();
    expect(s.results.map((r) => r.status)).toEqual(['passed', 'failed', 'passed', 'failed', 'passed']);
  });

  it('labels a step with its name and arguments in full, however long', async () => {
    const long = 'x'.repeat(150);
    const s = await session(`name: Labels
steps:
  - request: { method: POST, path: /api/groups, body: { displayName: ${long} } }
  - verify_domain: springfield.k12.us
    name: Prove the district owns its domain
`);
    expect(s.skip()!.label).toBe(`request ${JSON.stringify({ method: 'POST', path: '/api/groups', body: { displayName: long } })}`);
    expect(s.skip()!).toMatchObject({ label: 'Prove the district owns its domain', status: 'skipped', line: 4 });
  });

  it('reports a failed set-up as a step result that says why', async () => {
    const s = await session('name: Bad id\nsteps:\n  - verify_domain: springfield.k12.us\n', 'Not A Valid Id');
    expect(await s.setUp()).toMatchObject({ index: -1, step: 'setup', status: 'failed', message: expect.stringMatching(/could not create workspace Not A Valid Id: invalid_workspace_id/) });
  });
});
