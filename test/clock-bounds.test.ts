// Regression (issue 15, finding 1): a clock move beyond what the clock can show is refused with
// 400 invalid_clock and moves nothing; before, it answered 500 yet left every clock broken.
import { describe, expect, it } from 'vitest';
import { inProcess } from './support/in-process.js';

/** Requests that read the clock; each must keep answering 2xx. */
async function clockStillWorks(env: ReturnType<typeof inProcess>) {
  for (const [method, path, body] of [
    ['GET', '/_emulator/clock'],
    ['GET', '/_emulator/clock?workspace=default'],
    ['GET', '/w/default/api/domains'],
    ['POST', '/w/default/api/groups', { displayName: `G${Math.random()}` }],
    ['POST', '/_emulator/workspaces', {}],
  ] as [string, string, unknown?][]) {
    const res = await env.call(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  }
}

describe('clock bounds', () => {
  for (const workspace of [undefined, 'default']) {
    for (const move of [{ advance: '101000000d' }, { advance: '-30000d' }, { advance: '9999999999999999d' }, { set: '+275760-09-13T00:00:00.000Z' }, { set: '1969-12-31T23:59:59Z' }, { set: '+010000-01-01T00:00:00Z' }]) {
      it(`refuses ${JSON.stringify(move)} ${workspace ? 'on a workspace clock' : 'on the emulator clock'} and changes nothing`, async () => {
        const env = inProcess();
        const before = await env.state();
        const res = await env.call('POST', '/_emulator/clock', { ...move, ...(workspace ? { workspace } : {}) });
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error.code).toBe('invalid_clock');
        expect(res.body.error.message).toMatch(/nothing was changed/);
        expect(await env.state()).toEqual(before);
        await clockStillWorks(env);
      });
    }
  }

  it('refuses a global move that would push a workspace ahead of it past the end', async () => {
    const env = inProcess();
    expect((await env.call('POST', '/_emulator/clock', { set: '9999-06-01T00:00:00Z', workspace: 'default' })).status).toBe(200);
    const before = await env.state();
    const res = await env.call('POST', '/_emulator/clock', { advance: '365d' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('workspace "default"');
    expect(await env.state()).toEqual(before);
    await clockStillWorks(env);
  });

  it('still moves to the edges of the window', async () => {
    const env = inProcess();
    const last = await env.call('POST', '/_emulator/clock', { set: '9999-12-31T00:00:00Z' });
    expect(last.status).toBe(200);
    expect(last.body.now).toMatch(/^9999-12-31T00:00/);
    const first = await env.call('POST', '/_emulator/clock', { set: '1970-01-01T00:00:00Z', workspace: 'default' });
    expect(first.status).toBe(200);
    await clockStillWorks(env);
  });
});
