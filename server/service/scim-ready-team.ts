// A team that satisfies KEY-01..03 (Enterprise plan, exactly one SSO method) with SCIM on and an ACTIVE key:
// the starting point of SCIM integration tests, benchmarks and tools that provision into the reference server.
import type { ControlService, NewPerson } from '../control/port.ts';

export interface ScimReadyTeamOptions {
  name?: string;
  licensedSeats?: number;
  owner?: NewPerson;
  /** PEM certificates the team's SAML method trusts; default none (SCIM-only use) */
  idpCertificates?: string[];
}

export interface ScimReadyTeam {
  teamId: string;
  /** the team's Super Admin, the actor for control actions */
  ownerId: string;
  samlMethodId: string;
  /** shown once: an ACTIVE SCIM API key of the team */
  key: string;
  keyId: string;
}

export function createScimReadyTeam(
  service: ControlService,
  options: ScimReadyTeamOptions = {},
): ScimReadyTeam {
  const { team, owner } = service.createTeam({
    name: options.name ?? 'Acme',
    plan: 'Enterprise',
    licensedSeats: options.licensedSeats ?? 500,
    owner: options.owner ?? { email: 'olivia@acme.test', givenName: 'Olivia', familyName: 'Owner' },
  });
  const ownerId = owner.account.id;
  const method = service.addAuthMethod(team.id, ownerId, {
    kind: 'saml',
    label: 'SSO',
    enabled: true,
    autoAddUsers: false,
    saml: {
      idpEntityId: 'https://idp.idsim.test/metadata',
      idpSsoUrl: 'https://idp.idsim.test/saml/sso',
      idpCertificates: options.idpCertificates ?? [],
    },
  });
  service.setScimEnabled(team.id, ownerId, true);
  const { key, apiKey } = service.generateScimKey(team.id, ownerId);
  return { teamId: team.id, ownerId, samlMethodId: method.id, key, keyId: apiKey.id };
}
