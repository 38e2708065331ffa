// The conformance rule catalogue (docs/conformance.md §3): each rule's id, the clause it cites, its
// default severity, a one-line reason and the impact that follows, and the vendor profiles (§4).
export const SEVERITIES = ['fail', 'warn', 'info', 'known_quirk'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Rule {
  id: string;
  /** The protocol clause, e.g. `RFC 7644 §3.4.2.2`. */
  clause: string;
  /** The severity of the shape when the workspace accepted it as sent (a refusal is always `fail`). */
  severity: Severity;
  /** One line: what the IdP sent that this rule is about. */
  reason: string;
  /** What goes wrong in production because of it, when something does. */
  impact?: string;
}

const rule = (id: string, clause: string, severity: Severity, reason: string, impact?: string): Rule => ({
  id,
  clause,
  severity,
  reason,
  ...(impact !== undefined ? { impact } : {}),
});

export const RULES: readonly Rule[] = [
  // SCIM: shapes accepted as sent
  rule('scim.patch.op_case', 'RFC 7644 §3.5.2', 'warn', 'A PATCH "op" is not one of "add", "remove", "replace" in lower case.'),
  rule('scim.patch.boolean_string', 'RFC 7643 §2.3.2', 'warn', 'A boolean attribute is sent as the string "True"/"False" instead of a JSON boolean.'),
  rule('scim.patch.pathless_replace', 'RFC 7644 §3.5.2.3', 'info', 'A "replace" without "path" carries the attributes inside "value".'),
  rule('scim.user.full_replace', 'RFC 7644 §3.5.1', 'info', 'A User is updated by a full PUT: attributes left out of it are cleared.', 'attributes the IdP does not send are cleared'),
  rule('scim.user.delete', 'RFC 7644 §3.6', 'info', 'A User is removed with DELETE rather than deactivated with "active": false.', 'the member is deactivated and loses its SCIM link; bringing them back needs a new POST'),
  rule('scim.deprovision.no_effect', 'RFC 7643 §4.1.1', 'fail', 'A deprovisioning request was accepted but left the member active.', 'the leaver stays active'),
  rule('scim.query.value_path_attribute', 'RFC 7644 §3.4.2.5', 'warn', '"attributes"/"excludedAttributes" names a value path (emails[type eq "work"]), not an attribute.', 'the attribute is missing from the answer in strict mode'),
  // SCIM: what the workspace refuses (strict) or accepts with a warning (lenient)
  rule('scim.filter.unquoted_value', 'RFC 7644 §3.4.2.2', 'fail', 'A filter compares with a bare value: string and date values are JSON strings in double quotes.', 'the lookup fails, so the IdP cannot match existing users'),
  rule('scim.filter.invalid', 'RFC 7644 §3.4.2.2', 'fail', 'A filter does not follow the filter grammar.', 'the lookup fails, so the IdP cannot match existing users'),
  rule('scim.patch.invalid_path', 'RFC 7644 §3.5.2', 'fail', 'A PATCH "path" does not follow the path grammar or names no attribute.', 'the change is not applied'),
  rule('scim.request.invalid_syntax', 'RFC 7644 §3.12', 'fail', 'The request body is not the message RFC 7644 asks for (invalidSyntax).', 'the change is not applied'),
  rule('scim.request.invalid_value', 'RFC 7644 §3.12', 'fail', 'A value is missing or does not fit its attribute (invalidValue).', 'the change is not applied'),
  rule('scim.request.uniqueness', 'RFC 7644 §3.3', 'fail', 'A unique value (userName, email, displayName) is already held by another resource.', 'the user or group is not provisioned'),
  rule('scim.request.precondition', 'RFC 7644 §3.14', 'fail', 'If-Match names a version the resource no longer has.', 'the change is not applied'),
  rule('scim.request.media_type', 'RFC 7644 §3.1', 'fail', 'The body is not sent as application/scim+json or application/json.', 'the change is not applied'),
  rule('scim.request.too_large', 'RFC 7644 §3.12', 'fail', 'The request is larger than the service provider accepts (tooLarge/tooMany).', 'the change is not applied'),
  rule('scim.request.refused', 'RFC 7644 §3.12', 'fail', 'The workspace refused the request.', 'the change is not applied'),
  rule('scim.auth.token', 'RFC 7644 §2', 'fail', 'The request has no valid SCIM bearer token of this workspace.', 'nothing is provisioned until the token is fixed'),
  rule('scim.resource.not_found', 'RFC 7644 §3.12', 'fail', 'The request names a User or Group id this workspace does not serve (a stale id mapping).', 'the change is not applied'),
  rule('scim.path.unknown', 'RFC 7644 §3.2', 'fail', 'The request goes to an endpoint SCIM does not define (resource endpoints are /Users, /Groups, …, in that case).'),
  rule('scim.path.case', 'RFC 7644 §3.2', 'warn', 'A resource endpoint is written in another letter case or with a trailing slash (/users, /Users/).'),
  rule('scim.discovery.alias', 'RFC 7644 §4', 'warn', 'GET /serviceConfiguration is not the discovery endpoint; it is /ServiceProviderConfig.'),
  rule('scim.group.member_not_user', 'RFC 7643 §4.2', 'fail', 'A group member value is not a User of this directory.', "the group's membership is incomplete"),
  rule('scim.user.email_shared', 'RFC 7643 §4.1.2', 'warn', 'Several Users share one email address; a workspace member has one email of its own.', 'the member signs in with its userName, not the shared email'),
  rule('scim.patch.no_content', 'RFC 7644 §3.5.2', 'warn', 'The client asked for no attributes and relies on a 204 No Content answer to PATCH, which a server MAY give but need not.'),
  // SAML
  rule('saml.signature.sha1', 'SAML 2.0 Profiles §4.1.4.2', 'warn', 'The response is signed or digested with SHA-1.', 'a workspace that refuses SHA-1 refuses every sign-in'),
  rule('saml.response.refused', 'SAML 2.0 Profiles §4.1.4.3', 'fail', 'The workspace refused the SAML response.', 'the user cannot sign in'),
  // OIDC
  rule('oidc.id_token.nonce_missing', 'OpenID Connect Core §3.1.3.7', 'fail', 'The ID token does not carry the nonce the authentication request sent.', 'the user cannot sign in'),
  rule('oidc.response.refused', 'OpenID Connect Core §3.1.3.7', 'fail', 'The workspace refused the OpenID Connect sign-in.', 'the user cannot sign in'),
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

export const PROFILES = ['rfc', 'entra', 'entra-aadoptscim062020', 'okta-oin', 'okta-aiw', 'onelogin', 'jumpcloud', 'google', 'classlink', 'clever'] as const;
export type Profile = (typeof PROFILES)[number];

/** A profile's change of one rule's severity, with the vendor page that documents the behaviour. */
export interface ProfileOverride {
  severity: Severity;
  source: string;
}

const ENTRA_DOC = 'https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility';
const OKTA_DOC = 'https://developer.okta.com/docs/api/openapi/okta-scim/guides/scim-20';
const quirk = (source: string): ProfileOverride => ({ severity: 'known_quirk', source });

/**
 * The profiles: `rfc` is RFC 7643/7644 as written; a vendor profile turns that vendor's documented
 * quirks into `known_quirk`. A profile never softens a refusal (the request did fail).
 */
export const PROFILE_OVERRIDES: Readonly<Record<Profile, Readonly<Record<string, ProfileOverride>>>> = {
  rfc: {},
  entra: {
    'scim.patch.op_case': quirk(ENTRA_DOC),
    'scim.patch.boolean_string': quirk(ENTRA_DOC),
    'scim.user.delete': quirk(ENTRA_DOC),
  },
  // With the flag Entra sends lower-case ops and JSON booleans: those rules stay as in `rfc`.
  'entra-aadoptscim062020': { 'scim.user.delete': quirk(ENTRA_DOC) },
  'okta-oin': { 'scim.patch.pathless_replace': quirk(OKTA_DOC) },
  'okta-aiw': { 'scim.patch.pathless_replace': quirk(OKTA_DOC), 'scim.user.full_replace': quirk(OKTA_DOC) },
  onelogin: {},
  jumpcloud: {},
  google: {},
  classlink: {},
  clever: {},
};

export const isProfile = (p: string): p is Profile => (PROFILES as readonly string[]).includes(p);

/** The severity of a finding under a profile: a refusal fails; a tolerance warns unless the profile expects it. */
export function severityOf(ruleId: string, outcome: 'refused' | 'tolerated' | 'observed', profile: Profile): { severity: Severity; source?: string } {
  if (outcome === 'refused') return { severity: 'fail' };
  const override = PROFILE_OVERRIDES[profile][ruleId];
  if (override) return { severity: override.severity, source: override.source };
  if (outcome === 'tolerated') return { severity: 'warn' };
  return { severity: RULES_BY_ID.get(ruleId)?.severity ?? 'warn' };
}
