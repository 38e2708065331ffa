// The `edu-emulator` command line (docs/cli.md §1): argument parsing with node:util parseArgs, env vars
// that mirror the flags, one-line errors that say what to do.
import { parseCliArgs } from './parse-args.js';
import { VERSION } from '../version.js';
import { CliError } from './cli-error.js';
import { DEFAULT_DATA_FILE, startServer, type CliHooks, type ServeOptions } from './serve.js';
import { parseAllowedHosts } from '../http/hosts.js';
import { FSYNC_MODES, type FsyncMode } from '../store/commit-pipeline.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { RunningServer } from './serve.js';
// Each command loads what it needs when it runs (docs/performance.md): `serve` never loads the
// scenario engine, the YAML parser or the state-file tools unless asked to.

const HELP = `edu-emulator ${VERSION} — a local emulator of a ChatGPT EDU workspace's identity features

Usage:
  edu-emulator serve [--port 4000] [--host 127.0.0.1] [--data FILE | --memory]
                     [--scenario FILE [--with-expectations]] [--dns-server HOST:PORT] [--admin-key KEY]
                     [--allowed-hosts NAME,… | all] [--sftp-port N]
  edu-emulator run PATH… [--reporter pretty|json|junit] [--out FILE] [--concurrency N]
                   [--bail] [--filter NAME] [--target URL --admin-key KEY]
  edu-emulator validate PATH…
  edu-emulator record --out FILE [--workspace WS] [--name NAME] [serve options]
                                 serve, record the workspace's traffic, write it as a scenario on Ctrl-C
  edu-emulator schema            print the JSON Schema of scenario files
  edu-emulator conformance --url URL [--workspace WS] [--profile P] [--allow FILE]
                   [--reporter pretty|json|junit] [--since TIME] [--admin-key KEY]
                                 judge what the IdP sent a running emulator; exit 1 on a
                                 fail the allow-list does not expect
  edu-emulator export FILE [--data FILE]   write a stopped --data store's state to FILE
  edu-emulator import FILE [--data FILE]   replace a stopped --data store's state with FILE
  edu-emulator --help | --version

run: each scenario in its own workspace and mock IdP (in process unless --target); exit 0 when
all pass, 1 when any fails, 2 for invalid files or an unreachable emulator.
validate: every problem as file:line:col message; exit 2 when there are any.

serve options (environment variables in brackets):
  --port N            port to listen on; 0 picks a free one          [EMULATOR_PORT] (4000)
  --host HOST         address to listen on                           [EMULATOR_HOST] (127.0.0.1)
  --data FILE         state file                                     [EMULATOR_DATA] (${DEFAULT_DATA_FILE})
  --memory            keep state in memory only                      [EMULATOR_MEMORY=1]
  --fsync MODE        when the journal reaches the disk: always,     [EMULATOR_FSYNC] (interval)
                      interval (every 100 ms) or never; a crash of
                      the process loses nothing in any mode
  --dns-server H:P    verify domains against this DNS server         [EMULATOR_DNS_SERVER]
                      instead of the simulated zone
  --admin-key KEY     admin key (random at each start otherwise)     [EMULATOR_ADMIN_KEY]
  --allowed-hosts L   more Host names to answer (comma-separated;    [EMULATOR_ALLOWED_HOSTS]
                      *.domain for sub-domains), or "all" for any;
                      localhost, 127.0.0.1, ::1, the --host address
                      and this machine's name are always answered
  --sftp-port N       port of the SFTP server for CSV directories,   [EMULATOR_SFTP_PORT] (0)
                      started with the first {"type":"sftp"}
                      connection; 0 picks a free one
  --scenario FILE     set a workspace up from a scenario file        [EMULATOR_SCENARIO]
  --with-expectations also check the scenario's expectations
`;

type Env = Record<string, string | undefined>;

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(1|true|yes|on)$/i.test(v);
}

/** Turns serve's argv and environment into options; throws CliError on a bad flag. */
export function parseServeArgs(args: string[], env: Env): ServeOptions {
  const { values } = parseCliArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      memory: { type: 'boolean' },
      fsync: { type: 'string' },
      scenario: { type: 'string' },
      'dns-server': { type: 'string' },
      'admin-key': { type: 'string' },
      'allowed-hosts': { type: 'string' },
      'sftp-port': { type: 'string' },
      'with-expectations': { type: 'boolean' },
    },
  });
  const portText = values.port ?? env.EMULATOR_PORT ?? '4000';
  if (!/^\d+$/.test(portText)) throw new CliError(`--port must be a whole number from 0 to 65535, got "${portText}".`);
  const memory = values.memory ?? (values.data === undefined && truthy(env.EMULATOR_MEMORY));
  const data = values.data ?? (memory ? undefined : env.EMULATOR_DATA);
  const opts: ServeOptions = { port: Number(portText), host: values.host ?? env.EMULATOR_HOST ?? '127.0.0.1', memory };
  if (data !== undefined) opts.data = data;
  const fsync = values.fsync ?? env.EMULATOR_FSYNC;
  if (fsync !== undefined) {
    if (!(FSYNC_MODES as readonly string[]).includes(fsync)) {
      throw new CliError(`--fsync must be always, interval or never, got "${fsync}" (see docs/store.md for the trade-off).`);
    }
    opts.fsync = fsync as FsyncMode;
  }
  const scenario = values.scenario ?? env.EMULATOR_SCENARIO;
  if (scenario !== undefined) opts.scenario = scenario;
  if (values['with-expectations']) {
    if (scenario === undefined) throw new CliError('--with-expectations goes with --scenario FILE.');
    opts.withExpectations = true;
  }
  const dnsServer = values['dns-server'] ?? env.EMULATOR_DNS_SERVER;
  if (dnsServer !== undefined) opts.dnsServer = dnsServer;
  const adminKey = values['admin-key'] ?? env.EMULATOR_ADMIN_KEY;
  if (adminKey !== undefined) opts.adminKey = adminKey;
  const sftpPort = values['sftp-port'] ?? env.EMULATOR_SFTP_PORT;
  if (sftpPort !== undefined) {
    if (!/^\d+$/.test(sftpPort) || Number(sftpPort) > 65535) throw new CliError(`--sftp-port must be a whole number from 0 to 65535 (0 picks a free port), got "${sftpPort}".`);
    opts.sftpPort = Number(sftpPort);
  }
  const allowedHosts = values['allowed-hosts'] ?? env.EMULATOR_ALLOWED_HOSTS;
  if (allowedHosts !== undefined) {
    try {
      opts.allowedHosts = parseAllowedHosts(allowedHosts);
    } catch (e) {
      throw new CliError(`--allowed-hosts takes host names separated by commas (e.g. emulator,*.test) or "all": ${(e as Error).message}`);
    }
  }
  return opts;
}

async function serve(args: string[], hooks: CliHooks): Promise<void> {
  const opts = parseServeArgs(args, process.env);
  // A scenario is checked before anything listens: a broken file never half-starts a server.
  const scenario = opts.scenario !== undefined ? await loadServeScenario(opts.scenario) : undefined;
  const running = await startServer(opts);
  // Handlers go in before the listening line, so a script that signals right after it is heard.
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    running.stop().then(
      () => {
        process.stderr.write(`edu-emulator: ${signal}: stopped, ${opts.memory ? 'nothing was saved (--memory keeps state in memory only)' : 'state saved'}\n`);
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`edu-emulator: ${signal}: could not save state: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  // Health answers from the listening line on; the other routes finish loading meanwhile (their
  // requests wait). A server that cannot load them stops rather than answer only its health.
  running.emulator.ready.catch((e: unknown) => {
    if (signalled) return;
    signalled = true;
    process.stderr.write(`edu-emulator: the emulator could not load its routes (${e instanceof Error ? e.message : String(e)}); reinstall it (npm ci) and start again\n`);
    void running.stop().finally(() => process.exit(1));
  });
  hooks.beforeListeningLine?.();
  const out = process.stdout;
  out.write(`listening on ${running.url}\n`);
  out.write(`admin key:  ${running.adminKey}\n`);
  out.write(`health:     ${running.url}/_emulator/health\n`);
  out.write(`workspace:  ${running.url}/w/default  (admin API ${running.url}/w/default/api)\n`);
  out.write(`console:    ${running.url}/w/default/admin?key=${encodeURIComponent(running.adminKey)}\n`);
  out.write(`API docs:   ${running.url}/_emulator/docs\n`);
  out.write(`events:     ${running.url}/_emulator/events\n`);
  out.write(`store:      ${running.store.description}\n`);
  if (scenario) await setUpScenario(running, scenario, opts.withExpectations === true);
}

async function loadServeScenario(file: string): Promise<LoadedScenario> {
  const { formatIssue, loadScenarioFile } = await import('../scenario/load.js');
  const { scenario, issues } = await loadScenarioFile(file);
  if (!scenario) {
    throw new CliError(`--scenario ${file} is not a valid scenario:\n${issues.map(formatIssue).join('\n')}`);
  }
  return scenario;
}

/** Sets a ready district up from a scenario in a workspace named after it (replacing an old one). */
async function setUpScenario(running: RunningServer, scenario: LoadedScenario, withExpectations: boolean): Promise<void> {
  const [{ runScenario }, { failureLines }, { inProcessTarget }] = await Promise.all([
    import('../scenario/runner.js'),
    import('../scenario/reporters.js'),
    import('../scenario/target.js'),
  ]);
  const id = scenario.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'scenario';
  const target = inProcessTarget(running.emulator, running.url);
  const headers = { Authorization: `Bearer ${running.adminKey}` };
  await target.fetch(`/_emulator/workspaces/${id}`, { method: 'DELETE', headers });
  await target.fetch(`/_emulator/idps/${id}`, { method: 'DELETE', headers });
  const report = await runScenario(scenario, { target, keep: true, workspaceId: id, setupOnly: !withExpectations });
  const failed = report.steps.find((s) => s.status === 'failed');
  if (failed) {
    process.stderr.write(`edu-emulator: scenario "${scenario.name}" stopped at ${failureLines(scenario.file, failed).join('; ')}\n`);
  }
  process.stdout.write(`scenario:   "${scenario.name}" ${failed ? 'partly set up' : 'set up'} in ${running.url}/w/${id}\n`);
}

/** Runs the CLI; returns the exit code for commands that finish (serve keeps running). */
export async function main(argv: string[], hooks: CliHooks = {}): Promise<number | undefined> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        await serve(rest, hooks);
        return undefined;
      case 'record':
        await (await import('./record.js')).recordCommand(rest, (args) => parseServeArgs(args, process.env), hooks);
        return undefined;
      case 'run':
        return await (await import('./scenarios.js')).runCommand(rest);
      case 'validate':
        return await (await import('./scenarios.js')).validateCommand(rest);
      case 'schema':
        return await (await import('./scenarios.js')).schemaCommand();
      case 'conformance':
        return await (await import('./conformance.js')).conformanceCommand(rest, process.env);
      case 'export':
        return await (await import('./state-files.js')).exportCommand(rest, process.env);
      case 'import':
        return await (await import('./state-files.js')).importCommand(rest, process.env);
      case '--version':
      case '-v':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new CliError(`unknown command "${command}". Run "edu-emulator --help" for the commands.`);
    }
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`edu-emulator: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`edu-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
