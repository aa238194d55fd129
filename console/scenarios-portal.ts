// Guided scenarios for the organisation login portal (a second product): catalogue ORG-01..08
// (shared/spec/catalogue.md), each on its own clearly named organisation whose portal trusts the simulator. idsim #6.
import type { OrgPermission } from '../server/control/port.ts';
import { parseSpMetadata } from '../simulator/directory/index.ts';
import type { LiveSystem } from './live-system.ts';
import {
  addIdpPerson,
  attempt,
  describeAttempt,
  done,
  expectThat,
  methodOf,
  recall,
  retireIdpPerson,
  type Scenario,
  type ScenarioMemory,
  type ScenarioStep,
  signInService,
  step,
  uniqueSuffix,
} from './scenario-kit.ts';

const HOUR_MS = 3_600_000;

interface PortalOptions {
  jitEnabled?: boolean;
  privateInstance?: boolean;
  defaultPermission?: OrgPermission;
}

/**
 * A new organisation "Acme Portal (scenario ORG-xx)" with a team whose SAML method (trusting the simulator, like
 * Acme's) serves the portal, and an IdP app for that SP. Remembers org:id, org:slug, portal:appId.
 */
function portalSetUpStep(row: string, options: PortalOptions = {}): ScenarioStep {
  return step(`Create the organisation "Acme Portal (scenario ${row})" and its IdP app`, (system, memory) => {
    const { service } = system.reference;
    const suffix = uniqueSuffix();
    const organisation = service.createOrganisation({
      slug: `acme-portal-${suffix}`,
      name: `Acme Portal (scenario ${row})`,
      ...(options.privateInstance ? { privateInstance: true } : {}),
    });
    const { team, owner } = service.createTeam({
      organisationId: organisation.id,
      name: `Acme Portal team (scenario ${row})`,
      plan: 'Enterprise',
      licensedSeats: 10,
      owner: { email: `portal.owner.${suffix}@portal.example`, givenName: 'Portal', familyName: 'Owner' },
    });
    const acme = methodOf(system, 'saml');
    const method = service.addAuthMethod(team.id, owner.account.id, {
      kind: 'saml',
      label: 'Portal SSO',
      autoAddUsers: false,
      ...(acme.saml ? { saml: acme.saml } : {}),
    });
    const portal = service.updatePortal(organisation.id, {
      authMethodId: method.id,
      ...(options.jitEnabled === undefined ? {} : { jitEnabled: options.jitEnabled }),
      ...(options.defaultPermission ? { defaultPermission: options.defaultPermission } : {}),
    }).portal;
    const app = system.simulator.directory.addApp({
      name: `Acme Portal app (scenario ${row})`,
      sp: parseSpMetadata(signInService(system).spMetadata(method.id)),
    });
    memory.set('org:id', organisation.id);
    memory.set('org:slug', organisation.slug);
    memory.set('portal:appId', app.id);
    return done(
      `Organisation "${organisation.slug}": portal JIT ${portal.jitEnabled ? 'on' : 'off'}, default permission ${
        portal.defaultPermission
      }; the IdP has an app for its portal.`,
    );
  });
}

function assignToPortal(system: LiveSystem, memory: ScenarioMemory, key: string): void {
  system.simulator.directory.assign(recall(memory, 'portal:appId'), {
    kind: 'person',
    id: recall(memory, `${key}:personId`),
  });
}

function portalPersonStep(key: string, options: { assign: boolean }): ScenarioStep {
  const title = `Add ${key} to the IdP${options.assign ? ' and assign them to the portal app' : ', not assigned'}`;
  return step(title, async (system, memory) => {
    const person = await addIdpPerson(system, memory, key, { assign: false });
    if (options.assign) assignToPortal(system, memory, key);
    return done(`${person.login} is in the IdP${options.assign ? ', assigned to the portal app' : ''}.`);
  });
}

type Landing = 'organisation' | 'personal' | 'refused';

/** Follows the portal's "Sign in with SSO" link as the person and checks where they land. */
function portalSignInStep(title: string, key: string, expected: Landing): ScenarioStep {
  return step(title, async (system, memory) => {
    const slug = recall(memory, 'org:slug');
    const outcome = await system.signInAt(
      recall(memory, `${key}:personId`),
      `${system.reference.baseUrl}/${slug}/login/sso`,
    );
    const path = new URL(outcome.landedAt).pathname;
    const landing: Landing =
      outcome.errorCode !== null || outcome.status >= 400
        ? 'refused'
        : path === `/${slug}/home`
          ? 'organisation'
          : 'personal';
    const seen = `landed at ${path} (${outcome.status}${outcome.errorCode ? ` ${outcome.errorCode}` : ''})`;
    return expectThat(landing === expected, `${seen}: the ${expected} outcome the row expects.`, seen);
  });
}

/** `portalCreated`: ORG-02, the account has a firstname-lastname username and no password. */
function accountStep(
  title: string,
  key: string,
  expectedPermission: OrgPermission | null,
  portalCreated = false,
): ScenarioStep {
  return step(title, (system, memory) => {
    const { service } = system.reference;
    const account = service.findAccountByEmail(recall(memory, `${key}:login`));
    const membership = account
      ? service.getOrganisationMembership(recall(memory, 'org:id'), account.id)
      : null;
    const permission = membership?.permission ?? null;
    const seen = account
      ? `account "${account.username ?? account.email}" (password: ${account.hasPassword}), organisation permission ${
          permission ?? 'none'
        }`
      : 'no account';
    const shapeOk =
      !portalCreated ||
      (account !== null && !account.hasPassword && /^[a-z]+-[a-z0-9]+(-\d+)?$/.test(account.username ?? ''));
    return expectThat(
      account !== null && permission === expectedPermission && shapeOk,
      `${seen}.`,
      `${seen}.`,
    );
  });
}

function retirePortalStep(...keys: string[]): ScenarioStep {
  return step('Restore: the scenario people and the portal app leave the IdP', async (system, memory) => {
    for (const key of keys) await retireIdpPerson(system, memory, key);
    const appId = memory.get('portal:appId');
    if (appId !== undefined) system.simulator.directory.deleteApp(appId);
    return done('The IdP is as before; the scenario organisation stays, clearly named.');
  });
}

const portalJourney: Scenario = {
  row: 'ORG-01',
  alsoCovers: ['ORG-02', 'ORG-03', 'ORG-04'],
  title:
    'Portal JIT: the /{org}/login page (ORG-01), a new account (ORG-02), straight in (ORG-03), re-auth (ORG-04)',
  steps: [
    portalSetUpStep('ORG-01', { jitEnabled: false }),
    step('ORG-01: open /{org}/login with portal JIT off, then on', async (system, memory) => {
      const url = `${system.reference.baseUrl}/${recall(memory, 'org:slug')}/login`;
      const off = await fetch(url);
      system.reference.service.updatePortal(recall(memory, 'org:id'), { jitEnabled: true });
      const on = await fetch(url);
      const page = await on.text();
      return expectThat(
        off.status >= 400 && on.status === 200 && page.includes('/login/sso'),
        `Off: ${off.status}; on: ${on.status} with a "Sign in with SSO" link.`,
        `off ${off.status}, on ${on.status}.`,
      );
    }),
    portalPersonStep('orla', { assign: true }),
    portalSignInStep('ORG-02: orla (no account) follows the portal link', 'orla', 'organisation'),
    accountStep(
      'ORG-02: an account firstname-lastname, no password, Member-level membership',
      'orla',
      'member',
      true,
    ),
    portalSignInStep(
      'ORG-03: orla, authenticated at the IdP just now, follows the link again',
      'orla',
      'organisation',
    ),
    step(
      'ORG-04: orla last signed in at the IdP 9 hours ago (the portal counts 8 h as recent)',
      async (system, memory) => {
        const personId = recall(memory, 'orla:personId');
        system.simulator.idp.sessions.endAllFor(personId);
        system.idpClock.offsetMs = -9 * HOUR_MS;
        try {
          await system.signInAt(personId, `${system.simulator.baseUrl}/login`);
        } finally {
          system.idpClock.offsetMs = 0;
        }
        const session = system.simulator.idp.sessions.list().find((s) => s.personId === personId);
        return done(
          session
            ? `orla's IdP session started at ${session.authnInstant.toISOString()}.`
            : 'orla has no live IdP session any more (it outlived the IdP session lifetime).',
        );
      },
    ),
    portalSignInStep(
      'ORG-04: orla follows the link; the IdP asks her to sign in again, then back',
      'orla',
      'organisation',
    ),
    retirePortalStep('orla'),
  ],
};

const accountNotMember: Scenario = {
  row: 'ORG-05',
  title: 'Assigned, has an account, not a member: personal home, no membership granted',
  steps: [
    portalSetUpStep('ORG-05', { jitEnabled: true }),
    portalPersonStep('pat', { assign: true }),
    step('pat already has an account (not an organisation member)', (system, memory) => {
      const { account } = system.reference.service.registerAccount({
        email: recall(memory, 'pat:login'),
        givenName: 'Pat',
        familyName: 'Existing',
        password: 'pat-existing-password',
      });
      return done(`${account.email} has an account.`);
    }),
    portalSignInStep('pat follows the portal link', 'pat', 'personal'),
    accountStep('Check: no organisation membership was granted', 'pat', null),
    retirePortalStep('pat'),
  ],
};

const notAssigned: Scenario = {
  row: 'ORG-06',
  title: 'Not assigned: the IdP refuses; once assigned, the person creates the account through the portal',
  steps: [
    portalSetUpStep('ORG-06', { jitEnabled: true }),
    portalPersonStep('nina', { assign: false }),
    portalSignInStep('nina follows the portal link', 'nina', 'refused'),
    step('The IdP admin assigns nina to the portal app', (system, memory) => {
      assignToPortal(system, memory, 'nina');
      return done('nina is assigned.');
    }),
    portalSignInStep('nina follows the portal link again', 'nina', 'organisation'),
    accountStep('Check: nina now has an account and membership', 'nina', 'member'),
    retirePortalStep('nina'),
  ],
};

const privateInstance: Scenario = {
  row: 'ORG-07',
  title: 'Portal JIT is always on for private instances',
  steps: [
    portalSetUpStep('ORG-07', { privateInstance: true }),
    step('Check: portal JIT is on without being turned on', (system, memory) => {
      const portal = system.reference.service.getOrganisation(recall(memory, 'org:id')).portal;
      return expectThat(
        portal.jitEnabled,
        'Portal JIT is on for the private instance.',
        'portal JIT is off.',
      );
    }),
    step('Try to turn portal JIT off', async (system, memory) => {
      const { service } = system.reference;
      const tried = await attempt(() =>
        service.updatePortal(recall(memory, 'org:id'), { jitEnabled: false }),
      );
      const portal = service.getOrganisation(recall(memory, 'org:id')).portal;
      return expectThat(
        !tried.ok && portal.jitEnabled,
        `Refused (${describeAttempt(tried)}); portal JIT stays on.`,
        `the change was ${describeAttempt(tried)}; JIT ${portal.jitEnabled ? 'on' : 'off'}.`,
      );
    }),
    retirePortalStep(),
  ],
};

const defaultPermission: Scenario = {
  row: 'ORG-08',
  title: "JIT adds new users with the organisation's configured default permission",
  steps: [
    portalSetUpStep('ORG-08', { jitEnabled: true, defaultPermission: 'contributor' }),
    portalPersonStep('cora', { assign: true }),
    portalSignInStep('cora (no account) follows the portal link', 'cora', 'organisation'),
    accountStep('Check: cora joined with the default permission "contributor"', 'cora', 'contributor'),
    retirePortalStep('cora'),
  ],
};

export const PORTAL_SCENARIOS: readonly Scenario[] = [
  portalJourney,
  accountNotMember,
  notAssigned,
  privateInstance,
  defaultPermission,
];
