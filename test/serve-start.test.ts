// `edu-emulator serve` from its listening line on: health answers at once while the other routes
// load, requests sent at once get the answers they would get later, and when the routes cannot
// load (simulated by a module hook) the server stops with one line saying why instead of half-serving.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from './support/cli.js';

const running: ServeProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

/** NODE_OPTIONS that make `import('./app-routes.js')` fail, as a broken install would. */
async function failingRoutesImport(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edu-emulator-start-'));
  await writeFile(
    join(dir, 'hooks.mjs'),
    `export async function resolve(specifier, context, next) {
  if (specifier === './app-routes.js') throw new Error('simulated: app-routes.js cannot be read');
  return next(specifier, context);
}\n`,
  );
  await writeFile(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  return `--import ${pathToFileURL(join(dir, 'register.mjs')).href}`;
}

describe('serve while its routes load', () => {
  it('answers health, the admin API, the API document, 404 and 405 to requests sent at the listening line', async () => {
    const p = await startServe(['--port', '0', '--memory']);
    running.push(p);
    const auth = { Authorization: `Bearer ${p.adminKey}` };
    const [health, domains, doc, missing, wrongMethod, noKey] = await Promise.all([
      fetch(`${p.url}/_emulator/health`),
      fetch(`${p.url}/w/default/api/domains`, { headers: auth }),
      fetch(`${p.url}/_emulator/openapi.json`),
      fetch(`${p.url}/nowhere`, { headers: auth }),
      fetch(`${p.url}/_emulator/health`, { method: 'POST' }),
      fetch(`${p.url}/w/default/api/domains`),
    ]);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect(domains.status).toBe(200);
    expect(await domains.json()).toEqual({ domains: [] });
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('Allow')).toBe('GET, HEAD');
    expect(noKey.status).toBe(401);
  });

  it('stops with exit 1 and one line naming the cause when its routes cannot load', async () => {
    // The bin's single-file build has no module for a hook to fail: dist/'s modules are run.
    const p = await startServe(['--port', '0', '--memory'], { env: { NODE_OPTIONS: await failingRoutesImport(), EDU_EMULATOR_BUNDLE: '0' } });
    expect(await p.exited).toBe(1);
    expect(p.stdout()).toMatch(/^listening on /);
    expect(p.stderr()).toContain('edu-emulator: the emulator could not load its routes (simulated: app-routes.js cannot be read); reinstall it (npm ci) and start again');
  });

  it('in process: health says degraded, other requests 503 emulator_unavailable, ready rejects', async () => {
    const entry = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;
    const script = `
      const { createEmulator } = await import(${JSON.stringify(entry)});
      const e = createEmulator();
      // Sent before the load failed: the request waits for it and is answered 503.
      const early = e.app.request('/w/default/api/domains', { headers: { Authorization: 'Bearer ' + e.adminKey } });
      const ready = await e.ready.then(() => 'resolved', (err) => err.message);
      const [health, api] = [await e.app.request('/_emulator/health'), await early];
      console.log(JSON.stringify({ health: [health.status, await health.json()], api: [api.status, await api.json()], ready }));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: await failingRoutesImport() } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const result = JSON.parse(out) as { health: [number, { status: string; reason: string }]; api: [number, { error: { code: string; message: string } }]; ready: string };
    expect(result.ready).toBe('simulated: app-routes.js cannot be read');
    expect(result.health[0]).toBe(503);
    expect(result.health[1]).toMatchObject({ status: 'degraded', reason: 'the emulator could not load its routes: simulated: app-routes.js cannot be read' });
    expect(result.api[0]).toBe(503);
    expect(result.api[1].error.code).toBe('emulator_unavailable');
    expect(result.api[1].error.message).toContain('could not load its routes: simulated: app-routes.js cannot be read');
  });
});
