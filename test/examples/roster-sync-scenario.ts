// The example's checks, shared by the MSW and the socket variants: both must see the same workspace.
import { expect } from 'vitest';
import type { WorkspaceHandle } from '../../src/index.js';
import { RosterSync } from './roster-sync.js';

const ada = { email: 'ada@springfield.k12.us', givenName: 'Ada', familyName: 'Admin' };
const tom = { email: 'tom@springfield.k12.us', givenName: 'Tom', familyName: 'Lee' };

/** Syncs a roster twice (Tom leaves between) and checks what the workspace made of it. */
export async function rosterRoundTrip(workspace: WorkspaceHandle, adminKey: string): Promise<void> {
  const client = new RosterSync({ workspaceUrl: workspace.baseUrl, scimToken: await workspace.scimToken(), adminKey });

  expect(await client.sync([ada, tom])).toEqual({ created: [ada.email, tom.email], unchanged: [], deactivated: [] });
  expect(await client.membership(tom.email)).toEqual({ status: 'pending_invite', source: 'scim' });

  expect(await client.sync([ada])).toEqual({ created: [], unchanged: [ada.email], deactivated: [tom.email] });
  expect(await client.membership(tom.email)).toEqual({ status: 'deactivated', source: 'scim' });
  expect(await client.membership('nobody@springfield.k12.us')).toBeUndefined();

  // The typed admin client sees the same workspace.
  const users = await workspace.admin.users.list();
  expect(users.map((u) => [u.email, u.status]).sort()).toEqual([
    [ada.email, 'pending_invite'],
    [tom.email, 'deactivated'],
  ]);
}
