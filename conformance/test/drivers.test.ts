// The HTTP target drivers: reading sign-in outcomes from ACS answers (JIT-01 codes), SP metadata (SAML metadata
// 2.4.4), and loading a control adapter module named by a target file (design.md "The target contract").
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSignInOutcome, readSpMetadata } from '../saml-http.ts';
import type { HttpReply } from '../target.ts';
import { createHttpTargetFactory } from '../targets/http.ts';

function reply(status: number, json: unknown, headers: Record<string, string> = {}): HttpReply {
  const text = json === null ? '' : JSON.stringify(json);
  return { status, headers, json, text, setCookies: [] };
}

describe('sign-in outcome of an ACS answer', () => {
  it('reads a JSON refusal code and message (the reference server: {code, message} with a 4xx)', () => {
    const outcome = readSignInOutcome(
      reply(403, { code: 'jit_disabled', message: 'You need to be invited' }),
      'auto',
      'error',
    );
    expect(outcome).toMatchObject({
      accepted: false,
      code: 'jit_disabled',
      message: 'You need to be invited',
    });
  });

  it('reads {error:{code}} bodies and a data-error-code attribute in HTML', () => {
    expect(
      readSignInOutcome(reply(401, { error: { code: 'audience_mismatch' } }), 'json', 'error').code,
    ).toBe('audience_mismatch');
    const html: HttpReply = {
      status: 403,
      headers: {},
      json: null,
      text: '<main data-error-code="not_a_member">…</main>',
      setCookies: [],
    };
    expect(readSignInOutcome(html, 'auto', 'error').code).toBe('not_a_member');
  });

  it('reads a redirect carrying the error parameter, and a plain redirect as accepted', () => {
    const refused = readSignInOutcome(
      reply(302, null, { location: '/login?reason=jit_disabled' }),
      'redirect',
      'reason',
    );
    expect(refused).toMatchObject({
      accepted: false,
      code: 'jit_disabled',
      location: '/login?reason=jit_disabled',
    });
    const accepted = readSignInOutcome(
      reply(303, { signedIn: true, account: { id: 'acc-1' } }, { location: '/teams/t/home' }),
      'auto',
      'error',
    );
    expect(accepted).toMatchObject({ accepted: true, code: null, accountId: 'acc-1' });
  });

  it('never reads an error status without a code as accepted', () => {
    expect(readSignInOutcome(reply(500, null), 'auto', 'error')).toMatchObject({
      accepted: false,
      code: 'http_500',
    });
  });
});

describe('SP metadata', () => {
  it('reads the entityID and the HTTP-POST AssertionConsumerService', () => {
    const xml = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sp.example/metadata">
      <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
        <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example/art" index="0"/>
        <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://sp.example/acs" index="1"/>
      </md:SPSSODescriptor></md:EntityDescriptor>`;
    expect(readSpMetadata(xml)).toEqual({
      entityId: 'https://sp.example/metadata',
      acsUrl: 'https://sp.example/acs',
    });
  });

  it('refuses metadata without an HTTP-POST ACS', () => {
    expect(() =>
      readSpMetadata('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>'),
    ).toThrow(/HTTP-POST/);
  });
});

describe('control adapter module', () => {
  it('loads the module a target file names and offers only the capabilities given', async () => {
    const module = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      'fixtures',
      'echo-control-adapter.ts',
    );
    const factory = await createHttpTargetFactory({
      kind: 'http',
      name: 'adapter target',
      oidc: null,
      scim: null,
      saml: null,
      control: { kind: 'adapter', module },
    });
    expect([...factory.capabilities]).toEqual(['control']);
    const session = await factory.open(() => {});
    expect(session.saml).toBeNull();
    expect(await session.openScim()).toBeNull();
    await expect(session.control?.getTeam('t-1')).rejects.toMatchObject({ code: 'not_found' });
    await session.close();
  });
});

describe('the web sign-in surface a target file describes', () => {
  it('passes loginUrl, inviteUrl, passwordLogin, signUpUrl, forgotPasswordUrl, portalLoginUrl and teamLoginUrl to the driver', async () => {
    const factory = await createHttpTargetFactory({
      kind: 'http',
      name: 'described target',
      oidc: null,
      scim: null,
      control: null,
      saml: {
        entityId: 'https://sp.example/saml',
        acsUrl: 'https://sp.example/saml/acs',
        loginUrl: 'https://sp.example/saml/login',
        inviteUrl: 'https://sp.example/invites/{token}',
        passwordLogin: { personalUrl: 'https://sp.example/login' },
        signUpUrl: 'https://sp.example/signup',
        forgotPasswordUrl: 'https://sp.example/forgot-password',
        portalLoginUrl: 'https://sp.example/{org}/login',
        teamLoginUrl: 'https://sp.example/teams/{teamId}/login',
        outcome: { mode: 'auto', errorParam: 'error' },
      },
    });
    const saml = (await factory.open(() => {})).saml;
    expect(saml?.loginUrl()).toBe('https://sp.example/saml/login');
    expect(saml?.inviteUrl('a b')).toBe('https://sp.example/invites/a%20b');
    expect(saml?.passwordSignIn).toBeTypeOf('function');
    expect(saml?.signUp).toBeTypeOf('function');
    expect(saml?.forgotPasswordUrl).toBe('https://sp.example/forgot-password');
    expect(saml?.portalLoginUrl('acme')).toBe('https://sp.example/acme/login');
    expect(saml?.teamLoginUrl('t/1')).toBe('https://sp.example/teams/t%2F1/login');
  });

  it('leaves each part out (null) when the file does not describe it, so its scenarios are n/a', async () => {
    const factory = await createHttpTargetFactory({
      kind: 'http',
      name: 'bare target',
      oidc: null,
      scim: null,
      control: null,
      saml: {
        entityId: 'https://sp.example/saml',
        acsUrl: 'https://sp.example/saml/acs',
        outcome: { mode: 'auto', errorParam: 'error' },
      },
    });
    const saml = (await factory.open(() => {})).saml;
    expect(saml?.loginUrl()).toBeNull();
    expect(saml?.passwordSignIn).toBeNull();
    expect(saml?.signUp).toBeNull();
    expect(saml?.forgotPasswordUrl).toBeNull();
    expect(saml?.portalLoginUrl('acme')).toBeNull();
    expect(saml?.teamLoginUrl('t1')).toBeNull();
  });
});
