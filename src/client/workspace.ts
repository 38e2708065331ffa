// A fresh, isolated workspace for one test: created over the control plane, handed back with its
// URLs and a typed admin client, deleted when the test is done with it.
import { createAdminClient, type AdminClientOptions, type FetchLike, type WorkspaceAdminClient } from './admin-client.js';

export interface WorkspaceHandle {
  id: string;
  name: string;
  /** `…/w/{id}`: the sign-in page, `/me`, SSO endpoints live under it. */
  baseUrl: string;
  /** `…/w/{id}/api`: the admin API. */
  apiBaseUrl: string;
  /** `…/w/{id}/scim/v2`: the SCIM base URL to give an identity provider. */
  scimBaseUrl: string;
  /** The typed admin API of this workspace (authorised with the emulator admin key). */
  admin: WorkspaceAdminClient;
  /** Issues a SCIM bearer token for this workspace and returns its secret. */
  scimToken(name?: string): Promise<string>;
  /** Deletes the workspace (safe to call twice). */
  delete(): Promise<void>;
}

/**
 * Creates a workspace (POST /_emulator/workspaces) on the emulator at `options.url` and returns a
 * handle to it. Without an `id` the emulator picks an unused one, so tests never meet. The workspace
 * is isolated (its verified domains claim nothing from other workspaces) unless `isolated: false`.
 */
export async function createWorkspace(
  options: AdminClientOptions,
  input: { id?: string; name?: string; isolated?: boolean } = {},
): Promise<WorkspaceHandle> {
  const client = createAdminClient(options);
  const created = await client.workspaces.create({ isolated: true, ...input });
  const admin = client.workspace(created.id);
  let deleted: Promise<void> | undefined;
  return {
    id: created.id,
    name: created.name,
    baseUrl: created.baseUrl,
    apiBaseUrl: `${created.baseUrl}/api`,
    scimBaseUrl: `${created.baseUrl}/scim/v2`,
    admin,
    scimToken: async (name?: string) => (await admin.scimTokens.issue(name !== undefined ? { name } : {})).token,
    delete: () =>
      (deleted ??= client.workspaces.delete(created.id).catch((e: unknown) => {
        // Already gone (e.g. a reset): nothing left to delete.
        if ((e as { status?: number }).status !== 404) throw e;
      })),
  };
}

export type { FetchLike };
