// Builds the bin's single-file program, dist/cli/main.bundle.cjs, from the compiled dist/cli/main.js
// and its dependencies (run by `npm run build` after tsc). One file loads with one read and one
// compile, and src/cli/code-cache.ts keeps its V8 code cache between processes
// (docs/performance.md §7). The library (dist/index.js and the other package entries) stays as tsc
// wrote it; the bin falls back to dist/cli/main.js when this file is missing.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

// Left to Node at run time: native addons (ssh2), a WebAssembly module that finds its .wasm beside
// itself and loads it with top-level await (libxml2-wasm), and xml-crypto, whose own files and
// xmldom src/sso/saml/signed-xml.ts requires beside it (one copy of each, as in dist/).
const EXTERNAL = ['ssh2', 'cpu-features', 'libxml2-wasm', 'xml-crypto', 'xml-crypto/*'];
const OUT = 'dist/cli/main.bundle.cjs';

const result = await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: OUT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: EXTERNAL,
  // Module names in the file (esbuild keys each module by its path) stay as the package sees them
  // when its node_modules is a link (a git dependency's prepare): the same commit builds the same bytes.
  preserveSymlinks: true,
  // Each module's import.meta.url is the build's own file (dist/cli/): src/package-root.ts finds
  // the package from any folder inside it.
  define: { 'import.meta.url': '__import_meta_url' },
  banner: { js: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  legalComments: 'inline',
  minifyWhitespace: true,
  logLevel: 'warning',
});
if (result.errors.length > 0) process.exit(1);

// An import() of a module left to Node goes through the loader's `__import` (see code-cache.ts: a
// function read back from a code cache has no dynamic-import callback). Any other import() left in
// the file fails the build rather than the first sign-in.
let text = readFileSync(OUT, 'utf8');
let replaced = 0;
text = text.replace(/\bimport\(\s*"([^"]+)"\s*\)/g, (call, specifier) => {
  if (!EXTERNAL.includes(specifier)) return call;
  replaced += 1;
  return `__import(${JSON.stringify(specifier)})`;
});
const left = text.match(/\bimport\(\s*[^)\s]/g);
if (replaced === 0 || left) {
  console.error(`bundle-cli: expected the import("libxml2-wasm") call and no other import(); replaced ${replaced}, left ${left ? left.length : 0}`);
  process.exit(1);
}
// ASCII only, so that the bin reads it as one-byte text without decoding (esbuild escapes
// non-ASCII in strings, not in template literals: write \u escapes there in the source).
const wide = /[^\x00-\x7f]/.exec(text);
if (wide) {
  console.error(`bundle-cli: non-ASCII ${JSON.stringify(wide[0])} in the build near ${JSON.stringify(text.slice(Math.max(0, wide.index - 60), wide.index + 20))}`);
  process.exit(1);
}
writeFileSync(OUT, text);
