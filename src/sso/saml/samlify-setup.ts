// The one place that configures samlify for this process: its XML schema validator is the pure
// JavaScript samlify-validator-js (no Java), set once, and shared with our own schema checks.

import samlify from 'samlify';
import schemaValidator from 'samlify-validator-js';

let configured = false;

/** Returns samlify with its schema validator set; safe to call any number of times. */
export function samlifyLib(): typeof samlify {
  if (!configured) {
    samlify.setSchemaValidator({ validate: (xml: string) => schemaValidator.validate(xml) });
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
