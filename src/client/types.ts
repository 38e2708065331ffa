// The JSON shapes of the control plane and the workspace admin API as the typed client returns
// them (docs/http-api.md). The answers' types are re-exported from where the views are made (each inferred
// from the zod schema the OpenAPI document also describes), so the three can never drift apart;
// only the inputs the client sends are written here.
import type { z } from 'zod';
import type { MemberView } from '../members/members.js';
import type { connectionInput } from '../sso/connection.js';
import type { idpGroupInput, idpInput, idpUserInput, idpUserUpdate } from '../idp/directory.js';
import type { provisionInput } from '../idp/provision.js';
import type { faultsInput, faultsViewSchema } from '../idp/routes.js';
import type { directoryInput, syncDetailViewSchema } from '../directory/directory.js';

export type MemberRole = MemberView['role'];
export type MemberSource = MemberView['source'];
export type MemberStatus = MemberView['status'];
export type { EnforcementLevel } from '../store/state.js';
export type { SignInMethod } from '../signin/policy.js';
export type { RefusalReason as SignInReason } from '../signin/policy.js';
export type { PermissionKey, PermissionGrant as Permissions } from '../roles/permissions.js';

export type { HealthView as Health, WorkspaceView as WorkspaceInfo, ClockView as Clock, DnsRecordView as DnsRecord } from '../control/routes.js';
export type { EventRecord as EmulatorEvent } from '../store/state.js';
export type { DomainView as Domain, DomainVerificationView as DomainVerification } from '../domains/verification.js';
export type { SettingsView as Settings } from '../settings/settings.js';
export type { MemberView as Member } from '../members/members.js';
export type { ScimTokenView as ScimToken, IssuedScimTokenView as IssuedScimToken } from '../scim/tokens.js';
export type { ScimRequestEntry as ScimRequest } from '../scim/request-log.js';
export type { ConnectionView as SsoConnection } from '../sso/connection.js';
export type { EnforcementView as Enforcement } from '../signin/enforcement.js';
export type { EnforcementPreview, PreviewRow as EnforcementPreviewRow } from '../signin/enforcement-preview.js';
export type { SignInCheckView as SignInCheck } from '../signin/admin-routes.js';
export type { GroupView as Group } from '../groups/groups.js';
export type { RoleView as Role, DefaultRoleView as DefaultRole } from '../roles/roles.js';
export type {
  EffectivePermissionsView as EffectivePermissions,
  MemberUsageLimitView as UsageLimit,
  UsageLimitsView as UsageLimits,
  UsageLimitsInput,
} from '../usage-limits/usage-limits.js';
export type { AppRecord as CatalogApp } from '../store/role-state.js';
export type { ReadinessItem, ReadinessReport } from '../readiness/readiness.js';
export type { ConformanceReport, ReportedFinding as ConformanceFinding } from '../conformance/report.js';
export type { Profile as ConformanceProfile } from '../conformance/rules.js';

export type { IdpView as MockIdp } from '../idp/registry.js';
export type { IdpUserView as IdpUser, IdpGroupView as IdpGroup } from '../idp/directory.js';
export type { ProvisioningReport } from '../idp/provisioning/run.js';
export type { DirectoryView as Directory, SyncView as DirectorySync } from '../directory/directory.js';
/** A directory connection to set (`PUT /w/{ws}/api/directory`, docs/directory-sync.md). */
export type DirectoryInput = z.input<typeof directoryInput>;
/** One sync with the CSV files it read. */
export type DirectorySyncDetail = z.output<typeof syncDetailViewSchema>;
/** A mock IdP to create (`POST /_emulator/idps`). */
export type IdpInput = z.input<typeof idpInput>;
export type IdpUserInput = z.input<typeof idpUserInput>;
export type IdpUserUpdate = z.input<typeof idpUserUpdate>;
export type IdpGroupInput = z.input<typeof idpGroupInput>;
export type ProvisionInput = z.input<typeof provisionInput>;
/** The armed faults: the next sign-in's, and per user (lower-case email). */
export type IdpFaults = z.output<typeof faultsViewSchema>;
export type IdpFaultsInput = z.input<typeof faultsInput>;

export interface InviteInput {
  email: string;
  role?: MemberRole;
  password?: string;
  givenName?: string;
  familyName?: string;
}

export interface MemberUpdate {
  role?: MemberRole;
  password?: string;
}

/** A SAML connection (IdP metadata or fields) or an OIDC one, as `PUT /sso` validates it. */
export type SsoConnectionInput = z.input<typeof connectionInput> | MockIdpConnectionInput;

/** Connects the built-in mock IdP on both sides in one call. */
export interface MockIdpConnectionInput {
  protocol: 'saml' | 'oidc';
  mockIdp: string;
  allowIdpInitiated?: boolean;
}

export interface EventQuery {
  /** Exact type, or a prefix ending in `.` or `*` (`domain.` / `domain.*`). */
  type?: string;
  /** Only events with a sequence number greater than this. */
  after?: number;
  limit?: number;
}
