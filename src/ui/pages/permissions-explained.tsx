// "Permissions, explained": each permission by its label and one-line description, whether the
// member has it, and why (which role through which group). Shared by the admin's member page and
// the member's own page (/w/{ws}/me).
import type { FC } from 'hono/jsx';
import type { EffectivePermissions, UsageLimit } from '../../client/types.js';
import { describePermission, PERMISSION_KEYS, type PermissionKey } from '../../roles/permissions.js';

type Perms = Pick<EffectivePermissions, 'permissions' | 'grants' | 'source' | 'roles'> & { usageLimit?: Pick<UsageLimit, 'source' | 'group' | 'role' | 'limit'> | undefined };

function showValue(v: unknown, apps: Map<string, string>) {
  if (v === null) return 'no limit';
  if (typeof v === 'boolean') return v ? <span class="yes">✓ allowed</span> : <span class="no">✗ not allowed</span>;
  if (Array.isArray(v)) return v.length ? v.map((a) => apps.get(String(a)) ?? String(a)).join(', ') : <span class="no">none</span>;
  return String(v);
}

/** A permission in words: its label, with its one-line description under it. */
export const PermissionLabel: FC<{ k: string }> = ({ k }) => (
  <>
    <strong>{describePermission(k).label}</strong>
    <br />
    <span class="muted small-text">{describePermission(k).description}</span>
  </>
);

/** Which rule gave the member their permissions, in words. */
export function ruleInWords(p: Pick<EffectivePermissions, 'source' | 'roles'>, status: string): string {
  if (status === 'deactivated' || p.source === 'deactivated') return 'Deactivated: no permissions at all.';
  if (p.source === 'default') return 'The default role: they hold no custom role.';
  const parts = p.roles.map((r) => `"${r.name}" through group${r.groups.length > 1 ? 's' : ''} ${r.groups.map((g) => `"${g.displayName}"`).join(' and ')}`);
  return `From their groups: custom role${p.roles.length > 1 ? 's' : ''} ${parts.join('; ')}. What any of them allows is allowed; the default role no longer applies.`;
}

export const PermissionsExplained: FC<{ perms: Perms; status: string; apps: Map<string, string>; who?: string }> = ({ perms, status, apps, who }) => {
  const usage = perms.usageLimit;
  const explainLimit = () =>
    !usage
      ? ''
      : usage.source === 'user'
        ? 'Their own usage limit.'
        : usage.source === 'group'
          ? `The default of group "${usage.group}"${usage.role ? ` (from role "${usage.role}"'s credit limit)` : ''}; with several groups the most permissive wins.`
          : usage.source === 'workspace'
            ? 'The workspace default usage limit.'
            : 'No usage limit is set.';
  const explain = (key: PermissionKey) => {
    if (status === 'deactivated') return 'Deactivated members have no permissions.';
    if (key === 'credits.monthly_limit') return explainLimit();
    const gs = perms.grants.filter((g) => g.permission === key);
    if (gs.length === 0) return perms.source === 'custom' ? 'None of their custom roles allows it.' : 'The default role does not allow it.';
    return gs
      .map((g) =>
        g.group
          ? `role "${g.role}" through group "${g.group}"${Array.isArray(g.value) ? ` (${g.value.map((a) => apps.get(a) ?? a).join(', ')})` : ''}`
          : 'the default role',
      )
      .join('; ')
      .replace(/^/, 'Granted by ');
  };
  return (
    <>
      <p id="permission-rule">
        {who ?? 'Rule applied'}: <strong>{ruleInWords(perms, status)}</strong>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Permission</th>
            <th scope="col">Effective</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {PERMISSION_KEYS.map((key) => (
            <tr data-permission={key}>
              <td>
                <PermissionLabel k={key} />
              </td>
              <td>{showValue(perms.permissions?.[key as keyof typeof perms.permissions], apps)}</td>
              <td>{explain(key)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
};
