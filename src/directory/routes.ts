// /w/{ws}/api/directory: the directory connection (GET/PUT/DELETE), a sync now, CSV uploads over
// HTTP for clients without SFTP, and the sync history with each sync's files.
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.js';
import { readBody } from '../http/body.js';
import { EmulatorError } from '../errors.js';
import {
  checkCsvName,
  checkCsvUpload,
  directoryInput,
  directoryView,
  removeDirectory,
  requireSync,
  runSync,
  setDirectory,
  syncView,
  uploadInput,
} from './directory.js';

export function directoryRoutes() {
  const r = new Hono<AppEnv>();
  const origin = (url: string) => new URL(url).origin;

  r.get('/', (c) => c.json(directoryView(c.get('core'), c.get('ws'))));
  r.put('/', async (c) => {
    const input = await readBody(c, directoryInput);
    await setDirectory(c.get('core'), c.get('ws'), input, origin(c.req.url), c.get('actor'));
    return c.json(directoryView(c.get('core'), c.get('core').requireWorkspace(c.get('ws').id)));
  });
  r.delete('/', (c) => {
    removeDirectory(c.get('core'), c.get('ws'), c.get('actor'));
    return c.body(null, 204);
  });

  // A sync now: 200 with the sync; a failed one is in the history too, and answered as its error.
  r.post('/sync', async (c) => {
    const { record, failure } = await runSync(c.get('core'), c.get('ws').id, 'manual', c.get('actor'), origin(c.req.url));
    if (failure) throw failure;
    return c.json(syncView(record));
  });

  // {"users.csv": "<text>", "groups.csv": "<text>"}: the files replace the kept ones and a sync runs.
  r.post('/upload', async (c) => {
    checkCsvUpload(c.get('ws'));
    const input = await readBody(c, uploadInput);
    const files = Object.fromEntries(Object.entries(input).filter((e): e is [string, string] => e[1] !== undefined));
    const { record, failure } = await runSync(c.get('core'), c.get('ws').id, 'upload', c.get('actor'), origin(c.req.url), files);
    if (failure) throw failure;
    return c.json(syncView(record));
  });
  // One file as text/csv (curl -T users.csv -H 'Content-Type: text/csv' …/directory/files/users.csv).
  r.put('/files/:name', async (c) => {
    checkCsvUpload(c.get('ws'));
    const name = checkCsvName(c.req.param('name'));
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/csv') {
      throw new EmulatorError({ code: 'unsupported_media_type', status: 415, message: `Send the file as "Content-Type: text/csv" (got "${type || 'none'}"), or as JSON to POST …/directory/upload.` });
    }
    // The app's body limit (1 MiB) holds here too.
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    const { record, failure } = await runSync(c.get('core'), c.get('ws').id, 'upload', c.get('actor'), origin(c.req.url), { [name]: text });
    if (failure) throw failure;
    return c.json(syncView(record));
  });

  r.get('/syncs', (c) => c.json({ syncs: c.get('ws').directory.syncs.map(syncView) }));
  r.get('/syncs/:id', (c) => {
    const s = requireSync(c.get('ws'), c.req.param('id'));
    return c.json({ ...syncView(s), files: { ...s.files } });
  });
  return r;
}
