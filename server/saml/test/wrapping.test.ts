// The classes the SP already refused before idsim issue #10, held there: signature wrapping XSW1-8 (Somorovsky et al.,
// "On Breaking SAML", USENIX Security 2012), comment injection in a signed NameID, stripped signatures, attacker
// KeyInfo and re-signing, a duplicated ID. Each fault is built from a genuine signed Response.
import { describe, expect, it } from 'vitest';
import {
  buildTestResponse,
  ROGUE_CERT,
  ROGUE_KEY,
  refusalCode,
  TEST_IDP_CERT,
  TEST_SP_ENDPOINTS,
  type TestResponseOptions,
  testValidator,
} from './test-idp.ts';

const endpoints = TEST_SP_ENDPOINTS;
const VICTIM = 'kim@acme.example';
const ATTACKER = 'mallory@evil.example';

function genuine(options: Partial<TestResponseOptions> = {}): string {
  return buildTestResponse({
    acsUrl: endpoints.acsUrl,
    audience: endpoints.entityId,
    email: ATTACKER,
    ...options,
  });
}

const xmlOf = (base64: string): string => Buffer.from(base64, 'base64').toString('utf8');
const base64Of = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');

function span(xml: string, open: string, close: string): { start: number; end: number; text: string } {
  const start = xml.indexOf(open);
  const end = xml.indexOf(close, start) + close.length;
  if (start < 0 || end < close.length) throw new Error(`no ${open}`);
  return { start, end, text: xml.slice(start, end) };
}

/** The signed assertion with the attacker's identity swapped for the victim's and a fresh ID (not re-signed). */
function evilCopy(assertion: string, keepSignature: boolean): string {
  const swapped = assertion.replaceAll(ATTACKER, VICTIM).replace(/ ID="[^"]+"/, ' ID="_evil"');
  return keepSignature ? swapped : swapped.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '');
}

async function codeOf(samlResponse: string): Promise<string> {
  const { validator, replayCache } = testValidator();
  const code = await refusalCode(validator.validate(samlResponse));
  if (code !== 'accepted') expect(replayCache.size()).toBe(0);
  return code;
}

describe('XSW1-8: a forged assertion beside, around or inside the signed one is refused', () => {
  const cases: [string, 'assertion' | 'both', (xml: string) => string][] = [
    [
      'XSW1: the Response cloned, the signed original inside the new Response signature',
      'both',
      (xml) => {
        const signature = span(xml, '<ds:Signature', '</ds:Signature>');
        const evil = xml.replaceAll(ATTACKER, VICTIM).replace(/ ID="[^"]+"/, ' ID="_evilresponse"');
        return evil.replace(
          '</ds:SignatureValue>',
          `</ds:SignatureValue><ds:Object>${xml.slice(0, signature.start)}${xml.slice(signature.end)}</ds:Object>`,
        );
      },
    ],
    [
      'XSW2: the signed original Response detached, beside the forged one',
      'both',
      (xml) => xml.replace('</samlp:Response>', `${xml.replaceAll(ATTACKER, VICTIM)}</samlp:Response>`),
    ],
    [
      'XSW3: a forged assertion before the signed one',
      'assertion',
      (xml) => {
        const a = span(xml, '<saml:Assertion', '</saml:Assertion>');
        return xml.slice(0, a.start) + evilCopy(a.text, false) + xml.slice(a.start);
      },
    ],
    [
      'XSW4: the signed assertion inside the forged one',
      'assertion',
      (xml) => {
        const a = span(xml, '<saml:Assertion', '</saml:Assertion>');
        const evil = evilCopy(a.text, false).replace('</saml:Assertion>', `${a.text}</saml:Assertion>`);
        return xml.slice(0, a.start) + evil + xml.slice(a.end);
      },
    ],
    [
      'XSW5: the forged assertion keeps the signature, the original sits after it',
      'assertion',
      (xml) => {
        const a = span(xml, '<saml:Assertion', '</saml:Assertion>');
        const original = a.text.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '');
        return xml.slice(0, a.start) + evilCopy(a.text, true) + original + xml.slice(a.end);
      },
    ],
    [
      'XSW6: the original inside the forged assertion’s signature Object',
      'assertion',
      (xml) => {
        const a = span(xml, '<saml:Assertion', '</saml:Assertion>');
        const original = a.text.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '');
        const evil = evilCopy(a.text, true).replace(
          '</ds:SignatureValue>',
          `</ds:SignatureValue><ds:Object>${original}</ds:Object>`,
        );
        return xml.slice(0, a.start) + evil + xml.slice(a.end);
      },
    ],
    [
      'XSW7: the original in an Extensions element of the Response',
      'assertion',
      (xml) => {
        const a = span(xml, '<saml:Assertion', '</saml:Assertion>');
        return (
          xml.slice(0, a.start) +
          `<samlp:Extensions>${a.text}</samlp:Extensions>` +
          evilCopy(a.text, false) +
          xml.slice(a.end)
        );
      },
    ],
    [
      'XSW8: the original inside an Object of the forged assertion’s copied signature',
      'assertion',
      (xml) => {
        const a = span(xml, '<saml:Assertion', '</saml:Assertion>');
        const evil = evilCopy(a.text, true).replace(
          '</ds:Signature>',
          `<ds:Object>${a.text}</ds:Object></ds:Signature>`,
        );
        return xml.slice(0, a.start) + evil + xml.slice(a.end);
      },
    ],
  ];

  it.each(cases)('%s', async (_name, sign, wrap) => {
    const code = await codeOf(base64Of(wrap(xmlOf(genuine({ sign })))));
    expect(code).not.toBe('accepted');
    expect(['multiple_assertions', 'signature_invalid', 'malformed_response']).toContain(code);
  });

  it('a second element carrying the signed assertion’s ID → signature_invalid', async () => {
    const xml = xmlOf(genuine());
    const id = /<saml:Assertion [^>]*ID="([^"]+)"/.exec(xml)?.[1] ?? '';
    const duplicated = xml.replace('<samlp:Status>', `<samlp:Extensions ID="${id}"/><samlp:Status>`);
    expect(await codeOf(base64Of(duplicated))).toBe('signature_invalid');
  });
});

describe('comment injection, stripped signatures, attacker keys', () => {
  it('a comment inside the signed NameID never truncates it to someone else’s address', async () => {
    // the IdP signed "kim@acme.example.evil.invalid"; exc-c14n drops comments, so the signature survives the edit
    const signedFor = `${VICTIM}.evil.invalid`;
    const injected = genuine({
      email: signedFor,
      afterSigning: (xml) => xml.replaceAll(`${VICTIM}.evil.invalid<`, `${VICTIM}<!---->.evil.invalid<`),
    });
    expect(xmlOf(injected)).toContain('<!---->');
    // accepted (the signature is genuine), and read as the whole signed value
    const result = await testValidator().validator.validate(injected);
    expect(result.nameId).toBe(signedFor);
    expect(result.person.email).toBe(signedFor);
  });

  it('signatures stripped from a genuine Response → unsigned_assertion', async () => {
    const stripped = xmlOf(genuine({ sign: 'both' })).replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '');
    expect(await codeOf(base64Of(stripped))).toBe('unsigned_assertion');
  });

  it('re-signed by the attacker with their own key in KeyInfo → wrong_certificate', async () => {
    expect(await codeOf(genuine({ signKey: ROGUE_KEY, signCert: ROGUE_CERT }))).toBe('wrong_certificate');
  });

  it('re-signed with the attacker key while KeyInfo shows the pinned certificate → signature_invalid', async () => {
    expect(await codeOf(genuine({ signKey: ROGUE_KEY, signCert: TEST_IDP_CERT }))).toBe('signature_invalid');
  });
});
