// The code cites the project's own documents as `docs/<file>.md §N`: every such citation in src/
// must name a document in docs/ and a numbered section heading (`## N. …`) it has.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.(ts|tsx)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** The numbered sections of a markdown document: `## 3. Title` → "3". */
export function sectionNumbers(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{2,3} (\d+(?:\.\d+)*)\. /gm)].map((m) => m[1]!));
}

describe('citations of docs/ in src/', async () => {
  const files = await sourceFiles(join(repo, 'src'));
  const citations: { where: string; doc: string; section?: string }[] = [];
  const stale: string[] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      const where = `${relative(repo, file)}:${i + 1}`;
      for (const m of line.matchAll(/docs\/([\w-]+\.md)(?: §(\d+(?:\.\d+)*))?/g)) {
        citations.push({ where, doc: m[1]!, ...(m[2] ? { section: m[2] } : {}) });
      }
      if (/\bSPEC\b/.test(line)) stale.push(`${where}: ${line.trim()}`);
    });
  }

  it('finds the citations (the scan works)', () => {
    expect(citations.filter((c) => c.doc === 'rules.md' && c.section).length).toBeGreaterThan(20);
  });

  it('resolves every citation to a document and a section heading in it', async () => {
    const docs = new Map<string, Set<string>>();
    for (const name of await readdir(join(repo, 'docs'))) {
      if (name.endsWith('.md')) docs.set(name, sectionNumbers(await readFile(join(repo, 'docs', name), 'utf8')));
    }
    const unresolved = citations
      .filter((c) => !docs.has(c.doc) || (c.section !== undefined && !docs.get(c.doc)!.has(c.section)))
      .map((c) => `${c.where}: docs/${c.doc}${c.section ? ` §${c.section}` : ''}`);
    expect(unresolved).toEqual([]);
  });

  it('cites no document outside the repository (the old "SPEC")', () => {
    expect(stale).toEqual([]);
  });
});
