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
 * the test run, the repository root): the exit code main() answers and what it wrote. For
 * commands that finish; `serve` and `record` only with arguments they refuse.
 */
export function runMain(args: string[], opts: { env?: Record<string, string> } = {}): Promise<MainResult> {
  const run = queue.then(async (): Promise<MainResult> => {
    let stdout = '';
    let stderr = '';
    // The variables given replace the process's own for this command only.
    const saved = Object.keys(opts.env ?? {}).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, opts.env);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => ((stdout += text(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => ((stderr += text(chunk)), true));
    try {
      const code = await main(args);
      return { code: code ?? null, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
