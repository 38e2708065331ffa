// The 1 MiB request body limit on the socket, where it is decided from Content-Length without
// reading the body (src/http/body.ts `limitBody`), and from the bytes when the body is chunked:
// the same 413 in RFC 7644 form as in process, nothing stored; bodies within the limit pass.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/http/body.js';
import { startEmulator, type RunningEmulator } from '../../src/start.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

/** One request over the socket; `chunked` sends the body without a Content-Length. */
function send(url: string, method: string, path: string, headers: Record<string, string>, body: string | undefined, chunked = false): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sized = body !== undefined && !chunked ? { 'Content-Length': String(Buffer.byteLength(body)) } : {};
    const req = request({ hostname, port, path, method, headers: { ...headers, ...sized } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    // The server may answer and close before it has read a large body.
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
    if (body !== undefined && chunked) {
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

async function setup() {
  const r = await startEmulator({ adminKey: 'body-limit-key' });
  running.push(r);
  const ws = await r.workspace();
  const token = await ws.scimToken();
  const scim = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
  const path = `/w/${ws.id}/scim/v2/Users`;
  const count = async () => {
    const res = await r.emulator.app.request(`${path}?count=0`, { headers: scim });
    return ((await res.json()) as { totalResults: number }).totalResults;
  };
  return { url: r.url, wsId: ws.id, scim, path, count };
}

const big = JSON.stringify({ schemas: [USER], userName: 'big@springfield.k12.us', title: 'x'.repeat(MAX_BODY_BYTES) });

describe('the request body limit over the socket', () => {
  it('refuses a SCIM create over 1 MiB sent with Content-Length: 413 tooLarge, nothing stored', async () => {
    const { url, scim, path, count } = await setup();
    const res = await send(url, 'POST', path, scim, big);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: '413', scimType: 'tooLarge' });
    expect(await count()).toBe(0);
  });

  it('refuses the same body sent chunked (no Content-Length), counted as it arrives', async () => {
    const { url, scim, path, count } = await setup();
    const res = await send(url, 'POST', path, scim, big, true);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: '413', scimType: 'tooLarge' });
    expect(await count()).toBe(0);
  });

  it('refuses an admin API body over 1 MiB with payload_too_large, and a PUT, PATCH or DELETE the same way', async () => {
    const { url, wsId, scim, path } = await setup();
    const admin = { Authorization: 'Bearer body-limit-key', 'Content-Type': 'application/json' };
    const res = await send(url, 'POST', `/w/${wsId}/api/invites`, admin, JSON.stringify({ email: `${'x'.repeat(MAX_BODY_BYTES)}@springfield.k12.us` }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'payload_too_large' });
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const r = await send(url, method, `${path}/usr_none`, scim, big);
      expect(r.status, method).toBe(413);
    }
  });

  it('takes a body of exactly 1 MiB past the limit check, and small bodies, with or without Content-Length', async () => {
    const { url, scim, path, count } = await setup();
    const name = (n: string) => JSON.stringify({ schemas: [USER], userName: `${n}@springfield.k12.us` });
    expect((await send(url, 'POST', path, scim, name('sized'))).status).toBe(201);
    expect((await send(url, 'POST', path, scim, name('chunked'), true)).status).toBe(201);
    const base = JSON.stringify({ schemas: [USER], userName: 'edge@springfield.k12.us', title: '' });
    const edge = base.replace('"title":""', `"title":"${'y'.repeat(MAX_BODY_BYTES - base.length)}"`);
    expect(Buffer.byteLength(edge)).toBe(MAX_BODY_BYTES);
    // Within the body limit, over the attribute's own length limit: the route judged it.
    const res = await send(url, 'POST', path, scim, edge);
    expect(res.status).toBe(400);
    expect(await count()).toBe(2);
  });
});
