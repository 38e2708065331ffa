// Scenario steps in a trainer's words for the guided mode ("Turn on SSO-only sign-in — refused, as
// expected: SSO has not been tested yet"), and whether a step expects a refusal (docs/console.md §7).
import type { LoadedStep } from '../scenario/load.js';
import { describePermission } from '../roles/permissions.js';
import { levelWords, METHOD_WORDS } from './plain-words.js';

type Args = Record<string, unknown>;
const obj = (a: unknown): Args => (a && typeof a === 'object' && !Array.isArray(a) ? (a as Args) : {});
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const list = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
/** A label inside a sentence: "Use GPTs" → "use GPTs", an acronym kept as it is. */
const inSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label);
/** A permission as what a member may do: "use GPTs" as it is, a feature named by a noun ("Canvas code execution") used. */
const asDoing = (label: string) => (/^(Use|Create|Edit|Share|Delete|Publish|Upload|Install|Reference)\b/.test(label) ? inSentence(label) : `use ${inSentence(label)}`);
const yesNo = (has: Args) =>
  list(
    Object.entries(has).map(([k, v]) =>
      v === true ? `may ${asDoing(describePermission(k).label)}` : v === false ? `may not ${asDoing(describePermission(k).label)}` : `${inSentence(describePermission(k).label)} is ${String(v)}`,
    ),
  );

const STATUS_WORDS: Record<string, string> = { pending_invite: 'invited, not signed in yet', active: 'active', deactivated: 'deactivated' };
const SOURCE_WORDS: Record<string, string> = { invite: 'invited', scim: 'from the directory (SCIM)', auto: 'created automatically' };

/** Why a refusal is expected, by the code the step expects. */
const EXPECTED_REASON: Record<string, string> = {
  sso_untested: 'SSO has not been tested yet',
  owner_lockout: 'no owner would keep a way in',
  enforcement_active: 'SSO is enforced, so the connection is guarded',
  sso_required: 'the workspace requires single sign-on for their domain',
  deactivated: 'their account is deactivated',
  not_a_member: 'they are not a member of the workspace',
  sso_not_configured: 'single sign-on is not set up yet',
  domain_not_verified: 'their domain is not verified',
  invalid_credentials: 'the password is wrong',
  insufficient_role: 'their role does not allow it',
  invalid_csv: 'the file has a mistake (its line and column are named), so nothing changes',
};

const SEVERITY_WORDS: Record<string, [string, string]> = { fail: ['failure', 'failures'], warn: ['warning', 'warnings'], info: ['note', 'notes'], known_quirk: ['known quirk', 'known quirks'] };

/** The step in words: the scenario author's `name:` when it has one, else a sentence built from its arguments. */
export function stepInWords(step: LoadedStep, vars: Record<string, unknown> = {}): string {
  if (step.label) return step.label;
  const a = obj(step.args);
  const raw = step.args;
  const as = step.actAs ? ` (as ${step.actAs})` : '';
  const fill = (s: string) => s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, k: string) => (typeof vars[k] === 'string' && !/^scim_|key/i.test(k) ? String(vars[k]) : m));
  switch (step.name) {
    case 'verify_domain':
      return `Verify the domain ${typeof raw === 'string' ? raw : str(a.domain)}${a.publish === false ? ' (without publishing its TXT record)' : ''}`;
    case 'configure_sso':
      return `Connect single sign-on to the scenario's identity provider${a.protocol === 'oidc' ? ' with OpenID Connect' : a.protocol === 'saml' ? ' with SAML' : ''}`;
    case 'invite': {
      const people = (Array.isArray(raw) ? raw : [raw]).map((p) => (typeof p === 'string' ? p : `${str(obj(p).email)}${obj(p).role ? ` as ${str(obj(p).role)}` : ''}`));
      return `Invite ${list(people)}`;
    }
    case 'set_enforcement': {
      const level = typeof raw === 'string' ? raw : str(a.level);
      const force = typeof raw === 'object' && a.force === true ? ', forced' : '';
      return level === 'off' ? `Turn enforcement off${force}` : level === 'sso_only' ? `Turn on SSO-only sign-in${force}` : `Turn on "${levelWords(level)}"${force}`;
    }
    case 'settings':
      return `Change settings: ${list([
        ...(a.automaticAccountCreation !== undefined ? [`automatic account creation ${a.automaticAccountCreation ? 'on' : 'off'}`] : []),
        ...(a.breakGlass !== undefined ? [`break-glass password sign-in for owners ${a.breakGlass ? 'on' : 'off'}`] : []),
      ])}`;
    case 'issue_scim_token':
      return 'Create a directory sync (SCIM) token for the identity provider';
    case 'create_group':
      return `Create the group "${str(a.name)}"${Array.isArray(a.members) && a.members.length ? ` with ${list(a.members.map(str))}` : ''}`;
    case 'create_role': {
      const on = Object.entries(obj(a.permissions)).filter(([, v]) => v === true).map(([k]) => inSentence(describePermission(k).label));
      return `Create the role "${str(a.name)}"${on.length ? `, which allows: ${list(on)}` : ''}${a.restrictive ? ' (restrictive)' : ''}`;
    }
    case 'set_default_role':
      return 'Change the default role';
    case 'usage_limits':
      return 'Set usage limits';
    case 'map_group':
      return `Map the group "${str(a.group)}" to the role "${str(a.role)}"`;
    case 'adopt_group':
      return `Merge the local group "${str(a.local)}" into the directory group "${str(a.into)}"`;
    case 'scim_sync':
      return 'The identity provider pushes its directory to the workspace (SCIM)';
    case 'directory_sync': {
      const files = obj(a.files);
      const names = [...(files.users !== undefined ? ['users.csv'] : []), ...(files.groups !== undefined ? ['groups.csv'] : [])];
      if (names.length > 0) return `The district uploads ${list(names)}, and the directory syncs`;
      if (Array.isArray(a.groups)) return `Sync the Google directory, only the members of ${list(a.groups.map((g) => `"${str(g)}"`))}`;
      return 'Sync the directory now';
    }
    case 'expect_conformance': {
      const counts = Object.entries(SEVERITY_WORDS).flatMap(([k, [one, many]]) => (typeof a[k] === 'number' ? [`${String(a[k])} ${a[k] === 1 ? one : many}`] : []));
      return `Check what the identity provider sent, judged as ${str(a.profile) || 'the RFC'} expects${counts.length ? `: ${list(counts)}` : ''}`;
    }
    case 'idp_add_user':
      return `At the identity provider, add ${str(a.email)}`;
    case 'idp_remove_user':
      return `At the identity provider, take ${str(raw)} out of the app's provisioning scope`;
    case 'idp_delete_user':
      return `At the identity provider, delete ${str(raw)}`;
    case 'idp_move_user':
      return `At the identity provider, move ${str(a.user)} from "${str(a.from)}" to "${str(a.to)}"`;
    case 'idp_fault':
      return `At the identity provider, arm the fault "${str(a.fault).replace(/_/g, ' ')}"${a.user ? ` for ${str(a.user)}` : ''}`;
    case 'sign_in':
      return `${str(a.user)} signs in with ${METHOD_WORDS[str(a.method)] ?? str(a.method)}${a.fault && a.fault !== 'none' ? ` (the identity provider sends a faulty answer: ${str(a.fault).replace(/_/g, ' ')})` : ''}`;
    case 'check_sign_in':
      return `Ask whether ${str(a.user)} could sign in with ${METHOD_WORDS[str(a.method)] ?? str(a.method)}`;
    case 'advance_clock':
      return `Move the workspace clock forward by ${str(raw)}`;
    case 'request':
      return `A developer's check straight against the API (${str(a.method).toUpperCase()} request)${as}`;
    case 'expect_permissions':
      return `Check that ${str(a.user)} ${yesNo(obj(a.has))}`;
    case 'expect_member': {
      if (a.exists === false) return `Check that ${str(a.user)} is not in the workspace`;
      const facts = [
        ...(a.status ? [STATUS_WORDS[str(a.status)] ?? str(a.status)] : []),
        ...(a.source ? [SOURCE_WORDS[str(a.source)] ?? str(a.source)] : []),
        ...(a.role ? [`role ${str(a.role)}`] : []),
        ...(Array.isArray(a.groups) ? [a.groups.length ? `in ${list(a.groups.map((g) => `"${str(g)}"`))}` : 'in no group'] : []),
      ];
      return `Check that ${str(a.user)} is a member${facts.length ? `: ${facts.join(', ')}` : ''}`;
    }
    case 'expect_usage_limit':
      return `Check the usage limit of ${str(a.user)}`;
    case 'expect_readiness':
      return 'Check the launch readiness checklist';
    case 'expect_enforcement_preview':
      return `Check who "${levelWords(str(a.level))}" would affect`;
    case 'expect_events':
      // "directory.sync_failed" → "directory sync failed": event types are codes, not words.
      return `Check the event log for "${str(a.type).replace(/\.?\*$/, '').replace(/[._]/g, ' ')}" events`;
    default:
      return fill(String(step.name).replace(/_/g, ' '));
  }
}

/**
 * When a step expects a refusal (an HTTP error status, a denied sign-in, or an error code), the
 * reason in words; undefined when it expects success.
 */
export function expectedRefusal(step: LoadedStep): string | undefined {
  const e = step.expect;
  if (!e) return undefined;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const body = obj(e.body);
  const code = str(obj(body.error).code) || (e.outcome === 'denied' ? str(e.reason) : '');
  if (!(status !== undefined && status >= 400) && e.outcome !== 'denied' && !code) return undefined;
  return code ? (EXPECTED_REASON[code] ?? code.replace(/_/g, ' ')) : 'the workspace says no';
}
