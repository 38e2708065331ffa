// readJson: the media types it takes, and lone surrogates refused whether or not the text
// looks like it could hold one (the walk over the parsed value is skipped only when it cannot).
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { EmulatorError } from '../errors.js';
import { isJsonMediaType, readBodyText, readJson } from './body.js';

function app() {
  const a = new Hono();
  a.onError((e, c) => (e instanceof EmulatorError ? c.json({ code: e.code, message: e.message }, e.status as 400) : c.json({ code: 'crash' }, 500)));
  for (const path of ['/api/x', '/w/default/scim/v2/Users']) {
    a.post(path, async (c) => c.json({ value: (await readJson(c)) ?? null, text: readBodyText(c) ?? null }));
  }
  return a;
}

const post = (path: string, raw: string, type = 'application/json') =>
  app().request(path, { method: 'POST', headers: { 'Content-Type': type }, body: raw });

describe('readJson media types', () => {
  it.each([
    ['application/json', false, true],
    ['application/json', true, true],
    ['application/scim+json', true, true],
    ['application/scim+json', false, false],
    ['Application/JSON; charset=utf-8', false, true],
    [' application/scim+json ;charset=UTF-8', true, true],
    ['text/plain', true, false],
    ['application/jsonx', false, false],
    [undefined, false, false],
  ] as const)('%s on a %s SCIM route: %s', (header, scim, ok) => {
    expect(isJsonMediaType(header, scim)).toBe(ok);
  });

  it('refuses application/scim+json outside SCIM with 415', async () => {
    const res = await post('/api/x', '{"a":1}', 'application/scim+json');
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'unsupported_media_type' });
  });
});

describe('readJson lone surrogates', () => {
  it.each([
    ['a high surrogate alone', '{"a":"x\\ud800y"}'],
    ['upper-case hex', '{"a":"\\uDBFF"}'],
    ['a low surrogate alone', '{"a":"\\uDC00"}'],
    ['in a member name', '{"\\uD800":1}'],
    ['deep in arrays', '{"a":[[{"b":["ok","\\udfff"]}]]}'],
    ['after an escaped backslash that is itself an escape', '{"a":"\\\\\\ud800"}'],
  ])('refuses %s (400 invalid_encoding)', async (_what, raw) => {
    const res = await post('/api/x', raw);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid_encoding' });
  });

  it.each([
    ['a pair', '{"a":"\\uD83D\\uDE00"}', { a: '\u{1F600}' }],
    ['a literal backslash-u text', '{"a":"\\\\uD800"}', { a: '\\uD800' }],
    ['a surrogate pair in UTF-8', '{"a":"\u{1F600}"}', { a: '\u{1F600}' }],
    ['other escapes', '{"a":"\\u00e9\\ud7ff\\ue000"}', { a: '\u00e9\ud7ff\ue000' }],
  ])('takes %s', async (_what, raw, value) => {
    const res = await post('/api/x', raw);
    expect(res.status).toBe(200);
    expect((await res.json()).value).toEqual(value);
  });

  it('agrees with a walk over every parsed string on generated bodies', async () => {
    // Strings built from pieces around surrogate escapes: each body is refused exactly when a
    // parsed string or member name holds a lone surrogate.
    const pieces = ['a', '\\\\', '\\ud800', '\\uDC00', '\\uD83D\\uDE00', '\\u0041', '\\"', 'é', '\\ud7ff', 'u', 'D800'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (let i = 0; i < 150; i++) {
      const str = () => Array.from({ length: 1 + rand(4) }, () => pieces[rand(pieces.length)]).join('');
      const raw = `{"${str()}":["${str()}",{"${str()}":"${str()}"}]}`;
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      const strings = collect(parsed);
      const res = await post('/w/default/scim/v2/Users', raw, 'application/scim+json');
      expect(res.status, raw).toBe(strings.some((s) => lone.test(s)) ? 400 : 200);
    }
  });

  it('keeps the decoded text for later layers', async () => {
    const res = await post('/api/x', ' {"a":"é"} ');
    expect((await res.json()).text).toBe(' {"a":"é"} ');
  });
});

function collect(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) collect(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      collect(x, out);
    }
  }
  return out;
}
