// The enforcement what-if and the live sign-in decision agree, for every member of every bundled
// scenario at every level: each scenario runs in process, then for each level the preview is
// compared with what sign-in does under that level (sign-in/check for passwords, a real social
// sign-in, a real SSO sign-in through the scenario's mock IdP).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../src/app.js';
import { ScenarioContext } from '../src/scenario/context.js';
import { loadScenarioFile } from '../src/scenario/load.js';
import { runScenario } from '../src/scenario/runner.js';
import { STEPS } from '../src/scenario/steps.js';
import { inProcessTarget } from '../src/scenario/target.js';
import { ENFORCEMENT_LEVELS } from '../src/store/state.js';

const DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

describe('enforcement what-if agrees with the live sign-in decision', () => {
  it('covers every bundled scenario', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(13);
  });

  it.each(FILES)('%s', { timeout: 600_000 }, async (file) => {
    const { scenario, issues } = await loadScenarioFile(`${DIR}${file}`);
    expect(issues).toEqual([]);
    const emulator = createEmulator();
    const target = inProcessTarget(emulator);
    const report = await runScenario(scenario!, { target, keep: true });
    expect(report.status, JSON.stringify(report.steps.filter((s) => s.status === 'failed'))).toBe('passed');
    const ctx = new ScenarioContext(target, scenario!, report.workspace);
    const ws = emulator.core.requireWorkspace(report.workspace!);
    const original = ws.sso.enforcement;

    // Every preview first, before any live sign-in moves anything.
    const previews = new Map<string, any>();
    for (const level of ENFORCEMENT_LEVELS) {
      const res = await ctx.api('GET', `/sso/enforcement/preview?level=${level}`);
      expect(res.status).toBe(200);
      previews.set(level, res.body);
    }
    const members = (await ctx.api('GET', '/users')).body.users as { email: string }[];
    const now = previews.get(original);
    for (const level of ENFORCEMENT_LEVELS) {
      const preview = previews.get(level);
      expect(preview.members.map((r: any) => r.email).sort()).toEqual(members.map((m) => m.email).sort());
      // `before` is the verdict at the current level: the same as the preview of that level.
      for (const row of preview.members) expect(row.before, row.email).toEqual(now.members.find((r: any) => r.email === row.email).after);
    }

    let compared = 0;
    let unknown = 0;
    for (const level of ENFORCEMENT_LEVELS) {
      // The live decision under the level: set it as enforcement would, past the guards.
      ws.sso.enforcement = level;
      for (const row of previews.get(level).members) {
        const where = `${file} ${level} ${row.email}`;
        const check = (await ctx.api('POST', '/sign-in/check', { email: row.email, method: 'password' })).body;
        expect(row.after.password, `${where} password`).toBe(check.outcome === 'allowed' ? 'allowed' : check.reason);
        const social = (await STEPS.sign_in(ctx, { user: row.email, method: 'social' })).result;
        expect(row.after.social, `${where} social`).toBe(social.outcome === 'allowed' ? 'allowed' : social.reason);
        compared += 2;
        if (row.after.sso === 'unknown') {
          unknown++;
          continue;
        }
        const sso = (await STEPS.sign_in(ctx, { user: row.email, method: 'sso', fault: 'none' })).result;
        if (row.after.sso === 'not_in_idp_directory') {
          expect(sso, `${where} sso`).toMatchObject({ outcome: 'denied', at: 'idp', reason: 'idp_user_not_found' });
        } else {
          expect(sso.outcome === 'allowed' ? 'allowed' : sso.reason, `${where} sso`).toBe(row.after.sso);
        }
        compared++;
      }
    }
    expect(compared + unknown).toBe(members.length * ENFORCEMENT_LEVELS.length * 3);
    // Bundled scenarios connect the mock IdP, whose directory is known: nothing left unknown.
    expect(unknown).toBe(0);
  });
});
