// `edu-emulator export FILE` and `edu-emulator import FILE`: a stopped --data store's state to a
// file and back, streamed both ways, validated before anything is replaced.
import { createReadStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { DEFAULT_DATA_FILE } from './serve.js';
import { DurableStore, StoreLoadError } from '../store/store.js';
import { JsonTooLargeError, parseJsonStream } from '../store/json-stream.js';
import { serializeView } from '../store/serialize.js';
import { parseState } from '../store/state.js';
import { StateTracker } from '../store/tracked-state.js';

type Env = Record<string, string | undefined>;

function parse(command: string, args: string[], env: Env): { file: string; data: string } {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args, options: { data: { type: 'string' } }, strict: true, allowPositionals: true }));
  } catch (e) {
    throw new CliError(`${(e as Error).message.replace(/\.$/, '')}. Usage: edu-emulator ${command} FILE [--data DATA_FILE].`);
  }
  if (positionals.length !== 1) throw new CliError(`name one file, e.g. "edu-emulator ${command} state-export.json [--data ${DEFAULT_DATA_FILE}]".`);
  return { file: positionals[0]!, data: values.data ?? env.EMULATOR_DATA ?? DEFAULT_DATA_FILE };
}

const asCliError = (e: unknown) => (e instanceof StoreLoadError ? new CliError(e.message, 1) : e);

export async function exportCommand(args: string[], env: Env): Promise<number> {
  const { file, data } = parse('export', args, env);
  const store = new DurableStore(data);
  const state = await store.load().catch((e: unknown) => {
    throw asCliError(e);
  });
  try {
    if (!state) throw new CliError(`there is no data file at ${store.path} to export; pass --data with the file "edu-emulator serve" uses.`, 1);
    const tracker = new StateTracker(state);
    const view = tracker.openView();
    const tmp = `${file}.tmp-${process.pid}`;
    const fh = await open(tmp, 'w', 0o600);
    let at = 0;
    try {
      await serializeView(view, {
        async write(text) {
          const buf = Buffer.from(text);
          await fh.write(buf, 0, buf.length, at);
          at += buf.length;
        },
      });
      await fh.close();
      await rename(tmp, file);
    } catch (e) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw new CliError(`could not write ${file}: ${(e as Error).message}`, 1);
    }
    process.stdout.write(`exported ${Object.keys(state.workspaces).length} workspace(s) from ${store.path} to ${file} (${at} bytes)\n`);
    return 0;
  } finally {
    await store.release();
  }
}

export async function importCommand(args: string[], env: Env): Promise<number> {
  const { file, data } = parse('import', args, env);
  let raw: unknown;
  try {
    raw = await parseJsonStream(createReadStream(file), 512 * 1024 * 1024);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`no such file: ${file}`);
    if (e instanceof JsonTooLargeError) throw new CliError(`${file} is larger than 512 MiB, the import limit; nothing was changed.`, 1);
    throw new CliError(`${file} is not valid JSON (${(e as Error).message}); nothing was changed.`, 1);
  }
  const parsed = parseState(raw);
  if (!parsed.ok) throw new CliError(`${file} is not a valid state document, nothing was changed: ${parsed.issues.join('; ')}.`, 1);
  const store = new DurableStore(data);
  await store.replaceOffline(new StateTracker(parsed.state)).catch((e: unknown) => {
    throw asCliError(e);
  });
  process.stdout.write(`imported ${Object.keys(parsed.state.workspaces).length} workspace(s) from ${file} into ${store.path}\n`);
  return 0;
}
