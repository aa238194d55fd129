// Guided scenarios for JIT provisioning on a team: catalogue JIT-01..10 (shared/spec/catalogue.md), played against
// the demo team "Acme", its SAML method and the simulator app. idsim issue #6.
import type { LiveSystem } from './live-system.ts';
import {
  addIdpPerson,
  addTeamMember,
  attempt,
  captureFreshDomain,
  describeAttempt,
  done,
  expectThat,
  memberByEmail,
  methodOf,
  passwordSignIn,
  recall,
  releaseCapturedDomain,
  removeFromTeam,
  retireIdpPerson,
  type Scenario,
  type ScenarioMemory,
  type ScenarioStep,
  scenarioPassword,
  signInService,
  step,
  uniqueSuffix,
  updateMethod,
} from './scenario-kit.ts';

const provisioningOff = step(
  'Turn provisioning off, so the person reaches the team only through SSO',
  async (system) => {
    await system.setProvisioning(false);
    return done('SCIM provisioning to the app is off; assignments are no longer pushed.');
  },
);

/** SP-initiated sign-in of the scenario's IdP person; `expect` is the error code the row expects (null: success). */
function signInStep(title: string, key: string, expect: string | null): ScenarioStep {
  return step(title, async (system, memory) => {
    const outcome = await system.signIn(recall(memory, `${key}:personId`), 'sp');
    const seen = `sign-in answered ${outcome.status} ${outcome.errorCode ?? ''}: ${outcome.headline}`;
    const ok =
      expect === null ? outcome.errorCode === null && outcome.status < 400 : outcome.errorCode === expect;
    return expectThat(
      ok,
      `Sign-in ${expect === null ? 'succeeded' : `was refused with ${expect}`}: ${seen}`,
      seen,
    );
  });
}

function noAccountStep(key: string): ScenarioStep {
  return step('Check the team: no account and no membership were created', (system, memory) => {
    const login = recall(memory, `${key}:login`);
    const member = memberByEmail(system, login);
    const account = system.reference.service.findAccountByEmail(login);
    return expectThat(
      member === undefined && account === null,
      `No account and no membership for ${login}.`,
      `${login} has ${account ? 'an account' : 'no account'} and ${member ? 'a membership' : 'no membership'}.`,
    );
  });
}

function memberStep(title: string, key: string): ScenarioStep {
  return step(title, (system, memory) => {
    const login = recall(memory, `${key}:login`);
    const member = memberByEmail(system, login);
    if (member) memory.set(`${key}:accountId`, member.account.id);
    return expectThat(
      member?.status === 'active' && member.role === 'Member',
      `${login} is an active team member with role Member.`,
      `membership of ${login}: ${member ? `${member.status} ${member.role}` : 'none'}.`,
    );
  });
}

/** Restore: the scenario's IdP person leaves the app and the directory, then provisioning is on again. */
function restoreStep(title: string, key: string, undo: (system: LiveSystem, memory: ScenarioMemory) => void) {
  return step(`Restore: ${title}`, async (system, memory) => {
    undo(system, memory);
    await retireIdpPerson(system, memory, key);
    if (!system.provisioning) await system.setProvisioning(true);
    const accountId = memory.get(`${key}:accountId`);
    if (accountId !== undefined) removeFromTeam(system, accountId);
    return done(`Restored ${title}; the scenario's person is gone from the IdP and provisioning is on.`);
  });
}

const jitDisabled: Scenario = {
  row: 'JIT-01',
  title: 'JIT disabled error: an unknown user is refused when "Automatically add new users" is off',
  steps: [
    step('Turn "Automatically add new users" off on the team SAML method', (system) => {
      const method = updateMethod(system, 'saml', { autoAddUsers: false });
      return done(`"${method.label}": Automatically add new users is now off.`);
    }),
    provisioningOff,
    step('Add a new person in the IdP and assign them to the app', async (system, memory) => {
      const person = await addIdpPerson(system, memory, 'jit');
      return done(`${person.login} exists in the IdP and is assigned to the app.`);
    }),
    signInStep('Sign in as them (SP-initiated)', 'jit', 'jit_disabled'),
    noAccountStep('jit'),
    restoreStep('"Automatically add new users" on', 'jit', (system) => {
      updateMethod(system, 'saml', { autoAddUsers: true });
    }),
  ],
};

const jitCreates: Scenario = {
  row: 'JIT-02',
  alsoCovers: ['JIT-10'],
  title: 'JIT with a free seat creates the account and membership; the account has no password (JIT-10)',
  steps: [
    step('Turn email/password sign-in off (JIT-10) and keep "Automatically add new users" on', (system) => {
      updateMethod(system, 'password', { enabled: false });
      updateMethod(system, 'saml', { autoAddUsers: true });
      return done('Email/password sign-in is off; the SAML method adds new users automatically.');
    }),
    provisioningOff,
    step('Add a new person in the IdP and assign them to the app', async (system, memory) => {
      const person = await addIdpPerson(system, memory, 'newcomer');
      return done(`${person.login} is assigned to the app; the team does not know them yet.`);
    }),
    signInStep('Sign in as them (SP-initiated)', 'newcomer', null),
    memberStep('JIT-02: check the team: a new account and an active Member membership', 'newcomer'),
    step('JIT-10: check the new account has no password', (system, memory) => {
      const account = system.reference.service.findAccountByEmail(recall(memory, 'newcomer:login'));
      return expectThat(
        account !== null && !account.hasPassword,
        'The JIT account has no password: the person must use Forgot Password to get one.',
        `account ${account ? 'has a password' : 'is missing'}.`,
      );
    }),
    step(
      'JIT-10: email/password on again; Forgot Password, follow the link, set a password',
      async (system, memory) => {
        updateMethod(system, 'password', { enabled: true });
        const login = recall(memory, 'newcomer:login');
        const password = scenarioPassword('newcomer');
        signInService(system).forgotPassword(login);
        const message = system.reference.service.listOutbox(login).at(-1);
        if (message) signInService(system).resetPassword(message.token, password);
        const signIn = await passwordSignIn(system, { email: login, password });
        return expectThat(
          message !== undefined && signIn.ok,
          `A reset link went to ${login}; after the reset the password sign-in works.`,
          `reset link ${message ? 'sent' : 'missing'}; password sign-in ${describeAttempt(signIn)}.`,
        );
      },
    ),
    restoreStep('email/password sign-in on', 'newcomer', (system) => {
      updateMethod(system, 'password', { enabled: true });
    }),
  ],
};

const jitNoSeat: Scenario = {
  row: 'JIT-03',
  title: 'JIT with no seat free (no Auto-Flex, no True-up) creates nothing',
  steps: [
    step('Take every seat: licensed seats = seats in use', (system, memory) => {
      const { seats } = system.reference.service.getTeam(system.reference.teamId);
      memory.set('seats', String(seats.licensed));
      system.updatePlan({ licensedSeats: seats.used });
      return done(`Licensed seats lowered from ${seats.licensed} to ${seats.used}; none is free.`);
    }),
    provisioningOff,
    step('Add a new person in the IdP and assign them to the app', async (system, memory) => {
      const person = await addIdpPerson(system, memory, 'seatless');
      return done(`${person.login} is assigned to the app.`);
    }),
    signInStep('Sign in as them (SP-initiated)', 'seatless', 'no_seats_available'),
    noAccountStep('seatless'),
    restoreStep('the licensed seats', 'seatless', (system, memory) => {
      system.updatePlan({ licensedSeats: Number(recall(memory, 'seats')) });
    }),
  ],
};

const invitePending: Scenario = {
  row: 'JIT-04',
  title: 'An invited person becomes a member only when the invite is accepted',
  steps: [
    step('The admin invites a new email address', (system, memory) => {
      const email = `invitee.${uniqueSuffix()}@example.com`;
      const { service, teamId, adminAccountId } = system.reference;
      const { invite, token } = service.createInvite(teamId, adminAccountId, { email, role: 'Member' });
      memory.set('invitee:email', email);
      memory.set('invitee:token', token);
      return done(`Invite to ${email} is ${invite.status}, expiring ${invite.expiresAt}.`);
    }),
    step('Check: the pending invite created no member', (system, memory) => {
      const email = recall(memory, 'invitee:email');
      const member = memberByEmail(system, email);
      return expectThat(
        member === undefined,
        `No membership for ${email} yet.`,
        `${email} is already a member.`,
      );
    }),
    step('The person accepts the invite', (system, memory) => {
      const email = recall(memory, 'invitee:email');
      const member = system.reference.service.acceptInviteAsNewAccount(recall(memory, 'invitee:token'), {
        email,
        givenName: 'Invited',
        familyName: 'Person',
      });
      memory.set('invitee:accountId', member.account.id);
      const invite = system.reference.service
        .listInvites(system.reference.teamId)
        .find((i) => i.email === email);
      return expectThat(
        member.status === 'active' && invite?.status === 'accepted',
        `${email} is now an active ${member.role}; the invite is accepted.`,
        `membership ${member.status}, invite ${invite?.status ?? 'missing'}.`,
      );
    }),
    step('Restore: remove the invited member', (system, memory) => {
      removeFromTeam(system, recall(memory, 'invitee:accountId'));
      return done('The invited member is removed from the team.');
    }),
  ],
};

const onlyAdminsChangeJit: Scenario = {
  row: 'JIT-05',
  title: 'Only a team Admin can change "Automatically add new users"',
  steps: [
    step('Add a plain Member to the team', (system, memory) => {
      const member = addTeamMember(system, memory, 'member');
      return done(`${member.account.email} is a ${member.role}.`);
    }),
    step('The Member tries to turn the setting off', async (system, memory) => {
      const { service, teamId } = system.reference;
      const method = methodOf(system, 'saml');
      const tried = await attempt(() =>
        service.updateAuthMethod(teamId, recall(memory, 'member:accountId'), method.id, {
          autoAddUsers: false,
        }),
      );
      const after = methodOf(system, 'saml').autoAddUsers;
      return expectThat(
        !tried.ok && tried.code === 'forbidden' && after === method.autoAddUsers,
        'Refused with forbidden; the setting is unchanged.',
        `the change was ${describeAttempt(tried)}; the setting is now ${after}.`,
      );
    }),
    step('The Admin turns it off and on again', async (system) => {
      const off = await attempt(() => updateMethod(system, 'saml', { autoAddUsers: false }));
      const on = updateMethod(system, 'saml', { autoAddUsers: true });
      return expectThat(
        off.ok && on.autoAddUsers,
        'The Admin can change the setting (it is on again).',
        `the Admin's change was ${describeAttempt(off)}.`,
      );
    }),
    step('Restore: remove the Member', (system, memory) => {
      removeFromTeam(system, recall(memory, 'member:accountId'));
      return done('The Member is removed.');
    }),
  ],
};

/** JIT-06/07: an account with a password, its IdP twin assigned to the app, and an invite to the team. */
function linkSetupSteps(): ScenarioStep[] {
  return [
    provisioningOff,
    step(
      'A person with an existing account (and password) is invited; the IdP knows them too',
      async (system, memory) => {
        const { service, teamId, adminAccountId } = system.reference;
        const person = await addIdpPerson(system, memory, 'linker');
        service.registerAccount({
          email: person.login,
          givenName: person.firstName,
          familyName: person.lastName,
          password: scenarioPassword('linker'),
        });
        const { token } = service.createInvite(teamId, adminAccountId, {
          email: person.login,
          role: 'Member',
        });
        memory.set('linker:token', token);
        return done(`${person.login} has an account with a password and a pending invite.`);
      },
    ),
    step('They open the invite, choose Sign in with SSO and sign in at the IdP', async (system, memory) => {
      const start = signInService(system).startTeamSso(system.reference.samlMethodId, {
        inviteToken: recall(memory, 'linker:token'),
      });
      const outcome = await system.signInAt(recall(memory, 'linker:personId'), start);
      if (outcome.linkTicket !== null) memory.set('linker:ticket', outcome.linkTicket);
      return expectThat(
        outcome.linkTicket !== null,
        'The team asks for the password of the existing account to link the two.',
        `landed on ${outcome.status} ${outcome.errorCode ?? ''} ${outcome.headline}`,
      );
    }),
  ];
}

function confirmLinkStep(title: string, password: (memory: ScenarioMemory) => string): ScenarioStep {
  return step(title, async (system, memory) => {
    const linked = await attempt(() =>
      signInService(system).confirmLink(recall(memory, 'linker:ticket'), password(memory)),
    );
    const member = memberByEmail(system, recall(memory, 'linker:login'));
    if (member) memory.set('linker:accountId', member.account.id);
    const audit = member
      ? system.reference.service.listAuditEvents({ accountId: member.account.id }).map((e) => e.type)
      : [];
    return expectThat(
      linked.ok && member?.status === 'active',
      `Linked: an active member (audit events: ${audit.join(', ') || 'none'}).`,
      `linking was ${describeAttempt(linked)}; membership ${member?.status ?? 'none'}.`,
    );
  });
}

const linkWithPassword: Scenario = {
  row: 'JIT-06',
  title: 'Invite + SSO for an existing account: the account password (not the SSO one) links the two',
  steps: [
    ...linkSetupSteps(),
    step('They type a wrong password', async (system, memory) => {
      const linked = await attempt(() =>
        signInService(system).confirmLink(recall(memory, 'linker:ticket'), 'not-the-password'),
      );
      const member = memberByEmail(system, recall(memory, 'linker:login'));
      return expectThat(
        !linked.ok && member === undefined,
        `Refused (${linked.ok ? '' : linked.code}); nothing is linked and no membership exists.`,
        `linking was ${describeAttempt(linked)}; membership ${member?.status ?? 'none'}.`,
      );
    }),
    confirmLinkStep('They type the existing account password', () => scenarioPassword('linker')),
    restoreStep('the linked person leaves the team', 'linker', () => {}),
  ],
};

const linkAfterReset: Scenario = {
  row: 'JIT-07',
  title: 'A person who forgot the account password resets it, then links',
  steps: [
    ...linkSetupSteps(),
    step('They use Forgot Password and set a new password from the emailed link', (system, memory) => {
      const login = recall(memory, 'linker:login');
      signInService(system).forgotPassword(login);
      const message = system.reference.service.listOutbox(login).at(-1);
      if (message) signInService(system).resetPassword(message.token, 'a-brand-new-password');
      return expectThat(
        message !== undefined,
        `A single-use reset link went to ${login}; the password is now reset.`,
        'no reset message in the outbox.',
      );
    }),
    confirmLinkStep('They link with the new password', () => 'a-brand-new-password'),
    restoreStep('the linked person leaves the team', 'linker', () => {}),
  ],
};

const onlyAssignedReachJit: Scenario = {
  row: 'JIT-08',
  title: 'Only people assigned to the app can sign in through the IdP; JIT never sees the others',
  steps: [
    step('Add a person in the IdP without assigning them to the app', async (system, memory) => {
      const person = await addIdpPerson(system, memory, 'outsider', { assign: false });
      return done(`${person.login} exists in the IdP but is not assigned to the app.`);
    }),
    step('They try to sign in (SP-initiated)', async (system, memory) => {
      const outcome = await system.signIn(recall(memory, 'outsider:personId'), 'sp');
      return expectThat(
        outcome.errorCode !== null && !outcome.landedAt.startsWith(system.reference.baseUrl),
        `The IdP refused them (${outcome.errorCode}); the team never received an assertion.`,
        `landed at ${outcome.landedAt} with ${outcome.status} ${outcome.errorCode ?? ''}.`,
      );
    }),
    noAccountStep('outsider'),
    restoreStep('nothing changed on the team', 'outsider', () => {}),
  ],
};

const jitWithCapture: Scenario = {
  row: 'JIT-09',
  title: 'With domain capture on, JIT behaves the same way',
  steps: [
    step('Verify a new domain of the organisation and capture it into the team', (system, memory) => {
      const domain = captureFreshDomain(system, memory);
      return done(`Domain ${domain} is verified and captured by the team.`);
    }),
    provisioningOff,
    step('Add a new person of the captured domain in the IdP and assign them', async (system, memory) => {
      const person = await addIdpPerson(system, memory, 'captured', { domain: recall(memory, 'domain') });
      return done(`${person.login} is assigned to the app.`);
    }),
    signInStep('Sign in as them (SP-initiated)', 'captured', null),
    memberStep('Check the team: JIT created an active Member, as without capture', 'captured'),
    restoreStep('domain capture off', 'captured', releaseCapturedDomain),
  ],
};

export const JIT_SCENARIOS: readonly Scenario[] = [
  jitDisabled,
  jitCreates,
  jitNoSeat,
  invitePending,
  onlyAdminsChangeJit,
  linkWithPassword,
  linkAfterReset,
  onlyAssignedReachJit,
  jitWithCapture,
];
