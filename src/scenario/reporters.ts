// How scenario results are told: `pretty` for people (a line per step with ✓/✗ and progress, and
// for a failed expectation each differing field with expected and actual and the step's
// file:line), `json` for programs, `junit` for CI servers (one testsuite per file, one testcase
// per scenario).
import { hostname } from 'node:os';
import { relative } from 'node:path';
import type { LoadedScenario } from './load.js';
import type { RunListener, ScenarioReport, StepReport } from './runner.js';

export type ReporterName = 'pretty' | 'json' | 'junit';

const show = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v));
const rel = (file: string) => relative(process.cwd(), file) || file;

/** The lines that explain a failed step. */
export function failureLines(file: string, step: StepReport): string[] {
  const lines = [`at ${rel(file)}:${step.line} (${step.step})`];
  if (step.message) lines.push(step.message);
  for (const d of step.diffs ?? []) lines.push(`  ${d.path}: expected ${show(d.expected)}, got ${show(d.actual)}`);
  return lines;
}

const visibleLength = (s: string) => s.replace(/\x1b\[\d+m/g, '').length;

/** Splits text into lines of at most `width` characters, at spaces where it can. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > width / 2 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

/** Streams a line per step as scenarios run (prefixed with the scenario when several run at once). */
export function prettyListener(write: (s: string) => void, color: boolean, width = 100): RunListener {
  const green = (s: string) => (color ? `\x1b[32m${s}\x1b[0m` : s);
  const red = (s: string) => (color ? `\x1b[31m${s}\x1b[0m` : s);
  const dim = (s: string) => (color ? `\x1b[2m${s}\x1b[0m` : s);
  const counts = new Map<LoadedScenario, number>();
  return {
    scenarioStarted(s) {
      counts.set(s, 0);
      write(`▶ ${s.name} ${dim(`(${rel(s.file)})`)}\n`);
    },
    stepFinished(s, step, total) {
      const n = (counts.get(s) ?? 0) + 1;
      counts.set(s, n);
      const mark = step.status === 'passed' ? green('✓') : step.status === 'failed' ? red('✗') : dim('-');
      const head = `  ${mark} [${n}/${total}] `;
      // The whole label, wrapped under itself (two steps never look alike because of a cut).
      const lines = wrapText(step.label ?? '', Math.max(40, width - visibleLength(head)));
      const body = lines.join(`\n${' '.repeat(visibleLength(head))}`);
      const text = step.status === 'skipped' ? dim(`${body} (skipped)`) : body;
      // Scenarios running side by side interleave: name the scenario when more than one runs.
      const who = counts.size > 1 ? ` ${dim(`— ${s.name}`)}` : '';
      write(`${head}${text}${who}\n`);
      if (step.status === 'failed') for (const line of failureLines(s.file, step)) write(`      ${red(line)}\n`);
    },
    scenarioFinished(r) {
      for (const s of counts.keys()) if (s.name === r.name && s.file === r.file) counts.delete(s);
      const verdict = r.status === 'passed' ? green('passed') : red(r.status);
      write(`${r.status === 'passed' ? green('✓') : red('✗')} ${r.name}: ${verdict} in ${(r.durationMs / 1000).toFixed(2)} s\n`);
    },
  };
}

/** The closing summary of a pretty run: totals, and each failure again. */
export function prettySummary(reports: ScenarioReport[]): string {
  const passed = reports.filter((r) => r.status === 'passed').length;
  const failed = reports.filter((r) => r.status === 'failed').length;
  const skipped = reports.filter((r) => r.status === 'skipped').length;
  const out: string[] = [''];
  for (const r of reports.filter((x) => x.status === 'failed')) {
    const step = r.steps.find((s) => s.status === 'failed');
    out.push(`✗ ${r.name}`);
    if (step) for (const line of failureLines(r.file, step)) out.push(`    ${line}`);
  }
  out.push(`scenarios: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return `${out.join('\n')}\n`;
}

export function jsonReport(reports: ScenarioReport[]): string {
  const summary = {
    passed: reports.filter((r) => r.status === 'passed').length,
    failed: reports.filter((r) => r.status === 'failed').length,
    skipped: reports.filter((r) => r.status === 'skipped').length,
  };
  return `${JSON.stringify({ summary, scenarios: reports.map((r) => ({ ...r, file: rel(r.file) })) }, null, 2)}\n`;
}

const xml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');

/** JUnit XML: one testsuite per file, one testcase per scenario, failures with the step and diff. */
export function junitReport(reports: ScenarioReport[], startedAt = new Date()): string {
  const byFile = new Map<string, ScenarioReport[]>();
  for (const r of reports) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const timestamp = startedAt.toISOString().slice(0, 19);
  const host = xml(hostname() || 'localhost');
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const suites = [...byFile.entries()].map(([file, rs], id) => {
    const name = xml(rel(file));
    const failures = rs.filter((r) => r.status === 'failed').length;
    const skipped = rs.filter((r) => r.status === 'skipped').length;
    const time = rs.reduce((t, r) => t + r.durationMs, 0);
    const cases = rs.map((r) => {
      const head = `    <testcase name="${xml(r.name)}" classname="${name}" time="${secs(r.durationMs)}"`;
      if (r.status === 'skipped') return `${head}>\n      <skipped message="not run (--bail)"/>\n    </testcase>`;
      const step = r.steps.find((s) => s.status === 'failed');
      if (!step) return `${head}/>`;
      const message = `${step.step} at line ${step.line}: ${step.message ?? 'failed'}`;
      return `${head}>\n      <failure message="${xml(message)}" type="${step.diffs?.length ? 'expectation' : 'step'}">${xml(failureLines(r.file, step).join('\n'))}</failure>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${name}" package="edu-emulator" id="${id}" timestamp="${timestamp}" hostname="${host}" tests="${rs.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(time)}">`,
      '    <properties/>',
      ...cases,
      '    <system-out/>',
      '    <system-err/>',
      '  </testsuite>',
    ].join('\n');
  });
  const total = reports.length;
  const failed = reports.filter((r) => r.status === 'failed').length;
  const time = reports.reduce((t, r) => t + r.durationMs, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="edu-emulator scenarios" tests="${total}" failures="${failed}" errors="0" time="${secs(time)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
