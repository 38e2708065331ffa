// The bin's loader for its single-file CommonJS build (dist/cli/main.bundle.cjs, made by
// tools/bundle-cli.mjs): compiled with a V8 code cache, so a later process starts from the bytecode
// an earlier one compiled instead of parsing and compiling the whole program again. Node 20 has no
// compile cache for modules of its own (module.enableCompileCache came with Node 22); this is the
// vm.Script cachedData that v8-compile-cache and Node's own cache are built on.
//
// The cache is an optimization only: a missing, stale, corrupt or unwritable cache never changes
// what runs (V8 checks the source, its own version and its flags, and rejects a cache that does not
// match; the program is then compiled from source and the cache written anew). It lives in
// NODE_COMPILE_CACHE when set (Node 22's variable), otherwise in the package's own
// node_modules/.cache, which only whoever can write the package's code can write; it is off with
// NODE_DISABLE_COMPILE_CACHE=1.
import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapCodeStatistics } from 'node:v8';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

/** What became of the cache on load: used, none there, or there but not usable (rejected by V8). */
export type CodeCacheState = 'accepted' | 'absent' | 'rejected' | 'off';

export interface LoadedCommonJs<T> {
  exports: T;
  cache: CodeCacheState;
  /** The cache file, when caching is on. */
  cacheFile: string | undefined;
  /**
   * Writes the cache when the one loaded was absent or rejected, or when this process has compiled
   * notably more than the cache holds (GROWTH; also since its own last write): with what this
   * process has compiled so far, so call it when the program has done its work (a server may call
   * it again later). Answers whether it wrote. Never throws.
   */
  save(): boolean;
}

export interface CodeCacheOptions {
  /** Where cache files go; undefined turns caching off. */
  cacheDir: string | undefined;
  /**
   * Which cache of the file this process reads and writes: the command and the V8 flags it set. A
   * cache holds what its first process compiled, so each command keeps its own (a `--version`
   * would otherwise leave `run` a cache of almost nothing), and V8 rejects one made under other flags.
   */
  variant?: string;
}

/** The cache folder the bin uses for a package at `packageDir` under `env`. */
export function codeCacheDir(packageDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const disabled = env.NODE_DISABLE_COMPILE_CACHE;
  if (disabled !== undefined && disabled !== '' && disabled !== '0') return undefined;
  const chosen = env.NODE_COMPILE_CACHE;
  if (chosen) return join(chosen, 'edu-emulator');
  return join(packageDir, 'node_modules', '.cache', 'edu-emulator');
}

// A cache file is this header and V8's cached data. V8 checks a cache's version, flags, source and
// length, but not its bytes (the checksum is a debug-build check): damaged bytes handed to it can
// crash the process. The CRC-32 here turns any damage into a rejected cache. The header also keeps
// how much bytecode the writing process held when it wrote (see GROWTH).
const MAGIC = Buffer.from('EDUV8C02', 'latin1');
const HEADER = MAGIC.length + 12;

function withHeader(data: Buffer, writtenAt: number): Buffer {
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(crc32(data), MAGIC.length);
  header.writeUInt32BE(data.length, MAGIC.length + 4);
  header.writeUInt32BE(Math.min(writtenAt, 0xffffffff), MAGIC.length + 8);
  return Buffer.concat([header, data]);
}

/** The cached data of an intact file and the writer's bytecode count, or undefined. */
function withoutHeader(file: Buffer): { data: Buffer; writtenAt: number } | undefined {
  if (file.length < HEADER || !file.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const data = file.subarray(HEADER);
  if (data.length !== file.readUInt32BE(MAGIC.length + 4) || crc32(data) !== file.readUInt32BE(MAGIC.length)) return undefined;
  return { data, writtenAt: file.readUInt32BE(MAGIC.length + 8) };
}

/**
 * A cache holds what the process that wrote it had compiled: one written by a small run (a single
 * scenario) leaves a larger one (the whole suite) compiling the rest in every process. A process
 * that holds more than this share above what the writer held when it wrote (the count is kept in
 * the file's header) writes the cache again, with the larger set; runs of the same size leave it
 * be, so it settles on the largest one. Both counts are taken at the same point, a save: they take
 * in code outside the cached file (Node's own, packages loaded apart), which a count taken at load
 * could not, and which would otherwise look like growth in every run.
 */
const GROWTH = 0.1;

const bytecodeSize = () => getHeapCodeStatistics().bytecode_and_metadata_size;

// The parameters the build is wrapped in. `__import` is a real dynamic import: V8 drops the
// host's dynamic-import callback from functions it reads back from a code cache (Node 20 answers
// "A dynamic import callback was not specified"), so the build calls this one instead of import().
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __import) {';
const WRAPPER_TAIL = '\n})';

/**
 * Loads the CommonJS file `file` (its `require` resolves from the file's folder) with the code
 * cache in `options.cacheDir`, and answers its exports.
 */
export function loadCommonJsWithCodeCache<T>(file: string, options: CodeCacheOptions): LoadedCommonJs<T> {
  const bytes = readFileSync(file);
  // The build is ASCII (tools/bundle-cli.mjs sees to it): read as one-byte text, without decoding.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  // The file's content by CRC-32 and length (a cache of another build is never read).
  const key = createHash('sha256')
    .update(`${crc32(bytes)} ${bytes.length}`)
    .update('\0')
    .update(`${process.version} ${process.arch} ${process.versions.v8}`)
    .update('\0')
    .update(options.variant ?? '')
    .digest('hex')
    .slice(0, 24);
  const cacheFile = options.cacheDir === undefined ? undefined : join(options.cacheDir, `${safeName(options.variant)}-${key}.v8`);
  let stored: Buffer | undefined;
  if (cacheFile !== undefined) {
    try {
      stored = readFileSync(cacheFile);
    } catch {
      stored = undefined;
    }
  }
  const read = stored === undefined ? undefined : withoutHeader(stored);
  const script = new Script(WRAPPER_HEAD + source + WRAPPER_TAIL, { filename: file, cachedData: read?.data });
  const cache: CodeCacheState =
    cacheFile === undefined ? 'off' : stored === undefined ? 'absent' : read === undefined || script.cachedDataRejected === true ? 'rejected' : 'accepted';
  // What the file on disk covers: the bytecode its writer held when it wrote (a cache read), or
  // this process's at its own last write.
  let covered = cache === 'accepted' ? read!.writtenAt : undefined;
  const wrapped = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
    importer: (specifier: string) => Promise<unknown>,
  ) => void;
  const module = { exports: {} as unknown };
  const requireFromFile = createRequire(file);
  // Specifiers resolve as the file's own require would find them (the package's node_modules).
  const importer = (specifier: string) => import(specifier.startsWith('node:') ? specifier : pathToFileURL(requireFromFile.resolve(specifier)).href);
  wrapped(module.exports, requireFromFile, module, file, dirname(file), importer);
  return {
    exports: module.exports as T,
    cache,
    cacheFile,
    save() {
      if (cacheFile === undefined) return false;
      const now = bytecodeSize();
      if (covered !== undefined && now <= covered * (1 + GROWTH)) return false;
      try {
        const data = withHeader(script.createCachedData(), now);
        mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
        // Written aside and renamed: a reader never sees half a file, and two writers leave one whole.
        const aside = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(aside, data, { mode: 0o600 });
        renameSync(aside, cacheFile);
        covered = now;
        pruneCacheDir(cacheFile);
        return true;
      } catch {
        covered = now;
        return false;
      }
    },
  };
}

/** How many caches of one command a folder keeps: the one just written and the latest others. */
export const CACHES_KEPT = 3;
/** A writer's file aside older than this was left by a process that stopped while writing. */
const ABANDONED_MS = 60_000;

/**
 * After a write: each build of the file (and each Node version or flag set) has caches of its own,
 * so a checkout rebuilt many times would gather them without end. The command's caches beyond the
 * CACHES_KEPT latest go (others may still be in use: two installs sharing NODE_COMPILE_CACHE, a
 * flag given now and then), and so do files aside that no writer finished. Never throws.
 */
function pruneCacheDir(written: string): void {
  const folder = dirname(written);
  const prefix = `${written.slice(folder.length + 1).replace(/-[0-9a-f]+\.v8$/, '')}-`;
  try {
    const now = Date.now();
    const caches: { file: string; mtime: number }[] = [];
    for (const name of readdirSync(folder)) {
      const file = join(folder, name);
      if (name.endsWith('.tmp')) {
        if (now - statSync(file).mtimeMs > ABANDONED_MS) unlinkSync(file);
      } else if (name.startsWith(prefix) && /^[a-z][a-z0-9-]*-[0-9a-f]+\.v8$/.test(name) && name.slice(prefix.length).indexOf('-') < 0 && file !== written) {
        caches.push({ file, mtime: statSync(file).mtimeMs });
      }
    }
    caches.sort((x, y) => y.mtime - x.mtime);
    for (const old of caches.slice(CACHES_KEPT - 1)) unlinkSync(old.file);
  } catch {
    // Another process pruned or wrote meanwhile, or the folder is not ours to change: the caches stay.
  }
}

/** The variant's first word as a file-name part (the command), or `main`. */
function safeName(variant: string | undefined): string {
  const word = /^[a-z][a-z0-9-]{0,31}/.exec(variant ?? '')?.[0];
  return word ?? 'main';
}
