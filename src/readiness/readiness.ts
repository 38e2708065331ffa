// The launch-readiness report (docs/rules.md §12): the district plan's checklist, each item pass, warn or
// fail with a message and the objects involved. Read-only; computed over the whole workspace,
// which is fine for a report an admin opens, never on a sign-in or SCIM path.
import { z } from 'zod';
import type { EmulatorCore } from '../emulator.js';
import { emailDomain } from '../members/members.js';
import { baseline, droppedEverydayTools, type PermissionGrant } from '../roles/permissions.js';
import { roleSet } from '../roles/roles.js';
import type { WorkspaceState } from '../store/state.js';

export const READINESS_ITEMS = [
  'domain_verified',
  'sso_configured',
  'sso_tested',
  'sso_enforced',
  'scim_connected',
  'aac_with_scim',
  'duplicate_groups',
  'local_groups_in_roles',
  'default_role_elevated',
  'custom_role_drops_tools',
  'unmanaged_members',
] as const;

/** One checklist item as the admin API shows it; the one source of its type and documented schema. */
export const readinessItemSchema = z.object({
  id: z.enum(READINESS_ITEMS),
  status: z.enum(['pass', 'warn', 'fail']),
  message: z.string(),
  subjects: z.array(z.string()).optional(),
  /** Where in the admin API (and console) this is fixed. */
  fix: z.string(),
});
export type ReadinessItem = z.output<typeof readinessItemSchema>;
export type ReadinessStatus = ReadinessItem['status'];

export const readinessReportSchema = z.object({
  items: z.array(readinessItemSchema),
  summary: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
});
export type ReadinessReport = z.output<typeof readinessReportSchema>;

/** Permissions that should not be everyone's by default. */
const ELEVATED = ['gpts.publish_workspace', 'skills.publish_workspace', 'skills.install_for_others', 'codex.use', 'models.advanced'] as const;

export function readinessReport(core: EmulatorCore, ws: WorkspaceState): ReadinessReport {
  const items: ReadinessItem[] = [];
  const add = (item: ReadinessItem) => items.push(item);
  const domains = Object.values(ws.domains);
  const verified = domains.filter((d) => d.status === 'verified').map((d) => d.domain);
  const verifiedSet = new Set(verified);

  add(
    verified.length > 0
      ? { id: 'domain_verified', status: 'pass', message: `Verified: ${verified.join(', ')}.`, subjects: verified, fix: 'domains' }
      : {
          id: 'domain_verified',
          status: 'fail',
          message: domains.length > 0 ? 'No domain is verified yet: publish the TXT record and verify.' : 'No domain added: add the district\'s email domain and verify it with a DNS TXT record.',
          subjects: domains.map((d) => `${d.domain} (${d.status})`),
          fix: 'domains',
        },
  );

  const connection = ws.sso.connection as { protocol?: string; allowSha1?: boolean } | null;
  add(
    connection?.allowSha1 === true
      ? {
          id: 'sso_configured',
          status: 'warn',
          message: 'SSO is configured (SAML), but the connection accepts SHA-1 signatures (allowSha1), which can be forged: have the IdP sign with RSA-SHA256, then turn allowSha1 off.',
          subjects: ['allowSha1'],
          fix: 'sso',
        }
      : connection
        ? { id: 'sso_configured', status: 'pass', message: `SSO is configured (${String(connection.protocol).toUpperCase()}).`, fix: 'sso' }
        : { id: 'sso_configured', status: 'fail', message: 'No SSO connection: connect the identity provider (SAML or OIDC).', fix: 'sso' },
  );
  add(
    ws.sso.lastSuccessAt
      ? { id: 'sso_tested', status: 'pass', message: `A test user signed in through SSO at ${ws.sso.lastSuccessAt}.`, fix: 'sso' }
      : connection
        ? { id: 'sso_tested', status: 'warn', message: 'Nobody has signed in through SSO since the connection last changed: test with an invited user before enforcing.', fix: 'sso' }
        : { id: 'sso_tested', status: 'fail', message: 'SSO cannot be tested before it is configured.', fix: 'sso' },
  );
  add(
    ws.sso.enforcement !== 'off'
      ? { id: 'sso_enforced', status: 'pass', message: `SSO enforcement is "${ws.sso.enforcement}".`, fix: 'sso' }
      : { id: 'sso_enforced', status: 'warn', message: 'SSO is not enforced: verified-domain users can still use passwords and social sign-in.', fix: 'sso' },
  );

  const liveTokens = Object.values(ws.scimTokens).filter((t) => t.revokedAt === undefined);
  const scimMembers = Object.values(ws.members).filter((m) => m.source === 'scim');
  const scimGroups = Object.values(ws.groups).filter((g) => g.source === 'scim');
  const pushed = scimMembers.length > 0 || scimGroups.length > 0;
  // A pulled directory (Google Workspace, CSV over SFTP: docs/directory-sync.md) needs no SCIM token.
  const pulled = ws.directory.connection !== null && ws.directory.connection.type !== 'scim' ? ws.directory.connection.type : undefined;
  add(
    pulled !== undefined
      ? pushed
        ? { id: 'scim_connected', status: 'pass', message: `Directory sync (${pulled === 'google' ? 'Google Workspace' : 'CSV over SFTP'}) has provisioned ${scimMembers.length} users and ${scimGroups.length} groups.`, fix: 'directory' }
        : { id: 'scim_connected', status: 'warn', message: `Directory sync (${pulled === 'google' ? 'Google Workspace' : 'CSV over SFTP'}) is connected but has provisioned nothing yet: run a sync.`, fix: 'directory' }
      : liveTokens.length === 0
      ? { id: 'scim_connected', status: 'fail', message: 'No SCIM token: create one and give it to the identity provider\'s provisioning app.', fix: 'scim' }
      : pushed
        ? { id: 'scim_connected', status: 'pass', message: `The directory has pushed ${scimMembers.length} users and ${scimGroups.length} groups.`, fix: 'scim' }
        : { id: 'scim_connected', status: 'warn', message: 'A SCIM token exists but the directory has not pushed anything yet: start provisioning in the IdP.', fix: 'scim' },
  );

  const autoMembers = Object.values(ws.members).filter((m) => m.source === 'auto' && m.status !== 'deactivated');
  const scimOn = liveTokens.length > 0 || pushed;
  add(
    ws.settings.automaticAccountCreation && scimOn
      ? {
          id: 'aac_with_scim',
          status: 'fail',
          message: `Automatic account creation is on beside SCIM: users who arrive automatically are never deprovisioned by the directory (${autoMembers.length} so far). Turn automatic account creation off.`,
          subjects: autoMembers.map((m) => m.email),
          fix: 'scim',
        }
      : { id: 'aac_with_scim', status: 'pass', message: ws.settings.automaticAccountCreation ? 'Automatic account creation is on without SCIM.' : 'Automatic account creation is off.', fix: 'scim' },
  );

  const byName = new Map<string, { local: number; scim: number; name: string }>();
  for (const g of Object.values(ws.groups)) {
    const key = g.displayName.toLowerCase();
    const e = byName.get(key) ?? { local: 0, scim: 0, name: g.displayName };
    e[g.source]++;
    byName.set(key, e);
  }
  const duplicates = [...byName.values()].filter((e) => e.local > 0 && e.scim > 0).map((e) => e.name);
  add(
    duplicates.length > 0
      ? { id: 'duplicate_groups', status: 'warn', message: `Local and SCIM groups share names: ${duplicates.join(', ')}. Adopt each local group into its SCIM twin.`, subjects: duplicates, fix: 'groups' }
      : { id: 'duplicate_groups', status: 'pass', message: 'No local group shares a name with a SCIM group.', fix: 'groups' },
  );

  const localGrants: string[] = [];
  for (const role of Object.values(ws.roles.custom)) {
    for (const gid of role.groupIds) {
      const g = ws.groups[gid];
      if (g?.source === 'local') localGrants.push(`${role.name} ← ${g.displayName}`);
    }
  }
  add(
    localGrants.length > 0
      ? { id: 'local_groups_in_roles', status: 'warn', message: 'Roles are granted through local groups, which the directory does not manage: push these groups from the IdP and adopt them.', subjects: localGrants, fix: 'roles' }
      : { id: 'local_groups_in_roles', status: 'pass', message: 'Roles are granted through directory groups only.', fix: 'roles' },
  );

  const base = baseline(ws.roles.defaultPermissions as PermissionGrant);
  const elevated = ELEVATED.filter((k) => base[k]);
  add(
    elevated.length > 0
      ? { id: 'default_role_elevated', status: 'warn', message: `The default role gives ${elevated.join(', ')} to every member who holds no custom role: grant these through a custom role mapped to a group instead.`, subjects: [...elevated], fix: 'roles' }
      : { id: 'default_role_elevated', status: 'pass', message: 'The default role grants no publishing, Codex or advanced models.', fix: 'roles' },
  );

  // A custom role overrides the default role (RBAC article 11750701), so one that leaves out an
  // everyday tool takes it from its members; say so unless the role is marked restrictive.
  const dropping = Object.values(ws.roles.custom).flatMap((role) => {
    if (role.restrictive) return [];
    const dropped = droppedEverydayTools(base, roleSet(ws, role));
    return dropped.length > 0 ? [`${role.name}: ${dropped.join(', ')}`] : [];
  });
  add(
    dropping.length > 0
      ? {
          id: 'custom_role_drops_tools',
          status: 'warn',
          message: 'Custom roles override the default role, and these leave out everyday tools the default grants, so their members lose them. Add the tools to the role, or mark it "restrictive" if that is the intent.',
          subjects: dropping,
          fix: 'roles',
        }
      : { id: 'custom_role_drops_tools', status: 'pass', message: 'No custom role takes away an everyday tool by accident.', fix: 'roles' },
  );

  const unmanaged = Object.values(ws.members)
    .filter((m) => m.status === 'active' && m.source !== 'scim' && verifiedSet.has(emailDomain(m.email)))
    .map((m) => m.email);
  add(
    unmanaged.length > 0
      ? { id: 'unmanaged_members', status: 'warn', message: `${unmanaged.length} active verified-domain members are not managed by SCIM: they will not be deprovisioned when they leave the district.`, subjects: unmanaged, fix: 'members' }
      : { id: 'unmanaged_members', status: 'pass', message: 'Every active verified-domain member is managed by SCIM.', fix: 'members' },
  );

  const summary = { pass: 0, warn: 0, fail: 0 };
  for (const i of items) summary[i.status]++;
  return { items, summary };
}
