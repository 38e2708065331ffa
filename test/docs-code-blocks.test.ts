// Every ```ts block of the README and docs/ type-checks (strict) against the package's own source,
// imported by its published names, so the documented calls and the types cannot drift apart. The
// source is seen through the declarations of its build (brought up to date first, a no-op after
// `pretest`): src is type-checked by that build, not again here.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

function blocks(): { file: string; line: number; code: string }[] {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const out: { file: string; line: number; code: string }[] = [];
  for (const file of files) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() !== '```ts') continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && lines[end]!.trim() !== '```') end++;
      out.push({ file, line: start + 1, code: lines.slice(start, end).join('\n') });
      i = end;
    }
  }
  return out;
}

// Inside node_modules so that the blocks' own imports (vitest, msw) resolve from the repository.
const dir = mkdtempSync(join(ROOT, 'node_modules', '.docs-blocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('type-checks every TypeScript block of the README and docs', { timeout: 120_000 }, async () => {
  const found = blocks();
  expect(found.filter((b) => b.file === 'README.md').length).toBeGreaterThan(0);
  expect(found.filter((b) => b.file === 'docs/testing.md').length).toBeGreaterThan(3);
  const names: Record<string, string> = {};
  found.forEach((b, i) => {
    const name = `block-${i}.ts`;
    names[name] = `${b.file}:${b.line}`;
    // `export {}` keeps a block without imports a module (top-level await, its own scope).
    writeFileSync(join(dir, name), `${b.code}\nexport {};\n`);
  });
  // What the blocks use without importing it: Vitest's globals and the reader's own code.
  writeFileSync(
    join(dir, 'globals.d.ts'),
    [
      "import type * as V from 'vitest';",
      'declare global {',
      '  const expect: typeof V.expect; const it: typeof V.it; const describe: typeof V.describe;',
      '  const beforeAll: typeof V.beforeAll; const afterAll: typeof V.afterAll;',
      "  const defineConfig: typeof import('vitest/config').defineConfig;",
      '  /** The reader\'s own provisioning job. */',
      '  const runProvisioningJob: (options: { scimUrl: string; token: string }) => Promise<void>;',
      '}',
      'export {};',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        jsx: 'react-jsx',
        jsxImportSource: 'hono/jsx',
        paths: {
          'edu-workspace-emulator': [join(ROOT, 'src/index.ts')],
          'edu-workspace-emulator/vitest': [join(ROOT, 'src/vitest/index.ts')],
          'edu-workspace-emulator/msw': [join(ROOT, 'src/msw/index.ts')],
        },
      },
      include: ['*.ts'],
      // The paths above lead into this project: tsc reads the declarations it built instead.
      references: [{ path: join(ROOT, 'tsconfig.build.json') }],
    }),
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-b', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT });
  const result = await run(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
    () => '',
    (e: { stdout?: string }) => e.stdout ?? String(e),
  );
  // Name each error by the doc and line it comes from.
  const errors = result
    .split('\n')
    .filter((l) => /error TS/.test(l))
    .map((l) => l.replace(/^.*?(block-\d+\.ts)\((\d+),\d+\)/, (_, f: string, line: string) => (names[f] ? `${names[f]} (+${Number(line) - 1})` : `${f}:${line}`)));
  expect(errors).toEqual([]);
});
