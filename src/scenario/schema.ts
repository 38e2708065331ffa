// The scenario file format (docs/scenarios.md §2): one zod schema is the source of truth for validation, for
// the step vocabulary, and for scenarios/schema.json (editor autocompletion).
import { z } from 'zod';
import { READINESS_ITEMS } from '../readiness/readiness.js';
import { ENFORCEMENT_LEVELS, IDP_VENDORS } from '../store/state.js';

const BUILT_IN_ROLES = ['owner', 'admin', 'member', 'analytics_viewer'] as const;

const email = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address such as "ada@springfield.k12.us"');
const duration = z.string().regex(/^(-?\d+(\.\d+)?[smhd])+$/, 'must be a duration such as "8d", "90m" or "1h30m"');
const method = z.enum(['password', 'social', 'sso']);

export const idpUserSchema = z
  .object({
    email,
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    groups: z.array(z.string()).optional(),
    password: z.string().optional(),
    attributes: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  })
  .strict();

/** Each step's argument, by step name. */
export const STEP_ARGS = {
  verify_domain: z.union([z.string().min(1), z.object({ domain: z.string().min(1), publish: z.boolean().optional() }).strict()]),
  configure_sso: z.union([
    z.object({ protocol: z.enum(['saml', 'oidc']).optional(), allowIdpInitiated: z.boolean().optional(), force: z.boolean().optional() }).strict(),
    z.null(),
  ]),
  invite: z.union([
    email,
    z.array(z.union([email, z.object({ email, role: z.enum(BUILT_IN_ROLES).optional(), password: z.string().optional() }).strict()])).min(1),
  ]),
  set_enforcement: z.union([z.enum(ENFORCEMENT_LEVELS), z.object({ level: z.enum(ENFORCEMENT_LEVELS), force: z.boolean().optional() }).strict()]),
  settings: z.object({ automaticAccountCreation: z.boolean().optional(), breakGlass: z.boolean().optional(), scimCompatibility: z.enum(['strict', 'lenient']).optional() }).strict(),
  issue_scim_token: z.union([z.object({ save: z.string().optional(), name: z.string().optional() }).strict(), z.null()]),
  create_group: z.object({ name: z.string().min(1), members: z.array(email).optional() }).strict(),
  create_role: z.object({ name: z.string().min(1), permissions: z.record(z.string(), z.unknown()).default({}), restrictive: z.boolean().optional() }).strict(),
  set_default_role: z.object({ permissions: z.record(z.string(), z.unknown()) }).strict(),
  usage_limits: z
    .object({
      workspaceDefault: z.number().int().nonnegative().nullable().optional(),
      groups: z.array(z.object({ group: z.string().min(1), limit: z.number().int().nonnegative().nullable() }).strict()).optional(),
      users: z.array(z.object({ user: z.string().min(1), limit: z.number().int().nonnegative().nullable() }).strict()).optional(),
    })
    .strict(),
  map_group: z.object({ group: z.string().min(1), role: z.string().min(1), source: z.enum(['local', 'scim']).optional() }).strict(),
  adopt_group: z.object({ local: z.string().min(1), into: z.string().min(1) }).strict(),
  scim_sync: z.union([z.object({ dialect: z.enum(['entra', 'okta', 'generic']).optional() }).strict(), z.null()]),
  directory_sync: z.union([
    z
      .object({
        /** Google: the group filter (connects the scenario's google mock IdP, or changes the filter). */
        groups: z.array(z.string().min(1)).optional(),
        /** CSV: the files' text, uploaded over HTTP to an SFTP directory (connected when it is not). */
        files: z.object({ users: z.string().optional(), groups: z.string().optional() }).strict().optional(),
      })
      .strict(),
    z.null(),
  ]),
  idp_add_user: idpUserSchema,
  idp_remove_user: email,
  idp_delete_user: email,
  idp_move_user: z.object({ user: email, from: z.string().min(1), to: z.string().min(1) }).strict(),
  idp_fault: z.object({ fault: z.string().min(1), user: email.optional() }).strict(),
  sign_in: z
    .object({
      user: email,
      method,
      fault: z.string().optional(),
      password: z.string().optional(),
      provider: z.enum(['google', 'microsoft', 'apple']).optional(),
    })
    .strict(),
  check_sign_in: z.object({ user: email, method }).strict(),
  advance_clock: duration,
  request: z
    .object({
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'get', 'post', 'put', 'patch', 'delete']),
      path: z.string().min(1),
      body: z.unknown().optional(),
      auth: z.enum(['scim', 'admin', 'none']).optional(),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
  expect_permissions: z.object({ user: email, has: z.record(z.string(), z.unknown()) }).strict(),
  expect_member: z
    .object({
      user: email,
      exists: z.boolean().optional(),
      status: z.enum(['pending_invite', 'active', 'deactivated']).optional(),
      source: z.enum(['invite', 'scim', 'auto']).optional(),
      role: z.enum(BUILT_IN_ROLES).optional(),
      groups: z.array(z.string()).optional(),
    })
    .strict(),
  expect_usage_limit: z
    .object({
      user: email,
      limit: z.number().int().nonnegative().nullable().optional(),
      source: z.enum(['user', 'group', 'workspace', 'none']).optional(),
      group: z.string().optional(),
    })
    .strict(),
  expect_readiness: z.partialRecord(z.enum(READINESS_ITEMS), z.enum(['pass', 'warn', 'fail'])),
  expect_enforcement_preview: z
    .object({
      level: z.enum(ENFORCEMENT_LEVELS),
      newly_blocked: z.array(email).optional(),
      newly_allowed: z.array(email).optional(),
      unchanged: z.array(email).optional(),
      insufficient_data: z.array(email).optional(),
    })
    .strict(),
  expect_events: z.object({ type: z.string().min(1), count: z.number().int().nonnegative().optional(), min: z.number().int().nonnegative().optional() }).strict(),
  /** The conformance report of the IdP's traffic so far (docs/conformance.md): counts by severity under a profile. */
  expect_conformance: z
    .object({
      profile: z.enum(['rfc', 'entra', 'entra-aadoptscim062020', 'okta-oin', 'okta-aiw', 'onelogin', 'jumpcloud', 'google', 'classlink', 'clever']).optional(),
      fail: z.number().int().nonnegative().optional(),
      warn: z.number().int().nonnegative().optional(),
      info: z.number().int().nonnegative().optional(),
      known_quirk: z.number().int().nonnegative().optional(),
    })
    .strict(),
} as const;

export type StepName = keyof typeof STEP_ARGS;
export const STEP_NAMES = Object.keys(STEP_ARGS) as StepName[];

/** Keys a step may carry beside its one action. */
export const STEP_MODIFIERS = ['expect', 'save', 'name', 'as'] as const;
const modifiers = {
  /** Compared field by field against the step's result (`status`, `body`, `outcome`, `reason`…). */
  expect: z.record(z.string(), z.unknown()).optional(),
  /** Captures from the result into variables: `{token: body.token}`; use them as `${token}`. */
  save: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name: letters, digits, underscores'), z.string()).optional(),
  /** A label for reports. */
  name: z.string().optional(),
  /** Acts as this member: the step's admin API calls carry their built-in role (X-Emulator-Act-As). */
  as: email.optional(),
};

/** Steps that make no admin API call of their own, where `as:` would mean nothing. */
export const STEPS_WITHOUT_ACT_AS: ReadonlySet<string> = new Set(['sign_in', 'advance_clock', 'idp_add_user', 'idp_remove_user', 'idp_delete_user', 'idp_move_user', 'idp_fault']);

/** One step: exactly one action key and its argument, plus the modifiers. */
export const stepSchema = z.union(STEP_NAMES.map((n) => z.object({ [n]: STEP_ARGS[n], ...modifiers }).strict()) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    workspace: z
      .object({
        name: z.string().optional(),
        settings: z.object({ automaticAccountCreation: z.boolean().optional(), breakGlass: z.boolean().optional(), scimCompatibility: z.enum(['strict', 'lenient']).optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    idp: z
      .object({
        vendor: z.enum(IDP_VENDORS).default('generic'),
        protocol: z.enum(['saml', 'oidc']).default('saml'),
        users: z.array(idpUserSchema).default([]),
        groups: z.array(z.object({ name: z.string().min(1), members: z.array(email).optional() }).strict()).optional(),
        /** A CSV roster (email,givenName,familyName,groups separated by ;), relative to the scenario file. */
        roster: z.string().optional(),
      })
      .strict()
      .optional(),
    steps: z.array(z.record(z.string(), z.unknown())).min(1),
  })
  .strict();

export type ScenarioDocument = z.infer<typeof scenarioSchema>;

/** The JSON Schema of a scenario file, for editors. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const shape = scenarioSchema.extend({ steps: z.array(stepSchema).min(1) });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://edu-workspace-emulator.invalid/scenario.schema.json',
    title: 'edu-workspace-emulator scenario',
    ...z.toJSONSchema(shape, { io: 'input', unrepresentable: 'any' }),
  };
}
