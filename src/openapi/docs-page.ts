// A readable page of the API document at /_emulator/docs: every operation by tag, with its
// parameters and request body schema. Plain HTML, no scripts, nothing fetched from elsewhere.
import { openApiDocument } from './document.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface Op {
  tags: string[];
  summary: string;
  parameters?: { name: string; in: string; description: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  security?: unknown[];
  responses: Record<string, unknown>;
}

export function docsPage(): string {
  const doc = openApiDocument() as { info: { title: string; version: string; description: string }; tags: { name: string }[]; paths: Record<string, Record<string, Op>> };
  const sections = doc.tags.map(({ name }) => {
    const rows: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.tags.includes(name)) continue;
        const params = (op.parameters ?? []).map((p) => `<li><code>${esc(p.name)}</code> (${esc(p.in)}): ${esc(p.description)}</li>`).join('');
        const body = op.requestBody
          ? `<details><summary>Request body</summary>${Object.entries(op.requestBody.content)
              .map(([type, c]) => `<p>${esc(type)}</p><pre>${esc(JSON.stringify(c.schema, null, 2))}</pre>`)
              .join('')}</details>`
          : '';
        const status = Object.keys(op.responses).find((s) => s !== '4XX') ?? '200';
        rows.push(
          `<article class="op" id="${esc(`${method}-${path}`)}"><h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>` +
            `<p>${esc(op.summary)}${op.security && op.security.length === 0 ? ' <em>(no admin key)</em>' : ''} → <code>${esc(status)}</code></p>` +
            (params ? `<ul>${params}</ul>` : '') +
            body +
            '</article>',
        );
      }
    }
    return `<section><h2 id="${esc(name)}">${esc(name)}</h2>${rows.join('\n')}</section>`;
  });
  const nav = doc.tags.map(({ name }) => `<a href="#${esc(name)}">${esc(name)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} API ${esc(doc.info.version)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1{font-size:1.8rem}h2{margin-top:2.5rem;border-bottom:2px solid #d0d7de}h3{font-size:1.05rem;margin:0}
.op{border:1px solid #d0d7de;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
.m{display:inline-block;min-width:4.5rem;font:600 .8rem monospace;padding:.15rem .4rem;border-radius:4px;color:#fff;text-align:center}
.get{background:#0969da}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
pre{background:#f6f8fa;padding:.75rem;overflow:auto;font-size:.85rem}code{font-size:.95em}
</style></head><body>
<h1>${esc(doc.info.title)} API <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description)}</p>
<p>Machine-readable: <a href="/_emulator/openapi.json">/_emulator/openapi.json</a> (OpenAPI 3.1). Authorization: <code>Bearer &lt;admin key&gt;</code>.</p>
<nav>${nav}</nav>
${sections.join('\n')}
</body></html>`;
}
