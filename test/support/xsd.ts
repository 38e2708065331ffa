// Validates an XML document against an XSD with libxml2 (libxml2-wasm), for tests that check
// documents the emulator writes (JUnit reports) against their published schemas.
import { XmlDocument, XmlValidateError, XsdValidator } from 'libxml2-wasm';

/** Validates XML against a standalone XSD; the validator's messages, none when valid. */
export function validateXml(xml: string, xsd: string): string[] {
  const schemaDoc = XmlDocument.fromString(xsd);
  const schema = XsdValidator.fromDoc(schemaDoc);
  let doc: XmlDocument | undefined;
  try {
    doc = XmlDocument.fromString(xml);
    schema.validate(doc);
    return [];
  } catch (e) {
    if (e instanceof XmlValidateError) return e.details.map((d) => `line ${d.line}: ${d.message.trim()}`);
    throw e;
  } finally {
    doc?.dispose();
    schema.dispose();
    schemaDoc.dispose();
  }
}
