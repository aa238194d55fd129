// Strict XML parsing for SAML messages and metadata: any parse error or a DOCTYPE refuses the document.
// SAML core 1.3 / saml-sec-consider (no DTDs: entity expansion), USENIX 2012 "On Breaking SAML" (one parser).

import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

/** Thrown for input that is not a well-formed, DTD-free XML document. */
export class SamlXmlError extends Error {
  readonly code = 'invalid_xml';

  constructor(message: string) {
    super(message);
    this.name = 'SamlXmlError';
  }
}

/** Parses `xml` as `text/xml`, refusing DOCTYPEs and stopping at the first error or warning. */
export function parseSamlXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new SamlXmlError('DOCTYPE is not allowed in SAML messages');
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        throw new SamlXmlError(`${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    throw error instanceof SamlXmlError ? error : new SamlXmlError(String(error));
  }
  if (doc.documentElement === null) throw new SamlXmlError('empty document');
  return doc;
}

/** The direct child elements of `parent` with this namespace and local name. */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1) {
      const el = node as Element;
      if (el.namespaceURI === ns && el.localName === localName) out.push(el);
    }
  }
  return out;
}

/** The first direct child element with this namespace and local name, if any. */
export function firstChild(parent: Element, ns: string, localName: string): Element | undefined {
  return childElements(parent, ns, localName)[0];
}

/** Trimmed text of the first direct child with this name, if any. */
export function childText(parent: Element, ns: string, localName: string): string | undefined {
  const el = firstChild(parent, ns, localName);
  return el === undefined ? undefined : (el.textContent ?? '').trim();
}
