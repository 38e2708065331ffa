// Errors of the store: a data file that cannot be used, and a write the journal could not hold.
import { EmulatorError } from '../errors.js';

/** A data file that cannot be used; the message says which file and how to recover. */
export class StoreLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLoadError';
  }
}

/** The answer to a change the journal could not hold: it was taken back (SCIM routes get RFC 7644 form). */
export function storeUnavailable(reason: string): EmulatorError {
  return new EmulatorError({
    code: 'store_unavailable',
    status: 503,
    message: `The change was not saved and was taken back: ${reason}. Nothing was changed; fix the data folder (space, permissions) and retry.`,
  });
}
