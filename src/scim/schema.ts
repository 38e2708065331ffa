// The SCIM schemas this workspace serves (RFC 7643 §4, §8.7.1): attribute definitions for User,
// the Enterprise User extension and Group, the discovery documents built from them, and the
// resolver from an attribute path to its definition.

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The resource types this service provider exposes. */
export type ScimResourceType = 'User' | 'Group';

/** A SCIM resource in its JSON representation (RFC 7643 §3). */
export type ScimResource = Record<string, unknown>;

// RFC 7643 §2.3
export type ScimAttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'binary'
  | 'reference'
  | 'complex';

/** An attribute definition as served by `/Schemas` (RFC 7643 §7). */
export interface ScimAttribute {
  readonly name: string;
  readonly type: ScimAttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  readonly returned: 'always' | 'never' | 'default' | 'request';
  readonly uniqueness: 'none' | 'server' | 'global';
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly ScimAttribute[];
}

/** A schema definition (RFC 7643 §7), without the `meta` that depends on the base URL. */
export interface ScimSchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly ScimAttribute[];
}

/** A resource type definition (RFC 7643 §6), without the `meta` that depends on the base URL. */
export interface ScimResourceTypeDefinition {
  readonly id: ScimResourceType;
  readonly name: ScimResourceType;
  readonly endpoint: string;
  readonly description: string;
  readonly schema: string;
  readonly schemaExtensions: readonly { readonly schema: string; readonly required: boolean }[];
}

type AttributeOptions = Partial<Omit<ScimAttribute, 'name' | 'type' | 'description'>>;

// RFC 7643 §2.2: the defaults of every characteristic not given.
function attribute(
  name: string,
  type: ScimAttributeType,
  description: string,
  options: AttributeOptions = {},
): ScimAttribute {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

// The value/display/type/primary quartet shared by most multi-valued attributes (RFC 7643 §2.4).
function multiValuedQuartet(
  name: string,
  description: string,
  valueDescription: string,
  canonicalTypes?: readonly string[],
  valueOptions: AttributeOptions & { type?: ScimAttributeType } = {},
): ScimAttribute {
  const { type: valueType = 'string', ...valueRest } = valueOptions;
  return attribute(name, 'complex', description, {
    multiValued: true,
    subAttributes: [
      attribute('value', valueType, valueDescription, valueRest),
      attribute('display', 'string', 'A human-readable name, primarily used for display purposes. READ-ONLY.'),
      attribute('type', 'string', `A label indicating the attribute's function.`, {
        ...(canonicalTypes ? { canonicalValues: canonicalTypes } : {}),
      }),
      attribute('primary', 'boolean', `A Boolean value indicating the 'primary' or preferred attribute value for this attribute.`),
    ],
  });
}

/** Common attributes of every resource (RFC 7643 §3.1); not listed in `/Schemas` (RFC 7643 §7). */
export const COMMON_ATTRIBUTES: readonly ScimAttribute[] = [
  attribute('id', 'string', 'Unique identifier for the SCIM resource as defined by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', 'string', 'Identifier for the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  attribute('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      attribute('resourceType', 'string', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attribute('created', 'dateTime', 'The date and time the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      attribute('lastModified', 'dateTime', 'The most recent date and time the resource was modified.', {
        mutability: 'readOnly',
      }),
      attribute('location', 'reference', 'The URI of the resource being returned.', {
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      attribute('version', 'string', 'The version of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
  }),
];

// RFC 7643 §4.1 and §8.7.1
const userAttributes: readonly ScimAttribute[] = [
  attribute('userName', 'string', `Unique identifier for the User, typically used by the user to directly authenticate to the service provider. REQUIRED.`, {
    required: true,
    uniqueness: 'server',
  }),
  attribute('name', 'complex', `The components of the user's real name.`, {
    subAttributes: [
      attribute('formatted', 'string', 'The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.'),
      attribute('familyName', 'string', 'The family name of the User, or last name.'),
      attribute('givenName', 'string', 'The given name of the User, or first name.'),
      attribute('middleName', 'string', 'The middle name(s) of the User.'),
      attribute('honorificPrefix', 'string', 'The honorific prefix(es) of the User, or title.'),
      attribute('honorificSuffix', 'string', 'The honorific suffix(es) of the User, or suffix.'),
    ],
  }),
  attribute('displayName', 'string', 'The name of the User, suitable for display to end-users.'),
  attribute('nickName', 'string', 'The casual way to address the user in real life.'),
  attribute('profileUrl', 'reference', `A fully qualified URL pointing to a page representing the User's online profile.`, {
    referenceTypes: ['external'],
  }),
  attribute('title', 'string', `The user's title, such as "Vice President".`),
  attribute('userType', 'string', `Used to identify the relationship between the organization and the user.`),
  attribute('preferredLanguage', 'string', `Indicates the User's preferred written or spoken language.`),
  attribute('locale', 'string', `Used to indicate the User's default location for purposes of localizing items.`),
  attribute('timezone', 'string', `The User's time zone in the 'Olson' time zone database format.`),
  attribute('active', 'boolean', `A Boolean value indicating the User's administrative status.`),
  attribute('password', 'string', `The User's cleartext password, used to set or change it; never returned.`, {
    mutability: 'writeOnly',
    returned: 'never',
  }),
  multiValuedQuartet('emails', 'Email addresses for the user.', 'Email addresses for the user.', ['work', 'home', 'other']),
  multiValuedQuartet('phoneNumbers', 'Phone numbers for the User.', 'Phone number of the User.', [
    'work',
    'home',
    'mobile',
    'fax',
    'pager',
    'other',
  ]),
  multiValuedQuartet('ims', 'Instant messaging addresses for the User.', 'Instant messaging address for the User.', [
    'aim',
    'gtalk',
    'icq',
    'xmpp',
    'msn',
    'skype',
    'qq',
    'yahoo',
  ]),
  multiValuedQuartet('photos', 'URLs of photos of the User.', 'URL of a photo of the User.', ['photo', 'thumbnail'], {
    type: 'reference',
    referenceTypes: ['external'],
  }),
  // §8.7.1 lists no `primary` for addresses, but §4.1.2 and the §8.2 example use it.
  attribute('addresses', 'complex', 'A physical mailing address for this User.', {
    multiValued: true,
    subAttributes: [
      attribute('formatted', 'string', 'The full mailing address, formatted for display or use with a mailing label.'),
      attribute('streetAddress', 'string', 'The full street address component.'),
      attribute('locality', 'string', 'The city or locality component.'),
      attribute('region', 'string', 'The state or region component.'),
      attribute('postalCode', 'string', 'The zip code or postal code component.'),
      attribute('country', 'string', 'The country name component.'),
      attribute('type', 'string', `A label indicating the attribute's function.`, {
        canonicalValues: ['work', 'home', 'other'],
      }),
      attribute('primary', 'boolean', `A Boolean value indicating the 'primary' or preferred address.`),
    ],
  }),
  attribute('groups', 'complex', 'A list of groups to which the user belongs.', {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attribute('value', 'string', `The identifier of the User's group.`, { mutability: 'readOnly' }),
      attribute('$ref', 'reference', `The URI of the corresponding 'Group' resource.`, {
        mutability: 'readOnly',
        referenceTypes: ['User', 'Group'],
      }),
      attribute('display', 'string', 'A human-readable name, primarily used for display purposes. READ-ONLY.', {
        mutability: 'readOnly',
      }),
      attribute('type', 'string', `A label indicating the attribute's function, e.g., 'direct' or 'indirect'.`, {
        mutability: 'readOnly',
        canonicalValues: ['direct', 'indirect'],
      }),
    ],
  }),
  multiValuedQuartet('entitlements', 'A list of entitlements for the User.', 'The value of an entitlement.'),
  multiValuedQuartet('roles', 'A list of roles for the User.', 'The value of a role.'),
  multiValuedQuartet('x509Certificates', 'A list of certificates issued to the User.', 'The value of an X.509 certificate.', undefined, {
    type: 'binary',
  }),
];

// RFC 7643 §4.3 and §8.7.1
const enterpriseUserAttributes: readonly ScimAttribute[] = [
  attribute('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person.'),
  attribute('costCenter', 'string', 'Identifies the name of a cost center.'),
  attribute('organization', 'string', 'Identifies the name of an organization.'),
  attribute('division', 'string', 'Identifies the name of a division.'),
  attribute('department', 'string', 'Identifies the name of a department.'),
  attribute('manager', 'complex', `The User's manager.`, {
    subAttributes: [
      attribute('value', 'string', 'The id of the SCIM resource representing the User\'s manager.'),
      attribute('$ref', 'reference', `The URI of the SCIM resource representing the User's manager.`, {
        referenceTypes: ['User'],
      }),
      attribute('displayName', 'string', `The displayName of the User's manager. READ-ONLY.`, {
        mutability: 'readOnly',
      }),
    ],
  }),
];

// RFC 7643 §4.2 and §8.7.1. §8.7.1 prints displayName with `"required": false` while §4.2 and
// the attribute's own description say REQUIRED; the normative §4.2 wins here.
// `members.display` is not in §8.7.1 but is used by the §8.4 example and sent by IdPs.
const groupAttributes: readonly ScimAttribute[] = [
  attribute('displayName', 'string', 'A human-readable name for the Group. REQUIRED.', { required: true }),
  attribute('members', 'complex', 'A list of members of the Group.', {
    multiValued: true,
    subAttributes: [
      attribute('value', 'string', 'Identifier of the member of this Group.', { mutability: 'immutable' }),
      attribute('$ref', 'reference', 'The URI corresponding to a SCIM resource that is a member of this Group.', {
        mutability: 'immutable',
        referenceTypes: ['User', 'Group'],
      }),
      attribute('type', 'string', `A label indicating the type of resource, e.g., 'User' or 'Group'.`, {
        mutability: 'immutable',
        canonicalValues: ['User', 'Group'],
      }),
      attribute('display', 'string', 'A human-readable name for the member.', { mutability: 'immutable' }),
    ],
  }),
];

/** The schemas served by `/Schemas`, in the order RFC 7643 §8.7.1 gives them. */
export const SCIM_SCHEMAS: readonly ScimSchemaDefinition[] = [
  { id: USER_SCHEMA, name: 'User', description: 'User Account', attributes: userAttributes },
  { id: GROUP_SCHEMA, name: 'Group', description: 'Group', attributes: groupAttributes },
  { id: ENTERPRISE_USER_SCHEMA, name: 'EnterpriseUser', description: 'Enterprise User', attributes: enterpriseUserAttributes },
];

/** The resource types served by `/ResourceTypes` (RFC 7643 §6, example §8.6). */
export const SCIM_RESOURCE_TYPES: readonly ScimResourceTypeDefinition[] = [
  {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER_SCHEMA,
    schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
  },
  { id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group', schema: GROUP_SCHEMA, schemaExtensions: [] },
];

/**
 * The `/Schemas` resources with `schemas` and `meta` (RFC 7644 §4), for a SCIM base URL such as
 * `http://localhost:4000/w/default/scim/v2`.
 */
export function schemaResources(baseUrl: string): Record<string, unknown>[] {
  return SCIM_SCHEMAS.map((s) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    ...s,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${s.id}` },
  }));
}

/** The `/ResourceTypes` resources with `schemas` and `meta` (RFC 7644 §4). */
export function resourceTypeResources(baseUrl: string): Record<string, unknown>[] {
  return SCIM_RESOURCE_TYPES.map((t) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    ...t,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${t.id}` },
  }));
}

/** The core schema URN and the extension URNs of a resource type. */
export function schemaUrnsOf(resourceType: ScimResourceType): { core: string; extensions: readonly string[] } {
  const def = SCIM_RESOURCE_TYPES.find((t) => t.id === resourceType);
  /* c8 ignore next */
  if (!def) throw new Error(`unknown resource type ${resourceType}`);
  return { core: def.schema, extensions: def.schemaExtensions.map((e) => e.schema) };
}

/** The schema definition with this URN (case-insensitive), if served. */
export function findSchema(urn: string): ScimSchemaDefinition | undefined {
  const lower = urn.toLowerCase();
  return SCIM_SCHEMAS.find((s) => s.id.toLowerCase() === lower);
}

// The schema's attribute lists never change: each is indexed by lower-case name once, so a lookup
// is one toLowerCase and one Map read instead of a pass lower-casing every name of the list.
const attributeIndexes = new WeakMap<readonly ScimAttribute[], Map<string, ScimAttribute>>();

/** Finds a (sub-)attribute by name, case-insensitively (RFC 7643 §2.1); the first of the list wins. */
export function findAttribute(
  attributes: readonly ScimAttribute[] | undefined,
  name: string,
): ScimAttribute | undefined {
  if (!attributes) return undefined;
  let index = attributeIndexes.get(attributes);
  if (!index) {
    index = new Map();
    for (const a of attributes) {
      const key = a.name.toLowerCase();
      if (!index.has(key)) index.set(key, a);
    }
    attributeIndexes.set(attributes, index);
  }
  return index.get(name.toLowerCase());
}

/** The parts of an attribute path: `[URI ":"] ATTRNAME ["." subAttr]` (RFC 7644 §3.10). */
export interface AttributePathParts {
  /** Schema URN prefix as written, if any. */
  readonly uri?: string;
  readonly name: string;
  readonly subAttr?: string;
}

/** An attribute path resolved against the schemas of a resource type. */
export interface ResolvedAttribute {
  /** URN of the schema defining the attribute (the core schema for common attributes). */
  readonly schema: string;
  /** True when the attribute lives in an extension object keyed by `schema` in the resource. */
  readonly inExtension: boolean;
  /** The top-level attribute. */
  readonly attribute: ScimAttribute;
  /** The sub-attribute, when the path names one. */
  readonly subAttribute?: ScimAttribute;
  /** The definition the path ends at: `subAttribute ?? attribute`. */
  readonly target: ScimAttribute;
}

interface AttributeCandidate {
  readonly schema: string;
  /** The schema URN in lower case. */
  readonly lower: string;
  readonly inExtension: boolean;
  readonly attributes: readonly ScimAttribute[];
}

// Where a resource type's attributes are looked up, in order: the common attributes with the core
// schema's, then each extension. Built once per resource type (the schemas are fixed).
const candidatesByType = new Map<ScimResourceType, { core: AttributeCandidate; extensions: readonly AttributeCandidate[]; all: readonly AttributeCandidate[] }>();

function candidateSchemas(resourceType: ScimResourceType) {
  let found = candidatesByType.get(resourceType);
  if (!found) {
    const { core, extensions } = schemaUrnsOf(resourceType);
    const coreCandidate: AttributeCandidate = {
      schema: core,
      lower: core.toLowerCase(),
      inExtension: false,
      attributes: [...COMMON_ATTRIBUTES, ...(findSchema(core)?.attributes ?? [])],
    };
    const extensionCandidates = extensions.map((ext): AttributeCandidate => ({ schema: ext, lower: ext.toLowerCase(), inExtension: true, attributes: findSchema(ext)?.attributes ?? [] }));
    found = { core: coreCandidate, extensions: extensionCandidates, all: [coreCandidate, ...extensionCandidates] };
    candidatesByType.set(resourceType, found);
  }
  return found;
}

/**
 * Resolves parsed path parts against a resource type's schemas. Names are case-insensitive;
 * an unqualified name is looked up in the common attributes, the core schema, then extensions.
 * Returns undefined when the path names no defined attribute.
 */
export function resolveAttributeParts(
  parts: AttributePathParts,
  resourceType: ScimResourceType,
): ResolvedAttribute | undefined {
  const { core, all, extensions } = candidateSchemas(resourceType);
  let candidates: readonly AttributeCandidate[];
  if (parts.uri === undefined) {
    candidates = all;
  } else {
    const uri = parts.uri.toLowerCase();
    if (uri === core.lower) {
      candidates = [core];
    } else {
      const ext = extensions.find((e) => e.lower === uri);
      candidates = ext ? [ext] : [];
    }
  }
  for (const c of candidates) {
    const attr = findAttribute(c.attributes, parts.name);
    if (!attr) continue;
    if (parts.subAttr === undefined) return { schema: c.schema, inExtension: c.inExtension, attribute: attr, target: attr };
    const sub = findAttribute(attr.subAttributes, parts.subAttr);
    if (!sub) return undefined;
    return { schema: c.schema, inExtension: c.inExtension, attribute: attr, subAttribute: sub, target: sub };
  }
  return undefined;
}

/**
 * Splits an attribute path text such as `name.givenName` or
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value` into its parts
 * (RFC 7644 §3.10: the URN ends at the last colon). Returns undefined when malformed.
 */
export function splitAttributePath(path: string): AttributePathParts | undefined {
  const colon = path.lastIndexOf(':');
  const uri = colon >= 0 ? path.slice(0, colon) : undefined;
  const rest = colon >= 0 ? path.slice(colon + 1) : path;
  const segments = rest.split('.');
  if (segments.length > 2) return undefined;
  const [name, subAttr] = segments;
  const namePattern = /^\$?[A-Za-z][\w-]*$/;
  if (name === undefined || !namePattern.test(name)) return undefined;
  if (subAttr !== undefined && !namePattern.test(subAttr)) return undefined;
  if (uri !== undefined && !/^urn:[^\s]+$/i.test(uri)) return undefined;
  return { ...(uri !== undefined ? { uri } : {}), name, ...(subAttr !== undefined ? { subAttr } : {}) };
}

/**
 * Maps an attribute path (case-insensitive names, optional URN prefix, optional sub-attribute)
 * to its definition for a resource type; undefined when the path names nothing.
 * Example: `resolveAttribute('NAME.givenname', 'User')?.target.name === 'givenName'`.
 */
export function resolveAttribute(path: string, resourceType: ScimResourceType): ResolvedAttribute | undefined {
  const parts = splitAttributePath(path);
  return parts ? resolveAttributeParts(parts, resourceType) : undefined;
}
