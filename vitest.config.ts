import { defineConfig } from 'vitest/config';

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
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
