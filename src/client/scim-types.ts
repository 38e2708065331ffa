// The SCIM 2.0 resources and messages the emulator's service provider reads and answers
// (RFC 7643 §4 User/Group and the enterprise extension; RFC 7644 §3.4.2 list, §3.5.2 PATCH, §3.12 errors),
// for typing a SCIM client under test. Attributes beyond these pass through as `[name: string]: unknown`.

/** `meta` of a resource (RFC 7643 §3.1). */
export interface ScimMeta {
  resourceType: 'User' | 'Group';
  created: string;
  lastModified: string;
  location: string;
  /** The ETag, e.g. `W/"3"` (RFC 7644 §3.14). */
  version: string;
}

/** A multi-valued attribute entry such as an email (RFC 7643 §2.4). */
export interface ScimMultiValue {
  value: string;
  type?: string;
  primary?: boolean;
  display?: string;
}

/** urn:ietf:params:scim:schemas:extension:enterprise:2.0:User (RFC 7643 §4.3). */
export interface ScimEnterpriseUser {
  employeeNumber?: string;
  costCenter?: string;
  organization?: string;
  division?: string;
  department?: string;
  manager?: { value?: string; $ref?: string; displayName?: string };
}

/** A SCIM User (RFC 7643 §4.1), as sent to `POST /Users` or answered. */
export interface ScimUser {
  schemas: string[];
  id?: string;
  externalId?: string;
  userName: string;
  name?: { formatted?: string; familyName?: string; givenName?: string; middleName?: string; honorificPrefix?: string; honorificSuffix?: string };
  displayName?: string;
  nickName?: string;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  active?: boolean;
  emails?: ScimMultiValue[];
  phoneNumbers?: ScimMultiValue[];
  /** Read-only: the SCIM groups the user is in. */
  groups?: Array<{ value: string; $ref?: string; display?: string; type?: 'direct' | 'indirect' }>;
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'?: ScimEnterpriseUser;
  meta?: ScimMeta;
  [attribute: string]: unknown;
}

/** A member of a SCIM Group (RFC 7643 §4.2). */
export interface ScimGroupMember {
  value: string;
  $ref?: string;
  type?: 'User' | 'Group';
  display?: string;
}

/** A SCIM Group (RFC 7643 §4.2). Display names need not be unique: a second POST with the same name makes a second group. */
export interface ScimGroup {
  schemas: string[];
  id?: string;
  externalId?: string;
  displayName: string;
  members?: ScimGroupMember[];
  meta?: ScimMeta;
  [attribute: string]: unknown;
}

/** A list answer (RFC 7644 §3.4.2). */
export interface ScimListResponse<T = ScimUser | ScimGroup> {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/** One PATCH operation (RFC 7644 §3.5.2); `op` is case-insensitive on the wire. */
export interface ScimPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'Add' | 'Remove' | 'Replace';
  path?: string;
  value?: unknown;
}

export interface ScimPatchRequest {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'];
  Operations: ScimPatchOperation[];
}

/** An error answer (RFC 7644 §3.12). */
export interface ScimError {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'];
  /** The HTTP status, as a string. */
  status: string;
  scimType?: 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';
  detail?: string;
}
