// Reads an SP's SAML metadata (EntityDescriptor) into the ServiceProvider record an app holds.
// SAML metadata 2.0 (saml-metadata-2.0-os) 2.3.2 EntityDescriptor, 2.4.1.1 KeyDescriptor, 2.4.4 SPSSODescriptor.

import {
  BINDING_HTTP_POST,
  BINDING_HTTP_REDIRECT,
  childElements,
  endpointLocation,
  keyDescriptorCertificates,
  NS_METADATA,
  parseSamlXml,
  SamlXmlError,
  saml2Role,
} from '../../protocol/saml/index.ts';
import { DirectoryError } from './errors.ts';
import type { ServiceProvider } from './types.ts';

/** Parses SP metadata; throws `invalid_sp_metadata` when no SPSSODescriptor with an HTTP-POST ACS is found. */
export function parseSpMetadata(xml: string): ServiceProvider {
  let doc: ReturnType<typeof parseSamlXml>;
  try {
    doc = parseSamlXml(xml);
  } catch (error) {
    if (error instanceof SamlXmlError) throw new DirectoryError('invalid_sp_metadata', error.message);
    throw error;
  }
  const root = doc.documentElement;
  if (root === null || root.namespaceURI !== NS_METADATA || root.localName !== 'EntityDescriptor') {
    throw new DirectoryError('invalid_sp_metadata', 'root element is not md:EntityDescriptor');
  }
  const entityId = root.getAttribute('entityID') ?? '';
  if (entityId === '') throw new DirectoryError('invalid_sp_metadata', 'EntityDescriptor has no entityID');
  const sp = saml2Role(root, 'SPSSODescriptor');
  if (sp === undefined) throw new DirectoryError('invalid_sp_metadata', 'no SAML 2.0 SPSSODescriptor');

  // Metadata 2.2.3 IndexedEndpointType: prefer isDefault="true", then the lowest index.
  const acs = childElements(sp, NS_METADATA, 'AssertionConsumerService')
    .filter((el) => el.getAttribute('Binding') === BINDING_HTTP_POST)
    .sort((a, b) => {
      const def =
        Number(b.getAttribute('isDefault') === 'true') - Number(a.getAttribute('isDefault') === 'true');
      return def !== 0 ? def : Number(a.getAttribute('index') ?? 0) - Number(b.getAttribute('index') ?? 0);
    })[0];
  const acsUrl = acs?.getAttribute('Location') ?? '';
  if (acsUrl === '')
    throw new DirectoryError('invalid_sp_metadata', 'no AssertionConsumerService with HTTP-POST');

  const sloUrl =
    endpointLocation(sp, 'SingleLogoutService', BINDING_HTTP_REDIRECT) ??
    endpointLocation(sp, 'SingleLogoutService', BINDING_HTTP_POST);
  // Request signatures may come from a key without `use`; assertions are encrypted only to a key marked
  // use="encryption" (an unlabelled key is not an opt-in).
  const signingCerts = keyDescriptorCertificates(sp, 'signing');
  const encryptionCert = keyDescriptorCertificates(sp, 'encryption', { includeUnlabelled: false })[0];

  return {
    entityId,
    acsUrl,
    sloUrl,
    signingCerts,
    authnRequestsSigned: sp.getAttribute('AuthnRequestsSigned') === 'true',
    // Metadata 2.4.4: both flags default to false when absent.
    wantAssertionsSigned: sp.getAttribute('WantAssertionsSigned') === 'true',
    encryptionCert,
  };
}

/** The largest metadata document fetched (a real one is a few KiB; the server's control API takes 1 MiB). */
export const MAX_SP_METADATA_BYTES = 1024 * 1024;
/** How long a metadata fetch may take, headers and body. */
export const SP_METADATA_FETCH_TIMEOUT_MS = 10_000;

/** Reads at most `limit` bytes of a response body; a longer one is refused, never buffered whole. */
async function boundedText(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new Error(`the document is larger than ${limit} bytes`);
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) throw new Error(`the document is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Fetches SP metadata over HTTP(S) and parses it; failures become `sp_metadata_fetch_failed`. Decision (SSRF): any
 * http(s) host is allowed, since the simulator is pointed at SPs on other machines (a staging SP) on purpose; what
 * bounds it is the scheme (http and https only), a timeout, a size cap, and an error that never echoes the body.
 */
export async function importSpMetadataFromUrl(
  url: string,
  fetchImpl: typeof fetch = fetch,
): Promise<ServiceProvider> {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new DirectoryError('sp_metadata_fetch_failed', 'the metadata URL is not a URL');
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new DirectoryError(
      'sp_metadata_fetch_failed',
      `metadata is fetched over http or https, not ${protocol}`,
    );
  }
  let text: string;
  try {
    const response = await fetchImpl(url, {
      headers: { accept: 'application/samlmetadata+xml, application/xml' },
      signal: AbortSignal.timeout(SP_METADATA_FETCH_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await boundedText(response, MAX_SP_METADATA_BYTES);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DirectoryError('sp_metadata_fetch_failed', `could not fetch ${url}: ${reason}`);
  }
  return parseSpMetadata(text);
}
