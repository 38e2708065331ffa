// Pins the typed client to the server's views: what each client call resolves to is the type the
// route's view function returns, inferred from the schema the OpenAPI document describes. Checked
// by tsc (`npm run typecheck`, part of `npm test`); the runtime part checks one real answer.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { createEmulator } from '../app.js';
import { workspaceViewSchema, type WorkspaceView } from '../control/routes.js';
import { domainViewSchema, type DomainVerificationView, type DomainView } from '../domains/verification.js';
import type { groupView, GroupView } from '../groups/groups.js';
import { memberViewSchema, type memberView, type MemberView } from '../members/members.js';
import type { ReadinessItem } from '../readiness/readiness.js';
import type { roleView, RoleView } from '../roles/roles.js';
import type { effectivePermissionsView } from '../usage-limits/usage-limits.js';
import type { ScimTokenView, tokenView } from '../scim/tokens.js';
import type { SettingsView } from '../settings/settings.js';
import type { EnforcementView } from '../signin/enforcement.js';
import type { ConnectionView, connectionView } from '../sso/connection.js';
import { createAdminClient, type AdminClient, type WorkspaceAdminClient } from './admin-client.js';
import type * as T from './types.js';

type Answer<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;

describe('client types', () => {
  it('are the views the routes make', () => {
    expectTypeOf<T.Member>().toEqualTypeOf<ReturnType<typeof memberView>>();
    expectTypeOf<T.Member>().toEqualTypeOf<z.output<typeof memberViewSchema>>();
    expectTypeOf<T.Group>().toEqualTypeOf<ReturnType<typeof groupView>>();
    expectTypeOf<T.Role>().toEqualTypeOf<ReturnType<typeof roleView>>();
    expectTypeOf<T.ScimToken>().toEqualTypeOf<ReturnType<typeof tokenView>>();
    expectTypeOf<T.SsoConnection>().toEqualTypeOf<ReturnType<typeof connectionView>>();
    expectTypeOf<T.EffectivePermissions>().toEqualTypeOf<ReturnType<typeof effectivePermissionsView>>();
    expectTypeOf<T.Domain>().toEqualTypeOf<z.output<typeof domainViewSchema>>();
    expectTypeOf<T.WorkspaceInfo>().toEqualTypeOf<z.output<typeof workspaceViewSchema>>();
  });

  it('are what the client calls resolve to', () => {
    expectTypeOf<Answer<WorkspaceAdminClient['users']['get']>>().toEqualTypeOf<MemberView>();
    expectTypeOf<Answer<WorkspaceAdminClient['users']['list']>>().toEqualTypeOf<MemberView[]>();
    expectTypeOf<Answer<WorkspaceAdminClient['domains']['add']>>().toEqualTypeOf<DomainView>();
    expectTypeOf<Answer<WorkspaceAdminClient['domains']['verify']>>().toEqualTypeOf<DomainVerificationView>();
    expectTypeOf<Answer<WorkspaceAdminClient['groups']['create']>>().toEqualTypeOf<GroupView>();
    expectTypeOf<Answer<WorkspaceAdminClient['roles']['create']>>().toEqualTypeOf<RoleView>();
    expectTypeOf<Answer<WorkspaceAdminClient['scimTokens']['list']>>().toEqualTypeOf<ScimTokenView[]>();
    expectTypeOf<Answer<WorkspaceAdminClient['sso']['get']>>().toEqualTypeOf<ConnectionView>();
    expectTypeOf<Answer<WorkspaceAdminClient['sso']['enforcement']['get']>>().toEqualTypeOf<EnforcementView>();
    expectTypeOf<Answer<WorkspaceAdminClient['settings']['get']>>().toEqualTypeOf<SettingsView>();
    expectTypeOf<Answer<WorkspaceAdminClient['readiness']>>().toEqualTypeOf<ReadinessItem[]>();
    expectTypeOf<Answer<AdminClient['workspaces']['get']>>().toEqualTypeOf<WorkspaceView>();
  });

  it('describe what the client really receives', async () => {
    const emulator = createEmulator();
    const client = createAdminClient({ url: 'http://emulator.test', adminKey: emulator.adminKey, fetch: (r) => emulator.app.fetch(r) });
    const member = await client.workspace('default').invites.create({ email: 'ada@springfield.k12.us', role: 'admin' });
    expect(memberViewSchema.strict().parse(member)).toEqual(member);
  });
});
