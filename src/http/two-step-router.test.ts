// The router of the app factory: routes added after a match are matched too, in the order added,
// with their parameters, as Hono's own router matches them.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { TwoStepRouter } from './two-step-router.js';

describe('TwoStepRouter', () => {
  it('matches routes added after its first match, in the order they were added', async () => {
    const app = new Hono({ router: new TwoStepRouter() });
    const seen: string[] = [];
    app.use('*', async (c, next) => {
      seen.push(`mw ${c.req.path}`);
      await next();
    });
    app.get('/health', (c) => c.text('ok'));
    expect(await (await app.request('/health')).text()).toBe('ok');
    expect((await app.request('/w/default/users/7')).status).toBe(404);

    // Hono's default router refuses this ("matcher is already built").
    app.use('/w/:ws/*', async (c, next) => {
      seen.push(`ws ${c.req.param('ws')}`);
      await next();
    });
    app.get('/w/:ws/users/:id', (c) => c.json({ ws: c.req.param('ws'), id: c.req.param('id') }));
    app.get('/w/:ws/users/:id', (c) => c.text('second'));
    seen.length = 0;
    const res = await app.request('/w/default/users/7');
    expect(await res.json()).toEqual({ ws: 'default', id: '7' });
    expect(seen).toEqual(['mw /w/default/users/7', 'ws default']);
    expect(await (await app.request('/health')).text()).toBe('ok');
    expect((await app.request('/w/default/users/7', { method: 'POST' })).status).toBe(404);
  });
});
