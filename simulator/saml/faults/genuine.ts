// Genuine Responses for the fault builders: the IdP's own response builder (response.ts), shaped per fault.
// SAML profiles 4.1.4.2 (what a genuine Web SSO Response holds); idsim issue #11.

import type { SigningCredentials } from '../keys.ts';
import { buildSamlResponse, type SamlAttribute } from '../response.ts';
import type { GenuineRequest } from './index.ts';
import type { GenuineResponse } from './types.ts';

export interface GenuineSettings {
  issuer: string;
  acsUrl: string;
  audience: string;
  credentials: SigningCredentials;
  now: () => Date;
  /** attributes besides `email` (which always follows the request), e.g. firstName/lastName */
  attributes?: (email: string) => SamlAttribute[];
  sessionIndex?: string;
  /** the SP's encryption certificate when the app encrypts assertions */
  encryptionCert?: string | undefined;
}

const defaultAttributes = (email: string): SamlAttribute[] => {
  const local = email.slice(0, email.indexOf('@')).split('.');
  const name = (part: string | undefined): string =>
    part === undefined || part === '' ? 'Tester' : part.charAt(0).toUpperCase() + part.slice(1);
  return [
    { name: 'firstName', values: [name(local[0])] },
    { name: 'lastName', values: [name(local[1])] },
  ];
};

/** A function that builds a fresh genuine Response (new IDs) for each request. */
export function genuineBuilder(
  settings: GenuineSettings,
): (request: GenuineRequest) => Promise<GenuineResponse> {
  return async (request) => {
    const now = settings.now();
    const others = (settings.attributes ?? defaultAttributes)(request.email).filter(
      (a) => a.name !== 'email',
    );
    const built = await buildSamlResponse({
      issuer: settings.issuer,
      acsUrl: settings.acsUrl,
      audience: settings.audience,
      inResponseTo: request.inResponseTo,
      nameId: request.nameId,
      attributes: [{ name: 'email', values: [request.email] }, ...others],
      authnInstant: now,
      sessionIndex: settings.sessionIndex ?? `_session${now.getTime()}`,
      now,
      signResponse: request.signResponse,
      signAssertion: request.signAssertion,
      credentials: settings.credentials,
    });
    return { xml: built.xml, responseId: built.responseId, assertionId: built.assertionId };
  };
}
