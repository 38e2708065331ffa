import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The files that take longest (child processes, npm, tsc, chromium), longest first. Vitest orders
// files by their last duration when it has a results cache, by size without one (a fresh clone,
// as on CI), which could leave a long file to start last while the other worker sits idle.
const SLOWEST = [
  'test/packaging.test.ts',
  'test/scenarios-cli.test.ts',
  'test/store-durability.test.ts',
  'test/scenario-engines.test.ts',
  'test/browser/district-plan-walk.test.ts',
  'test/cli.test.ts',
  'test/store-export-import.test.ts',
  'test/enforcement-preview-agreement.test.ts',
  'test/recorder.test.ts',
  'test/browser/console-trainer-path.test.ts',
  'test/docs-code-blocks.test.ts',
];

/** Vitest's order, with the files above moved to the front in the order listed. */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => SLOWEST.findIndex((name) => f.moduleId.endsWith(`/${name}`));
    return [...sorted.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b)), ...sorted.filter((f) => rank(f) < 0)];
  }
}

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One emulator for the run (from the source), shared by the `workspace` fixture of src/vitest.
    globalSetup: ['./src/vitest/global-setup.ts'],
    // Lets a file's `test.concurrent` cases all run at once (fifty workspaces side by side).
    maxConcurrency: 50,
    // Test files share their worker process instead of a fresh one each (docs/performance.md §6):
    // modules load once, and the SAML schema validator (seconds of CPU to compile) compiles once
    // per worker instead of once per file. Nothing in src/ keeps state in module-level maps.
    isolate: false,
    // Both cores (Vitest's default keeps one free): many files mostly wait on child processes
    // (CLI runs, npm installs, crash tests), so two workers roughly halve the wall time.
    maxWorkers: 2,
    sequence: { sequencer: SlowestFirst },
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
