// The CI allow-list of expected conformance failures (docs/conformance.md §5): entries of a rule, an
// optional request path pattern (`*` within a segment, `**` across) and a comment saying why.
import { z } from 'zod';
import type { ConformanceReport, ReportedFinding } from './report.js';
import { RULES_BY_ID } from './rules.js';

export const allowEntrySchema = z
  .object({
    rule: z.string().refine((r) => RULES_BY_ID.has(r), { message: 'is not a conformance rule id (docs/conformance.md §3 lists them)' }),
    path: z.string().min(1).optional(),
    comment: z.string().min(1),
  })
  .strict();
export type AllowEntry = z.output<typeof allowEntrySchema>;

/** The file: `{ allow: [...] }` or the list itself. */
export const allowListSchema = z.union([z.object({ allow: z.array(allowEntrySchema) }).strict(), z.array(allowEntrySchema)]).transform((v) => (Array.isArray(v) ? v : v.allow));

function pathPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** The entry that expects a finding, if any. */
export function allowedBy(entries: readonly AllowEntry[], finding: Pick<ReportedFinding, 'rule' | 'request'>): AllowEntry | undefined {
  return entries.find((e) => e.rule === finding.rule && (e.path === undefined || pathPattern(e.path).test(finding.request.path)));
}

/**
 * The report with the allow-list applied: an expected `fail` becomes a `known_quirk` whose source
 * is the entry's comment; `unexpected` counts the `fail` findings left.
 */
export function applyAllowList(report: ConformanceReport, entries: readonly AllowEntry[]): ConformanceReport & { unexpected: number; allowed: number } {
  let allowed = 0;
  const summary = { ...report.summary };
  const findings = report.findings.map((f) => {
    if (f.severity !== 'fail') return f;
    const entry = allowedBy(entries, f);
    if (!entry) return f;
    allowed++;
    summary.fail--;
    summary.known_quirk++;
    return { ...f, severity: 'known_quirk' as const, source: `allow-list: ${entry.comment}` };
  });
  return { ...report, summary, findings, unexpected: summary.fail, allowed };
}
