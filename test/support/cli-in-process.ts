// Test support: an `edu-emulator` command run inside the test process through the CLI's main(),
// its stdout and stderr captured: for tests about what a command does rather than its process
// (test/support/cli.ts spawns the real bin where exit status, signals and output streams matter).
import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface MainResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const text = (chunk: unknown) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));

// process.stdout and process.stderr are the process's own: one command at a time captures them.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `edu-emulator ARGS` in process (relative paths resolve against the working directory of
 * the test run, the repository root): the exit code main() answers and what it wrote. Not for
 * `serve` or `record`, which keep running.
 */
export function runMain(args: string[]): Promise<MainResult> {
  if (args[0] === 'serve' || args[0] === 'record') throw new Error(`runMain runs commands that finish, not "${args[0]}": use runCli or startServe`);
  const run = queue.then(async (): Promise<MainResult> => {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => ((stdout += text(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => ((stderr += text(chunk)), true));
    try {
      const code = await main(args);
      return { code: code ?? null, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
