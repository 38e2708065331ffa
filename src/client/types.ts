// The JSON shapes of the control plane and the workspace admin API as the typed client returns
// them (docs/http-api.md). Fields the emulator may add later are allowed through the index signatures.

export type MemberRole = 'owner' | 'admin' | 'member' | 'analytics_viewer';
export type MemberSource = 'invite' | 'scim' | 'auto';
export type MemberStatus = 'pending_invite' | 'active' | 'deactivated';
export type EnforcementLevel = 'off' | 'no_passwords' | 'sso_only';
export type SignInMethod = 'password' | 'social' | 'sso';
export type SignInReason =
  | 'not_a_member'
  | 'deactivated'
  | 'sso_required'
  | 'sso_not_configured'
  | 'domain_not_verified'
  | 'invalid_credentials'
  | `saml_${string}`
  | `oidc_${string}`;

export interface Health {
  status: 'ok';
  version: string;
}

export interface WorkspaceInfo {
  id: string;
  name: string;
  baseUrl: string;
  createdAt?: string;
}

export interface Clock {
  now: string;
  workspace?: string;
}

export interface DnsRecord {
  name: string;
  txt: string[];
}

export interface EmulatorEvent {
  id: string;
  type: string;
  time?: string;
  workspace?: string | null;
  actor?: string;
  detail?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface EventQuery {
  type?: string;
  after?: number;
  limit?: number;
}

export interface Domain {
  domain: string;
  status: 'pending' | 'verified' | 'expired';
  txt: { name: string; type: 'TXT'; value: string };
  createdAt: string;
  expiresAt?: string;
  expiredAt?: string;
  verifiedAt?: string;
  lastCheckedAt?: string;
  /** After a failed verification: the TXT values seen. */
  found?: string[];
  expected?: string;
  reason?: string;
  message?: string;
}

export interface Settings {
  automaticAccountCreation: boolean;
  breakGlass: boolean;
  [key: string]: unknown;
}

export interface Member {
  id: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  source: MemberSource;
  status: MemberStatus;
  role: MemberRole;
  groups: { id: string; displayName: string; source?: 'scim' | 'local' }[];
  createdAt: string;
  lastSignInAt?: string;
  deactivatedAt?: string;
}

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

export interface ScimToken {
  id: string;
  name?: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt?: string;
  status: 'active' | 'revoked';
}

/** The one answer that shows a SCIM token's secret. */
export interface IssuedScimToken extends Partial<ScimToken> {
  id: string;
  token: string;
}

export type SsoConnectionInput =
  | { protocol: 'saml'; metadataXml: string }
  | { protocol: 'saml'; idp: { entityId: string; ssoUrl: string; certificates: string[] } }
  | { protocol: 'oidc'; issuer: string; clientId: string; clientSecret: string };

export interface SsoConnection {
  configured: boolean;
  protocol?: 'saml' | 'oidc';
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  redirectUri: string;
  loginUrl?: string;
  enforcement: EnforcementLevel;
  tested: boolean;
  [key: string]: unknown;
}

export interface Enforcement {
  level: EnforcementLevel;
  ssoConfigured: boolean;
  tested: boolean;
  lastSuccessfulSsoAt?: string;
  changedAt?: string;
}

export interface SignInCheck {
  outcome: 'allowed' | 'denied';
  reason?: SignInReason;
  [key: string]: unknown;
}

export interface Group {
  id: string;
  displayName: string;
  source: 'scim' | 'local';
  memberCount: number;
  [key: string]: unknown;
}

export type PermissionKey =
  | 'gpts.use'
  | 'gpts.create'
  | 'gpts.edit'
  | 'gpts.share'
  | 'gpts.delete'
  | 'gpts.publish_workspace'
  | 'skills.use'
  | 'skills.create'
  | 'skills.file_upload'
  | 'skills.share'
  | 'skills.publish_workspace'
  | 'skills.install_for_others'
  | 'models.advanced'
  | 'codex.use'
  | 'codex.internet'
  | 'canvas.code_execution'
  | 'canvas.network'
  | 'agent.use'
  | 'search.web'
  | 'search.agent_mode'
  | 'projects.use'
  | 'projects.share'
  | 'record.use'
  | 'record.past_notes'
  | 'lockdown';

export type Permissions = { [K in PermissionKey]?: boolean } & { apps?: string[]; /** Alias of the member's usage limit (null: none). */ 'credits.monthly_limit'?: number | null };

export interface Role {
  id: string;
  name: string;
  permissions: Permissions;
  [key: string]: unknown;
}

export interface EffectivePermissions {
  permissions: Permissions;
  /** "default role: no custom role" or "custom roles X, Y through groups A, B". */
  rule: string;
  source: 'default' | 'custom' | 'deactivated';
  grants: { permission: string; role: string; group?: string }[];
  usageLimit: UsageLimit;
}

export interface UsageLimit {
  /** Credits per UTC calendar month; null: no limit. */
  limit: number | null;
  source: 'user' | 'group' | 'workspace' | 'none';
  group?: string;
  role?: string;
}

export interface UsageLimitsInput {
  /** Credits per user per UTC calendar month; null: no limit. */
  workspaceDefault?: number | null;
  groups?: { group: string; limit: number | null }[];
  users?: { user: string; limit: number | null }[];
}

export interface UsageLimits {
  period: string;
  workspaceDefault: number | null;
  groups: { group: string; displayName: string; limit: number | null }[];
  users: { user: string; email: string; limit: number | null }[];
  /** Group defaults that come from a custom role's credits.monthly_limit. */
  fromRoles: { group: string; displayName: string; role: string; limit: number | null }[];
}

export interface CatalogApp {
  id: string;
  name: string;
}

export interface ReadinessItem {
  id: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  subjects?: unknown[];
}
