// Fifty tests at once, each with its own workspace from the fixture, on one shared emulator: every
// test writes the same names into its workspace and must see only its own.
import { expect } from 'vitest';
import { test } from '../src/vitest/index.js';

const COUNT = 50;
let arrived = 0;
const allArrived = new Promise<void>((resolve, reject) => {
  const timer = setInterval(() => arrived >= COUNT && (clearInterval(timer), resolve()), 5);
  setTimeout(() => (clearInterval(timer), reject(new Error(`only ${arrived} of ${COUNT} tests ran side by side`))), 15_000).unref();
});
allArrived.catch(() => {});

const scimUser = (email: string, givenName: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: email,
  name: { givenName, familyName: 'Shared' },
  emails: [{ value: email, primary: true }],
  active: true,
});

for (let i = 0; i < COUNT; i++) {
  test.concurrent(`workspace ${i} sees only its own members, domains, settings and events`, async ({ workspace }) => {
    const { admin } = workspace;
    const token = await workspace.scimToken();
    // The same userName and the same invite in every workspace: none may clash with another's.
    const created = await fetch(`${workspace.scimBaseUrl}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify(scimUser('teacher@shared.k12.us', `Teacher ${i}`)),
    });
    expect(created.status).toBe(201);
    await admin.invites.create({ email: 'principal@shared.k12.us', role: 'admin' });
    await admin.invites.create({ email: `only-${i}@shared.k12.us` });
    await admin.domains.addAndVerify(`school-${i}.k12.us`);
    await admin.settings.update({ automaticAccountCreation: i % 2 === 0 });

    arrived += 1;
    await allArrived;

    const users = await admin.users.list();
    expect(users.map((u) => u.email).sort()).toEqual([`only-${i}@shared.k12.us`, 'principal@shared.k12.us', 'teacher@shared.k12.us']);
    expect(users.find((u) => u.source === 'scim')?.givenName).toBe(`Teacher ${i}`);
    expect((await admin.domains.list()).map((d) => [d.domain, d.status])).toEqual([[`school-${i}.k12.us`, 'verified']]);
    expect((await admin.settings.get()).automaticAccountCreation).toBe(i % 2 === 0);

    const listed = await fetch(`${workspace.scimBaseUrl}/Users`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await listed.json()).toMatchObject({ totalResults: 1, Resources: [{ name: { givenName: `Teacher ${i}` } }] });
    // Another workspace's token is nothing here.
    expect(
      (await fetch(`${workspace.scimBaseUrl}/Users`, { headers: { Authorization: 'Bearer scim_not-this-workspace' } })).status,
    ).toBe(401);

    const events = await admin.events();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.workspace === workspace.id)).toBe(true);
  });
}
