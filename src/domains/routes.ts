// Domains in the workspace admin API (docs/http-api.md §3): /w/{ws}/api/domains.
import { Hono } from 'hono';
import { z } from 'zod';
import { readBody } from '../http/body.js';
import type { AppEnv } from '../http/context.js';
import { addDomain, deleteDomain, getDomain, listDomains, verifyDomain } from './domains.js';

export const addInput = z
  .object({
    // Checked by normalizeDomainName (400 invalid_domain); the meta tells the OpenAPI document.
    domain: z
      .any()
      .refine((v) => v !== undefined, 'required, e.g. "springfield.k12.us"')
      .meta({
        type: 'string',
        format: 'hostname',
        maxLength: 253,
        description: 'A registered domain name of two or more labels (letters, digits, inner hyphens; at most 63 characters each), e.g. "springfield.k12.us"; no IP address, scheme, port or path. Stored in lower case (punycode for internationalised names).',
      }),
  })
  .strict();

export function domainRoutes() {
  const r = new Hono<AppEnv>();
  r.get('/', (c) => c.json({ domains: listDomains(c.get('core'), c.get('ws')) }));
  r.post('/', async (c) => {
    const input = await readBody(c, addInput);
    return c.json(addDomain(c.get('core'), c.get('ws'), input.domain, c.get('actor')), 201);
  });
  r.get('/:domain', (c) => c.json(getDomain(c.get('core'), c.get('ws'), c.req.param('domain'))));
  r.post('/:domain/verify', async (c) =>
    c.json(await verifyDomain(c.get('core'), c.get('ws'), c.req.param('domain'), c.get('actor'))),
  );
  r.delete('/:domain', (c) => {
    deleteDomain(c.get('core'), c.get('ws'), c.req.param('domain'), c.get('actor'));
    return c.body(null, 204);
  });
  return r;
}
