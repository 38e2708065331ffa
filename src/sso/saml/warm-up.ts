// The one-time work of a process's first SAML sign-in, done once before it: loading the SAML code
// (samlify, xml-crypto, xmldom, the schema check), compiling the schemas, and one run of each step
// on throwaway values so the sign-in does not meet code V8 has never run (docs/performance.md §5).
import { runtimeSlot } from '../../emulator.js';
import { warmUpSamlSchema } from './schema-check.js';

/**
 * How an emulator's first SAML configuration warms SAML up. `full` (the default): it waits for the
 * whole warm-up, so that the first sign-in of a server or a test does not pay it. `load`: it only
 * starts loading the code and compiling the schemas, as a sign-in does — for `edu-emulator run` in
 * process, where the warm-up's own sign-ins cost the run more CPU than they save its first sign-in.
 */
export type SamlWarmUpMode = 'full' | 'load';
export const SAML_WARM_UP = runtimeSlot<{ mode: SamlWarmUpMode }>('sso.samlWarmUp', () => ({ mode: 'full' }));

/** A further warm-up step (the mock IdP adds one that issues and checks a whole response). */
export type SamlWarmUpStep = () => Promise<void>;

// Process-wide, as what they warm is: the modules and V8's compiled code.
const steps = new Set<SamlWarmUpStep>();
let warming: Promise<void> | undefined;

/** Adds a step to the warm-up; steps added after it ran are not run. */
export function addSamlWarmUpStep(step: SamlWarmUpStep): void {
  steps.add(step);
}

/**
 * Runs every warm-up step once; throws what a step throws. The SP's own part: the modules, the
 * schemas, and one AuthnRequest for a throwaway SP and IdP.
 */
export async function runSamlWarmUp(): Promise<void> {
  warmUpSamlSchema();
  const [{ createAuthnRequest }, { conformsToSamlSchema }] = await Promise.all([import('./authn-request.js'), import('./schema-check.js'), import('./validate-response.js')]);
  const clock = { nowMs: () => Date.now(), now: () => new Date() };
  createAuthnRequest({ sp: { entityId: 'https://sp.warm-up.invalid/saml/metadata', acsUrl: 'https://sp.warm-up.invalid/saml/acs' }, idp: { ssoUrl: 'https://idp.warm-up.invalid/saml/sso' }, clock, subject: 'ada@warm-up.invalid', relayState: '/' });
  // Compiles the schemas and runs one validation (a Response without its required attributes:
  // refused, as it must be).
  if (await conformsToSamlSchema(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`)) {
    throw new Error('the SAML schema check accepted a Response without ID, Version and IssueInstant');
  }
  for (const step of steps) await step();
}

/**
 * Starts loading the SAML code and compiling the schemas in the background, without the rest of
 * the warm-up (for a sign-in that starts before any configuration warmed SAML up, e.g. after a
 * restart: it should not share its time with the warm-up's own sign-ins). Never throws.
 */
export function startLoadingSaml(): void {
  warmUpSamlSchema();
  import('./authn-request.js').catch(() => undefined);
  import('./validate-response.js').catch(() => undefined);
}

/** The longest a caller waits for the warm-up: past it, the warm-up goes on without the caller. */
const WAIT_AT_MOST_MS = 10_000;

/**
 * Warms SAML up once per process and resolves when done (at once after the first time, and after
 * at most 10 s whatever happens); never rejects: a failed warm-up only leaves the first sign-in to
 * pay for what it did not do.
 */
export function warmUpSaml(): Promise<void> {
  const run = (warming ??= runSamlWarmUp().catch(() => undefined));
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, WAIT_AT_MOST_MS);
    timer.unref?.();
    void run.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
