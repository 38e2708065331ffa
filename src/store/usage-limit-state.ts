// The saved form of usage limits ("Setting usage limits in ChatGPT Enterprise and Edu"): monthly
// credit limits per user as a workspace default, group defaults and user overrides; null is "No limit".
import { z } from 'zod';

export { newUsageLimitsState } from './new-state.js';

const limit = z.number().int().nonnegative().nullable();

export const usageLimitsStateSchema = z.object({
  /** Credits per user per UTC calendar month; null: no limit; absent: never set (an older state's
   *  default-role `credits.monthly_limit` then stands in for it). */
  workspaceDefault: limit.optional(),
  /** Group id → limit for each member of the group. */
  groups: z.record(z.string(), limit).default({}),
  /** Member id → that member's own limit. */
  users: z.record(z.string(), limit).default({}),
});
export type UsageLimitsState = z.infer<typeof usageLimitsStateSchema>;
