// Every operation of the control plane, the workspace admin API and the mock IdP's management
// API, with the zod schemas that validate its request body (imported from the route modules, so
// the document is generated from the very schemas that check requests).
import { z } from 'zod';
import {
  clockInput,
  clockViewSchema,
  dnsInput,
  dnsRecordViewSchema,
  dnsZoneViewSchema,
  healthViewSchema,
  resetInput,
  resetViewSchema,
  stateImportedSchema,
  workspaceInput,
  workspaceViewSchema,
} from '../control/routes.js';
import { addInput } from '../domains/routes.js';
import { domainVerificationSchema, domainViewSchema } from '../domains/verification.js';
import { eventRecordSchema } from '../store/state.js';
import { groupViewSchema } from '../groups/groups.js';
import { adoptInput, groupMembersInput, groupNameInput } from '../groups/routes.js';
import { idpGroupInput, idpGroupViewSchema, idpInput, idpUserInput, idpUserUpdate, idpUserViewSchema } from '../idp/directory.js';
import { provisionInput } from '../idp/provision.js';
import { faultsInput, faultsViewSchema, groupUpdate, idpUpdate, moveInput, oidcAppInput, samlAppInput } from '../idp/routes.js';
import { memberViewSchema } from '../members/members.js';
import { inviteInput, updateInput } from '../members/routes.js';
import { readinessReportSchema } from '../readiness/readiness.js';
import { appRecordSchema } from '../store/role-state.js';
import { defaultRoleViewSchema, roleViewSchema } from '../roles/roles.js';
import { effectivePermissionsViewSchema } from '../usage-limits/usage-limits.js';
import { catalogueEntrySchema, defaultRoleInput, roleCreateInput, roleGroupsInput, roleUpdateInput } from '../roles/routes.js';
import { scimRequestEntrySchema } from '../scim/request-log.js';
import { tokenInput } from '../scim/routes.js';
import { usageLimitsInput } from '../usage-limits/routes.js';
import { issuedScimTokenSchema, scimTokenViewSchema } from '../scim/tokens.js';
import { memberUsageLimitViewSchema, usageLimitsViewSchema } from '../usage-limits/usage-limits.js';
import { settingsPatch } from '../settings/routes.js';
import { settingsViewSchema } from '../settings/settings.js';
import { checkInput, enforcementInput, signInCheckViewSchema } from '../signin/admin-routes.js';
import { enforcementViewSchema } from '../signin/enforcement.js';
import { connectionInput, connectionViewSchema } from '../sso/connection.js';
import { recordingViewSchema, startRecordingBody } from '../recorder/routes.js';
import { directoryInput, directoryViewSchema, syncDetailViewSchema, syncListViewSchema, syncViewSchema, uploadInput } from '../directory/directory.js';
import { conformanceReportSchema } from '../conformance/report.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Tag = 'Control plane' | 'Domains' | 'Settings' | 'Members' | 'Sign-in policy' | 'SSO' | 'SCIM tokens' | 'Groups' | 'Roles' | 'Usage limits' | 'Readiness' | 'Events' | 'Recordings' | 'Directory sync' | 'Conformance' | 'Mock IdP';

export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/w/{ws}/api/domains/{domain}`. */
  path: string;
  tag: Tag;
  summary: string;
  body?: z.ZodType;
  /** Query parameters and what they mean. */
  query?: Record<string, string>;
  /** The success answer's shape: the schema the route's view is typed by (an object of any shape when absent). */
  response?: z.ZodType;
  /** Success status (200 by default). */
  status?: number;
  /** Needs no admin key. */
  public?: boolean;
  /** The success response's media type (JSON by default). */
  responseType?: 'text/html' | 'text/yaml';
  /** Other media types the success response takes (chosen by a query parameter), each with when. */
  alsoResponds?: Partial<Record<'text/html' | 'application/xml', string>>;
  /** A request body that is not JSON: its media type and what it holds. */
  rawBody?: { type: 'text/csv'; description: string };
}

const mockIdpConnection = z
  .object({
    protocol: z.enum(['saml', 'oidc']),
    mockIdp: z.string().min(1).meta({ description: 'The id of a mock IdP (POST /_emulator/idps); 404 idp_not_found otherwise.' }),
    allowIdpInitiated: z.boolean().optional(),
    allowSha1: z.boolean().optional(),
    force: z.boolean().optional(),
  })
  .meta({ description: 'Connects the built-in mock IdP on both sides in one call.' });

const list = <K extends string>(key: K, item: z.ZodType) => z.object({ [key]: z.array(item) } as Record<K, z.ZodArray<z.ZodType>>);

const ws = '/w/{ws}/api';
const idp = '/idp/{idp}';

export const OPERATIONS: ApiOperation[] = [
  // Control plane
  { method: 'get', path: '/_emulator/health', tag: 'Control plane', summary: 'Health and version', public: true, response: healthViewSchema },
  { method: 'get', path: '/_emulator/openapi.json', tag: 'Control plane', summary: 'This document (OpenAPI 3.1)', public: true },
  { method: 'get', path: '/_emulator/docs', tag: 'Control plane', summary: 'This document as a readable page', public: true, responseType: 'text/html' },
  { method: 'get', path: '/_emulator/workspaces', tag: 'Control plane', summary: 'List workspaces', response: list('workspaces', workspaceViewSchema) },
  { method: 'post', path: '/_emulator/workspaces', tag: 'Control plane', summary: 'Create a workspace', body: workspaceInput, status: 201, response: workspaceViewSchema },
  { method: 'get', path: '/_emulator/workspaces/{id}', tag: 'Control plane', summary: 'Read a workspace', response: workspaceViewSchema },
  { method: 'delete', path: '/_emulator/workspaces/{id}', tag: 'Control plane', summary: 'Delete a workspace', status: 204 },
  { method: 'post', path: '/_emulator/workspaces/{id}/reset', tag: 'Control plane', summary: 'Reset one workspace to its state at creation', response: workspaceViewSchema },
  { method: 'post', path: '/_emulator/reset', tag: 'Control plane', summary: 'Reset everything, or one workspace', body: resetInput, response: resetViewSchema },
  { method: 'get', path: '/_emulator/state', tag: 'Control plane', summary: 'Export the whole state' },
  { method: 'put', path: '/_emulator/state', tag: 'Control plane', summary: 'Import a state (validated; an invalid one changes nothing)', response: stateImportedSchema },
  { method: 'get', path: '/_emulator/clock', tag: 'Control plane', summary: 'Read the emulator clock', query: { workspace: 'a workspace whose own clock to read' }, response: clockViewSchema },
  { method: 'post', path: '/_emulator/clock', tag: 'Control plane', summary: 'Advance or set the emulator clock (all workspaces, or one)', body: clockInput, response: clockViewSchema },
  { method: 'get', path: '/_emulator/dns', tag: 'Control plane', summary: 'The simulated DNS zone', response: dnsZoneViewSchema },
  { method: 'get', path: '/_emulator/dns/{name}', tag: 'Control plane', summary: 'TXT records at a name', response: dnsRecordViewSchema },
  { method: 'put', path: '/_emulator/dns/{name}', tag: 'Control plane', summary: 'Publish TXT records at a name', body: dnsInput, response: dnsRecordViewSchema },
  { method: 'post', path: '/_emulator/dns/{name}', tag: 'Control plane', summary: 'Add TXT values at a name, keeping those already there', body: dnsInput, response: dnsRecordViewSchema },
  { method: 'delete', path: '/_emulator/dns/{name}', tag: 'Control plane', summary: 'Remove a name from the zone', status: 204 },
  {
    method: 'get',
    path: '/_emulator/events',
    tag: 'Events',
    summary: 'The event journal (JSON, or server-sent events with Accept: text/event-stream)',
    query: { workspace: 'only this workspace', type: 'a type, or a prefix such as `domain.` or `scim.*`', after: 'events after this sequence number', limit: 'at most this many (newest)' },
    response: list('events', eventRecordSchema),
  },
  { method: 'get', path: '/_emulator/idps', tag: 'Mock IdP', summary: 'List mock IdPs' },
  { method: 'post', path: '/_emulator/idps', tag: 'Mock IdP', summary: 'Create a mock IdP with its directory', body: idpInput, status: 201 },
  { method: 'get', path: '/_emulator/idps/{id}', tag: 'Mock IdP', summary: 'Read a mock IdP' },
  { method: 'delete', path: '/_emulator/idps/{id}', tag: 'Mock IdP', summary: 'Delete a mock IdP', status: 204 },

  // Workspace admin API
  { method: 'get', path: `${ws}/domains`, tag: 'Domains', summary: 'List domains', response: list('domains', domainViewSchema) },
  { method: 'post', path: `${ws}/domains`, tag: 'Domains', summary: 'Add a domain; answers the TXT record to publish', body: addInput, status: 201, response: domainViewSchema },
  { method: 'get', path: `${ws}/domains/{domain}`, tag: 'Domains', summary: 'Read a domain', response: domainViewSchema },
  { method: 'delete', path: `${ws}/domains/{domain}`, tag: 'Domains', summary: 'Remove a domain', status: 204 },
  { method: 'post', path: `${ws}/domains/{domain}/verify`, tag: 'Domains', summary: 'Look the TXT record up and verify', response: domainVerificationSchema },
  { method: 'get', path: `${ws}/settings`, tag: 'Settings', summary: 'Read settings', response: settingsViewSchema },
  { method: 'patch', path: `${ws}/settings`, tag: 'Settings', summary: 'Automatic account creation and break-glass', body: settingsPatch, response: settingsViewSchema },
  { method: 'post', path: `${ws}/invites`, tag: 'Members', summary: 'Invite a member', body: inviteInput, status: 201, response: memberViewSchema },
  { method: 'get', path: `${ws}/users`, tag: 'Members', summary: 'List members', query: { email: 'the member with this email (case-insensitive)' }, response: list('users', memberViewSchema) },
  { method: 'get', path: `${ws}/users/{id}`, tag: 'Members', summary: 'Read a member', response: memberViewSchema },
  { method: 'patch', path: `${ws}/users/{id}`, tag: 'Members', summary: 'Change a member\'s role or password', body: updateInput, response: memberViewSchema },
  { method: 'delete', path: `${ws}/users/{id}`, tag: 'Members', summary: 'Remove an invited or automatic member', status: 204 },
  { method: 'get', path: `${ws}/users/{id}/permissions`, tag: 'Roles', summary: 'Effective permissions, the rule that applied and the grant behind each', response: effectivePermissionsViewSchema },
  { method: 'get', path: `${ws}/users/{id}/usage-limit`, tag: 'Usage limits', summary: 'A member\'s monthly credit limit and its source (user, group, workspace or none)', response: memberUsageLimitViewSchema },
  { method: 'post', path: `${ws}/sign-in/check`, tag: 'Sign-in policy', summary: 'Evaluate a sign-in without side effects', body: checkInput, response: signInCheckViewSchema },
  { method: 'get', path: `${ws}/sso/enforcement`, tag: 'Sign-in policy', summary: 'Read SSO enforcement', response: enforcementViewSchema },
  { method: 'put', path: `${ws}/sso/enforcement`, tag: 'Sign-in policy', summary: 'Set SSO enforcement (409 sso_untested until a test sign-in, 409 owner_lockout when no owner keeps a way in); answers with the preview', body: enforcementInput, response: enforcementViewSchema.extend({ preview: z.looseObject({}) }) },
  { method: 'get', path: `${ws}/sso/enforcement/preview`, tag: 'Sign-in policy', summary: 'What-if: who each member can sign in with now and at a level, from the live evaluator', query: { level: '`off`, `no_passwords` or `sso_only`' } },
  { method: 'get', path: `${ws}/sso`, tag: 'SSO', summary: 'The SSO connection and the workspace\'s own values (entity ID, ACS URL, redirect URI)', response: connectionViewSchema },
  { method: 'put', path: `${ws}/sso`, tag: 'SSO', summary: 'Configure SSO (SAML metadata or fields, OIDC issuer and client, or a mock IdP); 409 enforcement_active when it swaps the IdP while enforced, unless force', body: z.union([connectionInput, mockIdpConnection]), response: connectionViewSchema },
  { method: 'delete', path: `${ws}/sso`, tag: 'SSO', summary: 'Remove the SSO connection', status: 204 },
  { method: 'get', path: `${ws}/scim/tokens`, tag: 'SCIM tokens', summary: 'List SCIM tokens (never their secrets)', response: list('tokens', scimTokenViewSchema) },
  { method: 'post', path: `${ws}/scim/tokens`, tag: 'SCIM tokens', summary: 'Create a SCIM token (shown once)', body: tokenInput, status: 201, response: issuedScimTokenSchema },
  { method: 'delete', path: `${ws}/scim/tokens/{id}`, tag: 'SCIM tokens', summary: 'Revoke a SCIM token', status: 204 },
  { method: 'get', path: `${ws}/directory`, tag: 'Directory sync', summary: 'The directory connection (SCIM, Google Workspace pulled, CSV over SFTP) and its last sync', response: directoryViewSchema },
  { method: 'put', path: `${ws}/directory`, tag: 'Directory sync', summary: 'Set the directory connection (a baseUrl/tokenUrl other than a mock IdP needs the admin key)', body: directoryInput, response: directoryViewSchema },
  { method: 'delete', path: `${ws}/directory`, tag: 'Directory sync', summary: 'Remove the directory connection (members and groups stay)', status: 204 },
  { method: 'post', path: `${ws}/directory/sync`, tag: 'Directory sync', summary: 'Sync now: pull or read the files, apply whole or not at all', response: syncViewSchema },
  { method: 'post', path: `${ws}/directory/upload`, tag: 'Directory sync', summary: 'Upload users.csv and/or groups.csv as JSON text, then sync', body: uploadInput, response: syncViewSchema },
  { method: 'put', path: `${ws}/directory/files/{name}`, tag: 'Directory sync', summary: 'Upload users.csv or groups.csv as text/csv, then sync', rawBody: { type: 'text/csv', description: 'The file itself: RFC 4180, UTF-8, a header row (docs/directory-sync.md).' }, response: syncViewSchema },
  { method: 'get', path: `${ws}/directory/syncs`, tag: 'Directory sync', summary: 'Every sync kept, newest first', response: syncListViewSchema },
  { method: 'get', path: `${ws}/directory/syncs/{id}`, tag: 'Directory sync', summary: 'One sync with the files it read', response: syncDetailViewSchema },
  { method: 'get', path: `${ws}/scim/requests`, tag: 'SCIM tokens', summary: 'The last SCIM requests and their statuses', response: list('requests', scimRequestEntrySchema) },
  { method: 'get', path: `${ws}/groups`, tag: 'Groups', summary: 'List groups (local and SCIM)', query: { source: '`local` or `scim`' }, response: list('groups', groupViewSchema) },
  { method: 'post', path: `${ws}/groups`, tag: 'Groups', summary: 'Create a local group', body: groupNameInput, status: 201, response: groupViewSchema },
  { method: 'get', path: `${ws}/groups/{id}`, tag: 'Groups', summary: 'Read a group', response: groupViewSchema },
  { method: 'patch', path: `${ws}/groups/{id}`, tag: 'Groups', summary: 'Rename a local group (409 scim_managed for SCIM groups)', body: groupNameInput, response: groupViewSchema },
  { method: 'delete', path: `${ws}/groups/{id}`, tag: 'Groups', summary: 'Delete a local group and its role mappings', status: 204 },
  { method: 'get', path: `${ws}/groups/{id}/members`, tag: 'Groups', summary: 'Members of a group', response: list('members', memberViewSchema) },
  { method: 'put', path: `${ws}/groups/{id}/members`, tag: 'Groups', summary: 'Set a local group\'s members', body: groupMembersInput, response: groupViewSchema },
  { method: 'post', path: `${ws}/groups/{id}/adopt`, tag: 'Groups', summary: 'Move a local group\'s role mappings onto a SCIM group and remove it', body: adoptInput, response: groupViewSchema },
  { method: 'get', path: `${ws}/roles`, tag: 'Roles', summary: 'The default role and custom roles', response: z.object({ default: defaultRoleViewSchema, roles: z.array(roleViewSchema), catalogue: z.array(catalogueEntrySchema) }) },
  { method: 'post', path: `${ws}/roles`, tag: 'Roles', summary: 'Create a custom role', body: roleCreateInput, status: 201, response: roleViewSchema },
  { method: 'get', path: `${ws}/roles/default`, tag: 'Roles', summary: 'The default role (every member\'s baseline)', response: defaultRoleViewSchema },
  { method: 'put', path: `${ws}/roles/default`, tag: 'Roles', summary: 'Change the default role', body: defaultRoleInput, response: defaultRoleViewSchema },
  { method: 'get', path: `${ws}/roles/{id}`, tag: 'Roles', summary: 'Read a custom role', response: roleViewSchema },
  { method: 'patch', path: `${ws}/roles/{id}`, tag: 'Roles', summary: 'Rename or re-permission a custom role', body: roleUpdateInput, response: roleViewSchema },
  { method: 'delete', path: `${ws}/roles/{id}`, tag: 'Roles', summary: 'Delete a custom role and its grants', status: 204 },
  { method: 'put', path: `${ws}/roles/{id}/groups`, tag: 'Roles', summary: 'Assign a role to groups', body: roleGroupsInput, response: roleViewSchema },
  { method: 'get', path: `${ws}/apps`, tag: 'Roles', summary: 'The workspace\'s app catalog', response: list('apps', appRecordSchema) },
  { method: 'get', path: `${ws}/usage-limits`, tag: 'Usage limits', summary: 'Monthly credit limits: workspace default, group defaults, user overrides', response: usageLimitsViewSchema },
  { method: 'put', path: `${ws}/usage-limits`, tag: 'Usage limits', summary: 'Replace the monthly credit limits (null: no limit)', body: usageLimitsInput, response: usageLimitsViewSchema },
  { method: 'get', path: `${ws}/readiness`, tag: 'Readiness', summary: 'The launch-readiness checklist', response: readinessReportSchema },
  { method: 'get', path: `${ws}/events`, tag: 'Events', summary: 'The workspace\'s journal (JSON or server-sent events)', query: { type: 'a type or prefix', after: 'after this sequence number', limit: 'at most this many' }, response: list('events', eventRecordSchema) },
  {
    method: 'get',
    path: `${ws}/conformance`,
    tag: 'Conformance',
    summary: 'The conformance report of the IdP\'s traffic (docs/conformance.md): JSON, or format=html / junit',
    query: {
      profile: 'rfc (default), entra, entra-aadoptscim062020, okta-oin, okta-aiw, onelogin, jumpcloud, google, classlink or clever',
      since: 'only requests at or after this ISO 8601 time',
      format: 'json (default), html or junit',
    },
    response: conformanceReportSchema,
    alsoResponds: { 'text/html': 'format=html: the report as a page for people', 'application/xml': 'format=junit: JUnit XML, one testcase per rule, a failure per failed finding' },
  },
  { method: 'delete', path: `${ws}/conformance`, tag: 'Conformance', summary: 'Clear the conformance findings', status: 204 },
  { method: 'get', path: `${ws}/recordings`, tag: 'Recordings', summary: 'The workspace\'s recordings (docs/recorder.md)', response: list('recordings', recordingViewSchema) },
  { method: 'post', path: `${ws}/recordings`, tag: 'Recordings', summary: 'Start recording the workspace\'s traffic as scenario steps', body: startRecordingBody, status: 201, response: recordingViewSchema },
  { method: 'get', path: `${ws}/recordings/{id}`, tag: 'Recordings', summary: 'One recording', response: recordingViewSchema },
  { method: 'post', path: `${ws}/recordings/{id}/stop`, tag: 'Recordings', summary: 'Stop a recording', response: recordingViewSchema },
  { method: 'get', path: `${ws}/recordings/{id}/scenario`, tag: 'Recordings', summary: 'The recording as a scenario file (422 secret_in_recording when a secret would reach it)', responseType: 'text/yaml' },

  // Mock IdP management
  { method: 'get', path: idp, tag: 'Mock IdP', summary: 'The IdP, its endpoints and applications', public: true },
  { method: 'patch', path: idp, tag: 'Mock IdP', summary: 'Rename, or switch auto-approve', body: idpUpdate, public: true },
  { method: 'get', path: `${idp}/users`, tag: 'Mock IdP', summary: 'Directory users', query: { email: 'the user with this email' }, public: true, response: list('users', idpUserViewSchema) },
  { method: 'post', path: `${idp}/users`, tag: 'Mock IdP', summary: 'Add a directory user', body: idpUserInput, status: 201, public: true, response: idpUserViewSchema },
  { method: 'get', path: `${idp}/users/{user}`, tag: 'Mock IdP', summary: 'Read a user (by id or email)', public: true, response: idpUserViewSchema },
  { method: 'patch', path: `${idp}/users/{user}`, tag: 'Mock IdP', summary: 'Change a user (provisioned: false takes them out of the SCIM scope)', body: idpUserUpdate, public: true, response: idpUserViewSchema },
  { method: 'delete', path: `${idp}/users/{user}`, tag: 'Mock IdP', summary: 'Delete a user', status: 204, public: true },
  { method: 'post', path: `${idp}/users/{user}/move`, tag: 'Mock IdP', summary: 'Move a user from one group to another', body: moveInput, public: true, response: idpUserViewSchema },
  { method: 'get', path: `${idp}/groups`, tag: 'Mock IdP', summary: 'Directory groups', public: true, response: list('groups', idpGroupViewSchema) },
  { method: 'post', path: `${idp}/groups`, tag: 'Mock IdP', summary: 'Add a group', body: idpGroupInput, status: 201, public: true, response: idpGroupViewSchema },
  { method: 'get', path: `${idp}/groups/{group}`, tag: 'Mock IdP', summary: 'Read a group', public: true, response: idpGroupViewSchema },
  { method: 'patch', path: `${idp}/groups/{group}`, tag: 'Mock IdP', summary: 'Rename a group or set its members', body: groupUpdate, public: true, response: idpGroupViewSchema },
  { method: 'delete', path: `${idp}/groups/{group}`, tag: 'Mock IdP', summary: 'Delete a group', status: 204, public: true },
  { method: 'put', path: `${idp}/groups/{group}/members/{user}`, tag: 'Mock IdP', summary: 'Add a user to a group', public: true, response: idpGroupViewSchema },
  { method: 'delete', path: `${idp}/groups/{group}/members/{user}`, tag: 'Mock IdP', summary: 'Take a user out of a group', public: true, response: idpGroupViewSchema },
  { method: 'get', path: `${idp}/faults`, tag: 'Mock IdP', summary: 'Armed faults', public: true, response: faultsViewSchema },
  { method: 'put', path: `${idp}/faults`, tag: 'Mock IdP', summary: 'Arm faults for the next sign-in or per user', body: faultsInput, public: true, response: faultsViewSchema },
  { method: 'delete', path: `${idp}/faults`, tag: 'Mock IdP', summary: 'Disarm every fault', status: 204, public: true },
  { method: 'get', path: `${idp}/apps`, tag: 'Mock IdP', summary: 'Registered SAML SPs and OIDC clients', public: true },
  { method: 'post', path: `${idp}/apps/saml`, tag: 'Mock IdP', summary: 'Register a SAML service provider', body: samlAppInput, status: 201, public: true },
  { method: 'post', path: `${idp}/apps/oidc`, tag: 'Mock IdP', summary: 'Register an OIDC client', body: oidcAppInput, status: 201, public: true },
  { method: 'get', path: `${idp}/provision`, tag: 'Mock IdP', summary: 'Remembered provisioning targets', public: true },
  { method: 'post', path: `${idp}/provision`, tag: 'Mock IdP', summary: 'Push the directory over SCIM in the vendor\'s dialect', body: provisionInput, public: true },
];
