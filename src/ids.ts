// Random record ids (`usr_…`, `grp_…`, `role_…`, `tok_…`): one generator shared by the store's
// writers, so no feature module has to import another to name a record.
import { randomBytes } from 'node:crypto';

const ID_BYTES = 9;
// Random bytes are drawn for many ids at once: one call to the CSPRNG per 512 ids, not per id.
const POOL_BYTES = ID_BYTES * 512;
let pool = Buffer.alloc(0);
let offset = 0;

/** A fresh id: the prefix, an underscore and 12 url-safe random characters (72 bits). */
export function newId(prefix: string): string {
  if (offset + ID_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return `${prefix}_${id}`;
}
