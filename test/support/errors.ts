// Test support: the EmulatorError a call throws (or a promise rejects with); anything else, or
// no error at all, fails the test.
import { EmulatorError } from '../../src/errors.js';

export function errorOf(fn: () => unknown): EmulatorError {
  try {
    fn();
  } catch (e) {
    if (e instanceof EmulatorError) return e;
    throw e;
  }
  throw new Error('expected an EmulatorError');
}

export async function refusal(promise: Promise<unknown>): Promise<EmulatorError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof EmulatorError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
}
