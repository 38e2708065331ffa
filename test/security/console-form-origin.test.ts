// Finding 4 (issue 14): console forms accepted `Origin: null` and a missing Origin. Now a form post
// needs this console's Origin or `Sec-Fetch-Site: same-origin`.
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/app.js';

const KEY = 'console-origin-key';

async function consoleCookie(emulator = createEmulator({ adminKey: KEY })) {
  const res = await emulator.app.request(`http://localhost/w/default/admin?key=${KEY}`);
  expect(res.status).toBe(303);
  const set = res.headers.getSetCookie().find((c) => c.startsWith('edu_console='))!;
  return { emulator, cookie: set.split(';')[0]!, setCookie: set };
}

const post = (emulator: ReturnType<typeof createEmulator>, cookie: string, headers: Record<string, string>) =>
  emulator.app.request('http://localhost/w/default/admin/domains/add', {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
    body: new URLSearchParams({ domain: 'evil.example' }).toString(),
  });

describe('console form posts', () => {
  it('refuses Origin: null and a missing Origin (403 cross_origin_form) and adds nothing', async () => {
    const { emulator, cookie } = await consoleCookie();
    const variants: Record<string, string>[] = [{ Origin: 'null' }, {}, { Origin: 'https://attacker.example' }];
    for (const headers of variants) {
      const res = await post(emulator, cookie, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error.code).toBe('cross_origin_form');
    }
    expect(Object.keys(emulator.core.state.workspaces.default!.domains)).toEqual([]);
  });

  it('accepts the console origin, or Sec-Fetch-Site: same-origin without an Origin', async () => {
    const { emulator, cookie } = await consoleCookie();
    expect((await post(emulator, cookie, { Origin: 'http://localhost' })).status).toBe(303);
    expect((await post(emulator, cookie, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
  });

  it('sets the console cookie SameSite=Strict', async () => {
    const { setCookie } = await consoleCookie();
    expect(setCookie).toMatch(/SameSite=Strict/i);
  });
});
