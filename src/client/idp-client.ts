// The typed client of the built-in mock IdP: its management on the control plane (/_emulator/idps)
// and its directory, faults, applications and provisioning (/idp/{idp}), docs/mock-idp.md.
import type {
  IdpFaults,
  IdpFaultsInput,
  IdpGroup,
  IdpGroupInput,
  IdpInput,
  IdpUser,
  IdpUserInput,
  IdpUserUpdate,
  MockIdp,
  ProvisionInput,
  ProvisioningReport,
} from './types.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Call = <T>(method: Method, path: string, body?: unknown) => Promise<T>;

const seg = encodeURIComponent;

/** `/_emulator/idps`: create, list, read and delete mock IdPs. */
export function idpsAdmin(request: Call) {
  return {
    /** Creates a mock IdP (vendor `entra`, `okta`, `google`, `classlink`, `clever` or `generic`) with its directory. */
    create: (input: IdpInput) => request<MockIdp>('POST', '/_emulator/idps', input),
    list: async () => (await request<{ idps: MockIdp[] }>('GET', '/_emulator/idps')).idps,
    get: (id: string) => request<MockIdp>('GET', `/_emulator/idps/${seg(id)}`),
    delete: (id: string) => request<void>('DELETE', `/_emulator/idps/${seg(id)}`),
  };
}

/** `/idp/{idp}`: one mock IdP's directory, faults, applications and provisioning client. */
export function idpAdmin(request: Call, idpId: string) {
  const base = `/idp/${seg(idpId)}`;
  return {
    idpId,
    get: () => request<MockIdp>('GET', base),
    update: (patch: { name?: string; autoApprove?: boolean }) => request<MockIdp>('PATCH', base, patch),
    users: {
      list: async () => (await request<{ users: IdpUser[] }>('GET', `${base}/users`)).users,
      add: (input: IdpUserInput) => request<IdpUser>('POST', `${base}/users`, input),
      /** By id or email. */
      get: (user: string) => request<IdpUser>('GET', `${base}/users/${seg(user)}`),
      update: (user: string, patch: IdpUserUpdate) => request<IdpUser>('PATCH', `${base}/users/${seg(user)}`, patch),
      remove: (user: string) => request<void>('DELETE', `${base}/users/${seg(user)}`),
      /** Moves a user from one group to another (group ids or display names). */
      move: (user: string, move: { from: string; to: string }) => request<IdpUser>('POST', `${base}/users/${seg(user)}/move`, move),
    },
    groups: {
      list: async () => (await request<{ groups: IdpGroup[] }>('GET', `${base}/groups`)).groups,
      add: (input: IdpGroupInput) => request<IdpGroup>('POST', `${base}/groups`, input),
      get: (group: string) => request<IdpGroup>('GET', `${base}/groups/${seg(group)}`),
      update: (group: string, patch: { displayName?: string; members?: string[] }) => request<IdpGroup>('PATCH', `${base}/groups/${seg(group)}`, patch),
      remove: (group: string) => request<void>('DELETE', `${base}/groups/${seg(group)}`),
      addMember: (group: string, user: string) => request<IdpGroup>('PUT', `${base}/groups/${seg(group)}/members/${seg(user)}`),
      removeMember: (group: string, user: string) => request<IdpGroup>('DELETE', `${base}/groups/${seg(group)}/members/${seg(user)}`),
    },
    faults: {
      get: () => request<IdpFaults>('GET', `${base}/faults`),
      /** Arms a fault for the next sign-in and/or per user (`null` or `none` disarms). */
      set: (input: IdpFaultsInput) => request<IdpFaults>('PUT', `${base}/faults`, input),
      clear: () => request<void>('DELETE', `${base}/faults`),
    },
    apps: {
      list: () => request<MockIdp['apps']>('GET', `${base}/apps`),
      registerSaml: (input: { entityId: string; acsUrl: string }) => request<unknown>('POST', `${base}/apps/saml`, input),
      registerOidc: (input: { redirectUris: string[]; clientId?: string; clientSecret?: string }) =>
        request<{ clientId: string; clientSecret: string; redirectUris: string[]; issuer: string }>('POST', `${base}/apps/oidc`, input),
    },
    /** Pushes the directory over SCIM in the vendor's dialect; answers the run's report. */
    provision: (input: ProvisionInput = {}) => request<ProvisioningReport>('POST', `${base}/provision`, input),
    provisioningTargets: async () => (await request<{ targets: MockIdp['provisioning'] }>('GET', `${base}/provision`)).targets,
  };
}

export type IdpAdminClient = ReturnType<typeof idpAdmin>;
