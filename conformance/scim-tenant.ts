// Sets up, through the control capability, a team that SCIM protocol scenarios (@scim-core) can provision into:
// Enterprise plan (KEY-01), exactly one SSO method (KEY-02), SCIM enabled and one ACTIVE key (KEY-04).
import type { ControlDriver } from './target.ts';

/** The mail domain of the schema-driven checks' sample userNames (conformance/scim-checks/fixtures.ts). */
const SCIM_CHECKS_DOMAIN = 'scim-checks.example';

export interface ScimTenant {
  teamId: string;
  ownerId: string;
  key: string;
}

/** An IdP connection for the one SSO method; the values only need to be well formed for key generation. */
const TENANT_IDP = {
  idpEntityId: 'https://idp.idsim.test/metadata',
  idpSsoUrl: 'https://idp.idsim.test/saml/sso',
};

export async function provisionScimTenant(
  control: ControlDriver,
  idpCertificate: string,
): Promise<ScimTenant> {
  const { team, owner } = await control.createTeam({
    name: 'SCIM protocol team',
    plan: 'Enterprise',
    licensedSeats: 1000,
    owner: {
      email: 'owner@scim-core.idsim.test',
      givenName: 'Scim',
      familyName: 'Owner',
    },
  });
  const ownerId = owner.account.id;
  // PRV-08: a userName moves only into a verified domain; the schema-driven checks rename within this one.
  await control.addDomain(team.organisationId, SCIM_CHECKS_DOMAIN);
  await control.verifyDomain(team.organisationId, SCIM_CHECKS_DOMAIN);
  await control.addAuthMethod(team.id, ownerId, {
    kind: 'saml',
    label: 'SSO',
    enabled: true,
    autoAddUsers: true,
    saml: { ...TENANT_IDP, idpCertificates: [idpCertificate] },
  });
  await control.setScimEnabled(team.id, ownerId, true);
  const { key } = await control.generateScimKey(team.id, ownerId);
  return { teamId: team.id, ownerId, key };
}
