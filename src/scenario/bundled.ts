// The scenarios shipped with the emulator (`scenarios/*.yaml` beside `src/` and `dist/`), listed
// and loaded by file name for the console's training page.
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { packageRoot } from '../package-root.js';
import { formatIssue, loadScenarioFile, type LoadedScenario } from './load.js';

export const BUNDLED_SCENARIOS_DIR = join(packageRoot(), 'scenarios') + sep;

/** The bundled scenario files by name (file name without folder), sorted. */
export async function bundledScenarios(): Promise<string[]> {
  try {
    return (await readdir(BUNDLED_SCENARIOS_DIR)).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
}

/** A bundled scenario by file name, or the problem in words (no such file, or not valid). */
export async function loadBundled(name: string): Promise<{ scenario: LoadedScenario } | { problem: string }> {
  const files = await bundledScenarios();
  if (!files.includes(name)) return { problem: `There is no bundled scenario "${name}"; pick one of: ${files.join(', ') || '(none)'}.` };
  const loaded = await loadScenarioFile(`${BUNDLED_SCENARIOS_DIR}${name}`);
  if (!loaded.scenario) return { problem: `The scenario ${name} is not valid: ${loaded.issues.map(formatIssue).join('; ')}` };
  return { scenario: loaded.scenario };
}
