import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One emulator for the run (from the source), shared by the `workspace` fixture of src/vitest.
    globalSetup: ['./src/vitest/global-setup.ts'],
    // Lets a file's `test.concurrent` cases all run at once (fifty workspaces side by side).
    maxConcurrency: 50,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
