// What every SCIM operation shares: the scope it acts in (workspace, actor, base URL), the
// RFC 7644 §3.12 error kinds, and resource versions as weak ETags (RFC 7644 §3.14).
import type { EmulatorCore } from '../emulator.js';
import { EmulatorError } from '../errors.js';
import type { WorkspaceState } from '../store/state.js';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

/** Largest page the service provider returns (ServiceProviderConfig `filter.maxResults`). */
export const MAX_RESULTS = 1000;
/** RFC 7644 §3.4.2.4 lets the provider pick the page size when `count` is absent. */
export const DEFAULT_COUNT = 100;

/** The workspace a SCIM request acts in, who acts, and the SCIM base URL for `meta.location`. */
export interface ScimScope {
  readonly core: EmulatorCore;
  readonly ws: WorkspaceState;
  /** `scim:<token id>` for the journal. */
  readonly actor: string;
  /** e.g. `http://127.0.0.1:4000/w/default/scim/v2` */
  readonly baseUrl: string;
}

function scimError(status: number, code: string, message: string, scimType?: string): EmulatorError {
  return new EmulatorError({ code, status, message, ...(scimType !== undefined ? { scimType } : {}) });
}

/** 400 invalidSyntax: the request body's structure is not what RFC 7644 asks for. */
export const invalidSyntax = (message: string) => scimError(400, 'invalid_syntax', message, 'invalidSyntax');
/** 400 invalidValue: a required value is missing or a value does not fit its attribute. */
export const invalidValue = (message: string) => scimError(400, 'invalid_value', message, 'invalidValue');
/** 409 uniqueness: another resource already holds a unique value (RFC 7644 §3.3). */
export const uniqueness = (message: string) => scimError(409, 'uniqueness', message, 'uniqueness');
/** 404 for a resource id that this workspace does not serve (RFC 7644 §3.12: no scimType). */
export const resourceNotFound = (type: 'User' | 'Group', id: string, ws: WorkspaceState) =>
  scimError(404, 'resource_not_found', `${type} "${id}" not found in workspace "${ws.id}". List them with GET /w/${ws.id}/scim/v2/${type}s.`);

/** The weak entity tag of a resource version (RFC 7644 §3.14): `W/"<n>"`. */
export const etagOf = (version: number) => `W/"${version}"`;

// Entity tags compared weakly (RFC 7232 §2.3.2): `W/"3"` and `"3"` name the same version.
function tagList(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//i, ''))
    .filter((t) => t !== '');
}

/** RFC 7644 §3.14 / RFC 7232 §3.1: refuses with 412 when If-Match names another version. */
export function checkIfMatch(header: string | undefined, version: number): void {
  if (header === undefined || header.trim() === '') return;
  const tags = tagList(header);
  if (tags.includes('*') || tags.includes(`"${version}"`)) return;
  throw scimError(
    412,
    'precondition_failed',
    `If-Match ${header} does not match the current version ${etagOf(version)}: the resource changed since it was read. GET it again and retry.`,
  );
}

/** RFC 7232 §3.2: true when If-None-Match names the current version (answer 304). */
export function noneMatch(header: string | undefined, version: number): boolean {
  if (header === undefined || header.trim() === '') return false;
  const tags = tagList(header);
  return tags.includes('*') || tags.includes(`"${version}"`);
}
