// Test wiring for OIDC sign-in: a team with an OIDC method whose OP is the simulator's oidc-provider, and the
// simulator app (an Okta "OIDC - Web Application") registered with the method's redirect URI (issue #14 tests).
import { randomBytes } from 'node:crypto';
import type { TeamView } from '../../control/port.ts';
import type { Harness } from '../../signin/test/harness.ts';

export interface OidcTeamSetup {
  team: TeamView;
  ownerId: string;
  methodId: string;
  appId: string;
  clientId: string;
}

let counter = 0;

export function setUpOidcTeam(
  h: Harness,
  options: { autoAddUsers?: boolean; seats?: number; organisationId?: string; scopes?: string[] } = {},
): OidcTeamSetup {
  counter += 1;
  const { team, owner } = h.service.createTeam({
    name: `OIDC team ${counter}`,
    plan: 'Enterprise',
    licensedSeats: options.seats ?? 10,
    owner: {
      email: `oidc-owner${counter}@corp.example`,
      givenName: 'Owner',
      familyName: 'One',
      password: 'owner-pass-1',
    },
    ...(options.organisationId === undefined ? {} : { organisationId: options.organisationId }),
  });
  const clientId = `0oaTeam${counter}${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const method = h.service.addAuthMethod(team.id, owner.account.id, {
    kind: 'oidc',
    label: 'Okta OIDC',
    enabled: true,
    autoAddUsers: options.autoAddUsers ?? false,
    oidc: {
      issuer: `${h.idpUrl}/oauth2/default`,
      clientId,
      clientSecret,
      ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
    },
  });
  const app = h.simulator.directory.addApp({
    name: `idsim ${team.name}`,
    oidc: {
      clientId,
      clientSecret,
      redirectUris: [`${h.serverUrl}/oidc/${method.id}/callback`],
      postLogoutRedirectUris: [`${h.serverUrl}/oidc/${method.id}/signed-out`],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
  });
  return {
    team: h.service.getTeam(team.id),
    ownerId: owner.account.id,
    methodId: method.id,
    appId: app.id,
    clientId,
  };
}
