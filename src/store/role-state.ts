// The saved form of roles (docs/rules.md §10): the workspace default role and custom roles with the
// groups they are assigned to, plus the workspace's app catalog.
import { z } from 'zod';
import { SEEDED_APPS } from './new-state.js';

export { SEEDED_APPS, newRolesState } from './new-state.js';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time');
const grantSchema = z.record(z.string(), z.union([z.boolean(), z.number(), z.null(), z.array(z.string())]));

export const roleRecordSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** A full permission set (filled from the default role at creation), plus the credit-limit alias if set. */
  permissions: grantSchema,
  /** Meant to take everyday tools away (a student or Lockdown Mode role): readiness does not flag it. */
  restrictive: z.boolean().default(false),
  groupIds: z.array(z.string()).default([]),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type RoleRecord = z.infer<typeof roleRecordSchema>;

export const appRecordSchema = z.object({ id: z.string().min(1), name: z.string().min(1) });
export type AppRecord = z.infer<typeof appRecordSchema>;

export const rolesStateSchema = z.object({
  /** Overrides of the default role's baseline values (missing keys use the baseline). A
   *  `credits.monthly_limit` here comes from an older state: it reads as the workspace usage limit. */
  defaultPermissions: grantSchema.default({}),
  custom: z.record(z.string(), roleRecordSchema).default({}),
  apps: z.array(appRecordSchema).default(SEEDED_APPS),
});
export type RolesState = z.infer<typeof rolesStateSchema>;
