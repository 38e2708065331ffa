// The saved directory section: older state files without it load with an empty one, and a state
// whose directory names members that do not exist, or repeats a sync id, is refused.
import { describe, expect, it } from 'vitest';
import { emptyState } from '../emulator.js';
import { parseState } from './state.js';
import { cloneJson } from './tracked-state.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function olderState() {
  const s = cloneJson(emptyState(new Date(NOW))) as unknown as { workspaces: Record<string, Record<string, unknown>> };
  delete s.workspaces.default!.directory;
  return s;
}

describe('the directory section of the state', () => {
  it('is added, empty, to a workspace of an older state file', () => {
    const parsed = parseState(olderState(), NOW);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.state.workspaces.default!.directory).toEqual({ connection: null, files: {}, managed: { users: {}, groups: {} }, syncs: [] });
  });

  it('refuses managed users that are not members, and repeated sync ids', () => {
    const s = olderState();
    const summary = { created: 0, updated: 0, deactivated: 0, reactivated: 0, groups: { created: 0, updated: 0, deleted: 0 }, memberships: { added: 0, removed: 0 }, errors: 0, warnings: [] };
    const sync = { id: 'sync_1', at: '2026-01-01T00:00:00.000Z', trigger: 'manual', type: 'google', status: 'ok', summary };
    s.workspaces.default!.directory = { connection: { type: 'scim' }, managed: { users: { g1: 'usr_missing' }, groups: {} }, syncs: [sync, sync] };
    const parsed = parseState(s, NOW);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.issues).toContain('workspaces.default.directory.managed.users.g1: no member "usr_missing" in this workspace');
      expect(parsed.issues).toContain('workspaces.default.directory.syncs.1.id: "sync_1" is the id of another sync');
    }
  });

  it('refuses a connection of an unknown type', () => {
    const s = olderState();
    s.workspaces.default!.directory = { connection: { type: 'ldap' } };
    expect(parseState(s, NOW).ok).toBe(false);
  });
});
