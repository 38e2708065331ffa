// Isolated workspaces (docs/testing.md): concurrent tests may verify the same domain in their own
// workspaces; the one-organization-per-domain rule still holds among non-isolated workspaces.
import { describe, expect, it } from 'vitest';
import { AdminApiError, createAdminClient } from '../src/client/admin-client.js';
import { test } from '../src/vitest/index.js';
import { inProcess } from './support/in-process.js';

describe('six concurrent tests verify the same district domain, each in its own workspace', () => {
  for (let i = 1; i <= 6; i++) {
    test.concurrent(`test ${i} verifies springfield.k12.us`, async ({ workspace }) => {
      const verified = await workspace.admin.domains.addAndVerify('springfield.k12.us');
      expect(verified.status).toBe('verified');
      const member = await workspace.admin.invites.create({ email: `teacher${i}@springfield.k12.us` });
      expect(member.email).toBe(`teacher${i}@springfield.k12.us`);
      expect((await workspace.admin.domains.get('springfield.k12.us')).status).toBe('verified');
    });
  }
});

describe('the rule among workspaces', () => {
  it('non-isolated workspaces still claim a domain from each other; isolated ones neither claim nor are blocked', async () => {
    const { emulator } = inProcess();
    const admin = createAdminClient({ url: 'http://emulator.test', adminKey: emulator.adminKey, fetch: (r) => emulator.app.fetch(r) });
    await admin.workspaces.create({ id: 'faithful-a' });
    await admin.workspaces.create({ id: 'faithful-b' });
    const isoA = await admin.workspaces.create({ id: 'iso-a', isolated: true });
    await admin.workspaces.create({ id: 'iso-b', isolated: true });
    expect(isoA.isolated).toBe(true);
    expect((await admin.workspaces.get('faithful-a')).isolated).toBeUndefined();

    await admin.workspace('iso-a').domains.addAndVerify('springfield.k12.us');
    // An isolated workspace's verification claims nothing: a faithful workspace may still verify it.
    await admin.workspace('faithful-a').domains.addAndVerify('springfield.k12.us');
    // Among faithful workspaces the rule holds.
    const claim = await admin.workspace('faithful-b').domains.add('springfield.k12.us').catch((e: unknown) => e);
    expect(claim).toBeInstanceOf(AdminApiError);
    expect((claim as AdminApiError).code).toBe('domain_claimed');
    // A verified faithful owner does not block an isolated workspace either.
    expect((await admin.workspace('iso-b').domains.addAndVerify('springfield.k12.us')).status).toBe('verified');
    // Inside an isolated workspace the domain is there once.
    const again = await admin.workspace('iso-b').domains.add('springfield.k12.us').catch((e: unknown) => e);
    expect((again as AdminApiError).code).toBe('domain_exists');

    // The zone kept every workspace's verification value at the name.
    expect((await admin.dns.get('springfield.k12.us')).txt).toHaveLength(3);

    // Sign-in policy sees the isolated workspace's own verified domain.
    await admin.workspace('iso-b').settings.update({ automaticAccountCreation: true });
    const check = await admin.workspace('iso-b').signIn.check({ email: 'new@springfield.k12.us', method: 'password' });
    expect(check).toMatchObject({ outcome: 'allowed', createMember: true });

    // Export and import keep the mode and accept the same domain verified in several isolated workspaces.
    const state = await admin.state.export();
    expect((state as { workspaces: Record<string, { isolated?: boolean }> }).workspaces['iso-a']!.isolated).toBe(true);
    await admin.state.import(state);
    expect((await admin.workspaces.get('iso-a')).isolated).toBe(true);
    const stillClaimed = await admin.workspace('faithful-b').domains.add('springfield.k12.us').catch((e: unknown) => e);
    expect((stillClaimed as AdminApiError).code).toBe('domain_claimed');
    // A reset keeps the mode.
    expect((await admin.workspaces.reset('iso-a')).isolated).toBe(true);
  });

  it('POST /_emulator/dns/{name} adds values and keeps the others; PUT replaces them', async () => {
    const { call } = inProcess();
    await call('PUT', '/_emulator/dns/springfield.k12.us', { txt: ['v=spf1 -all'] });
    const added = await call('POST', '/_emulator/dns/springfield.k12.us', { txt: ['a', 'v=spf1 -all', 'a'] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ name: 'springfield.k12.us', txt: ['v=spf1 -all', 'a'] });
    const more = await call('POST', '/_emulator/dns/springfield.k12.us', { txt: ['b'] });
    expect(more.body.txt).toEqual(['v=spf1 -all', 'a', 'b']);
    const replaced = await call('PUT', '/_emulator/dns/springfield.k12.us', { txt: ['c'] });
    expect(replaced.body.txt).toEqual(['c']);
    const tooMany = await call('POST', '/_emulator/dns/springfield.k12.us', { txt: Array.from({ length: 50 }, (_, i) => `v${i}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('too_many_txt_values');
    expect((await call('GET', '/_emulator/dns/springfield.k12.us')).body.txt).toEqual(['c']);
  });

  it('addAndVerify throws an AdminApiError with the reason when the domain is not verified', async () => {
    const { emulator } = inProcess({ resolver: { description: 'an empty test zone', resolveTxt: async () => ({ ok: true, records: [] }) } });
    const admin = createAdminClient({ url: 'http://emulator.test', adminKey: emulator.adminKey, fetch: (r) => emulator.app.fetch(r) });
    const error = await admin.workspace('default').domains.addAndVerify('springfield.k12.us').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ code: 'domain_not_verified', reason: 'txt_not_found' });
    expect((error as AdminApiError).message).toContain('an empty test zone');
  });
});
