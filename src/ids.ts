// Random record ids (`usr_…`, `grp_…`, `role_…`, `tok_…`): one generator shared by the store's
// writers, so no feature module has to import another to name a record.
import { randomBytes } from 'node:crypto';

/** A fresh id: the prefix, an underscore and 12 url-safe random characters (72 bits). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
