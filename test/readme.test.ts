// The README stays a short front door (the reference lives in docs/), and every relative link in
// the README and in docs/ reaches a file of the repository and, with a #fragment, a heading in it.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => headingSlug(m[1]!.trim())));
}

describe('README.md', () => {
  it('is at most 20,000 bytes', async () => {
    const { size } = await stat(join(repo, 'README.md'));
    expect(size).toBeLessThanOrEqual(20_000);
  });

  it('keeps the two-command quick start', async () => {
    const readme = await readFile(join(repo, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});

describe('links in the README and docs/', async () => {
  const files = ['README.md', ...(await readdir(join(repo, 'docs'))).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const texts = new Map<string, string>();
  for (const f of files) texts.set(f, await readFile(join(repo, f), 'utf8'));

  it('reach an existing file and heading', async () => {
    const broken: string[] = [];
    let checked = 0;
    for (const [file, text] of texts) {
      const prose = text.replace(/^```[\s\S]*?^```/gm, '');
      for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        const [path = '', fragment] = target.split('#');
        const resolved = path === '' ? file : relative(repo, join(repo, dirname(file), path));
        checked++;
        if (!existsSync(join(repo, resolved))) {
          broken.push(`${file}: ${target} (no file ${resolved})`);
          continue;
        }
        if (fragment !== undefined) {
          const doc = texts.get(resolved) ?? (await readFile(join(repo, resolved), 'utf8'));
          if (!anchors(doc).has(fragment)) broken.push(`${file}: ${target} (no heading #${fragment} in ${resolved})`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(broken).toEqual([]);
  });
});
