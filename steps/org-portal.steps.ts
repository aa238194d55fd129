// Organisation login portal steps (ORG-01..06): the portal page, following its SSO link through the simulated IdP
// as a browser would, IdP sessions made hours ago (ORG-03/04), and the accounts and memberships that result.
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { recordedFetch } from '../conformance/recorded-fetch.ts';
import type { HttpExchange } from '../conformance/target.ts';
import { CookieJar } from '../simulator/saml/headless.ts';
import { oidcDance } from './oidc-fixture.ts';
import { currentOrganisationId, organisationSlug } from './portal-fixture.ts';
import { enrolInIdp, runningSimulator, signInThroughIdp } from './simulated-idp.ts';
import type { IdsimWorld, NamedPerson } from './world.ts';

const HOUR_MS = 3_600_000;

function recorder(world: IdsimWorld): (exchange: HttpExchange) => void {
  return (exchange) => {
    world.transcript.push(exchange);
  };
}

/** The portal page of an organisation the scenario named, or null when the target has no portal (n/a). */
function portalPageUrl(world: IdsimWorld, name = 'current'): string | null {
  return world.saml.portalLoginUrl(organisationSlug(world, name));
}

/** ORG-01: the portal page and its "Sign in with SSO" link (absolute). */
async function portalSsoLink(world: IdsimWorld, pageUrl: string): Promise<string> {
  const page = await recordedFetch('saml', recorder(world), {
    method: 'GET',
    url: pageUrl,
    headers: { accept: 'text/html' },
  });
  assert.equal(page.status, 200, `the portal page answered ${page.status}`);
  const href = /<a\s[^>]*href="([^"]+)"[^>]*>[^<]*SSO[^<]*<\/a>/i.exec(page.text)?.[1];
  assert.ok(href !== undefined, 'the portal page offers no SSO sign-in link');
  return new URL(href.replace(/&amp;/g, '&'), pageUrl).href;
}

/** A browser visit to the portal's SSO link, through the IdP and back (ORG-02..06). */
async function followPortal(
  world: IdsimWorld,
  person: NamedPerson,
  jar: CookieJar,
): Promise<'skipped' | null> {
  const pageUrl = portalPageUrl(world);
  if (pageUrl === null) return world.notApplicable({ missing: ['saml'], detail: 'no organisation portal' });
  const ssoUrl = await portalSsoLink(world, pageUrl);
  world.lastIdpSignIn =
    world.ssoProtocol === 'oidc'
      ? await oidcDance(world, ssoUrl, person, jar)
      : await signInThroughIdp(ssoUrl, person, recorder(world), jar);
  return null;
}

async function organisationMembership(world: IdsimWorld, name: string) {
  return world.control.getOrganisationMembership(currentOrganisationId(world), await world.accountIdOf(name));
}

Then('the page {string} offers SSO sign-in', async function (this: IdsimWorld, path: string) {
  const name = /^\/([^/]+)\/login$/.exec(path)?.[1];
  assert.ok(name !== undefined, `"${path}" is not an organisation login page (/{org}/login)`);
  const pageUrl = portalPageUrl(this, name);
  if (pageUrl === null) return this.notApplicable({ missing: ['saml'], detail: 'no organisation portal' });
  await portalSsoLink(this, pageUrl);
  return undefined;
});

Given(
  /^([A-Z][a-z]+) ([A-Z][a-z]+) is assigned to the app in the IdP$/,
  async function (this: IdsimWorld, given: string, family: string) {
    this.idpAssigned.add(given);
    enrolInIdp(await runningSimulator(this), this.person(given), given, true, family);
  },
);

Given(
  'another account is already named {string}',
  async function (this: IdsimWorld, username: string): Promise<'skipped' | undefined> {
    // ORG-02: only the portal names accounts, so a namesake signs in through it first
    const [given = '', family = ''] = username
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1));
    const namesake: NamedPerson = {
      name: `${given} ${family}`,
      email: `namesake.${username}@namesake.test`,
      accountId: null,
      scimId: null,
      password: 'namesake-password-1',
    };
    enrolInIdp(await runningSimulator(this), namesake, given, true, family);
    if ((await followPortal(this, namesake, new CookieJar())) === 'skipped') return 'skipped';
    const account = await this.control.findAccountByEmail(namesake.email);
    assert.equal(account?.username, username, `the namesake's account is named ${account?.username}`);
    return undefined;
  },
);

When('{person} follows the portal link', async function (this: IdsimWorld, name: string) {
  return (await followPortal(this, this.person(name), this.browserOf(name))) ?? undefined;
});

When('the IdP admin assigns the app to {person}', async function (this: IdsimWorld, name: string) {
  this.idpAssigned.add(name);
  enrolInIdp(await runningSimulator(this), this.person(name), name, true);
});

Given(
  /^(\w+) is a member of the organisation who signed in to the IdP (\d+) hours ago$/,
  async function (this: IdsimWorld, name: string, hours: string): Promise<'skipped' | undefined> {
    const simulator = await runningSimulator(this);
    const person = this.person(name);
    enrolInIdp(simulator, person, name, true);
    // a first portal visit (in another browser) makes the account and the membership (ORG-02)
    if ((await followPortal(this, person, new CookieJar())) === 'skipped') return 'skipped';
    assert.equal(
      this.lastIdpSignIn?.landing,
      'organisation',
      `first visit: ${JSON.stringify(this.lastIdpSignIn)}`,
    );
    // then a login at the IdP itself, `hours` ago, in the browser the scenario goes on with
    this.idpClockOffsetMs = -Number(hours) * HOUR_MS;
    try {
      await signInThroughIdp(`${simulator.baseUrl}/login`, person, recorder(this), this.browserOf(name));
    } finally {
      this.idpClockOffsetMs = 0;
    }
    this.lastIdpSignIn = null;
    return undefined;
  },
);

Given(
  '{person} has an account but is not a member of the organisation',
  async function (this: IdsimWorld, name: string) {
    const person = this.person(name);
    // an account of its own elsewhere (a small team in another organisation)
    const { owner } = await this.control.createTeam({
      name: `${name}'s own team`,
      plan: 'Free',
      licensedSeats: 1,
      owner: { email: person.email, givenName: name, familyName: 'Tester' },
    });
    person.accountId = owner.account.id;
    assert.equal(await organisationMembership(this, name), null);
  },
);

Then(
  '{person} has an account named {string} with no password',
  async function (this: IdsimWorld, name: string, username: string) {
    const account = await this.control.findAccountByEmail(this.person(name).email);
    assert.ok(account !== null, `${name} has no account (${JSON.stringify(this.lastIdpSignIn)})`);
    assert.equal(account.username, username);
    assert.equal(account.hasPassword, false);
  },
);

Then('{person} is a member of the organisation', async function (this: IdsimWorld, name: string) {
  assert.notEqual(await organisationMembership(this, name), null, `${name} is not a member`);
});

Then('{person} is not a member of the organisation', async function (this: IdsimWorld, name: string) {
  assert.equal(await organisationMembership(this, name), null, `${name} is a member`);
});

Then(
  "{person} lands on the organisation's home page without signing in again",
  function (this: IdsimWorld, _name: string) {
    const signIn = this.lastIdpSignIn;
    assert.equal(signIn?.landing, 'organisation', `ended: ${JSON.stringify(signIn)}`);
    assert.equal(signIn?.loginPrompts, 0, 'the IdP asked for the password again');
    assert.equal(signIn?.responsesPosted, 1);
  },
);

Then(
  "{person} is sent to the IdP's login and then lands on the organisation's home page",
  function (this: IdsimWorld, _name: string) {
    const signIn = this.lastIdpSignIn;
    // ORG-04: the IdP session is too old, so the SP asks the IdP to authenticate again (ForceAuthn)
    assert.equal(signIn?.loginPrompts, 1, `login prompts: ${JSON.stringify(signIn)}`);
    // the stale session's Response first, then the one after the forced login
    assert.equal(signIn?.responsesPosted, 2, `responses: ${JSON.stringify(signIn)}`);
    assert.equal(signIn?.landing, 'organisation', `ended: ${JSON.stringify(signIn)}`);
  },
);

Then(/^(\w+) lands on (?:her|his) personal home page$/, function (this: IdsimWorld, _name: string) {
  const signIn = this.lastIdpSignIn;
  assert.equal(signIn?.landing, 'personal', `ended: ${JSON.stringify(signIn)}`);
});
