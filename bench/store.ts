// The store at size: SCIM create throughput in memory and durable (journal, fsync interval) at
// 2k and 50k users over real HTTP to a child emulator, RSS at 50k and 100k users, restart time at
// 50k (the built command), and the longest event-loop pause while a snapshot is written.
// Run: npx tsx bench/store.ts (BENCH_ONLY=restart or snapshot for one figure)
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createEmulator } from '../src/app.js';
import { listen } from '../src/http/listen.js';
import { createUser } from '../src/scim/users.js';
import { issueToken } from '../src/scim/tokens.js';
import { DurableStore, MemoryStore, type StateStore } from '../src/store/store.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CREATES = 3_000;
const CONCURRENCY = 16;
const SELF = fileURLToPath(import.meta.url);

// ---- the child: an emulator (optionally prefilled) on a socket -------------------------------

async function child(args: string[]): Promise<void> {
  const opt = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const data = opt('--data');
  const prefill = Number(opt('--prefill') ?? '0');
  const loadStart = performance.now();
  const store: StateStore = data ? new DurableStore(data) : new MemoryStore();
  const state = await store.load();
  const emulator = createEmulator({ adminKey: 'bench-admin-key', store, state });
  await store.commit();
  const loadMs = performance.now() - loadStart;
  const core = emulator.core;
  const ws = core.requireWorkspace('default');
  let token = '';
  if (prefill > 0) {
    const scope = { core, ws, actor: 'bench', baseUrl: 'http://localhost/w/default/scim/v2' };
    for (let i = 0; i < prefill; i++) {
      createUser(scope, { schemas: [USER], userName: `user${i}@district.example`, externalId: `ext-${i}`, name: { givenName: 'U', familyName: `${i}` } });
      if (i % 5_000 === 0) await store.commit();
    }
    token = issueToken(core, ws, 'bench', 'bench').token;
    await store.flush();
  }
  if (args.includes('--exit')) {
    await emulator.close();
    process.stdout.write(`${JSON.stringify({ url: '', token, loadMs, rss: 0, members: 0 })}\n`);
    process.exit(0);
  }
  const { url } = await listen(emulator, '127.0.0.1', 0, (e) => e);
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 300));
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ url, token, loadMs, rss: process.memoryUsage().rss, members: Object.keys(ws.members).length })}\n`);
}

// ---- the parent --------------------------------------------------------------------------

interface Child {
  process: ChildProcess;
  url: string;
  token: string;
  loadMs: number;
  rss: number;
  members: number;
  startMs: number;
}

function startChild(args: string[]): Promise<Child> {
  const started = performance.now();
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        const info = JSON.parse(line) as Omit<Child, 'process' | 'startMs'>;
        resolve({ ...info, process: proc, startMs: performance.now() - started });
      }
    });
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`bench child exited with ${code}`));
    });
  });
}

async function stopChild(c: Child): Promise<void> {
  if (c.process.exitCode !== null) return;
  const done = new Promise((r) => c.process.on('exit', r));
  c.process.kill('SIGKILL');
  await done;
}

const BIN = fileURLToPath(new URL('../bin/edu-emulator.js', import.meta.url));

/**
 * Restart as a user sees it: the built command (`npm run build` first), `serve --data FILE`, from
 * process start to its listening line. The best of `runs`, each on a fresh copy of the file.
 */
async function binRestart(seedFile: string, dir: string, runs = 3): Promise<{ bestMs: number; all: number[] }> {
  const all: number[] = [];
  for (let r = 0; r < runs; r++) {
    const file = join(dir, `restart-${r}.json`);
    await copyFile(seedFile, file);
    const started = performance.now();
    const proc = spawn(process.execPath, [BIN, 'serve', '--data', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('listening on')) resolve();
      });
      proc.on('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
    });
    all.push(performance.now() - started);
    const done = new Promise((res) => proc.on('exit', res));
    proc.kill('SIGKILL');
    await done;
  }
  return { bestMs: Math.min(...all), all };
}

/** Builds a data file with `users` SCIM users; returns the SCIM token it holds. */
async function prefillFile(file: string, users: number): Promise<string> {
  return (await startChild(['--data', file, '--prefill', String(users), '--exit'])).token;
}

/** Creates SCIM users over HTTP with CONCURRENCY clients; returns creates per second. */
async function createRate(url: string, token: string, tag: string): Promise<number> {
  let next = 0;
  const run = async (count: number) => {
    const client = async () => {
      while (next < count) {
        const i = next++;
        const res = await fetch(`${url}/w/default/scim/v2/Users`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
          body: JSON.stringify({ schemas: [USER], userName: `${tag}-${i}@new.example`, name: { givenName: 'N', familyName: `${i}` } }),
        });
        if (res.status !== 201) throw new Error(`create answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
  };
  await run(300); // warm up
  next = 0;
  tag = `${tag}-m`;
  const start = performance.now();
  await run(CREATES);
  return CREATES / ((performance.now() - start) / 1000);
}

async function rateFor(mode: 'memory' | 'durable', users: number, seedFile: string, seedToken: string, dir: string): Promise<number> {
  let c: Child;
  let token = seedToken;
  if (mode === 'memory') {
    c = await startChild(['--prefill', String(users)]);
    token = c.token;
  }
  else {
    const file = join(dir, `run-${users}-${Date.now()}.json`);
    await copyFile(seedFile, file);
    c = await startChild(['--data', file]);
  }
  try {
    return await createRate(c.url, token, `${mode}${users}`);
  } finally {
    await stopChild(c);
  }
}

/** The longest event-loop pause while the store writes a snapshot of the 50k-user state. */
async function snapshotPause(seedFile: string, dir: string): Promise<{ maxMs: number; snapshotMs: number; bytes: number; idleMaxMs: number }> {
  const file = join(dir, 'snapshot-probe.json');
  await copyFile(seedFile, file);
  const store = new DurableStore(file);
  const emulator = createEmulator({ store, state: await store.load() });
  // Every route loaded first: their background import would otherwise be timed as the snapshot's pause.
  await emulator.ready;
  await store.commit();
  // A change so the snapshot has something to fold in, then the snapshot with a timer running.
  emulator.core.state.dns['probe.example'] = ['1'];
  await store.commit();
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  }, 1);
  histogram.enable();
  const start = performance.now();
  await store.flush();
  const snapshotMs = performance.now() - start;
  histogram.disable();
  clearInterval(timer);
  // The same probe with no snapshot running, for scale (a busy machine pauses processes too).
  let idleWorst = 0;
  last = performance.now();
  const idle = setInterval(() => {
    const now = performance.now();
    idleWorst = Math.max(idleWorst, now - last - 1);
    last = now;
  }, 1);
  await new Promise((r) => setTimeout(r, snapshotMs));
  clearInterval(idle);
  await store.close();
  return { maxMs: Math.max(worst, histogram.max / 1e6), snapshotMs, bytes: (await stat(file)).size, idleMaxMs: idleWorst };
}

async function parent(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'edu-emulator-bench-store-'));
  const seeds: Record<number, string> = {};
  const tokens: Record<number, string> = {};
  try {
    const only = process.env.BENCH_ONLY;
    for (const users of only === 'restart' ? [50_000] : [2_000, 50_000, 100_000]) {
      seeds[users] = join(dir, `seed-${users}.json`);
      const t = performance.now();
      tokens[users] = await prefillFile(seeds[users]!, users);
      console.log(`  (state with ${users.toLocaleString('en-US')} users built in ${((performance.now() - t) / 1000).toFixed(1)} s, ${((await stat(seeds[users]!)).size / 2 ** 20).toFixed(1)} MiB)`);
    }

    if (only === 'restart') {
      const restart = await binRestart(seeds[50_000]!, dir);
      console.log(`restart at 50k users: \`edu-emulator serve --data\` start to listening ${(restart.bestMs / 1000).toFixed(2)} s (goal ≤ 2 s; runs ${restart.all.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`);
      return;
    }
    if (only === 'snapshot') {
      const pause = await snapshotPause(seeds[50_000]!, dir);
      console.log(`snapshot of 50k users: ${(pause.snapshotMs / 1000).toFixed(2)} s; largest event-loop delay ${pause.maxMs.toFixed(1)} ms (idle ${pause.idleMaxMs.toFixed(1)} ms)`);
      return;
    }
    const rates: Record<string, number> = {};
    for (const users of [2_000, 50_000]) {
      for (const mode of ['memory', 'durable'] as const) rates[`${mode}${users}`] = await rateFor(mode, users, seeds[users]!, tokens[users]!, dir);
    }
    console.log('SCIM creates per second (HTTP, 16 clients, fsync interval):');
    console.log(`  2k users:  memory ${rates.memory2000!.toFixed(0)} r/s, durable ${rates.durable2000!.toFixed(0)} r/s`);
    console.log(`  50k users: memory ${rates.memory50000!.toFixed(0)} r/s, durable ${rates.durable50000!.toFixed(0)} r/s`);
    console.log(`  durable 50k / memory 50k = ${(rates.durable50000! / rates.memory50000!).toFixed(2)} (goal ≥ 0.5); durable 50k / durable 2k = ${(rates.durable50000! / rates.durable2000!).toFixed(2)} (goal ≥ 0.7)`);

    for (const users of [50_000, 100_000]) {
      const file = join(dir, `rss-${users}.json`);
      await copyFile(seeds[users]!, file);
      const c = await startChild(['--data', file]);
      const budget = 120 + (3 * users) / 1024;
      console.log(`RSS with ${users.toLocaleString('en-US')} users (after restart): ${(c.rss / 2 ** 20).toFixed(0)} MiB (budget ${budget.toFixed(0)} MiB), ${(c.rss / users / 1024).toFixed(2)} KiB per user overall`);
      await stopChild(c);
      if (users === 50_000) {
        const restart = await binRestart(seeds[users]!, dir);
        console.log(
          `restart at 50k users: store load ${(c.loadMs / 1000).toFixed(2)} s; \`edu-emulator serve --data\` start to listening ${(restart.bestMs / 1000).toFixed(2)} s (goal ≤ 2 s; runs ${restart.all.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s)`,
        );
      }
    }

    const pause = await snapshotPause(seeds[50_000]!, dir);
    console.log(
      `snapshot of 50k users: ${(pause.bytes / 2 ** 20).toFixed(1)} MiB in ${(pause.snapshotMs / 1000).toFixed(2)} s; largest event-loop delay during it ${pause.maxMs.toFixed(1)} ms (${pause.idleMaxMs.toFixed(1)} ms over as long with no snapshot)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--child')) await child(process.argv.slice(process.argv.indexOf('--child') + 1));
else await parent();
