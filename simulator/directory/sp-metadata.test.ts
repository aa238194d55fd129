// SP metadata import: EntityDescriptor → entityID, HTTP-POST ACS, SLO, signing and encryption keys.
// SAML metadata 2.0 2.3.2, 2.4.1.1, 2.4.4; idsim issue #3 (metadata imported from XML or a URL).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DirectoryError } from './errors.ts';
import { importSpMetadataFromUrl, MAX_SP_METADATA_BYTES, parseSpMetadata } from './sp-metadata.ts';

const CERT_BODY = 'MIIBszCCAVmgAwIBAgIUTESTONLY';

const METADATA = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example.com/saml">
  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>${CERT_BODY}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>ENC${CERT_BODY}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://sp.example.com/slo"/>
    <md:AssertionConsumerService index="2" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example.com/art"/>
    <md:AssertionConsumerService index="1" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.com/acs-1"/>
    <md:AssertionConsumerService index="0" isDefault="true" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example.com/acs"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>`;

describe('parseSpMetadata (metadata 2.4.4)', () => {
  it('reads entityID, the default HTTP-POST ACS, SLO, flags and keys by use', () => {
    const sp = parseSpMetadata(METADATA);
    expect(sp.entityId).toBe('https://sp.example.com/saml');
    expect(sp.acsUrl).toBe('https://sp.example.com/acs');
    expect(sp.sloUrl).toBe('https://sp.example.com/slo');
    expect(sp.authnRequestsSigned).toBe(true);
    expect(sp.wantAssertionsSigned).toBe(true);
    expect(sp.signingCerts).toHaveLength(1);
    expect(sp.signingCerts[0]).toContain(CERT_BODY);
    expect(sp.signingCerts[0]).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(sp.encryptionCert).toContain(`ENC${CERT_BODY}`);
  });

  it('refuses a DOCTYPE, a non-metadata root, and metadata without an HTTP-POST ACS', () => {
    const doctype = `<!DOCTYPE x [<!ENTITY a "b">]>${METADATA.replace('<?xml version="1.0"?>', '')}`;
    expect(() => parseSpMetadata(doctype)).toThrow(expect.objectContaining({ code: 'invalid_sp_metadata' }));
    expect(() => parseSpMetadata('<foo/>')).toThrow(DirectoryError);
    const noPost = METADATA.replace(/<md:AssertionConsumerService[^>]*HTTP-POST[^>]*\/>/g, '');
    expect(() => parseSpMetadata(noPost)).toThrow(/HTTP-POST/);
    expect(() => parseSpMetadata('not xml <')).toThrow(
      expect.objectContaining({ code: 'invalid_sp_metadata' }),
    );
  });
});

describe('importSpMetadataFromUrl', () => {
  it('fetches and parses metadata over loopback HTTP; a 404 becomes sp_metadata_fetch_failed', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/metadata') res.writeHead(200, { 'content-type': 'application/xml' }).end(METADATA);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const sp = await importSpMetadataFromUrl(`${base}/metadata`);
      expect(sp.entityId).toBe('https://sp.example.com/saml');
      await expect(importSpMetadataFromUrl(`${base}/missing`)).rejects.toMatchObject({
        code: 'sp_metadata_fetch_failed',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('importSpMetadataFromUrl bounds what it fetches (SSRF decision: any http(s) host, nothing else)', () => {
  it('refuses file:, data: and other schemes without fetching anything', async () => {
    let fetched = 0;
    const counting: typeof fetch = async () => {
      fetched += 1;
      return new Response(METADATA);
    };
    for (const url of [
      'file:///etc/passwd',
      'data:text/xml,<x/>',
      'ftp://sp.example/metadata',
      'not a url',
    ]) {
      await expect(importSpMetadataFromUrl(url, counting)).rejects.toMatchObject({
        code: 'sp_metadata_fetch_failed',
      });
    }
    expect(fetched).toBe(0);
  });

  it('stops reading a body larger than 1 MiB, declared or streamed, and never echoes it', async () => {
    const huge = `${METADATA}<!--${'x'.repeat(MAX_SP_METADATA_BYTES)}-->`;
    const server = createServer((req, res) => {
      if (req.url === '/declared')
        res.writeHead(200, { 'content-length': Buffer.byteLength(huge) }).end(huge);
      else {
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        res.end(huge);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const path of ['/declared', '/streamed']) {
        const refused = importSpMetadataFromUrl(`${base}${path}`);
        await expect(refused).rejects.toMatchObject({ code: 'sp_metadata_fetch_failed' });
        await expect(refused).rejects.toThrow(/larger than/);
        await expect(refused).rejects.not.toThrow(/xxxx/);
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
