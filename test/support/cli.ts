// Test support: the real `edu-emulator` bin in a child process, as a user runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/edu-emulator.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  adminKey: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `edu-emulator ARGS` to completion. */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `edu-emulator serve ARGS` and resolves when it prints its listening line. */
export function startServe(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env } });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within ${timeoutMs / 1000} s; stdout: ${out} stderr: ${err}`)), timeoutMs);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^listening on (http:\/\/\S+)\n[\s\S]*?admin key:\s+(\S+)\n[\s\S]*?store:.*\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1]!,
          adminKey: m[2]!,
          stdout: () => out,
          stderr: () => err,
          exited,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening; stderr: ${err}`));
    });
  });
}
