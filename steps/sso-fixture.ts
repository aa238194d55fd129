// The IdP connection product scenarios configure on a team's SSO method: the simulator's entity ID and signing cert.
// Catalogue SSO-01..05 and KEY-02 only need a well-formed connection; JIT sign-ins need the simulator to sign with it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SamlConnection } from '../server/control/port.ts';
import type { IdsimWorld } from './world.ts';

/** The simulator's fixture signing certificate (simulator/saml/fixtures, TEST ONLY). */
const IDP_SIGNING_CERT = readFileSync(
  new URL('../simulator/saml/fixtures/idp-signing.crt', import.meta.url),
  'utf8',
);

export const SIMULATED_IDP_ENTITY_ID = 'https://idp.idsim.test/metadata';

/** `ssoUrl`: the running simulator's SSO endpoint when SP-initiated sign-ins must reach it. */
export function idpConnection(ssoUrl = 'https://idp.idsim.test/saml/sso'): SamlConnection {
  return {
    idpEntityId: SIMULATED_IDP_ENTITY_ID,
    idpSsoUrl: ssoUrl,
    idpCertificates: [IDP_SIGNING_CERT],
  };
}

/** The scenario's SSO method: the first one it added, else the team's first SAML method. */
export async function firstSsoMethod(world: IdsimWorld): Promise<string> {
  const known = world.authMethods[0];
  if (known !== undefined) return known;
  const methods = await world.control.listAuthMethods(world.teamFixture.teamId);
  const saml = methods.find((method) => method.kind === 'saml');
  assert.ok(saml, 'the team has no SSO method');
  return saml.id;
}
