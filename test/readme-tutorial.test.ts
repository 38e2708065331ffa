// The scenario tutorial (docs/scenarios.md, linked from the README) is a real scenario: it validates
// and passes as printed.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import { inProcessTarget } from '../src/scenario/target.js';
import { createEmulator } from '../src/app.js';

describe('the scenario tutorial', () => {
  it('passes as printed', async () => {
    const doc = await readFile(new URL('../docs/scenarios.md', import.meta.url), 'utf8');
    const heading = /^## \d+\. A tutorial$/m.exec(doc);
    expect(heading, 'docs/scenarios.md has a "## N. A tutorial" section').not.toBeNull();
    const start = doc.indexOf('```yaml', heading!.index);
    const text = doc.slice(start + '```yaml'.length, doc.indexOf('```', start + 7));
    const { scenario, issues } = await loadScenarioText(text, 'docs/scenarios.md');
    expect(issues).toEqual([]);
    const report = await runScenario(scenario!, { target: inProcessTarget(createEmulator()) });
    expect(report.steps.filter((s) => s.status !== 'passed')).toEqual([]);
    expect(report.status).toBe('passed');
  });
});
