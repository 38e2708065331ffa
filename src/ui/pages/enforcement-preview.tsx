// The console's enforcement what-if: before the switch, a table per level of who it would block,
// let in again, leave alone or cannot be sure about, read from GET /api/sso/enforcement/preview.
import type { FC } from 'hono/jsx';
import type { EnforcementLevel, EnforcementPreview } from '../../client/types.js';
import { workspaceApi } from '../admin-api.js';
import { Badge, type PageContext } from '../layout.js';
import { levelWords, OUTCOME_WORDS, plainLevels, reasonWords } from '../plain-words.js';

/** Rows shown per level; the API has them all. */
const MAX_ROWS = 200;

const OUTCOME_TONE: Record<string, string> = { newly_blocked: 'fail', newly_allowed: 'ok', unchanged: 'pass', insufficient_data: 'warn' };
const OUTCOME_ORDER = ['newly_blocked', 'insufficient_data', 'newly_allowed', 'unchanged'];

/** The what-if of every level other than the current one. */
export async function loadEnforcementPreviews(ctx: PageContext, current: EnforcementLevel): Promise<EnforcementPreview[]> {
  const api = workspaceApi(ctx.c, ctx.user);
  const out: EnforcementPreview[] = [];
  for (const level of ['no_passwords', 'sso_only', 'off'] as const) {
    if (level !== current) out.push(await api.sso.enforcement.preview(level));
  }
  return out;
}

const Verdict: FC<{ value: string }> = ({ value }) =>
  value === 'allowed' ? <span>✓ allowed</span> : value === 'unknown' ? <span class="muted">? unknown</span> : <span>✗ {reasonWords(value)}</span>;

/** One table per level, the members it changes first. */
export const EnforcementPreviewTables: FC<{ previews: EnforcementPreview[] }> = ({ previews }) => (
  <div id="enforcement-preview">
    <h3>Before you switch: who each level would affect</h3>
    <p class="muted">
      Computed by the same rules that decide every sign-in. "Unknown" means only an SSO sign-in of that member could tell (an external
      identity provider); owners' rows say whether they keep a way in.
    </p>
    {previews.map((p) => {
      const rows = [...p.members].sort((a, b) => OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome));
      return (
        <details open={p.level !== 'off' && (p.summary.newly_blocked ?? 0) + (p.summary.insufficient_data ?? 0) > 0} data-level={p.level}>
          <summary>
            {levelWords(p.level)}: <Badge value="fail" label={`${p.summary.newly_blocked ?? 0} newly blocked`} />{' '}
            <Badge value="warn" label={`${p.summary.insufficient_data ?? 0} unknown`} />{' '}
            <Badge value="ok" label={`${p.summary.newly_allowed ?? 0} newly allowed`} /> {p.summary.unchanged ?? 0} unchanged
            {p.owners.total > 0 ? ` · owners keeping a way in: ${p.owners.keepWayIn} of ${p.owners.total}` : ''}
          </summary>
          {p.owners.total > 0 && p.owners.keepWayIn === 0 && p.level !== 'off' ? (
            <div class="notice warn" role="note">
              <p>
                No owner would keep a sure way in: switching is refused unless forced. Turn on break-glass, or have an owner sign in through
                SSO first.
              </p>
            </div>
          ) : null}
          <table>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Outcome</th>
                <th scope="col">Password</th>
                <th scope="col">Social</th>
                <th scope="col">SSO</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, MAX_ROWS).map((r) => (
                <tr data-outcome={r.outcome}>
                  <td>
                    {r.email}
                    <br />
                    <span class="muted">
                      {r.role}
                      {r.keepsWayIn === undefined ? '' : r.keepsWayIn === true ? ' · keeps a way in' : r.keepsWayIn === null ? ' · way in unknown' : ' · no way in'}
                    </span>
                  </td>
                  <td>
                    <Badge value={r.outcome} tone={OUTCOME_TONE[r.outcome] ?? 'warn'} label={OUTCOME_WORDS[r.outcome] ?? r.outcome.replace(/_/g, ' ')} />
                  </td>
                  <td>
                    <Verdict value={r.after.password} />
                  </td>
                  <td>
                    <Verdict value={r.after.social} />
                  </td>
                  <td>
                    <Verdict value={r.after.sso} />
                  </td>
                  <td>{plainLevels(r.reason)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > MAX_ROWS ? (
            <p class="muted">
              {rows.length - MAX_ROWS} more members are not shown here; the event log and the API list them all.
            </p>
          ) : null}
        </details>
      );
    })}
  </div>
);
