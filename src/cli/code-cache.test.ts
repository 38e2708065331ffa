// The bin's code-cache loader: a cache is written, read back and used; a stale, corrupt or
// unwritable one changes nothing but speed; import() works from code read back from a cache.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHES_KEPT, codeCacheDir, loadCommonJsWithCodeCache } from './code-cache.js';

interface Program {
  answer: number;
  platform(): Promise<string>;
  greeting(): Promise<string>;
  requiredName: string;
}

const PROGRAM = `
const { name } = require('greeter-cjs/package.json');
let count = 0;
exports.answer = 6 * 7;
exports.requiredName = name;
exports.platform = async () => (await __import('node:os')).platform();
exports.greeting = async () => (await __import('greeter-esm')).greet('district') + ' #' + (++count);
`;

let dir: string;
let file: string;
let cacheDir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'edu-code-cache-'));
  mkdirSync(join(dir, 'node_modules', 'greeter-esm'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'greeter-esm', 'package.json'), JSON.stringify({ name: 'greeter-esm', type: 'module', main: 'index.js' }));
  // Top-level await: only a real import() can load it (require() refuses such a module).
  writeFileSync(join(dir, 'node_modules', 'greeter-esm', 'index.js'), "await Promise.resolve();\nexport const greet = (who) => `hello, ${who}`;\n");
  mkdirSync(join(dir, 'node_modules', 'greeter-cjs'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'greeter-cjs', 'package.json'), JSON.stringify({ name: 'greeter-cjs' }));
  file = join(dir, 'program.cjs');
  writeFileSync(file, PROGRAM);
  cacheDir = join(dir, 'cache');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

// V8 keeps what it compiled per source and file name for the life of the process, and a script it
// finds there never reads its cachedData: each load here is of a copy under a new name, so a cache
// is read back as in a new process. The cache is keyed by content, so every copy shares it.
let copies = 0;
function copyOfProgram(): string {
  const copy = join(dir, `program-${++copies}.cjs`);
  writeFileSync(copy, readFileSync(file));
  return copy;
}

async function exercise(program: Program) {
  expect(program.answer).toBe(42);
  expect(program.requiredName).toBe('greeter-cjs');
  expect(await program.platform()).toBe(process.platform);
  expect(await program.greeting()).toBe('hello, district #1');
}

describe('loadCommonJsWithCodeCache', () => {
  it('writes a cache on first use and runs from it next time, import() included', async () => {
    const first = loadCommonJsWithCodeCache<Program>(file, { cacheDir, variant: 'run --max-opt=2' });
    expect(first.cache).toBe('absent');
    await exercise(first.exports);
    expect(first.save()).toBe(true);
    expect(first.save()).toBe(false);
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^run-[0-9a-f]{24}\.v8$/)]);

    const second = loadCommonJsWithCodeCache<Program>(copyOfProgram(), { cacheDir, variant: 'run --max-opt=2' });
    expect(second.cache).toBe('accepted');
    expect(second.cacheFile).toBe(first.cacheFile);
    // Functions read back from a cache lose V8's dynamic-import callback; __import still loads.
    await exercise(second.exports);
    expect(second.save()).toBe(false);
  });

  // Growth is measured on the process's whole bytecode: each of these runs in a fresh node process,
  // as the bin does, not in a test worker that holds every other test's code.
  const BIG_PROGRAM = () => {
    const functions = Array.from({ length: 1000 }, (_, i) => `function part${i}(x) { const list = [x, ${i}, 'part ${i}']; for (const item of list) x = typeof item === 'number' ? x + item : x; return x * 2 - ${i}; }`);
    return `${PROGRAM}\n${functions.join('\n')}\nexports.all = () => { let sum = 0; ${functions.map((_, i) => `sum += part${i}(1);`).join(' ')} return sum; };\n`;
  };
  /** In a new process: loads `program` with the cache, calls `all()` (or `external()`) when told, then answers each save() listed. */
  const inNewProcess = (program: string, steps: ('all' | 'external' | 'save')[]): { cache: string; saves: boolean[] } => {
    const loader = pathToFileURL(fileURLToPath(new URL('../../dist/cli/code-cache.js', import.meta.url))).href;
    const script = `
      const { loadCommonJsWithCodeCache } = await import(${JSON.stringify(loader)});
      const loaded = loadCommonJsWithCodeCache(${JSON.stringify(program)}, { cacheDir: ${JSON.stringify(cacheDir)} });
      const saves = [];
      for (const step of ${JSON.stringify(steps)}) step === 'save' ? saves.push(loaded.save()) : loaded.exports[step]();
      console.log(JSON.stringify({ cache: loaded.cache, saves }));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { cache: string; saves: boolean[] };
  };

  it('writes the cache again when a process compiled much more than it held, and then leaves it be', () => {
    // A thousand functions compiled only when called: a process that calls them compiles far more
    // than one that does not.
    writeFileSync(file, BIG_PROGRAM());
    expect(inNewProcess(file, ['save'])).toEqual({ cache: 'absent', saves: [true] });
    expect(inNewProcess(copyOfProgram(), ['all', 'save'])).toEqual({ cache: 'accepted', saves: [true] });
    expect(inNewProcess(copyOfProgram(), ['all', 'save'])).toEqual({ cache: 'accepted', saves: [false] });
    expect(inNewProcess(copyOfProgram(), ['save'])).toEqual({ cache: 'accepted', saves: [false] });
  });

  it('leaves the cache be when each run also compiles code from outside the file (a package loaded apart), as much as the writer did', () => {
    // The bin's own runs: libxml2-wasm and xml-crypto load apart from the single file, and Node
    // compiles its own code, in every process; none of it is in the cache, none of it is growth.
    mkdirSync(join(dir, 'node_modules', 'big-external'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'big-external', 'package.json'), JSON.stringify({ name: 'big-external', main: 'index.js' }));
    writeFileSync(join(dir, 'node_modules', 'big-external', 'index.js'), BIG_PROGRAM().replace(PROGRAM, ''));
    writeFileSync(file, `${PROGRAM}\nexports.external = () => require('big-external').all();\n`);
    expect(inNewProcess(file, ['external', 'save'])).toEqual({ cache: 'absent', saves: [true] });
    const written = readdirSync(cacheDir).map((name) => readFileSync(join(cacheDir, name)));
    expect(inNewProcess(copyOfProgram(), ['external', 'save'])).toEqual({ cache: 'accepted', saves: [false] });
    expect(inNewProcess(copyOfProgram(), ['external', 'save'])).toEqual({ cache: 'accepted', saves: [false] });
    expect(readdirSync(cacheDir).map((name) => readFileSync(join(cacheDir, name)))).toEqual(written);
  });

  it('writes again within one process when it compiled much more since its own last write (a server at its listening line, then later)', () => {
    writeFileSync(file, BIG_PROGRAM());
    const cacheFile = () => join(cacheDir, readdirSync(cacheDir)[0]!);
    expect(inNewProcess(file, ['save', 'save'])).toEqual({ cache: 'absent', saves: [true, false] });
    const atListening = readFileSync(cacheFile()).length;
    rmSync(cacheDir, { recursive: true });
    expect(inNewProcess(copyOfProgram(), ['save', 'all', 'save', 'save'])).toEqual({ cache: 'absent', saves: [true, true, false] });
    expect(readFileSync(cacheFile()).length).toBeGreaterThan(atListening);
  });

  it('keeps one cache per variant, and a changed file gets a cache of its own', () => {
    loadCommonJsWithCodeCache(file, { cacheDir, variant: 'run' }).save();
    loadCommonJsWithCodeCache(file, { cacheDir, variant: 'serve' }).save();
    expect(loadCommonJsWithCodeCache(copyOfProgram(), { cacheDir, variant: 'serve' }).cache).toBe('accepted');
    expect(loadCommonJsWithCodeCache(copyOfProgram(), { cacheDir, variant: 'validate' }).cache).toBe('absent');
    writeFileSync(file, `${PROGRAM}\nexports.answer = 43;\n`);
    const changed = loadCommonJsWithCodeCache<Program>(copyOfProgram(), { cacheDir, variant: 'serve' });
    expect(changed.cache).toBe('absent');
    expect(changed.exports.answer).toBe(43);
    expect(changed.save()).toBe(true);
    expect(readdirSync(cacheDir).sort()).toEqual([expect.stringMatching(/^run-/), expect.stringMatching(/^serve-/), expect.stringMatching(/^serve-/)]);
  });

  it('keeps the latest caches of a command as builds come and go, and clears what no writer finished', () => {
    mkdirSync(cacheDir, { recursive: true });
    const hours = (h: number) => new Date(Date.now() - h * 3_600_000);
    // Caches of five earlier builds for `serve`, the oldest first; others that must stay.
    const older = [5, 4, 3, 2, 1].map((h) => {
      const name = `serve-${h.toString(16).padStart(24, '0')}.v8`;
      writeFileSync(join(cacheDir, name), 'old');
      utimesSync(join(cacheDir, name), hours(h), hours(h));
      return name;
    });
    const keep = ['run-00000000000000000000000a.v8', 'serve-x-00000000000000000000000b.v8', 'notes.txt', `serve-${'c'.repeat(24)}.v8.4242.tmp`];
    for (const name of keep) writeFileSync(join(cacheDir, name), 'other');
    utimesSync(join(cacheDir, 'run-00000000000000000000000a.v8'), hours(9), hours(9));
    const abandoned = `serve-${'d'.repeat(24)}.v8.99.tmp`;
    writeFileSync(join(cacheDir, abandoned), 'half');
    utimesSync(join(cacheDir, abandoned), hours(1), hours(1));

    const loaded = loadCommonJsWithCodeCache(file, { cacheDir, variant: 'serve' });
    expect(loaded.save()).toBe(true);
    const left = readdirSync(cacheDir).sort();
    // The new cache and the two latest before it (CACHES_KEPT = 3); the rest untouched.
    expect(CACHES_KEPT).toBe(3);
    expect(left).toEqual([loaded.cacheFile!.slice(cacheDir.length + 1), older[3], older[4], ...keep].sort());
    expect(left).not.toContain(abandoned);
  });

  // V8 itself does not checksum a cache's bytes in a release build: damaged data reaching it can
  // crash the process (this test did, before the loader's own check).
  it.each([
    ['damaged', (bytes: Buffer) => bytes.fill(7, 64, bytes.length)],
    ['cut short', (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    ['one byte flipped', (bytes: Buffer) => (bytes[bytes.length - 100]! ^= 1, bytes)],
    ['empty', () => Buffer.alloc(0)],
    ["V8's data without the loader's header", (bytes: Buffer) => bytes.subarray(16)],
  ])('runs the program from source when the cache is %s, and writes a good one', async (_, damage) => {
    const first = loadCommonJsWithCodeCache<Program>(file, { cacheDir });
    first.save();
    const cacheFile = first.cacheFile!;
    writeFileSync(cacheFile, damage(readFileSync(cacheFile)));

    const corrupt = loadCommonJsWithCodeCache<Program>(copyOfProgram(), { cacheDir });
    expect(corrupt.cache).toBe('rejected');
    await exercise(corrupt.exports);
    expect(corrupt.save()).toBe(true);
    const again = loadCommonJsWithCodeCache<Program>(copyOfProgram(), { cacheDir });
    expect(again.cache).toBe('accepted');
    await exercise(again.exports);
  });

  it('runs without a cache when caching is off or the folder cannot be written', async () => {
    const off = loadCommonJsWithCodeCache<Program>(file, { cacheDir: undefined });
    expect(off.cache).toBe('off');
    await exercise(off.exports);
    expect(off.save()).toBe(false);

    writeFileSync(cacheDir, 'a file where the folder would go');
    const blocked = loadCommonJsWithCodeCache<Program>(file, { cacheDir });
    expect(blocked.cache).toBe('absent');
    await exercise(blocked.exports);
    expect(blocked.save()).toBe(false);
  });

  it('answers an error thrown by the program as the program threw it', () => {
    writeFileSync(file, "throw new TypeError('broken build');\n");
    expect(() => loadCommonJsWithCodeCache(file, { cacheDir })).toThrow(new TypeError('broken build'));
  });
});

describe('codeCacheDir', () => {
  it("uses the package's node_modules/.cache, NODE_COMPILE_CACHE when set, nothing with NODE_DISABLE_COMPILE_CACHE", () => {
    expect(codeCacheDir('/pkg', {})).toBe(join('/pkg', 'node_modules', '.cache', 'edu-emulator'));
    expect(codeCacheDir('/pkg', { NODE_COMPILE_CACHE: '/var/cache/ci' })).toBe(join('/var/cache/ci', 'edu-emulator'));
    expect(codeCacheDir('/pkg', { NODE_DISABLE_COMPILE_CACHE: '1', NODE_COMPILE_CACHE: '/var/cache/ci' })).toBeUndefined();
    expect(codeCacheDir('/pkg', { NODE_DISABLE_COMPILE_CACHE: '0' })).toBe(join('/pkg', 'node_modules', '.cache', 'edu-emulator'));
  });
});

describe('the bin', () => {
  const bin = fileURLToPath(new URL('../../bin/edu-emulator.js', import.meta.url));

  it('runs its single-file build and keeps one cache per command in NODE_COMPILE_CACHE', () => {
    const env = { ...process.env, NODE_COMPILE_CACHE: join(dir, 'node-cache'), NODE_DISABLE_COMPILE_CACHE: '' };
    const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;
    for (let i = 0; i < 2; i++) expect(execFileSync(process.execPath, [bin, '--version'], { env, encoding: 'utf8' })).toBe(`${version}\n`);
    expect(execFileSync(process.execPath, [bin, 'schema'], { env, encoding: 'utf8' })).toContain('"$schema"');
    expect(readdirSync(join(dir, 'node-cache', 'edu-emulator')).sort()).toEqual([expect.stringMatching(/^other-[0-9a-f]{24}\.v8$/), expect.stringMatching(/^schema-[0-9a-f]{24}\.v8$/)]);
  });

  it('has a server write its cache before its listening line: one stopped right at that line leaves it', async () => {
    const env = { ...process.env, NODE_COMPILE_CACHE: join(dir, 'node-cache'), NODE_DISABLE_COMPILE_CACHE: '' };
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'serve', '--memory', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('listening on ')) child.kill('SIGKILL');
      });
      child.on('exit', () => (out.includes('listening on ') ? resolve() : reject(new Error(`no listening line: ${out}`))));
    });
    expect(readdirSync(join(dir, 'node-cache', 'edu-emulator'))).toEqual([expect.stringMatching(/^serve-[0-9a-f]{24}\.v8$/)]);
  });

  it("runs dist/'s modules, with no cache, under EDU_EMULATOR_BUNDLE=0", () => {
    const env = { ...process.env, NODE_COMPILE_CACHE: join(dir, 'node-cache'), NODE_DISABLE_COMPILE_CACHE: '', EDU_EMULATOR_BUNDLE: '0' };
    expect(execFileSync(process.execPath, [bin, 'schema'], { env, encoding: 'utf8' })).toContain('"$schema"');
    expect(() => readdirSync(join(dir, 'node-cache'))).toThrow(/ENOENT/);
  });
});
