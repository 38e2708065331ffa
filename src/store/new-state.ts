// What a new state holds beyond its workspaces' records: the format marks, a new workspace's roles,
// usage limits and directory. Plain values: the zod shapes that check them (state.ts and beside it)
// are not needed to start an emulator, only to read a data file or an import.

export const STATE_FORMAT = 'edu-workspace-emulator/state';
export const STATE_VERSION = 1;

/** Typical K-12 apps a new workspace's catalog starts with. */
export const SEEDED_APPS: { id: string; name: string }[] = [
  { id: 'google_drive', name: 'Google Drive' },
  { id: 'google_classroom', name: 'Google Classroom' },
  { id: 'microsoft_sharepoint', name: 'Microsoft SharePoint & OneDrive' },
  { id: 'canvas_lms', name: 'Canvas LMS' },
  { id: 'schoology', name: 'Schoology' },
  { id: 'github', name: 'GitHub' },
];

/** A new workspace's roles (role-state.ts): the default role unchanged, no custom role, the seeded apps. */
export function newRolesState() {
  return { defaultPermissions: {}, custom: {}, apps: SEEDED_APPS.map((a) => ({ ...a })) };
}

/** A new workspace's usage limits (usage-limit-state.ts): none set. */
export function newUsageLimitsState() {
  return { groups: {}, users: {} };
}

/** A new workspace's directory (directory-state.ts): no connection, no sync yet. */
export function newDirectoryState() {
  return { connection: null, files: {}, managed: { users: {}, groups: {} }, syncs: [] };
}
