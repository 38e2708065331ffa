// Defects the fuzz suite (test/fuzz) found, each pinned by the minimal request it printed.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

describe('fuzz findings', () => {
  it('POST /idp/{idp}/users with a blank group name is refused before the user is added', async () => {
    const env = inProcess();
    await env.call('POST', '/_emulator/idps', { id: 'district', vendor: 'generic' });
    const before = await env.state();
    const res = await env.call('POST', '/idp/district/users', { email: 'a@a.aa', groups: [' '] });
    expect(res.status).toBe(400);
    expect(await env.state()).toEqual(before);
  });
});
