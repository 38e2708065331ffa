// The emulator's own package folder (package.json, scenarios/, fixtures/), found from where its
// code runs: src/ under tsx and vitest, dist/ when built, dist/cli/ for the bin's single-file build.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'edu-workspace-emulator';

let found: string | undefined;

/** The nearest folder above this module whose package.json names the emulator; read once. */
export function packageRoot(): string {
  if (found !== undefined) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) {
      found = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`The ${PACKAGE_NAME} package.json was not found above ${fileURLToPath(import.meta.url)}; reinstall the package.`);
    dir = parent;
  }
}
