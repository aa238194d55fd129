// The organisation login portal's IdP side for ORG-01..06: a team of the organisation with a SAML method that trusts
// the scenario's simulator, named as the portal's method (control updatePortal authMethodId), and the IdP's app.
import assert from 'node:assert/strict';
import { registerSpApp, runningSimulator } from './simulated-idp.ts';
import { idpConnection } from './sso-fixture.ts';
import type { IdsimWorld } from './world.ts';

/** The team of the organisation whose SSO method the portal uses (SAML or OIDC), and its admin's account id. */
export async function createPortalTeam(
  world: IdsimWorld,
  organisationId: string,
): Promise<{ teamId: string; adminId: string }> {
  const organisation = await world.control.getOrganisation(organisationId);
  const { team, owner } = await world.control.createTeam({
    organisationId,
    name: `${organisation.name} portal`,
    plan: 'Enterprise',
    licensedSeats: 10,
    owner: { email: `portal-admin@${organisation.slug}.test`, givenName: 'Portal', familyName: 'Admin' },
  });
  return { teamId: team.id, adminId: owner.account.id };
}

/** Connects the organisation's portal to the simulated IdP (the organisation admin's and the IdP admin's set-up). */
export async function connectPortalToSimulatedIdp(world: IdsimWorld, organisationId: string): Promise<void> {
  const simulator = await runningSimulator(world);
  const { teamId, adminId } = await createPortalTeam(world, organisationId);
  const method = await world.control.addAuthMethod(teamId, adminId, {
    kind: 'saml',
    label: 'Portal SSO',
    enabled: true,
    autoAddUsers: false,
    saml: idpConnection(`${simulator.baseUrl}/saml/sso`),
  });
  await world.control.updatePortal(organisationId, { authMethodId: method.id });
  registerSpApp(simulator, world.saml.audience(method.id), world.saml.acsUrl(method.id), world.idp);
}

/** The real slug of an organisation a step named ("acme" → "acme-x1y2z3", made unique per scenario). */
export function organisationSlug(world: IdsimWorld, name = 'current'): string {
  const slug = world.remembered.get(`orgSlug:${name}`);
  assert.ok(slug !== undefined, `no organisation "${name}"`);
  return slug;
}

export function currentOrganisationId(world: IdsimWorld): string {
  const id = world.remembered.get('org:current');
  assert.ok(id !== undefined, 'no organisation yet');
  return id;
}
