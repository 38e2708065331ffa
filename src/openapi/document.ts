// The OpenAPI 3.1 document of the emulator's JSON APIs, built from the operation table and the
// zod schemas that validate each request (JSON Schema 2020-12, which OpenAPI 3.1 uses).
import { z } from 'zod';
import { VERSION } from '../version.js';
import { OPERATIONS, type ApiOperation } from './operations.js';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. invalid_domain, domain_claimed, sso_untested.' },
        message: { type: 'string', description: 'What was wrong and what to do.' },
      },
    },
  },
} as const;

function bodySchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** A success answer's JSON Schema, from the zod schema the route's view is typed by (closed objects: a field the schema does not name is drift). */
function responseSchema(schema: z.ZodType | undefined): Record<string, unknown> {
  if (!schema) return { type: 'object' };
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

const paramDescription: Record<string, string> = {
  ws: 'Workspace id (`default` exists at start).',
  idp: 'Mock IdP id.',
  id: 'Resource id.',
  domain: 'Domain name.',
  name: 'DNS owner name.',
  user: 'User id or email.',
  group: 'Group id or display name.',
};

function operationObject(op: ApiOperation) {
  const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1]!,
    in: 'path',
    required: true,
    description: paramDescription[m[1]!] ?? m[1]!,
    schema: { type: 'string' },
  }));
  const query = Object.entries(op.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } }));
  const status = String(op.status ?? 200);
  return {
    tags: [op.tag],
    summary: op.summary,
    operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(params.length + query.length > 0 ? { parameters: [...params, ...query] } : {}),
    // An empty body stands for {} (src/http/body.ts): it is optional exactly when {} is accepted.
    ...(op.body ? { requestBody: { required: !op.body.safeParse({}).success, content: { 'application/json': { schema: bodySchema(op.body) } } } } : {}),
    ...(op.rawBody ? { requestBody: { required: true, description: op.rawBody.description, content: { [op.rawBody.type]: { schema: { type: 'string' } } } } } : {}),
    ...(op.public ? { security: [] } : {}),
    responses: {
      [status]:
        status === '204'
          ? { description: 'Done; no body.' }
          : op.responseType !== undefined
            ? { description: 'Success.', content: { [op.responseType]: { schema: { type: 'string' } } } }
            : {
                description: op.alsoResponds ? `Success: JSON by default; ${Object.values(op.alsoResponds).join('; ')}.` : 'Success.',
                content: {
                  'application/json': { schema: responseSchema(op.response) },
                  ...Object.fromEntries(Object.keys(op.alsoResponds ?? {}).map((type) => [type, { schema: { type: 'string' } }])),
                },
              },
      '4XX': { description: 'Refused; nothing changed.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    },
  };
}

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document (built once per process). */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'edu-workspace-emulator',
      version: VERSION,
      description:
        'Control plane, workspace admin API and mock IdP management of a local emulator of a ChatGPT EDU workspace\'s identity features. SCIM 2.0 (`/w/{ws}/scim/v2`) follows RFC 7644 and describes itself at /ServiceProviderConfig, /Schemas and /ResourceTypes.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    security: [{ adminKey: [] }],
    components: {
      securitySchemes: {
        adminKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The emulator admin key printed by `edu-emulator serve` (full power; with `X-Emulator-Act-As: <email>` it acts as that member), or a member\'s session cookie on /w/{ws}/api. Who may use which route follows the built-in roles: 403 `insufficient_role` names the role needed (docs/roles-and-administration.md).',
        },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
  return cached;
}
