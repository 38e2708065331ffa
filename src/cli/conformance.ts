// `edu-emulator conformance` (docs/cli.md, docs/conformance.md §5): reads a running emulator's
// conformance report for CI. Exit 0 when no `fail` is left after the allow-list, 1 when one is, 2 on
// bad flags, an unreadable allow-list or an unreachable emulator.
import { readFile } from 'node:fs/promises';
import { parseCliArgs } from './parse-args.js';
import { parse as parseYaml } from 'yaml';
import { allowListSchema, applyAllowList, type AllowEntry } from '../conformance/allow-list.js';
import { conformanceReportSchema, renderJunit, type ConformanceReport } from '../conformance/report.js';
import { PROFILES, isProfile } from '../conformance/rules.js';
import { CliError } from './cli-error.js';

type Env = Record<string, string | undefined>;

async function readAllowList(file: string): Promise<AllowEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the allow-list ${file} (${(e as Error).message}).`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new CliError(`the allow-list ${file} is not YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = allowListSchema.safeParse(data ?? []);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'} ${i.message}`).join('; ');
    throw new CliError(`the allow-list ${file} is not a list of {rule, path?, comment} entries: ${issues}.`);
  }
  return parsed.data;
}

function pretty(report: ConformanceReport & { unexpected: number; allowed: number }, url: string): string {
  const lines = [`conformance of ${url} under profile ${report.profile}`];
  for (const f of report.findings) {
    const mark = f.severity === 'fail' ? 'FAIL' : f.severity === 'warn' ? 'warn' : f.severity === 'info' ? 'info' : 'quirk';
    lines.push(`  ${mark.padEnd(5)} ${f.rule} (${f.clause}) ${f.request.method} ${f.request.path} → ${f.request.status}`);
    lines.push(`        ${f.message}${f.impact ? ` Impact: ${f.impact}.` : ''}${f.source ? ` [${f.source}]` : ''}`);
  }
  const s = report.summary;
  lines.push(`${s.fail} fail, ${s.warn} warn, ${s.info} info, ${s.known_quirk} known quirk${report.allowed > 0 ? ` (${report.allowed} expected by the allow-list)` : ''}`);
  return `${lines.join('\n')}\n`;
}

export async function conformanceCommand(args: string[], env: Env): Promise<number> {
  const { values } = parseCliArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      url: { type: 'string' },
      workspace: { type: 'string' },
      profile: { type: 'string' },
      allow: { type: 'string' },
      reporter: { type: 'string' },
      since: { type: 'string' },
      'admin-key': { type: 'string' },
    },
  });
  const urlText = values.url ?? env.EMULATOR_URL;
  if (!urlText) throw new CliError('conformance needs the emulator\'s URL: pass --url http://127.0.0.1:4000 (or set EMULATOR_URL).');
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new CliError(`--url must be the emulator's URL, e.g. http://127.0.0.1:4000, got "${urlText}".`);
  }
  const workspace = values.workspace ?? 'default';
  const profile = values.profile ?? 'rfc';
  if (!isProfile(profile)) throw new CliError(`--profile must be one of ${PROFILES.join(', ')}, got "${profile}".`);
  const reporter = values.reporter ?? 'pretty';
  if (!['pretty', 'json', 'junit'].includes(reporter)) throw new CliError(`--reporter must be pretty, json or junit, got "${reporter}".`);
  const adminKey = values['admin-key'] ?? env.EMULATOR_ADMIN_KEY;
  if (!adminKey) throw new CliError('conformance needs the emulator admin key: pass --admin-key KEY (printed by edu-emulator serve) or set EMULATOR_ADMIN_KEY.');
  const allow = values.allow !== undefined ? await readAllowList(values.allow) : [];

  const query = new URLSearchParams({ profile, ...(values.since !== undefined ? { since: values.since } : {}) });
  const endpoint = new URL(`/w/${encodeURIComponent(workspace)}/api/conformance?${query}`, url);
  let res: Response;
  try {
    res = await fetch(endpoint, { headers: { Authorization: `Bearer ${adminKey}`, Accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new CliError(`cannot reach the emulator at ${url.origin} (${(e as Error).message}); start it with "edu-emulator serve" or fix --url.`);
  }
  const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  if (res.status === 401) throw new CliError(`the emulator at ${url.origin} refused the admin key; use the key it printed at start.`);
  if (!res.ok) throw new CliError(`the emulator answered ${res.status}: ${body?.error?.message ?? 'no report'}`);
  const parsed = conformanceReportSchema.safeParse(body);
  if (!parsed.success) throw new CliError(`the answer of ${endpoint.href} is not a conformance report; is --url an edu-emulator?`);

  const report = applyAllowList(parsed.data, allow);
  const text =
    reporter === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reporter === 'junit' ? renderJunit(report, new Date(), url.hostname || 'edu-emulator') : pretty(report, url.origin);
  process.stdout.write(text);
  return report.unexpected > 0 ? 1 : 0;
}
