// `edu-emulator run` and `edu-emulator validate` (docs/cli.md §4): scenario files or folders, reporters,
// in process or against a running emulator. Exit 0 all passed, 1 any failed, 2 invalid input or
// emulator unreachable.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseCliArgs } from './parse-args.js';
import { formatIssue, loadScenarioFile, type LoadedScenario, type ScenarioIssue } from '../scenario/load.js';
import { jsonReport, junitReport, prettyListener, prettySummary, type ReporterName } from '../scenario/reporters.js';
import { runScenarios } from '../scenario/runner.js';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { inProcessTarget, remoteTarget } from '../scenario/target.js';
import { createEmulator } from '../app.js';
import { PASSWORD_HASHING } from '../members/members.js';
import { SAML_WARM_UP } from '../sso/saml/warm-up.js';
import { CliError } from './cli-error.js';

/** Expands files and folders (recursively) into scenario files, sorted. */
export async function collectScenarioFiles(paths: string[]): Promise<string[]> {
  if (paths.length === 0) throw new CliError('name at least one scenario file or folder, e.g. "edu-emulator run scenarios/".');
  const files: string[] = [];
  const walk = async (p: string) => {
    let s;
    try {
      s = await stat(p);
    } catch {
      throw new CliError(`no such file or folder: ${p}`);
    }
    if (s.isDirectory()) {
      for (const entry of (await readdir(p)).sort()) {
        const child = join(p, entry);
        const cs = await stat(child);
        if (cs.isDirectory()) await walk(child);
        else if (/\.ya?ml$/i.test(entry)) files.push(resolve(child));
      }
    } else files.push(resolve(p));
  };
  for (const p of paths) await walk(p);
  if (files.length === 0) throw new CliError(`no .yaml scenario files in ${paths.join(', ')}`);
  return [...new Set(files)];
}

/** Loads every file; returns the scenarios and every issue. */
export async function loadAll(files: string[]): Promise<{ scenarios: LoadedScenario[]; issues: ScenarioIssue[] }> {
  const results = await Promise.all(files.map((f) => loadScenarioFile(f)));
  return {
    scenarios: results.flatMap((r) => (r.scenario ? [r.scenario] : [])),
    issues: results.flatMap((r) => r.issues),
  };
}

export async function validateCommand(args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  const files = await collectScenarioFiles(positionals);
  const { issues } = await loadAll(files);
  for (const i of issues) process.stderr.write(`${formatIssue(i)}\n`);
  if (issues.length > 0) {
    process.stderr.write(`${issues.length} problem${issues.length === 1 ? '' : 's'} in ${new Set(issues.map((i) => i.file)).size} file(s)\n`);
    return 2;
  }
  process.stdout.write(`${files.length} scenario file${files.length === 1 ? '' : 's'} valid\n`);
  return 0;
}

function parse<O extends Record<string, { type: 'string' | 'boolean' }>>(args: string[], options: O) {
  return parseCliArgs({ args, options, strict: true, allowPositionals: true });
}

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    reporter: { type: 'string' },
    out: { type: 'string' },
    target: { type: 'string' },
    'admin-key': { type: 'string' },
    concurrency: { type: 'string' },
    bail: { type: 'boolean' },
    filter: { type: 'string' },
  });
  const reporter = (values.reporter ?? 'pretty') as ReporterName;
  if (!['pretty', 'json', 'junit'].includes(reporter)) throw new CliError(`--reporter must be pretty, json or junit, got "${values.reporter}".`);
  const concurrencyText = values.concurrency ?? (values.target ? '1' : '4');
  if (!/^\d+$/.test(concurrencyText) || Number(concurrencyText) < 1) throw new CliError(`--concurrency must be a whole number of 1 or more, got "${concurrencyText}".`);

  const files = await collectScenarioFiles(positionals);
  const { scenarios: all, issues } = await loadAll(files);
  if (issues.length > 0) {
    for (const i of issues) process.stderr.write(`${formatIssue(i)}\n`);
    process.stderr.write('invalid scenario files: nothing was run (see above; "edu-emulator validate" checks files alone)\n');
    return 2;
  }
  const filter = values.filter?.toLowerCase();
  const scenarios = filter ? all.filter((s) => s.name.toLowerCase().includes(filter)) : all;
  if (scenarios.length === 0) throw new CliError(`no scenario name contains "${values.filter}"`);

  let target;
  if (values.target !== undefined) {
    const adminKey = values['admin-key'] ?? process.env.EMULATOR_ADMIN_KEY;
    if (!adminKey) throw new CliError('--target needs the emulator admin key: pass --admin-key KEY (printed by edu-emulator serve) or set EMULATOR_ADMIN_KEY.');
    let url: URL;
    try {
      url = new URL(values.target);
    } catch {
      throw new CliError(`--target must be the emulator's URL, e.g. http://127.0.0.1:4000, got "${values.target}".`);
    }
    try {
      const health = await fetch(new URL('/_emulator/health', url), { signal: AbortSignal.timeout(5_000) });
      if (health.status !== 200) throw new Error(`HTTP ${health.status}`);
    } catch (e) {
      throw new CliError(`cannot reach the emulator at ${url.origin} (${(e as Error).message}); start it with "edu-emulator serve" or fix --target.`);
    }
    const auth = await fetch(new URL('/_emulator/workspaces', url), { headers: { Authorization: `Bearer ${adminKey}` } });
    if (auth.status === 401) throw new CliError(`the emulator at ${url.origin} refused the admin key; use the key it printed at start.`);
    target = remoteTarget(url.href, adminKey);
  }

  // The report's folder exists (or is made) before anything runs, so a run never loses its report.
  if (values.out !== undefined) await prepareOut(values.out);

  const toStdout = reporter === 'pretty' || values.out !== undefined;
  const startedAt = new Date();
  const reports = await runScenarios(scenarios, {
    concurrency: Number(concurrencyText),
    ...(values.bail ? { bail: true } : {}),
    // In process, each scenario gets an emulator of its own, never saved nor served.
    target:
      target ??
      (() => {
        const emulator = throwawayEmulator();
        return { ...inProcessTarget(emulator), close: () => emulator.close() };
      }),
    ...(toStdout ? { listener: prettyListener((s) => process.stdout.write(s), process.stdout.isTTY === true, process.stdout.columns || 100) } : {}),
  });
  const text = reporter === 'json' ? jsonReport(reports) : reporter === 'junit' ? junitReport(reports, startedAt) : prettySummary(reports);
  if (values.out !== undefined) {
    try {
      await writeFile(values.out, text);
    } catch (e) {
      // Keep the report: print it, then say why the file could not be written.
      process.stdout.write(text);
      throw new CliError(`could not write the report to ${values.out} (${(e as Error).message}); it is printed above.`);
    }
    process.stdout.write(prettySummary(reports));
  } else process.stdout.write(text);
  return reports.some((r) => r.status === 'failed') ? 1 : 0;
}

/** Makes the report's folder; refuses (exit 2) when `--out` names a folder or cannot be made. */
async function prepareOut(out: string): Promise<void> {
  const existing = await stat(out).catch(() => undefined);
  if (existing?.isDirectory()) throw new CliError(`--out ${out} is a folder; name a file, e.g. --out ${join(out, 'scenario-results.xml')}.`);
  try {
    await mkdir(dirname(resolve(out)), { recursive: true });
  } catch (e) {
    throw new CliError(`cannot create the folder for --out ${out} (${(e as Error).message}); nothing was run.`);
  }
}

/**
 * An in-process emulator for one scenario run: its state lives in memory, nothing listens on a
 * socket (not even an SFTP server for CSV directories: files go over HTTP) and it is dropped at
 * exit, and every password in it is written in the scenario file. Its member passwords get the
 * cheaper throw-away scrypt cost (members.ts `PASSWORD_HASHING`), and its SAML configurations do
 * not wait for the warm-up's sign-ins (sso/saml/warm-up.ts `SAML_WARM_UP`).
 */
function throwawayEmulator() {
  const emulator = createEmulator({ sftpServer: false });
  emulator.core.runtime(PASSWORD_HASHING).mode = 'throwaway';
  emulator.core.runtime(SAML_WARM_UP).mode = 'load';
  return emulator;
}

export async function schemaCommand(): Promise<number> {
  process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return 0;
}
