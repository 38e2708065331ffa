// Safe, namespace-aware reading of SAML XML: documents with a DTD are refused before parsing
// (no entity expansion, no external references), and parse warnings are treated as errors.

import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';

/** Namespaces of SAML 2.0 (SAML core §1.2, metadata §1.2) and XML-DSig. */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
} as const;

/** Binding URIs (SAML bindings §3.4, §3.5). */
export const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

export const NAMEID_FORMAT = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  entity: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
} as const;

export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** True when the text declares a DTD or an entity; SAML messages never need either. */
export function declaresDtd(xml: string): boolean {
  return /<!\s*(DOCTYPE|ENTITY)/i.test(xml);
}

/**
 * Parses XML that is already known to carry no DTD. Returns the document, or the parser's
 * complaint as a string so callers can refuse with their own reason code.
 */
export function parseXml(xml: string): Document | string {
  const problems: string[] = [];
  try {
    // xmldom 0.9 `onError`; the cast is for the older typings xml-crypto brings along.
    const options = {
      onError: (level: string, msg: string) => {
        problems.push(`${level}: ${msg}`);
        throw new Error(msg);
      },
    } as unknown as ConstructorParameters<typeof DOMParser>[0];
    const doc = new DOMParser(options).parseFromString(xml, 'text/xml');
    if (problems.length > 0 || !doc.documentElement) return problems[0] ?? 'no root element';
    return doc;
  } catch (err) {
    return problems[0] ?? (err instanceof Error ? err.message : String(err));
  }
}

const ELEMENT_NODE = 1;

function isElement(node: Node | null | undefined): node is Element {
  return !!node && node.nodeType === ELEMENT_NODE;
}

/** Direct element children of `parent`, optionally filtered by namespace and local name. */
export function childElements(parent: Node, ns?: string, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (!isElement(n)) continue;
    if (ns !== undefined && n.namespaceURI !== ns) continue;
    if (localName !== undefined && n.localName !== localName) continue;
    out.push(n);
  }
  return out;
}

/** The first direct child with that namespace and local name, if any. */
export function child(parent: Node, ns: string, localName: string): Element | undefined {
  return childElements(parent, ns, localName)[0];
}

/** Every descendant element with that namespace and local name, in document order. */
export function descendants(root: Document | Element, ns: string, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(ns, localName));
}

/** An attribute's value, or undefined when absent. */
export function attr(el: Element, name: string): string | undefined {
  return el.hasAttribute(name) ? (el.getAttribute(name) ?? undefined) : undefined;
}

/**
 * The full text content of an element, trimmed. Comments are not text (XPath string-value), so
 * `a<!---->b` reads as `ab`, the same value exclusive canonicalization signs.
 */
export function text(el: Element): string {
  return (el.textContent ?? '').trim();
}

/** True when the element is `ns:localName`. */
export function isNamed(el: Element | null | undefined, ns: string, localName: string): boolean {
  return !!el && el.namespaceURI === ns && el.localName === localName;
}

/** Escapes text for use in XML content and attribute values. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * Parses an xs:dateTime as SAML uses it (SAML core §1.3.3: UTC, `Z`); offsets are accepted too.
 * Fractions of any length are allowed (Entra sends seven digits). Returns ms, or null if invalid.
 */
export function parseSamlTime(value: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(value.trim());
  if (!m) return null;
  const ms = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  const parsed = Date.parse(`${m[1]}.${ms}${m[3]}`);
  return Number.isFinite(parsed) ? parsed : null;
}
