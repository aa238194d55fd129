// Escaping for XML built from string templates, and the SAML dateTime form; used by every SAML message builder.
// XML 1.0 2.4 (character data) and 3.3.3 (attribute values); SAML core 1.3.3 (UTC xs:dateTime).

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Escapes character data for an element body (XML 1.0 2.4). */
export function escapeXmlText(value: string): string {
  return value.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** Escapes a value for a double-quoted attribute, keeping whitespace characters intact (XML 1.0 3.3.3). */
export function escapeXmlAttr(value: string): string {
  return value.replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

/** SAML core 1.3.3: time values are UTC xs:dateTime with a `Z`; milliseconds are allowed and kept. */
export function samlInstant(date: Date): string {
  return date.toISOString();
}

/** SAML core 1.3.4: an ID is an xs:ID, so it must not start with a digit; 160 bits of randomness (hex). */
export function samlId(randomHex: string): string {
  return `_${randomHex}`;
}

/**
 * Canonical XML 1.0 section 2.3 (used by exc-c14n): text nodes escape `&`, `<`, `>` and CR. XML written with these
 * escapers, sorted attributes and no empty-element tags is already in canonical form, so it can be digested as is.
 */
export function escapeC14nText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => C14N_TEXT_ESCAPES[c] ?? c);
}

/** Canonical XML 1.0 section 2.3: attribute values escape `&`, `<`, `"`, TAB, LF and CR (and nothing else). */
export function escapeC14nAttr(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, (c) => C14N_ATTR_ESCAPES[c] ?? c);
}

const C14N_TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#xD;',
};
const C14N_ATTR_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};
