// CachedRouter answers as Hono's default router: same handlers, params and errors, evicting the oldest.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CachedRouter, ROUTE_CACHE_SIZE } from './cached-router.js';

// The same small app on Hono's default router and on CachedRouter: middleware, params, a wildcard.
function build(app: Hono) {
  app.use('*', async (c, next) => {
    await next();
    c.header('X-Seen', 'all');
  });
  app.use('/w/:ws/*', async (c, next) => {
    c.header('X-Ws', c.req.param('ws') ?? '');
    await next();
  });
  app.get('/w/:ws/users/:id', (c) => c.json({ ws: c.req.param('ws'), id: c.req.param('id'), all: c.req.param() }));
  app.post('/w/:ws/users', (c) => c.text(`created in ${c.req.param('ws')}`, 201));
  app.get('/files/*', (c) => c.text(`file ${c.req.path}`));
  return app;
}

async function answer(app: Hono, method: string, path: string) {
  const res = await app.request(path, { method });
  return { status: res.status, ws: res.headers.get('X-Ws'), seen: res.headers.get('X-Seen'), body: await res.text() };
}

const REQUESTS: [string, string][] = [
  ['GET', '/w/a/users/1'],
  ['GET', '/w/b/users/2'],
  ['GET', '/w/a/users/1'],
  ['GET', '/w/a%20b/users/x%2Fy'],
  ['POST', '/w/c/users'],
  ['GET', '/w/c/users'],
  ['DELETE', '/w/a/users/1'],
  ['GET', '/files/a/b.txt'],
  ['GET', '/nothing'],
  ['HEAD', '/w/a/users/1'],
];

describe('CachedRouter', () => {
  it('answers every request as the default router does, asked twice in a row and interleaved', async () => {
    const plain = build(new Hono());
    const cached = build(new Hono({ router: new CachedRouter() }));
    for (const round of [1, 2]) {
      for (const [method, path] of REQUESTS) {
        expect(await answer(cached, method, path), `${round}: ${method} ${path}`).toEqual(await answer(plain, method, path));
      }
    }
  });

  it('keeps the params of each path apart', async () => {
    const cached = build(new Hono({ router: new CachedRouter() }));
    const one = await answer(cached, 'GET', '/w/one/users/1');
    const two = await answer(cached, 'GET', '/w/two/users/2');
    const oneAgain = await answer(cached, 'GET', '/w/one/users/1');
    expect(JSON.parse(one.body)).toEqual({ ws: 'one', id: '1', all: { ws: 'one', id: '1' } });
    expect(JSON.parse(two.body)).toEqual({ ws: 'two', id: '2', all: { ws: 'two', id: '2' } });
    expect(oneAgain).toEqual(one);
  });

  it('takes a route added after the first request (the two-step start of src/app.ts), forgetting its cached 404', async () => {
    const plain = build(new Hono());
    expect((await answer(plain, 'GET', '/late')).status).toBe(404);
    expect(() => plain.get('/late', (c) => c.text('late'))).toThrow(/already built/);
    const cached = build(new Hono({ router: new CachedRouter() }));
    expect((await answer(cached, 'GET', '/late')).status).toBe(404);
    cached.get('/late', (c) => c.text('late'));
    const res = await answer(cached, 'GET', '/late');
    expect(res.status).toBe(200);
    expect(res.body).toBe('late');
  });

  it('keeps at most ROUTE_CACHE_SIZE decisions and still routes every path right after evicting', () => {
    const router = new CachedRouter<string>();
    router.add('GET', '/u/:id', 'user');
    // A result is [[handler, params][]] or, from RegExpRouter, params as indexes into a stash.
    const idOf = (path: string) => {
      const result = router.match('GET', path) as unknown as [[string, Record<string, string | number>][], string[]?];
      const [handler, params] = result[0][0]!;
      expect(handler).toBe('user');
      return result[1] ? result[1][params.id as number] : params.id;
    };
    const cache = (router as unknown as { cache: Map<string, unknown> }).cache;
    for (let i = 0; i < ROUTE_CACHE_SIZE + 10; i++) expect(idOf(`/u/${i}`)).toBe(String(i));
    expect(cache.size).toBe(ROUTE_CACHE_SIZE);
    expect(cache.has('GET /u/0')).toBe(false);
    expect(idOf('/u/0')).toBe('0');
    const long = `/u/${'x'.repeat(300)}`;
    expect(idOf(long)).toBe('x'.repeat(300));
    expect(cache.has(`GET ${long}`)).toBe(false);
  });
});
