// SP metadata of one team auth method: the EntityDescriptor an IdP admin loads to create the app.
// SAML metadata 2.0 2.3.2 / 2.4.4; bindings 3.5 (HTTP-POST ACS); core 8.3.2 (emailAddress NameID).
import {
  BINDING_HTTP_POST,
  escapeXmlAttr,
  escapeXmlText,
  NAMEID_EMAIL,
  NS_METADATA,
} from '../../protocol/saml/index.ts';
import type { SpEndpoints } from './sp-endpoints.ts';

/**
 * AuthnRequestsSigned="false" (decision): the SP sends unsigned AuthnRequests over HTTP-Redirect. Signing would need a
 * per-method SP key pair the team admin has to upload to the IdP, and adds no protection the SP relies on: the SP
 * trusts only the signed Response, checks InResponseTo against its own request cache, and Destination/Recipient
 * against its ACS URL. WantAssertionsSigned="true" tells the IdP that the SP refuses unsigned assertions.
 */
export function buildSpMetadata(endpoints: SpEndpoints, options: { label?: string } = {}): string {
  const label =
    options.label === undefined ? '' : `\n  <!-- ${escapeXmlText(options.label).replace(/--/g, '- -')} -->`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="${NS_METADATA}" entityID="${escapeXmlAttr(endpoints.entityId)}">${label}
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>${NAMEID_EMAIL}</md:NameIDFormat>
    <md:AssertionConsumerService Binding="${BINDING_HTTP_POST}" Location="${escapeXmlAttr(endpoints.acsUrl)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}
