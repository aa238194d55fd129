// The target file (design.md "The target contract"): YAML/JSON, zod-validated, secrets from the environment.
// Checks parsing of YAML and JSON files, secret resolution and the refusals of malformed capability sections.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTargetFile, resolveTarget, TargetConfigError } from '../config.ts';

describe('target file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'idsim-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a YAML file with all three capabilities and resolves env secrets and the adapter path', async () => {
    const file = path.join(dir, 'target.yaml');
    await writeFile(
      file,
      [
        'name: acme staging',
        'scim:',
        '  baseUrl: https://acme.example/scim/v2',
        '  bearerKey: { env: ACME_SCIM_KEY }',
        'saml:',
        '  entityId: https://acme.example/sp',
        '  acsUrl: https://acme.example/sso/acs',
        '  outcome: { mode: redirect, errorParam: reason }',
        'control:',
        '  adapter: ./acme-adapter.ts',
      ].join('\n'),
    );
    const target = await loadTargetFile(file, { ACME_SCIM_KEY: 'k-123' });
    expect(target).toEqual({
      kind: 'http',
      name: 'acme staging',
      scim: { baseUrl: 'https://acme.example/scim/v2', bearerKey: 'k-123' },
      saml: {
        entityId: 'https://acme.example/sp',
        acsUrl: 'https://acme.example/sso/acs',
        outcome: { mode: 'redirect', errorParam: 'reason' },
      },
      oidc: null,
      control: { kind: 'adapter', module: path.join(dir, 'acme-adapter.ts') },
    });
  });

  it('reads JSON, with a control API over HTTP and SAML outcome defaults', async () => {
    const file = path.join(dir, 'target.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'json target',
        saml: { metadataUrl: 'https://sp.example/metadata' },
        control: { url: 'https://sp.example/control/v1', token: 't0k' },
      }),
    );
    const target = await loadTargetFile(file, {});
    expect(target).toMatchObject({
      kind: 'http',
      scim: null,
      saml: { metadataUrl: 'https://sp.example/metadata', outcome: { mode: 'auto', errorParam: 'error' } },
      control: { kind: 'http', url: 'https://sp.example/control/v1', token: 't0k' },
    });
  });

  it('parses the commented example target file shipped in conformance/targets/', async () => {
    const example = fileURLToPath(new URL('../targets/example.target.yaml', import.meta.url));
    const target = await loadTargetFile(example, {
      ACME_SCIM_KEY: 'k',
      ACME_CONTROL_TOKEN: 't',
      ACME_OIDC_CLIENT_SECRET: 'o',
    });
    expect(target).toMatchObject({
      kind: 'http',
      scim: { bearerKey: 'k' },
      saml: {
        inviteUrl: 'https://acme.example/invites/{token}',
        passwordLogin: { personalUrl: 'https://acme.example/login' },
        signUpUrl: 'https://acme.example/signup',
        forgotPasswordUrl: 'https://acme.example/forgot-password',
        portalLoginUrl: 'https://acme.example/{org}/login',
      },
      control: { kind: 'http', token: 't' },
    });
  });

  it('accepts kind: reference for the in-process reference server', () => {
    expect(resolveTarget({ name: 'ref', kind: 'reference' }, dir)).toEqual({
      kind: 'reference',
      name: 'ref',
    });
  });

  it('refuses a missing env secret, a bad URL and saml without an ACS', () => {
    expect(() =>
      resolveTarget(
        { name: 'x', scim: { baseUrl: 'https://a.example', bearerKey: { env: 'NOPE' } } },
        dir,
        {},
      ),
    ).toThrow(/NOPE is not set/);
    expect(() => resolveTarget({ name: 'x', scim: { baseUrl: 'not a url', bearerKey: 'k' } }, dir)).toThrow(
      TargetConfigError,
    );
    expect(() => resolveTarget({ name: 'x', saml: { entityId: 'https://sp' } }, dir)).toThrow(/metadataUrl/);
  });
});
