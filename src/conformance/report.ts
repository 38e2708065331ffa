// The conformance report (docs/conformance.md §2) over saved findings, under one profile: JSON for
// tools, JUnit XML for CI (one testcase per rule), an HTML page for people. Findings hold no secret.
import { z } from 'zod';
import type { ConformanceFinding } from '../store/state.js';
import { PROFILES, RULES, RULES_BY_ID, SEVERITIES, severityOf, type Profile, type Severity } from './rules.js';

/** One finding as reported; the one source of its type and documented schema. */
export const reportedFindingSchema = z
  .object({
    rule: z.string(),
    severity: z.enum(SEVERITIES),
    clause: z.string(),
    message: z.string(),
    impact: z.string().optional(),
    /** For a `known_quirk`: the vendor's page that documents the behaviour. */
    source: z.string().optional(),
    /** `refused` (the workspace answered 4xx), `tolerated` (lenient mode accepted it) or `observed`. */
    outcome: z.enum(['refused', 'tolerated', 'observed']),
    request: z.object({ id: z.string(), method: z.string(), path: z.string(), at: z.string(), status: z.number().int() }).strict(),
  })
  .strict();
export type ReportedFinding = z.output<typeof reportedFindingSchema>;

export const conformanceReportSchema = z
  .object({
    profile: z.enum(PROFILES),
    summary: z.object({ fail: z.number().int(), warn: z.number().int(), info: z.number().int(), known_quirk: z.number().int() }).strict(),
    findings: z.array(reportedFindingSchema),
  })
  .strict();
export type ConformanceReport = z.output<typeof conformanceReportSchema>;

/** The report of saved findings (oldest first) under a profile. */
export function buildReport(findings: readonly ConformanceFinding[], profile: Profile): ConformanceReport {
  const summary: Record<Severity, number> = { fail: 0, warn: 0, info: 0, known_quirk: 0 };
  const out = findings.map((f): ReportedFinding => {
    const { severity, source } = severityOf(f.rule, f.outcome, profile);
    summary[severity]++;
    return {
      rule: f.rule,
      severity,
      clause: RULES_BY_ID.get(f.rule)?.clause ?? '',
      message: f.message,
      ...(f.impact !== undefined ? { impact: f.impact } : {}),
      ...(source !== undefined ? { source } : {}),
      outcome: f.outcome,
      request: { ...f.request },
    };
  });
  return { profile, summary, findings: out };
}

const xml = (s: string) =>
  s.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const line = (f: ReportedFinding) =>
  `${f.request.method} ${f.request.path} → ${f.request.status}: ${f.message}${f.impact ? ` Impact: ${f.impact}.` : ''} (${f.clause})`;

/**
 * JUnit XML (the shape of fixtures/junit/junit.xsd, as `edu-emulator run` writes it): one testsuite,
 * one testcase per rule of the catalogue (classname `conformance.<area>`), failed when the rule has
 * `fail` findings, its one `<failure>` listing each of them; other findings in the suite's output.
 */
export function renderJunit(report: ConformanceReport, now: Date, hostname = 'edu-emulator'): string {
  const byRule = new Map<string, ReportedFinding[]>();
  for (const f of report.findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  let failedRules = 0;
  const cases = RULES.map((rule) => {
    const failed = (byRule.get(rule.id) ?? []).filter((f) => f.severity === 'fail');
    const open = `    <testcase name="${xml(rule.id)}" classname="conformance.${xml(rule.id.split('.')[0]!)}" time="0"`;
    if (failed.length === 0) return `${open}/>`;
    failedRules++;
    const message = `${failed.length} failed finding${failed.length > 1 ? 's' : ''}: ${rule.reason}`;
    return `${open}>\n      <failure message="${xml(message)}" type="${xml(rule.clause)}">${xml(failed.map(line).join('\n'))}</failure>\n    </testcase>`;
  });
  const others = report.findings.filter((f) => f.severity !== 'fail').map((f) => `[${f.severity}] ${f.rule}: ${line(f)}`);
  const timestamp = now.toISOString().slice(0, 19);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="edu-emulator conformance" tests="${RULES.length}" failures="${failedRules}" errors="0" time="0">`,
    `  <testsuite name="conformance (${xml(report.profile)})" timestamp="${timestamp}" hostname="${xml(hostname)}" tests="${RULES.length}" failures="${failedRules}" errors="0" skipped="0" time="0" id="0" package="conformance">`,
    `    <properties><property name="profile" value="${xml(report.profile)}"/>${SEVERITIES.map((s) => `<property name="${s}" value="${report.summary[s]}"/>`).join('')}</properties>`,
    ...cases,
    `    <system-out>${xml(others.join('\n'))}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The report as an HTML fragment (a summary and a table), for the page and the console. */
export function renderHtmlBody(report: ConformanceReport): string {
  const rows = [...report.findings]
    .reverse()
    .map(
      (f) =>
        `<tr class="sev-${f.severity}"><td>${html(f.severity)}</td><td><code>${html(f.rule)}</code><br><small>${html(f.clause)}</small></td><td>${html(f.message)}${f.impact ? `<br><strong>Impact:</strong> ${html(f.impact)}` : ''}${f.source ? `<br><small>Documented: ${html(f.source)}</small>` : ''}</td><td><code>${html(f.request.method)} ${html(f.request.path)}</code> → ${f.request.status}<br><small>${html(f.request.at)}</small></td></tr>`,
    )
    .join('\n');
  const s = report.summary;
  return [
    `<p>Profile <strong>${html(report.profile)}</strong>: ${s.fail} fail, ${s.warn} warn, ${s.info} info, ${s.known_quirk} known quirk.</p>`,
    report.findings.length === 0
      ? '<p>No findings: everything the IdP sent so far is what the workspace expects.</p>'
      : `<table class="conformance"><thead><tr><th>Severity</th><th>Rule</th><th>What and why</th><th>Request</th></tr></thead><tbody>\n${rows}\n</tbody></table>`,
  ].join('\n');
}

/** The report as a page of its own. */
export function renderHtmlPage(report: ConformanceReport, workspace: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conformance of the IdP: ${html(workspace)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}.sev-fail td:first-child{color:#b00020;font-weight:bold}.sev-warn td:first-child{color:#a65e00}.sev-known_quirk td:first-child{color:#555}</style>
</head><body><h1>Conformance of the IdP's traffic to workspace ${html(workspace)}</h1>
${renderHtmlBody(report)}
</body></html>
`;
}
