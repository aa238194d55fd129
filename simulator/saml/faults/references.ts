// The references the fault catalogue cites, in one place so each entry names them the same way.
// SAML 2.0 core / profiles (OASIS 2005), xmldsig-core, USENIX Security 2012 "On Breaking SAML", and the CVEs.

import type { FaultReference } from './types.ts';

const OASIS = 'https://docs.oasis-open.org/security/saml/v2.0/';

export const REF = {
  core: (section: string): FaultReference => ({
    label: `SAML 2.0 core ${section}`,
    url: `${OASIS}saml-core-2.0-os.pdf`,
  }),
  profiles: (section: string): FaultReference => ({
    label: `SAML 2.0 profiles ${section}`,
    url: `${OASIS}saml-profiles-2.0-os.pdf`,
  }),
  bindings: (section: string): FaultReference => ({
    label: `SAML 2.0 bindings ${section}`,
    url: `${OASIS}saml-bindings-2.0-os.pdf`,
  }),
  secConsider: (section: string): FaultReference => ({
    label: `SAML 2.0 security and privacy considerations ${section}`,
    url: `${OASIS}saml-sec-consider-2.0-os.pdf`,
  }),
  metaIop: { label: 'SAML V2.0 Metadata Interoperability Profile 2.5 (key validity is not checked)' },
  xmldsig: (section: string): FaultReference => ({
    label: `XML Signature Syntax and Processing 1.1, ${section}`,
    url: 'https://www.w3.org/TR/xmldsig-core1/',
  }),
  xmldsigBestPractices: {
    label: 'XML Signature Best Practices (W3C note), 2.1: avoid XSLT and XPath transforms',
    url: 'https://www.w3.org/TR/xmldsig-bestpractices/',
  } as FaultReference,
  xmlencCbc: {
    label: 'Jager, Somorovsky: How to Break XML Encryption (CCS 2011); xmlenc-core1 5.2 (AES-GCM)',
    url: 'https://www.w3.org/TR/xmlenc-core1/',
  } as FaultReference,
  xml: (section: string): FaultReference => ({
    label: `XML 1.0 ${section}`,
    url: 'https://www.w3.org/TR/xml/',
  }),
  breakingSaml: (section: string): FaultReference => ({
    label: `Somorovsky et al., On Breaking SAML: Be Whoever You Want to Be (USENIX Security 2012), ${section}`,
    url: 'https://www.usenix.org/conference/usenixsecurity12/technical-sessions/presentation/somorovsky',
  }),
  samlRaider: {
    label: 'SAML Raider (Compass Security): XSW1-XSW8 definitions',
    url: 'https://github.com/CompassSecurity/SAMLRaider',
  } as FaultReference,
  cve: (id: string, what: string): FaultReference => ({
    label: `${id} (${what})`,
    url: `https://www.cve.org/CVERecord?id=${id}`,
  }),
  duo2018: {
    label: 'Duo Labs 2018: SAML comment injection (CERT VU#475445)',
    url: 'https://www.kb.cert.org/vuls/id/475445',
  } as FaultReference,
  unicodeTr36: {
    label: 'Unicode TR #36 Security Considerations (confusables, compatibility mappings)',
    url: 'https://www.unicode.org/reports/tr36/',
  } as FaultReference,
  rfc5321: {
    label: 'RFC 5321 2.4 (local part) and RFC 6531 (internationalised addresses)',
  } as FaultReference,
  fragileLock: {
    label: 'PortSwigger Research 2025: The Fragile Lock (SAML parser and namespace differentials)',
    url: 'https://portswigger.net/research/the-fragile-lock',
  } as FaultReference,
};
