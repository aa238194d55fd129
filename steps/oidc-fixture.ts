// The OIDC side of scenarios (issue #14): the simulator's app for the RP under test (its client and redirect URI),
// the team's and the portal's OIDC methods, and the browser dance read as the SAML steps read theirs. OIDC core 3.1.
import { randomBytes } from 'node:crypto';
import { CookieJar, headlessSignIn } from '../simulator/saml/headless.ts';
import { createPortalTeam } from './portal-fixture.ts';
import { enrolInIdp, recordingFetch, runningSimulator } from './simulated-idp.ts';
import { firstSsoMethod } from './sso-fixture.ts';
import type { IdpSignIn, IdsimWorld } from './world.ts';

/** The OIDC app the simulator holds for this scenario's RP (its id, for arming faults). */
export const OIDC_APP_KEY = 'oidc-app-id';
const OIDC_REDIRECT_KEY = 'oidc-redirect-uri';

/** The client of the RP under test: the target's own, or one the steps choose (they then configure the RP). */
function clientFor(world: IdsimWorld): { clientId: string; clientSecret: string } {
  return (
    world.oidc.client ?? {
      clientId: `0oa${randomBytes(8).toString('hex')}`,
      clientSecret: randomBytes(24).toString('base64url'),
    }
  );
}

export async function ownerActor(world: IdsimWorld): Promise<string> {
  return world.accountIdOf(world.teamFixture.ownerName);
}

export function registerOidcApp(
  world: IdsimWorld,
  simulator: Awaited<ReturnType<typeof runningSimulator>>,
  client: { clientId: string; clientSecret: string },
  methodId: string | undefined,
): void {
  const postLogout = world.oidc.postLogoutRedirectUri(methodId);
  const app = simulator.directory.addApp({
    name: 'idsim RP (OIDC)',
    oidc: {
      ...client,
      redirectUris: [world.oidc.redirectUri(methodId)],
      postLogoutRedirectUris: postLogout === null ? [] : [postLogout],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
  });
  world.remembered.set(OIDC_APP_KEY, app.id);
  world.remembered.set(OIDC_REDIRECT_KEY, world.oidc.redirectUri(methodId));
  world.ssoProtocol = 'oidc';
}

/** ORG-01..06 over OIDC: a team of the organisation whose OIDC method is the portal's, and its client at the OP. */
export async function connectPortalOverOidc(world: IdsimWorld, organisationId: string): Promise<void> {
  const simulator = await runningSimulator(world);
  const { teamId, adminId } = await createPortalTeam(world, organisationId);
  const client = clientFor(world);
  const method = await world.control.addAuthMethod(teamId, adminId, {
    kind: 'oidc',
    label: 'Portal OIDC',
    enabled: true,
    autoAddUsers: false,
    oidc: { issuer: `${simulator.baseUrl}/oauth2/default`, ...client },
  });
  await world.control.updatePortal(organisationId, { authMethodId: method.id });
  registerOidcApp(world, simulator, client, method.id);
}

/** A browser dance from any start URL over OIDC, read as the SAML steps read theirs (callbacks = responses). */
export async function oidcDance(
  world: IdsimWorld,
  startUrl: string,
  person: { email: string; password: string },
  jar: CookieJar,
): Promise<IdpSignIn> {
  const result = await headlessSignIn({
    startUrl,
    credentials: { login: person.email, password: person.password },
    fetchImpl: recordingFetch((exchange) => world.transcript.push(exchange), 'oidc'),
    jar,
  });
  const redirectUri = world.remembered.get(OIDC_REDIRECT_KEY) ?? world.oidc.redirectUri();
  const callbacks = result.steps.filter((step) => step.url.startsWith(redirectUri)).length;
  world.lastSignIn = world.oidc.readOutcome(result);
  return {
    errorCode: callbacks > 0 ? (world.lastSignIn.code ?? null) : (result.errorCode ?? null),
    responsePosted: callbacks > 0,
    landedAt: result.landedAt,
    loginPrompts: result.loginPrompts,
    responsesPosted: callbacks,
    landing: world.lastSignIn.landing,
  };
}

/** The team's OIDC method, added by `actor` (default: the owner) with `label`, and its client at the simulator's OP. */
export async function connectTeamOverOidc(
  world: IdsimWorld,
  autoAddUsers: boolean,
  options: { actor?: string; label?: string } = {},
): Promise<void> {
  const simulator = await runningSimulator(world);
  const client = clientFor(world);
  const actor = options.actor ?? (await ownerActor(world));
  const method = await world.control.addAuthMethod(world.teamFixture.teamId, actor, {
    kind: 'oidc',
    label: options.label ?? 'OIDC SSO',
    enabled: true,
    autoAddUsers,
    oidc: { issuer: `${simulator.baseUrl}/oauth2/default`, ...client },
  });
  world.authMethods.unshift(method.id);
  registerOidcApp(world, simulator, client, method.id);
}

/** The browser dance from the RP's login URL; what it ended with becomes the scenario's sign-in outcome. */
export async function oidcSignIn(
  world: IdsimWorld,
  name: string,
  options: { enrol: boolean },
): Promise<void> {
  const simulator = await runningSimulator(world);
  const person = world.person(name);
  if (options.enrol) enrolInIdp(simulator, person, name, true);
  const jar = world.browsers.get(name) ?? new CookieJar();
  world.browsers.set(name, jar);
  const methodId = world.target.control === null ? undefined : await firstSsoMethod(world);
  world.lastIdpSignIn = await oidcDance(world, world.oidc.loginUrl(methodId), person, jar);
}

// ---- @oidc-rp-security: the fault catalogue against the RP under test
