// The console's words for people: refusals, enforcement levels and sign-in methods said plainly,
// with the API's own message kept for the "details for developers" disclosure (docs/console.md §6).

/** Enforcement levels as a trainer says them. */
export const LEVEL_WORDS: Record<string, string> = {
  off: 'Off',
  no_passwords: 'No passwords',
  sso_only: 'SSO only',
};
export const levelWords = (level: string) => LEVEL_WORDS[level] ?? level.replace(/_/g, ' ');

/** How someone signed in, in words. */
export const METHOD_WORDS: Record<string, string> = {
  sso: 'single sign-on',
  saml: 'single sign-on (SAML)',
  oidc: 'single sign-on (OpenID Connect)',
  password: 'a password',
  social: 'a social account',
};

/** Refusals a trainer meets in the console, each with what to do about it. */
const REFUSAL_WORDS: Record<string, string> = {
  sso_untested:
    'Not yet: nobody has signed in through single sign-on since the connection last changed. Run a test sign-in first, so that a broken connection cannot lock everyone out.',
  owner_lockout:
    'Not yet: no owner would keep a sure way in. Turn on break-glass password sign-in for owners, or have an owner sign in through single sign-on first.',
  enforcement_active:
    'Single sign-on is enforced, so changing or removing the connection could lock people out. Lower enforcement first, or tick "force" to do it anyway (it is recorded).',
  sso_not_configured: 'Single sign-on is not set up yet: connect an identity provider first.',
  insufficient_role: 'Your role does not allow this: only a workspace owner may do it.',
  forbidden: 'This is not open to you.',
  unauthorized: 'Sign in first, or open the console with the admin key.',
  role_exists: 'A role with that name exists already: pick another name.',
  role_not_found: 'That role no longer exists: reload the page.',
  group_not_found: 'That group no longer exists: reload the page.',
  member_not_found: 'That member no longer exists: reload the page.',
  domain_not_found: 'That domain is not in this workspace: reload the page.',
  duplicate_entry: 'That already exists in the workspace.',
  scim_managed: 'The directory (SCIM) manages this: change it in the identity provider and push again.',
  invalid_email: 'That is not an email address.',
  invalid_domain: 'That is not a domain name (for example springfield.k12.us).',
  invalid_certificate: 'That is not a certificate in PEM form (it starts with -----BEGIN CERTIFICATE-----).',
  invalid_sso_config: 'The identity provider values are incomplete or do not fit together.',
  idp_not_found: 'That mock identity provider does not exist: reload the page.',
  idp_exists: 'A mock identity provider with that id exists already: pick another id.',
  idp_user_exists: 'The identity provider already has a user with that email.',
  idp_user_not_found: 'The identity provider has no such user: reload the page.',
  idp_group_exists: 'The identity provider already has a group with that name.',
  idp_group_not_found: 'The identity provider has no such group.',
  idp_not_a_group_member: 'That user is not in that group.',
  idp_unknown_fault: 'The identity provider does not know that fault.',
  idp_provisioning_busy: 'A provisioning push is already running: wait for it to finish.',
  weak_password: 'The password is too short.',
  unknown_app: 'That app is not in the workspace catalog.',
  group_limit: 'The workspace has reached its limit of groups.',
  workspace_exists: 'A workspace with that id exists already.',
};

/** An API path, an HTTP method before a path, JSON, or a raw level: wording meant for developers. */
const DEVELOPER_WORDING = /\/api\/|\/_emulator|\b(GET|PUT|POST|PATCH|DELETE) \/|[{}[\]]|"force"|\b[a-z]+_[a-z_]+\b/;

/** True when a sentence is fit for a trainer's screen as it is. */
export const isPlain = (text: string) => !DEVELOPER_WORDING.test(text);

/** A refusal's headline in plain words: the known code's words, the API's message when it is plain, or a generic line. */
export function plainRefusal(code: string, message: string, status: number): string {
  const known = REFUSAL_WORDS[code];
  if (known) return known;
  if (isPlain(message)) return message;
  if (status === 404) return 'That no longer exists: reload the page.';
  if (status === 409) return 'That conflicts with the workspace as it is now: reload the page and try again.';
  if (status === 403) return 'This is not open to you.';
  if (status >= 500) return 'Something went wrong; nothing was changed.';
  return 'The workspace refused this; nothing was changed. The details below say exactly why.';
}

/** Sign-in refusal reasons, short, for tables. */
const REASON_SHORT: Record<string, string> = {
  not_a_member: 'not a member',
  deactivated: 'deactivated',
  sso_required: 'refused: single sign-on required',
  sso_not_configured: 'refused: no single sign-on yet',
  domain_not_verified: 'refused: domain not verified',
  invalid_credentials: 'refused: wrong password',
  password_sign_in_disabled: 'refused: passwords are off',
};
export const reasonWords = (code: string) => REASON_SHORT[code] ?? `refused: ${code.replace(/_/g, ' ')}`;

/** Outcomes of the enforcement what-if, in words. */
export const OUTCOME_WORDS: Record<string, string> = {
  newly_blocked: 'newly blocked',
  newly_allowed: 'newly allowed',
  unchanged: 'unchanged',
  insufficient_data: 'cannot be sure',
};

/** A sentence from the API with raw level names ("sso_only") said in words ("SSO only"). */
export const plainLevels = (text: string) => text.replace(/"(off|no_passwords|sso_only)"/g, (_, l: string) => `"${levelWords(l)}"`);

/** Built-in workspace roles as people say them. */
export const roleWords = (role: string) => role.replace(/_/g, ' ');

/** The vendor a mock IdP imitates, by its product name. */
export const VENDOR_WORDS: Record<string, string> = {
  entra: 'Microsoft Entra ID',
  okta: 'Okta',
  google: 'Google Workspace',
  classlink: 'ClassLink',
  clever: 'Clever',
  generic: 'a generic SAML and OpenID Connect provider',
};
