// The permission catalogue of the product's RBAC article (help.openai.com article 11750701): each
// key once, with its label and one-line description, used by the API, the console and the docs; and
// how full permission sets combine (a union: booleans OR-ed, app lists united).
import { z } from 'zod';
import { badRequest } from '../errors.js';

/** One boolean permission of the catalogue. */
export interface CatalogueEntry {
  /** Stable key, e.g. `gpts.edit`. */
  readonly key: string;
  /** The catalogue heading it sits under in the RBAC article. */
  readonly area: string;
  readonly label: string;
  readonly description: string;
  /** What a new workspace's default role grants. */
  readonly default: boolean;
  /** An everyday tool: a custom role that drops it is flagged by readiness unless marked restrictive. */
  readonly everyday?: boolean;
}

/**
 * The boolean permissions, in the order the console and docs show them. Today's keys (docs/rules.md §10)
 * keep their names; the RBAC article's other items are added under their own keys.
 */
export const PERMISSION_CATALOGUE = [
  { key: 'gpts.use', area: 'GPTs', label: 'Use GPTs', description: 'Chat with GPTs from the workspace and the GPT store.', default: true, everyday: true },
  { key: 'gpts.create', area: 'GPTs', label: 'Create GPTs', description: 'Build new GPTs of their own.', default: true, everyday: true },
  { key: 'gpts.edit', area: 'GPTs', label: 'Edit GPTs', description: 'Change the instructions, knowledge and actions of GPTs they may edit.', default: true },
  { key: 'gpts.share', area: 'GPTs', label: 'Share GPTs', description: 'Share a GPT with chosen people or by link.', default: true },
  { key: 'gpts.delete', area: 'GPTs', label: 'Delete GPTs', description: 'Delete GPTs they own.', default: true },
  { key: 'gpts.publish_workspace', area: 'GPTs', label: 'Publish GPTs to the workspace', description: 'Place a GPT in the workspace directory for every member.', default: false },
  { key: 'skills.use', area: 'Skills', label: 'Use skills', description: 'Run skills that are installed for them.', default: true, everyday: true },
  { key: 'skills.create', area: 'Skills', label: 'Create skills', description: 'Write new skills of their own.', default: true },
  { key: 'skills.file_upload', area: 'Skills', label: 'Upload skill files', description: 'Attach files to a skill when creating or editing it.', default: true },
  { key: 'skills.share', area: 'Skills', label: 'Share skills', description: 'Share a skill with chosen people.', default: true },
  { key: 'skills.publish_workspace', area: 'Skills', label: 'Publish skills to the workspace', description: 'Make a skill available to every member of the workspace.', default: false },
  { key: 'skills.install_for_others', area: 'Skills', label: 'Install skills for others', description: 'Install a skill for other workspace members.', default: false },
  { key: 'models.advanced', area: 'Models', label: 'Advanced models', description: 'Use the advanced (most capable, most costly) models.', default: false },
  { key: 'codex.use', area: 'Codex', label: 'Use Codex', description: 'Use the Codex coding agent.', default: false },
  { key: 'codex.internet', area: 'Codex', label: 'Codex internet access', description: 'Let Codex tasks reach the internet.', default: false },
  { key: 'canvas.code_execution', area: 'Canvas', label: 'Canvas code execution', description: 'Run code written in canvas.', default: true, everyday: true },
  { key: 'canvas.network', area: 'Canvas', label: 'Canvas network access', description: 'Let code run in canvas reach the network.', default: false },
  { key: 'agent.use', area: 'ChatGPT agent', label: 'ChatGPT agent', description: 'Hand tasks to ChatGPT agent, which acts in its own browser.', default: false },
  { key: 'search.web', area: 'Search', label: 'Web search', description: 'Let ChatGPT search the web for answers.', default: true, everyday: true },
  { key: 'search.agent_mode', area: 'Search', label: 'Search agent mode', description: 'Use agent mode for longer, multi-step searches.', default: false },
  { key: 'projects.use', area: 'Projects', label: 'Create and edit projects', description: 'Create projects and edit their files and instructions.', default: true, everyday: true },
  { key: 'projects.share', area: 'Shared projects', label: 'Shared projects', description: 'Share projects with other members and work in shared ones.', default: true },
  { key: 'record.use', area: 'Record', label: 'Use Record', description: 'Record meetings and lessons for notes and transcripts.', default: false },
  { key: 'record.past_notes', area: 'Record', label: 'Reference past notes', description: 'Let ChatGPT refer to earlier Record notes and transcripts.', default: false },
  { key: 'lockdown', area: 'Lockdown Mode', label: 'Lockdown Mode', description: 'Members with this role work in Lockdown Mode (a restrictive role for those who need it).', default: false },
] as const satisfies readonly CatalogueEntry[];

export type BooleanPermission = (typeof PERMISSION_CATALOGUE)[number]['key'];
export const BOOLEAN_PERMISSIONS: readonly BooleanPermission[] = PERMISSION_CATALOGUE.map((e) => e.key);

/** The list-valued permission: apps from the workspace's app catalog. */
export const APPS_ENTRY = { key: 'apps', area: 'Apps', label: 'Apps', description: 'Which apps (connectors) from the workspace catalog members may use.' } as const;

/**
 * Keys that are no longer permissions but are still accepted where permissions are, so existing
 * scenario files run unchanged. `credits.monthly_limit` became usage limits (monthly credits):
 * on the default role it is the workspace default, on a custom role a default for its groups.
 */
export const PERMISSION_ALIASES = {
  'credits.monthly_limit': {
    label: 'Monthly credit limit',
    description: 'Alias of usage limits: on the default role the workspace default, on a custom role a default for the groups it is assigned to.',
  },
} as const;
export const CREDIT_LIMIT_ALIAS = 'credits.monthly_limit';

/** Every key a permission map may carry: the catalogue, `apps`, and the aliases. */
export const PERMISSION_KEYS = [...BOOLEAN_PERMISSIONS, 'apps', CREDIT_LIMIT_ALIAS] as const;
export type PermissionKey = BooleanPermission | 'apps' | typeof CREDIT_LIMIT_ALIAS;

/** A full permission set: every catalogue key and the apps. */
export type Permissions = { [K in BooleanPermission]: boolean } & { apps: string[] };
/** What a request or a stored role names (any subset), possibly with the credit-limit alias. */
export type PermissionGrant = Partial<Permissions> & { [CREDIT_LIMIT_ALIAS]?: number | null };

const booleanShape = Object.fromEntries(BOOLEAN_PERMISSIONS.map((k) => [k, z.boolean()])) as { [K in BooleanPermission]: z.ZodBoolean };
/** The documented shape of a full set of permissions (the default role, a member's effective permissions). */
export const permissionsSchema = z.object({ ...booleanShape, apps: z.array(z.string()), [CREDIT_LIMIT_ALIAS]: z.number().nullable() });
/** The documented shape of a role's grant. */
export const permissionGrantSchema = permissionsSchema.partial();

const BOOLEAN_SET: ReadonlySet<string> = new Set(BOOLEAN_PERMISSIONS);
const KEY_SET: ReadonlySet<string> = new Set(PERMISSION_KEYS);

/** Label and description of any key (catalogue, apps or alias), for the console and the docs. */
export function describePermission(key: string): { label: string; description: string } {
  const entry = PERMISSION_CATALOGUE.find((e) => e.key === key);
  if (entry) return { label: entry.label, description: entry.description };
  if (key === 'apps') return { label: APPS_ENTRY.label, description: APPS_ENTRY.description };
  if (key === CREDIT_LIMIT_ALIAS) return PERMISSION_ALIASES[CREDIT_LIMIT_ALIAS];
  return { label: key, description: '' };
}

/** The workspace default role as a new workspace has it: everyday tools on, elevated ones off. */
export const DEFAULT_BASELINE: Permissions = {
  ...(Object.fromEntries(PERMISSION_CATALOGUE.map((e) => [e.key, e.default])) as { [K in BooleanPermission]: boolean }),
  apps: [],
};

/** Nothing at all: what a deactivated member has, and where a union starts. */
export function noPermissions(): Permissions {
  const none = Object.fromEntries(BOOLEAN_PERMISSIONS.map((k) => [k, false])) as { [K in BooleanPermission]: boolean };
  return { ...none, apps: [] };
}

const validKeys = () => PERMISSION_KEYS.join(', ');

/**
 * Checks a permission map from a request: known keys, right types, apps from the catalog.
 * Throws 400 `invalid_permission` naming the valid keys, or `unknown_app`.
 */
export function parseGrant(input: unknown, appIds: ReadonlySet<string>, where = 'permissions'): PermissionGrant {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw badRequest('invalid_permission', `"${where}" must be an object of permission keys, e.g. {"gpts.publish_workspace": true}. Valid keys: ${validKeys()}.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!KEY_SET.has(key)) {
      throw badRequest('invalid_permission', `Unknown permission "${key}". Valid keys: ${validKeys()}.`, { key });
    }
    if (BOOLEAN_SET.has(key)) {
      if (typeof value !== 'boolean') throw badRequest('invalid_permission', `"${key}" takes true or false, got ${JSON.stringify(value)}.`, { key });
    } else if (key === 'apps') {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw badRequest('invalid_permission', `"apps" takes a list of app ids, got ${JSON.stringify(value)}.`, { key });
      }
      const unknown = value.filter((v) => !appIds.has(v as string));
      if (unknown.length > 0) {
        throw badRequest('unknown_app', `Unknown app id(s) ${JSON.stringify(unknown)}: apps must come from the workspace's app catalog (GET /api/apps): ${[...appIds].join(', ')}.`, { apps: unknown });
      }
      out[key] = [...new Set(value as string[])];
      continue;
    } else if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw badRequest('invalid_permission', `"${CREDIT_LIMIT_ALIAS}" (an alias of usage limits) takes a number of credits, 0 or more, or null for no limit; got ${JSON.stringify(value)}.`, { key });
    }
    out[key] = value;
  }
  return out as PermissionGrant;
}

/** A full permission set: `grant`'s values over `base` (the alias is not part of a set). */
export function fillFrom(base: Permissions, grant: PermissionGrant): Permissions {
  const set: Permissions = { ...base, apps: [...base.apps] };
  for (const key of BOOLEAN_PERMISSIONS) {
    const v = grant[key];
    if (typeof v === 'boolean') set[key] = v;
  }
  if (Array.isArray(grant.apps)) set.apps = [...grant.apps];
  return set;
}

/** The default role's full set from its stored values (keys never set keep the baseline). */
export function baseline(defaults: PermissionGrant): Permissions {
  return fillFrom(DEFAULT_BASELINE, defaults);
}

/** Unites a full set into permissions in place (OR, app union): how several custom roles combine. */
export function unite(into: Permissions, set: Permissions): void {
  for (const key of BOOLEAN_PERMISSIONS) if (set[key]) into[key] = true;
  for (const app of set.apps) if (!into.apps.includes(app)) into.apps.push(app);
}

/** Whether a full set grants `key` (true, or at least one app). */
export function grants(set: Permissions, key: BooleanPermission | 'apps'): boolean {
  return key === 'apps' ? set.apps.length > 0 : set[key];
}

/** Everyday tools `base` grants and `set` leaves out (what readiness flags on a custom role). */
export function droppedEverydayTools(base: Permissions, set: Permissions): BooleanPermission[] {
  return PERMISSION_CATALOGUE.filter((e) => 'everyday' in e && e.everyday && base[e.key] && !set[e.key]).map((e) => e.key);
}
