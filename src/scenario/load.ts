// Reading scenario files: YAML with positions, every mistake reported as `file:line:col message`
// (all of them, not only the first), unknown step names with the nearest valid one.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, STEP_ARGS, STEP_MODIFIERS, STEP_NAMES, STEPS_WITHOUT_ACT_AS, type ScenarioDocument, type StepName } from './schema.js';

export interface ScenarioIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

export const formatIssue = (i: ScenarioIssue) => `${i.file}:${i.line}:${i.col} ${i.message}`;

export interface LoadedStep {
  index: number;
  line: number;
  name: StepName;
  args: unknown;
  expect?: Record<string, unknown>;
  save?: Record<string, string>;
  label?: string;
  /** `as: EMAIL`: the member the step acts as. */
  actAs?: string;
}

export interface IdpUserInput {
  email: string;
  givenName?: string;
  familyName?: string;
  groups?: string[];
  password?: string;
  attributes?: Record<string, string | string[]>;
}

export interface LoadedScenario {
  file: string;
  name: string;
  doc: ScenarioDocument;
  /** The directory: `idp.users` plus the roster, with groups from both. */
  idpUsers: IdpUserInput[];
  steps: LoadedStep[];
}

type Path = (string | number)[];

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

class Positions {
  constructor(
    readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private at(offset: number) {
    const p = this.lines.linePos(offset);
    return { line: p.line, col: p.col };
  }

  /** Where a path is: its node, or the key that names it, or the nearest ancestor. */
  of(path: Path, keyOf = false): { line: number; col: number } {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      if (keyOf && n === path.length && n > 0) {
        const parent = this.doc.getIn(sub.slice(0, -1), true);
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === sub[sub.length - 1]);
          const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
          if (range) return this.at(range[0]);
        }
      }
      const node = n === 0 ? this.doc.contents : this.doc.getIn(sub, true);
      const range = (node as { range?: [number, number, number] } | null)?.range;
      if (range) return this.at(range[0]);
    }
    return { line: 1, col: 1 };
  }
}

function zodIssues(error: z.ZodError, base: Path, pos: Positions, file: string, out: ScenarioIssue[]): void {
  for (const issue of error.issues) {
    const path = [...base, ...(issue.path as Path)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ file, ...pos.of([...path, key], true), message: `unknown field "${key}" at ${describe(path)}` });
      }
      continue;
    }
    const where = describe(path);
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const allowed = allowedValues(issue);
    const message = missing
      ? 'is required'
      : allowed.length > 0
        ? mustBeOneOf(allowed, valueAt(pos, path))
        : issue.message.replace(/^Invalid input: /, '');
    out.push({ file, ...pos.of(path), message: `${where}: ${message}` });
  }
}

/** The values an enum (or a union with enums, e.g. `set_enforcement`) accepts at the issue's own place. */
function allowedValues(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'invalid_value') return issue.values.map(String);
  if (issue.code !== 'invalid_union') return [];
  const values = issue.errors.flatMap((branch) => branch.filter((i) => i.path.length === 0).flatMap(allowedValues));
  return [...new Set(values)];
}

function mustBeOneOf(allowed: string[], got: unknown): string {
  const shown = typeof got === 'string' || typeof got === 'number' || typeof got === 'boolean' ? ` (got ${JSON.stringify(got)})` : '';
  const guess = typeof got === 'string' ? allowed.find((a) => a.toLowerCase() === got.toLowerCase().replace(/[-\s]/g, '_')) : undefined;
  return `must be one of ${allowed.join(', ')}${shown}${guess ? `; did you mean "${guess}"?` : ''}`;
}

function valueAt(pos: Positions, path: Path): unknown {
  return pos.doc.getIn(path);
}

/** `step 3 advance_clock`, `idp.users[1].email`: steps counted from 1 as people count them. */
function describe(path: Path): string {
  if (path.length === 0) return 'scenario';
  if (path[0] === 'steps' && typeof path[1] === 'number') {
    const rest = path.slice(2).map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
    return `step ${path[1] + 1}${rest ? ` ${rest}` : ''}`;
  }
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Parses a simple CSV roster: email,givenName,familyName,groups (groups separated by `;`). */
export function parseRoster(text: string): IdpUserInput[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    return {
      email: row.email ?? '',
      ...(row.givenName ? { givenName: row.givenName } : {}),
      ...(row.familyName ? { familyName: row.familyName } : {}),
      ...(row.groups ? { groups: row.groups.split(';').map((g) => g.trim()).filter(Boolean) } : {}),
    };
  });
}

/** Parses and validates scenario text; returns the scenario, or every issue found. */
export async function loadScenarioText(text: string, file: string): Promise<{ scenario?: LoadedScenario; issues: ScenarioIssue[] }> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const issues: ScenarioIssue[] = [];
  // A YAML syntax error makes the parser stumble over what follows: the first one is the one to fix.
  for (const e of doc.errors.slice(0, 1)) {
    const p = lines.linePos(e.pos[0]);
    issues.push({ file, line: p.line, col: p.col, message: `YAML: ${e.message.split('\n')[0]!}` });
  }
  if (issues.length > 0) return { issues };
  const pos = new Positions(doc, lines);
  const raw: unknown = doc.toJS();
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) zodIssues(parsed.error, [], pos, file, issues);

  const steps: LoadedStep[] = [];
  const rawSteps = (raw as { steps?: unknown } | null)?.steps;
  if (Array.isArray(rawSteps)) {
    rawSteps.forEach((step, index) => {
      const path: Path = ['steps', index];
      if (typeof step !== 'object' || step === null || Array.isArray(step)) return; // reported by the schema
      const keys = Object.keys(step);
      const actions = keys.filter((k) => !(STEP_MODIFIERS as readonly string[]).includes(k));
      if (actions.length === 0) {
        issues.push({ file, ...pos.of(path), message: `step ${index + 1} has no action: use one of ${STEP_NAMES.join(', ')}` });
        return;
      }
      if (actions.length > 1) {
        const known = actions.filter((a) => a in STEP_ARGS);
        const unknown = actions.filter((a) => !(a in STEP_ARGS));
        for (const a of unknown) {
          const guess = nearest(a, STEP_NAMES);
          issues.push({ file, ...pos.of([...path, a], true), message: `unknown step "${a}"${guess ? `; did you mean "${guess}"?` : `; steps are ${STEP_NAMES.join(', ')}`}` });
        }
        if (known.length > 1) issues.push({ file, ...pos.of(path), message: `step ${index + 1} has several actions (${known.join(', ')}): one action per step` });
        return;
      }
      const name = actions[0]!;
      if (!(name in STEP_ARGS)) {
        const guess = nearest(name, STEP_NAMES);
        issues.push({ file, ...pos.of([...path, name], true), message: `unknown step "${name}"${guess ? `; did you mean "${guess}"?` : `; steps are ${STEP_NAMES.join(', ')}`}` });
        return;
      }
      const stepName = name as StepName;
      const value = (step as Record<string, unknown>)[stepName];
      const args = STEP_ARGS[stepName].safeParse(value ?? (stepName === 'configure_sso' || stepName === 'issue_scim_token' || stepName === 'scim_sync' || stepName === 'directory_sync' ? null : value));
      if (!args.success) zodIssues(args.error, [...path, stepName], pos, file, issues);
      const s = step as { expect?: unknown; save?: unknown; name?: unknown; as?: unknown };
      if (s.as !== undefined) {
        if (typeof s.as !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.as)) {
          issues.push({ file, ...pos.of([...path, 'as']), message: 'as must be the email of a workspace member to act as, e.g. as: ada@springfield.k12.us' });
        } else if (STEPS_WITHOUT_ACT_AS.has(stepName)) {
          issues.push({ file, ...pos.of([...path, 'as']), message: `${stepName} makes no admin API call, so as: means nothing here; put as: on admin steps (create_group, map_group, request…)` });
        }
      }
      if (s.expect !== undefined && (typeof s.expect !== 'object' || s.expect === null || Array.isArray(s.expect))) {
        issues.push({ file, ...pos.of([...path, 'expect']), message: 'expect must be a mapping of fields to expected values, e.g. {outcome: allowed}' });
      }
      if (s.save !== undefined) {
        const ok = typeof s.save === 'object' && s.save !== null && !Array.isArray(s.save) && Object.entries(s.save).every(([k, v]) => /^[A-Za-z_]\w*$/.test(k) && typeof v === 'string');
        if (!ok) issues.push({ file, ...pos.of([...path, 'save']), message: 'save must map variable names to result paths, e.g. {token: body.token}' });
      }
      if (args.success) {
        steps.push({
          index,
          line: pos.of(path).line,
          name: stepName,
          args: args.data,
          ...(s.expect !== undefined ? { expect: s.expect as Record<string, unknown> } : {}),
          ...(s.save !== undefined ? { save: s.save as Record<string, string> } : {}),
          ...(typeof s.name === 'string' ? { label: s.name } : {}),
          ...(typeof s.as === 'string' ? { actAs: s.as } : {}),
        });
      }
    });
  }

  let idpUsers: IdpUserInput[] = [];
  if (parsed.success && parsed.data.idp) {
    idpUsers = [...parsed.data.idp.users];
    if (parsed.data.idp.roster) {
      const rosterPath = resolve(dirname(file), parsed.data.idp.roster);
      try {
        idpUsers.push(...parseRoster(await readFile(rosterPath, 'utf8')));
      } catch (e) {
        issues.push({ file, ...pos.of(['idp', 'roster']), message: `cannot read roster ${rosterPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      }
    }
    for (const g of parsed.data.idp.groups ?? []) {
      for (const m of g.members ?? []) {
        const u = idpUsers.find((x) => x.email.toLowerCase() === m.toLowerCase());
        if (!u) issues.push({ file, ...pos.of(['idp', 'groups']), message: `group "${g.name}" lists ${m}, who is not among idp.users` });
        else u.groups = [...new Set([...(u.groups ?? []), g.name])];
      }
    }
  }

  issues.sort((a, b) => a.line - b.line || a.col - b.col);
  if (issues.length > 0 || !parsed.success) return { issues };
  return { scenario: { file, name: parsed.data.name, doc: parsed.data, idpUsers, steps }, issues };
}

export async function loadScenarioFile(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return { issues: [{ file, line: 1, col: 1, message: `cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }] };
  }
  return loadScenarioText(text, file);
}
