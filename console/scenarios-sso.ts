// Guided scenarios for team authentication methods and SCIM keys: catalogue SSO-01..07, KEY-01..04 and PRV-10
// (shared/spec/catalogue.md), on the demo team "Acme" or a clearly named second team of its organisation. idsim #6.
import type { LiveSystem } from './live-system.ts';
import {
  addTeamMember,
  attempt,
  captureFreshDomain,
  describeAttempt,
  done,
  expectThat,
  memberByEmail,
  methodOf,
  passwordSignIn,
  provisionedPerson,
  recall,
  releaseCapturedDomain,
  removeFromTeam,
  retireIdpPerson,
  type Scenario,
  type ScenarioStep,
  scenarioPassword,
  scimRequest,
  scratchTeam,
  signInService,
  step,
  uniqueSuffix,
  updateMethod,
} from './scenario-kit.ts';

function organisationIdOf(system: LiveSystem): string {
  return system.reference.service.getTeam(system.reference.teamId).organisationId;
}

/** Password sign-in to the team of the scenario member `key` (added with addTeamMember). */
function memberPasswordSignInStep(title: string, key: string, expectAllowed: boolean): ScenarioStep {
  return step(title, async (system, memory) => {
    const result = await passwordSignIn(system, {
      email: recall(memory, `${key}:email`),
      password: scenarioPassword(key),
      teamId: system.reference.teamId,
    });
    return expectThat(
      result.ok === expectAllowed && (!result.ok || result.value === 'team'),
      `The password sign-in to the team is ${describeAttempt(result)}, as expected.`,
      `the password sign-in was ${describeAttempt(result)}.`,
    );
  });
}

function ssoSignInStep(title: string, key: string, expectAllowed: boolean): ScenarioStep {
  return step(title, async (system, memory) => {
    const outcome = await system.signIn(recall(memory, `${key}:personId`), 'sp');
    const allowed = outcome.errorCode === null && outcome.status < 400;
    const seen = `SSO sign-in answered ${outcome.status} ${outcome.errorCode ?? ''}`.trim();
    return expectThat(allowed === expectAllowed, `${seen}, as expected.`, `${seen}.`);
  });
}

const perTeamSso: Scenario = {
  row: 'SSO-01',
  title: 'SSO configuration belongs to one team: changing it on another team changes nothing on Acme',
  steps: [
    step(
      'Create "Acme Labs (scenario SSO-01)" in the organisation, with its own SAML method',
      (system, memory) => {
        const { teamId, ownerId, name } = scratchTeam(system, memory, 'SSO-01');
        const acme = methodOf(system, 'saml');
        const method = system.reference.service.addAuthMethod(teamId, ownerId, {
          kind: 'saml',
          label: 'Labs IdP',
          autoAddUsers: true,
          ...(acme.saml ? { saml: acme.saml } : {}),
        });
        memory.set('labs:methodId', method.id);
        memory.set('acme:method', JSON.stringify(acme));
        return done(`"${name}" has SAML method "${method.label}".`);
      },
    ),
    step(
      'Change the Labs SAML method: label, "Automatically add new users" off, disabled',
      (system, memory) => {
        const method = system.reference.service.updateAuthMethod(
          recall(memory, 'team:id'),
          recall(memory, 'team:ownerId'),
          recall(memory, 'labs:methodId'),
          { label: 'Labs IdP (changed)', autoAddUsers: false, enabled: false },
        );
        return done(`Labs method is now "${method.label}", enabled=${method.enabled}.`);
      },
    ),
    step('Check Acme: its SAML method is exactly as before', (system, memory) => {
      const now = JSON.stringify(methodOf(system, 'saml'));
      return expectThat(now === recall(memory, 'acme:method'), "Acme's SSO method is unchanged.", now);
    }),
  ],
};

const domainCapture: Scenario = {
  row: 'SSO-02',
  alsoCovers: ['PRV-10'],
  title:
    'Domain capture consolidates the verified domain into one team; new users join once they confirm their address (PRV-10)',
  steps: [
    step('Verify a new domain of the organisation and capture it into Acme', (system, memory) => {
      const domain = captureFreshDomain(system, memory);
      return done(`${domain} is verified and captured by the team.`);
    }),
    step('SSO-02: an unverified domain cannot be captured', async (system) => {
      const { service, teamId } = system.reference;
      const name = `unverified-${uniqueSuffix()}.example`;
      service.addDomain(organisationIdOf(system), name);
      const tried = await attempt(() => service.setDomainCapture(organisationIdOf(system), name, teamId));
      return expectThat(
        !tried.ok,
        `Capturing ${name} is ${describeAttempt(tried)}.`,
        `capturing ${name} was allowed.`,
      );
    }),
    step('PRV-10: a new person signs up with an address of the captured domain', (system, memory) => {
      const email = `newhire.${uniqueSuffix()}@${recall(memory, 'domain')}`;
      memory.set('newhire:email', email);
      const outcome = signInService(system).signUp({
        email,
        password: scenarioPassword('newhire'),
        givenName: 'New',
        familyName: 'Hire',
      });
      const member = memberByEmail(system, email);
      const sent = system.reference.service.listOutbox(email).some((m) => m.kind === 'signup_confirmation');
      return expectThat(
        outcome.kind === 'confirmation_sent' && sent && member === undefined,
        `${email} got a single-use confirmation link (1 h); nobody joined the team yet.`,
        `answer ${outcome.kind}, link sent: ${sent}, membership ${member?.status ?? 'none'}.`,
      );
    }),
    step(
      'PRV-10: they open the e-mailed link; only then they join and land on the team home',
      (system, memory) => {
        const email = recall(memory, 'newhire:email');
        const message = system.reference.service
          .listOutbox(email)
          .filter((m) => m.kind === 'signup_confirmation')
          .at(-1);
        const outcome = message ? signInService(system).confirmSignUp(message.token) : null;
        const member = memberByEmail(system, email);
        if (member) memory.set('newhire:accountId', member.account.id);
        const landing = outcome?.kind === 'signed_in' ? outcome.landing.kind : (outcome?.kind ?? 'nothing');
        return expectThat(
          member?.status === 'active' && landing === 'team',
          `${email} confirmed the address, joined the team and landed on the team home.`,
          `membership ${member?.status ?? 'none'}, landed on ${landing}.`,
        );
      },
    ),
    step('Restore: capture off, the new member removed', (system, memory) => {
      releaseCapturedDomain(system, memory);
      removeFromTeam(system, recall(memory, 'newhire:accountId'));
      return done(`${recall(memory, 'domain')} is no longer captured; the new member is removed.`);
    }),
  ],
};

const severalMethods: Scenario = {
  row: 'SSO-03',
  title: 'Email/password beside SSO while SSO is tested; after verification the others can be turned off',
  steps: [
    step(
      'The IdP provisions a person, the admin adds a password member; both methods are on',
      async (system, memory) => {
        const { person } = await provisionedPerson(system, memory, 'tester');
        const member = addTeamMember(system, memory, 'member');
        updateMethod(system, 'password', { enabled: true });
        return done(
          `${person.login} and ${member.account.email} are members; email/password and SAML are on.`,
        );
      },
    ),
    memberPasswordSignInStep('The password member signs in with a password while SSO is on', 'member', true),
    ssoSignInStep('The person signs in with SSO at the same time', 'tester', true),
    step('SSO is verified: turn email/password off', (system) => {
      updateMethod(system, 'password', { enabled: false });
      return done('Only the SAML method is on now.');
    }),
    memberPasswordSignInStep('The password sign-in to the team is now refused', 'member', false),
    step(
      'Restore: email/password on, the person leaves the IdP, the member is removed',
      async (system, memory) => {
        updateMethod(system, 'password', { enabled: true });
        await retireIdpPerson(system, memory, 'tester');
        removeFromTeam(system, recall(memory, 'member:accountId'));
        return done('Email/password is on again.');
      },
    ),
  ],
};

const methodLabel: Scenario = {
  row: 'SSO-04',
  title: 'An authentication method can carry a label such as "Test"',
  steps: [
    step('Label the SAML method "Test"', (system, memory) => {
      memory.set('label', methodOf(system, 'saml').label);
      updateMethod(system, 'saml', { label: 'Test' });
      return done('The SAML method is labelled "Test".');
    }),
    step('Check the team sign-in page offers "Test"', (system) => {
      const options = signInService(system).teamLoginOptions(system.reference.teamId);
      const labels = options.saml.map((m) => m.label);
      return expectThat(
        labels.includes('Test'),
        `The sign-in page offers: ${labels.join(', ')}.`,
        labels.join(', '),
      );
    }),
    step('Restore the former label', (system, memory) => {
      updateMethod(system, 'saml', { label: recall(memory, 'label') });
      return done(`The label is "${recall(memory, 'label')}" again.`);
    }),
  ],
};

const idpDown: Scenario = {
  row: 'SSO-05',
  title: 'The IdP is down: the admin turns SSO off and email/password on; members use their passwords',
  steps: [
    step('The admin turns SSO off and email/password on', (system) => {
      updateMethod(system, 'saml', { enabled: false });
      updateMethod(system, 'password', { enabled: true });
      return done('SAML is off; email/password is on.');
    }),
    step('The admin adds a member with a password', (system, memory) => {
      const member = addTeamMember(system, memory, 'member');
      return done(`${member.account.email} is a Member with a password.`);
    }),
    memberPasswordSignInStep('The member signs in with the password to the team', 'member', true),
    step('Restore: SSO on again, the member removed', (system, memory) => {
      updateMethod(system, 'saml', { enabled: true });
      removeFromTeam(system, recall(memory, 'member:accountId'));
      return done('SAML is on again.');
    }),
  ],
};

const enablingRemovesNobody: Scenario = {
  row: 'SSO-06',
  title: 'Enabling SSO and SCIM removes no existing member',
  steps: [
    step('Create "Acme Labs (scenario SSO-06)" with two password members', (system, memory) => {
      const { teamId, ownerId, name } = scratchTeam(system, memory, 'SSO-06');
      for (const key of ['first', 'second']) addTeamMember(system, memory, key, { teamId, actorId: ownerId });
      const count = system.reference.service.listMembers(teamId).length;
      memory.set('count', String(count));
      return done(`"${name}" has ${count} members.`);
    }),
    step('The owner adds a SAML method and enables SCIM', (system, memory) => {
      const { service } = system.reference;
      const teamId = recall(memory, 'team:id');
      const acme = methodOf(system, 'saml');
      service.addAuthMethod(teamId, recall(memory, 'team:ownerId'), {
        kind: 'saml',
        label: 'Labs IdP',
        ...(acme.saml ? { saml: acme.saml } : {}),
      });
      service.setScimEnabled(teamId, recall(memory, 'team:ownerId'), true);
      return done('SSO and SCIM are on for the Labs team.');
    }),
    step('Check: every member is still there and active', (system, memory) => {
      const members = system.reference.service.listMembers(recall(memory, 'team:id'));
      const active = members.filter((m) => m.status === 'active').length;
      return expectThat(
        active === Number(recall(memory, 'count')),
        `All ${active} members are still active; none was removed.`,
        `${active} active of ${members.length}.`,
      );
    }),
  ],
};

const scimTakesOver: Scenario = {
  row: 'SSO-07',
  title: 'A member who existed before SCIM is managed by SCIM once the IdP provisions the same email',
  steps: [
    step('The admin adds a member by hand (mixed-case email)', (system, memory) => {
      const email = `Early.Bird.${uniqueSuffix()}@Acme.example`;
      const member = addTeamMember(system, memory, 'early', { email });
      return done(`${member.account.email} is a member; managed by SCIM: ${member.managedByScim}.`);
    }),
    step('The IdP assigns a person with the same email in lower case', async (system, memory) => {
      const email = recall(memory, 'early:email').toLowerCase();
      const person = system.addPerson({ firstName: 'Early', lastName: 'Bird', email });
      memory.set('early:personId', person.id);
      await system.assign({ kind: 'person', id: person.id });
      return done(`${person.login} is assigned and pushed.`);
    }),
    step('Check: the same account, now managed by SCIM', (system, memory) => {
      const member = memberByEmail(system, recall(memory, 'early:email'));
      return expectThat(
        member?.account.id === recall(memory, 'early:accountId') && member.managedByScim,
        'The existing membership is now managed by SCIM (same account).',
        `member ${member?.account.id ?? 'none'}, managedByScim=${String(member?.managedByScim)}.`,
      );
    }),
    step('Restore: the IdP person leaves, the member is removed', async (system, memory) => {
      await retireIdpPerson(system, memory, 'early');
      removeFromTeam(system, recall(memory, 'early:accountId'));
      return done('Done.');
    }),
  ],
};

const keyRules: Scenario = {
  row: 'KEY-01',
  alsoCovers: ['KEY-02', 'KEY-03'],
  title: 'SCIM keys: Enterprise only (KEY-01), exactly one SSO method (KEY-02), admins only (KEY-03)',
  steps: [
    step(
      'Create "Acme Labs (scenario KEY-01)" on the Professional plan with one SAML method',
      (system, memory) => {
        const { teamId, ownerId, name } = scratchTeam(system, memory, 'KEY-01', { plan: 'Professional' });
        const acme = methodOf(system, 'saml');
        const method = system.reference.service.addAuthMethod(teamId, ownerId, {
          kind: 'saml',
          label: 'Labs IdP',
          ...(acme.saml ? { saml: acme.saml } : {}),
        });
        memory.set('labs:methodId', method.id);
        return done(`"${name}" is on Professional.`);
      },
    ),
    step('KEY-01: the owner tries to enable SCIM and generate a key', async (system, memory) => {
      const { service } = system.reference;
      const [teamId, ownerId] = [recall(memory, 'team:id'), recall(memory, 'team:ownerId')];
      const tried = await attempt(() => {
        service.setScimEnabled(teamId, ownerId, true);
        return service.generateScimKey(teamId, ownerId);
      });
      return expectThat(
        !tried.ok,
        `Refused on Professional: ${describeAttempt(tried)}.`,
        'a key was generated.',
      );
    }),
    step('KEY-02: upgrade to Enterprise, add a second SSO method, try again', async (system, memory) => {
      const { service } = system.reference;
      const [teamId, ownerId] = [recall(memory, 'team:id'), recall(memory, 'team:ownerId')];
      service.updateTeam(teamId, ownerId, { plan: 'Enterprise' });
      const acme = methodOf(system, 'saml');
      const second = service.addAuthMethod(teamId, ownerId, {
        kind: 'saml',
        label: 'Second IdP',
        ...(acme.saml ? { saml: acme.saml } : {}),
      });
      memory.set('labs:secondId', second.id);
      const tried = await attempt(() => {
        service.setScimEnabled(teamId, ownerId, true);
        return service.generateScimKey(teamId, ownerId);
      });
      return expectThat(
        !tried.ok,
        `Refused with two SSO methods: ${describeAttempt(tried)}.`,
        'a key was generated.',
      );
    }),
    step('KEY-03: remove the second method; a Member tries to generate a key', async (system, memory) => {
      const { service } = system.reference;
      const [teamId, ownerId] = [recall(memory, 'team:id'), recall(memory, 'team:ownerId')];
      service.removeAuthMethod(teamId, ownerId, recall(memory, 'labs:secondId'));
      const member = addTeamMember(system, memory, 'member', { teamId, actorId: ownerId });
      const tried = await attempt(() => service.generateScimKey(teamId, member.account.id));
      return expectThat(
        !tried.ok && tried.code === 'forbidden',
        'The Member is refused with forbidden.',
        `the Member's attempt was ${describeAttempt(tried)}.`,
      );
    }),
    step(
      'KEY-01..03 met: the owner (Super Admin) enables SCIM and generates a key',
      async (system, memory) => {
        const { service } = system.reference;
        const [teamId, ownerId] = [recall(memory, 'team:id'), recall(memory, 'team:ownerId')];
        const tried = await attempt(() => {
          service.setScimEnabled(teamId, ownerId, true);
          return service.generateScimKey(teamId, ownerId).apiKey;
        });
        return expectThat(
          tried.ok && tried.value.status === 'ACTIVE',
          `A key (${tried.ok ? tried.value.prefix : ''}…) is ACTIVE, shown once.`,
          `generation was ${describeAttempt(tried)}.`,
        );
      },
    ),
  ],
};

function credentialsStep(title: string, expectOk: boolean): ScenarioStep {
  return step(title, async (system) => {
    const check = await system.testCredentials();
    const seen = check.ok ? `succeeded (${check.status})` : `failed: ${check.message}`;
    return expectThat(
      check.ok === expectOk,
      `Test API Credentials ${seen}.`,
      `Test API Credentials ${seen}.`,
    );
  });
}

const testCredentials: Scenario = {
  row: 'KEY-04',
  title:
    '"Test API Credentials" succeeds with an ACTIVE key; fails with SCIM off, a wrong key, a revoked key',
  steps: [
    credentialsStep("Test API Credentials with the app's key", true),
    step('A request with a wrong key', async (system) => {
      const answer = await scimRequest(system, 'GET', '/Users?count=1', undefined, 'not-a-real-key');
      return expectThat(
        answer.status === 401,
        'A wrong key is refused with 401.',
        `answered ${answer.status}.`,
      );
    }),
    step('Turn SCIM off for the team', (system) => {
      system.setScimEnabled(false);
      return done('SCIM is off for the team.');
    }),
    credentialsStep('Test API Credentials with SCIM off', false),
    step("Turn SCIM on again and revoke the app's key", (system, memory) => {
      system.setScimEnabled(true);
      const { service, teamId, adminAccountId, scimKey } = system.reference;
      const key = service
        .listScimKeys(teamId)
        .find((k) => k.status === 'ACTIVE' && scimKey.startsWith(k.prefix));
      if (key) service.revokeScimKey(teamId, adminAccountId, key.id);
      memory.set('revoked', key?.prefix ?? 'none');
      return done(`SCIM is on; key ${key?.prefix ?? '(not found)'}… is REVOKED.`);
    }),
    credentialsStep('Test API Credentials with the revoked key', false),
    step('Restore: generate a new key and give it to the app', async (system) => {
      const key = await system.generateScimKey();
      const check = await system.testCredentials();
      return expectThat(check.ok, `New key ${key.slice(0, 6)}… works again.`, 'the new key does not work.');
    }),
  ],
};

export const SSO_SCENARIOS: readonly Scenario[] = [
  perTeamSso,
  domainCapture,
  severalMethods,
  methodLabel,
  idpDown,
  enablingRemovesNobody,
  scimTakesOver,
  keyRules,
  testCredentials,
];
