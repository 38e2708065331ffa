// The README's scenario tutorial is a real scenario: it validates and passes as printed.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadScenarioText } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import { inProcessTarget } from '../src/scenario/target.js';
import { createEmulator } from '../src/app.js';

describe('README scenario tutorial', () => {
  it('passes as printed', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('```yaml', readme.indexOf('### A tutorial'));
    const text = readme.slice(start + '```yaml'.length, readme.indexOf('```', start + 7));
    const { scenario, issues } = await loadScenarioText(text, 'README.md');
    expect(issues).toEqual([]);
    const report = await runScenario(scenario!, { target: inProcessTarget(createEmulator()) });
    expect(report.steps.filter((s) => s.status !== 'passed')).toEqual([]);
    expect(report.status).toBe('passed');
  });
});
