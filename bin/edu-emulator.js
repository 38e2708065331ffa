#!/usr/bin/env node
// The edu-emulator command: runs the compiled CLI (npm ci builds it through `prepare`), from its
// single-file build with a V8 code cache (src/cli/code-cache.ts) when there is one.
// EDU_EMULATOR_BUNDLE=0 runs dist/'s modules instead, for module hooks (--import, --loader) that
// need to see each module.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tuneEngine } from '../dist/cli/engine-flags.js';

// One code cache per command (src/cli/code-cache.ts); help, version and typos share one.
const COMMANDS = new Set(['serve', 'record', 'run', 'validate', 'schema', 'conformance', 'export', 'import']);
const args = process.argv.slice(2);
const flags = tuneEngine(args);
const bundle = fileURLToPath(new URL('../dist/cli/main.bundle.cjs', import.meta.url));
let main;
let loaded;
if (process.env.EDU_EMULATOR_BUNDLE !== '0' && existsSync(bundle)) {
  const { codeCacheDir, loadCommonJsWithCodeCache } = await import('../dist/cli/code-cache.js');
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  loaded = loadCommonJsWithCodeCache(bundle, {
    cacheDir: codeCacheDir(packageDir, process.env),
    variant: [COMMANDS.has(args[0]) ? args[0] : 'other', ...flags].join(' '),
  });
  main = loaded.exports.main;
} else {
  ({ main } = await import('../dist/cli/main.js'));
}
// A server writes its cache just before its listening line (only when it has none that covers
// its start-up): one stopped as soon as it printed that line, as scripts and benchmarks do, still
// leaves the cache for the next start.
const code = await main(args, { beforeListeningLine: () => loaded?.save() });
if (code !== undefined) process.exitCode = code;
// With what this command compiled: a batch's whole run; a server's start-up (written already at
// its listening line), then, two seconds on, its routes and first requests (written again only if
// they add enough).
loaded?.save();
if (loaded && (args[0] === 'serve' || args[0] === 'record')) setTimeout(() => loaded.save(), 2000).unref();
