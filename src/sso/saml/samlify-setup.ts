// The one place that configures samlify for this process: its XML schema validator is our own
// schema check (libxml2 in WebAssembly, no Java), set once.

import samlify from 'samlify';
import { conformsToSamlSchema } from './schema-check.js';

let configured = false;

/**
 * Returns samlify with its schema validator set; safe to call any number of times. The validator is
 * the one our own checks use (schema-check.ts, schemas compiled once per process).
 */
export function samlifyLib(): typeof samlify {
  if (!configured) {
    samlify.setSchemaValidator({
      validate: async (xml: string) => {
        // samlify's own validator contract: resolve on a valid document, reject otherwise.
        if (!(await conformsToSamlSchema(xml))) throw new Error('ERR_EXCEPTION_VALIDATE_XML');
        return 'SUCCESS_VALIDATE_XML';
      },
    });
    configured = true;
  }
  return samlify;
}

const SLO_WARNING = 'Construct identity  provider - missing endpoint of SingleLogoutService';

/**
 * Runs a samlify IdentityProvider construction without its console warning about a missing
 * SingleLogoutService: the mock IdP has no single logout and says so by listing none. The
 * construction is synchronous, so only that one message is held back.
 */
export function withoutSloWarning<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (args[0] !== SLO_WARNING) warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}
