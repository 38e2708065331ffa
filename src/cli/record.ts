// `edu-emulator record --out FILE [serve flags]` (docs/recorder.md): serves the emulator with a
// recording running in one workspace, and writes it as a scenario file on Ctrl-C (SIGINT/SIGTERM).
import { writeFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import { startServer, type CliHooks, type ServeOptions } from './serve.js';

export interface RecordFlags {
  out: string;
  workspace: string;
  name?: string;
  /** The serve flags, untouched. */
  rest: string[];
}

/** Takes --out, --workspace and --name out of argv; the rest are serve's flags. */
export function parseRecordArgs(args: string[]): RecordFlags {
  const rest: string[] = [];
  const flags: Partial<RecordFlags> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--(out|workspace|name)(?:=(.*))?$/.exec(a);
    if (!m) {
      rest.push(a);
      continue;
    }
    const value = m[2] ?? args[++i];
    if (value === undefined || value === '') throw new CliError(`--${m[1]} needs a value, e.g. --${m[1]} ${m[1] === 'out' ? 'recorded.yaml' : m[1] === 'workspace' ? 'default' : '"Entra rehearsal"'}.`);
    flags[m[1] as 'out' | 'workspace' | 'name'] = value;
  }
  if (!flags.out) throw new CliError('record needs --out FILE: the scenario file written when you stop it (Ctrl-C).');
  if (rest.some((a) => /^--(scenario|with-expectations)\b/.test(a))) throw new CliError('record does not take --scenario: start it, rehearse, then stop it; replay the file with "edu-emulator run".');
  return { out: flags.out, workspace: flags.workspace ?? 'default', ...(flags.name ? { name: flags.name } : {}), rest };
}

/** Serves and records until a signal; `parseServe` turns the remaining flags into serve options. */
export async function recordCommand(args: string[], parseServe: (args: string[]) => ServeOptions, hooks: CliHooks = {}): Promise<void> {
  const flags = parseRecordArgs(args);
  const running = await startServer(parseServe(flags.rest));
  const headers = { Authorization: `Bearer ${running.adminKey}`, 'Content-Type': 'application/json' };
  const api = `${running.url}/w/${flags.workspace}/api/recordings`;
  const call = (path: string, init: RequestInit = {}) => running.emulator.app.request(`${api}${path}`, { ...init, headers });
  const started = await call('', { method: 'POST', body: JSON.stringify(flags.name ? { name: flags.name } : {}) });
  const body = (await started.json()) as { id?: string; error?: { message: string } };
  if (started.status !== 201 || !body.id) {
    await running.stop();
    throw new CliError(`could not start recording in workspace "${flags.workspace}": ${body.error?.message ?? started.status}`, 1);
  }
  const id = body.id;
  let signalled = false;
  const finish = async (signal: string) => {
    if (signalled) return;
    signalled = true;
    let code = 0;
    try {
      await call(`/${id}/stop`, { method: 'POST' });
      const res = await call(`/${id}/scenario`);
      const text = await res.text();
      if (res.status === 200) {
        await writeFile(flags.out, text);
        process.stderr.write(`edu-emulator: ${signal}: recording ${id} written to ${flags.out}\n`);
      } else {
        const message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
        process.stderr.write(`edu-emulator: ${signal}: recording ${id} not written: ${message}\n`);
        code = 1;
      }
    } catch (e) {
      process.stderr.write(`edu-emulator: ${signal}: could not write ${flags.out}: ${(e as Error).message}\n`);
      code = 1;
    }
    await running.stop().catch(() => (code = 1));
    process.exit(code);
  };
  process.on('SIGINT', () => void finish('SIGINT'));
  process.on('SIGTERM', () => void finish('SIGTERM'));
  hooks.beforeListeningLine?.();
  const out = process.stdout;
  out.write(`listening on ${running.url}\n`);
  out.write(`admin key:  ${running.adminKey}\n`);
  out.write(`workspace:  ${running.url}/w/${flags.workspace}  (admin API ${running.url}/w/${flags.workspace}/api, SCIM ${running.url}/w/${flags.workspace}/scim/v2)\n`);
  out.write(`store:      ${running.store.description}\n`);
  out.write(`recording:  ${id}; press Ctrl-C to stop and write ${flags.out}\n`);
}
