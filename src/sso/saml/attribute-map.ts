// Which SAML attributes give a member's email and names, as the workspace documents it: the
// Entra claim URIs, the education federations' OID names and FriendlyNames, the common short
// names, and a per-connection override.

/** Claim URIs Entra ID (and ADFS) send by default. */
export const CLAIMS = {
  emailaddress: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  nameidentifier: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  givenname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  surname: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  name: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
} as const;

/**
 * Attribute names by OID (urn:oid, SAML V2.0 X.500/LDAP attribute profile §2.2.1), as Shibboleth,
 * InCommon, eduGAIN and most education IdPs send them; the FriendlyName is the LDAP name.
 */
export const OIDS = {
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  givenName: 'urn:oid:2.5.4.42',
  sn: 'urn:oid:2.5.4.4',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  eduPersonPrincipalName: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
} as const;

/** A per-connection override: for each field, the attribute name(s) to read, in order. */
export interface AttributeMap {
  email?: string | string[];
  givenName?: string | string[];
  familyName?: string | string[];
  displayName?: string | string[];
}

/**
 * The attribute names read when a connection sets no override. Matching ignores case. The
 * eduPersonPrincipalName (scoped `user@realm`) comes last for email and counts only when it has
 * the shape of an email address.
 */
export const DEFAULT_ATTRIBUTE_MAP = {
  email: [CLAIMS.emailaddress, CLAIMS.nameidentifier, 'email', 'emailAddress', OIDS.mail, 'mail', OIDS.eduPersonPrincipalName, 'eduPersonPrincipalName'],
  givenName: [CLAIMS.givenname, 'givenName', OIDS.givenName, 'firstName'],
  familyName: [CLAIMS.surname, 'familyName', OIDS.sn, 'sn', 'surname', 'lastName'],
  displayName: ['http://schemas.microsoft.com/identity/claims/displayname', 'displayName', OIDS.displayName],
} as const;

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** True when the value has the shape of an email address. */
export function looksLikeEmail(value: string): boolean {
  return EMAIL.test(value);
}

export interface MappedIdentity {
  email?: string;
  givenName?: string;
  familyName?: string;
  displayName?: string;
  /** Where the email was read from: `NameID` or an attribute name. */
  emailSource?: string;
  /** The names that were consulted for the email, for error messages. */
  emailCandidates: string[];
}

function names(value: string | string[] | undefined, fallback: readonly string[]): string[] {
  if (value === undefined) return [...fallback];
  return Array.isArray(value) ? value : [value];
}

function firstValue(attributes: Record<string, string[]>, wanted: string[], accept: (v: string) => boolean) {
  const byLower = new Map<string, [string, string[]]>();
  for (const [k, v] of Object.entries(attributes)) byLower.set(k.toLowerCase(), [k, v]);
  for (const name of wanted) {
    const hit = attributes[name] !== undefined ? ([name, attributes[name]!] as const) : byLower.get(name.toLowerCase());
    if (!hit) continue;
    const value = hit[1].map((x) => x.trim()).find((x) => x.length > 0 && accept(x));
    if (value !== undefined) return { name: hit[0], value };
  }
  return undefined;
}

/**
 * Maps a NameID and attributes to email and names. Email: the override attributes when set;
 * otherwise the NameID when it looks like an email, then the default email attributes.
 */
export function mapIdentity(
  nameId: string,
  attributes: Record<string, string[]>,
  override: AttributeMap = {},
): MappedIdentity {
  const emailNames = names(override.email, DEFAULT_ATTRIBUTE_MAP.email);
  let email: { name: string; value: string } | undefined;
  if (override.email === undefined && looksLikeEmail(nameId)) email = { name: 'NameID', value: nameId };
  email ??= firstValue(attributes, emailNames, looksLikeEmail);
  const given = firstValue(attributes, names(override.givenName, DEFAULT_ATTRIBUTE_MAP.givenName), () => true);
  const family = firstValue(attributes, names(override.familyName, DEFAULT_ATTRIBUTE_MAP.familyName), () => true);
  const display = firstValue(attributes, names(override.displayName, DEFAULT_ATTRIBUTE_MAP.displayName), () => true);
  return {
    ...(email ? { email: email.value, emailSource: email.name } : {}),
    ...(given ? { givenName: given.value } : {}),
    ...(family ? { familyName: family.value } : {}),
    ...(display ? { displayName: display.value } : {}),
    emailCandidates: override.email === undefined ? ['NameID', ...emailNames] : emailNames,
  };
}
