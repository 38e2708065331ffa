// SAML 2.0 schema validation with libxml2 (libxml2-wasm: libxml2 compiled to WebAssembly, no Java,
// no native build): the schemas are compiled once per process, on first use, then each check is a
// parse and a validation against the compiled schemas.
import { EmulatorError } from '../../errors.js';
import { SAML_PROTOCOL_SCHEMA, SAML_SCHEMAS } from './saml-schemas.js';

type Libxml2 = typeof import('libxml2-wasm');
interface Validator {
  lib: Libxml2;
  schema: InstanceType<Libxml2['XsdValidator']>;
}

let loading: Promise<Validator> | undefined;

/** Loads libxml2 and compiles the SAML schemas, once; a failed load is tried again next time. */
function validator(): Promise<Validator> {
  loading ??= (async () => {
    const lib = await import('libxml2-wasm');
    // The schemas import each other by file name: those names, and only those, resolve to the
    // bundled copies. Nothing else is ever read (no file system, no network).
    const schemas = Object.fromEntries(Object.entries(SAML_SCHEMAS).map(([name, text]) => [name, new TextEncoder().encode(text)]));
    lib.xmlRegisterInputProvider(new lib.XmlBufferInputProvider(schemas));
    const doc = lib.XmlDocument.fromBuffer(schemas[SAML_PROTOCOL_SCHEMA]!, { url: SAML_PROTOCOL_SCHEMA });
    try {
      return { lib, schema: lib.XsdValidator.fromDoc(doc) };
    } finally {
      doc.dispose();
    }
  })().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

/** Starts loading the validator in the background (when SAML is configured or a sign-in starts). */
export function warmUpSamlSchema(): void {
  validator().catch(() => undefined);
}

/** Whether the document parses and conforms to the compiled schemas. */
function conforms({ lib, schema }: Validator, xml: string): boolean {
  let doc: InstanceType<Libxml2['XmlDocument']>;
  try {
    // Default parse options: no entity substitution, no DTD or network loading.
    doc = lib.XmlDocument.fromString(xml);
  } catch {
    return false;
  }
  try {
    schema.validate(doc);
    return true;
  } catch (e) {
    if (e instanceof lib.XmlValidateError) return false;
    throw e;
  } finally {
    doc.dispose();
  }
}

/**
 * Whether a SAML protocol message conforms to the SAML 2.0 protocol and assertion schemas (and
 * XML-DSig, XML-Enc). The first call in a process waits for the schemas to compile (tens of ms).
 */
export async function conformsToSamlSchema(xml: string): Promise<boolean> {
  try {
    return conforms(await validator(), xml);
  } catch (e) {
    throw new EmulatorError({
      code: 'saml_schema_unavailable',
      status: 503,
      message: `The SAML schema validator is not available (${e instanceof Error ? e.message : String(e)}); nothing was changed. Try the sign-in again.`,
    });
  }
}
