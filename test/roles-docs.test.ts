// docs/roles-and-administration.md carries the permission catalogue exactly as src/roles/permissions.ts
// defines it (one definition: the API, the console and the docs), and links every article it cites.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PERMISSION_CATALOGUE } from '../src/roles/permissions.js';

const doc = await readFile(new URL('../docs/roles-and-administration.md', import.meta.url), 'utf8');

describe('docs/roles-and-administration.md', () => {
  it('lists every catalogue entry with its key, area, label, description and default, in order', () => {
    const rows = doc.split('\n').filter((l) => /^\| `[a-z_.]+` \|/.test(l) && !l.startsWith('| `apps`'));
    expect(rows).toEqual(PERMISSION_CATALOGUE.map((e) => `| \`${e.key}\` | ${e.area} | ${e.label} | ${e.description} | ${e.default ? 'on' : 'off'}${'everyday' in e && e.everyday ? ' (everyday)' : ''} |`));
  });

  it('defines every article link it uses', () => {
    const used = new Set([...doc.matchAll(/\]\[(\w+)\]/g)].map((m) => m[1]));
    const defined = new Set([...doc.matchAll(/^\[(\w+)\]: https:\/\/\S+$/gm)].map((m) => m[1]));
    expect([...used].filter((u) => !defined.has(u))).toEqual([]);
    expect(defined.size).toBeGreaterThanOrEqual(5);
  });
});
