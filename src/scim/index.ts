// The pure SCIM core used by the SCIM routes: schemas and discovery documents, the filter
// engine (RFC 7644 §3.4.2), sorting, and the PATCH engine (RFC 7644 §3.5.2).

export {
  COMMON_ATTRIBUTES,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  PATCH_OP_SCHEMA,
  SCIM_RESOURCE_TYPES,
  SCIM_SCHEMAS,
  USER_SCHEMA,
  findSchema,
  resolveAttribute,
  resourceTypeResources,
  schemaResources,
  type ResolvedAttribute,
  type ScimAttribute,
  type ScimResource,
  type ScimResourceType,
  type ScimResourceTypeDefinition,
  type ScimSchemaDefinition,
} from './schema.js';
export { parseFilter, parsePatchPath, type FilterNode, type PatchPath } from './filter/parse-filter.js';
export {
  compileFilter,
  equalityLookup,
  evaluateFilter,
  type EqualityLookup,
  type FilterPredicate,
} from './filter/evaluate-filter.js';
export { sortComparator, type SortOrder } from './filter/sort.js';
export { applyPatch, type MemberChange, type PatchOperation, type PatchOutcome } from './patch/apply-patch.js';
