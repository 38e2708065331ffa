// Finding 7 (issue 14) and issue 15 finding 3: filters nested thousands deep or with thousands of
// terms overflowed the stack (500). Filters now hold at most 200 terms and 50 nesting levels
// (checked before recursing), refused with 400 tooMany everywhere a filter is read.
import { describe, expect, it } from 'vitest';
import { parseFilter, parsePatchPath } from '../../src/scim/filter/parse-filter.js';
import { MAX_ATTRIBUTE_PATHS, MAX_FILTER_DEPTH, MAX_FILTER_TERMS } from '../../src/scim/limits.js';
import { inProcess } from '../support/in-process.js';
import { scimClient } from '../support/scim.js';
import { errorOf } from '../support/errors.js';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const nested = (depth: number) => `${'('.repeat(depth)}userName eq "a"${')'.repeat(depth)}`;
const notNested = (depth: number) => `${'not ('.repeat(depth)}userName eq "a"${')'.repeat(depth)}`;
const chain = (terms: number, op: 'and' | 'or') => Array.from({ length: terms }, (_, i) => `userName eq "u${i}"`).join(` ${op} `);

describe('filter limits', () => {
  it('parses up to the limits and refuses beyond them with 400 tooMany naming the limit', () => {
    expect(() => parseFilter(nested(MAX_FILTER_DEPTH))).not.toThrow();
    expect(() => parseFilter(chain(MAX_FILTER_TERMS, 'or'))).not.toThrow();
    for (const [text, limit] of [
      [nested(MAX_FILTER_DEPTH + 1), MAX_FILTER_DEPTH],
      [nested(20_000), MAX_FILTER_DEPTH],
      [notNested(3000), MAX_FILTER_DEPTH],
      [chain(MAX_FILTER_TERMS + 1, 'and'), MAX_FILTER_TERMS],
      [chain(11_200, 'or'), MAX_FILTER_TERMS],
    ] as const) {
      const e = errorOf(() => parseFilter(text));
      expect(e.status).toBe(400);
      expect(e.scimType).toBe('tooMany');
      expect(e.message).toContain(String(limit));
    }
  });

  it('limits PATCH value-filter paths the same way', () => {
    const e = errorOf(() => parsePatchPath(`emails[${chain(MAX_FILTER_TERMS + 1, 'or').replaceAll('userName', 'value')}]`));
    expect(e.scimType).toBe('tooMany');
    const deep = errorOf(() => parsePatchPath(`emails[${nested(5000).replace('userName', 'value')}]`));
    expect(deep.scimType).toBe('tooMany');
  });

  it('answers 400, never 500, on GET, POST /.search (Users and Groups) and PATCH paths', async () => {
    const env = inProcess();
    const { scim, user } = await scimClient(env);
    const id = await user('ada@springfield.k12.us');
    const deep = nested(20_000);
    const long = chain(6000, 'and');
    const answers = [
      await scim('POST', '/Users/.search', { schemas: [SEARCH], filter: deep }),
      await scim('POST', '/Users/.search', { schemas: [SEARCH], filter: long }),
      await scim('POST', '/Groups/.search', { schemas: [SEARCH], filter: chain(11_200, 'or').replaceAll('userName', 'displayName') }),
      await scim('GET', `/Users?filter=${encodeURIComponent(nested(2757))}`),
      await scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `emails[${nested(20_000).replace('userName', 'value')}]` }] }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('tooMany');
    }
  });

  it(`limits attributes and excludedAttributes to ${MAX_ATTRIBUTE_PATHS} paths`, async () => {
    const env = inProcess();
    const { scim } = await scimClient(env);
    const many = Array.from({ length: MAX_ATTRIBUTE_PATHS + 1 }, () => 'userName').join(',');
    const get = await scim('GET', `/Users?attributes=${many}`);
    const search = await scim('POST', '/Users/.search', { schemas: [SEARCH], excludedAttributes: many.split(',') });
    for (const res of [get, search]) {
      expect(res.status).toBe(400);
      expect(res.body.scimType).toBe('tooMany');
      expect(res.body.detail).toContain(String(MAX_ATTRIBUTE_PATHS));
    }
  });
});
