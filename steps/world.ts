// The cucumber World: one scenario's Target session, its SCIM driver, the people and things it named, and the
// last refusal. Steps stay one or two lines that call this (design.md: steps reach a target only through Target).

import type { IWorldOptions } from '@cucumber/cucumber';
import { World } from '@cucumber/cucumber';
import type { NotApplicableNote } from '../conformance/applicability.ts';
import { NOT_APPLICABLE_MEDIA_TYPE } from '../conformance/applicability.ts';
import type { ResolvedTarget } from '../conformance/config.ts';
import type {
  ControlDriver,
  HttpExchange,
  HttpReply,
  OidcDriver,
  SamlDriver,
  ScimDriver,
  SignInOutcome,
  TargetSession,
} from '../conformance/target.ts';
import type { SimulatorHandle } from '../simulator/http/simulator.ts';
import { CookieJar } from '../simulator/saml/headless.ts';
import type { PushPerson } from '../simulator/scim/model.ts';
import { type PersonalityName, personalityNamed } from '../simulator/scim/personalities.ts';
import type { ScimPusher } from '../simulator/scim/pusher.ts';

/** What the runner passes to every worker (JSON-serialisable). */
export interface IdsimWorldParameters {
  target: ResolvedTarget;
  /** where transcripts go (reports/<run-id>/transcripts); null writes none */
  transcriptDir: string | null;
  /** `idsim conformance --idp <name>`: every provisioning step speaks this IdP's dialect (issue #13) */
  idp?: string | undefined;
  /** the discovery snapshot the schema-driven checks were generated from (conformance/scim-checks/prepare.ts) */
  scimChecks?: { snapshotFile: string } | null;
}

export interface NamedPerson {
  name: string;
  email: string;
  accountId: string | null;
  /** SCIM resource id once provisioned */
  scimId: string | null;
  password: string;
}

export interface TeamFixture {
  teamId: string;
  organisationId: string;
  ownerName: string;
  domain: string;
}

/** The outcome of the last action that may be refused: a value, or the refusal's code (and HTTP status). */
export type ActionOutcome = { ok: true; value: unknown } | { ok: false; code: string; status: number | null };

/** What a browser-like sign-in through the IdP ended with (simulator/saml/headless.ts). */
export interface IdpSignIn {
  errorCode: string | null;
  /** true when the IdP posted a SAML Response to the SP at all */
  responsePosted: boolean;
  landedAt: string;
  /** login forms filled in at the IdP (0 when its session was reused) */
  loginPrompts: number;
  /** SAML Responses the browser carried to the SP (ORG-04: two, the stale session's and the forced login's) */
  responsesPosted: number;
  /** the SP's landing page kind (`data-landing`: personal, team, organisation), when it showed one */
  landing: string | null;
}

export class IdsimWorld extends World<IdsimWorldParameters> {
  session: TargetSession | null = null;
  readonly transcript: HttpExchange[] = [];
  scimDriver: ScimDriver | null = null;
  team: TeamFixture | null = null;
  readonly people = new Map<string, NamedPerson>();
  readonly workspaces = new Map<string, string>();
  readonly groups = new Map<string, string>();
  readonly authMethods: string[] = [];
  readonly scimKeys = new Map<string, { key: string; keyId: string }>();
  lastOutcome: ActionOutcome | null = null;
  /** false while a refusal kept by attempt() has not been looked at by a Then step (checked in the After hook) */
  outcomeChecked = true;
  /** the simulator (fake IdP) of this scenario, started on first use and closed by the After hook */
  simulator: SimulatorHandle | null = null;
  /** the simulator's SCIM pushers by app kind (OKT-04) */
  readonly pushers = new Map<string, ScimPusher>();
  /**
   * The IdP personality whose request shapes the provisioning steps send (`Given the IdP is "OneLogin"`, or the
   * runner's --idp); null keeps the steps' own Okta requests.
   */
  idp: PersonalityName | null = null;
  /** what the IdP last sent for each named person (the dialects send differences) */
  readonly pushedPeople = new Map<string, PushPerson>();
  /** people the simulated IdP has assigned to the app (JIT-08) */
  readonly idpAssigned = new Set<string>();
  lastSignIn: SignInOutcome | null = null;
  /** the last browser-like sign-in through the simulator (JIT-08, ORG-02..06) */
  lastIdpSignIn: IdpSignIn | null = null;
  /** ms added to real time on the simulator's clock: an IdP login "hours ago" (ORG-03/04) */
  idpClockOffsetMs = 0;
  /** each person's browser cookies (IdP and SP sessions) across steps */
  readonly browsers = new Map<string, CookieJar>();
  /** the last SAMLResponse posted (base64), for replay scenarios */
  lastSamlResponse: string | null = null;
  /** where SAML responses go in this scenario: the ACS and audience of the SP under test */
  samlEndpoint: { acsUrl: string; audience: string } | null = null;
  lastScimReply: HttpReply | null = null;
  /** values a scenario remembers between steps (ids, ETags) */
  readonly remembered = new Map<string, string>();

  constructor(options: IWorldOptions<IdsimWorldParameters>) {
    super(options);
    this.idp = options.parameters.idp === undefined ? null : personalityNamed(options.parameters.idp);
  }

  get target(): TargetSession {
    if (this.session === null) throw new Error('no target session: the Before hook did not run');
    return this.session;
  }

  get control(): ControlDriver {
    const control = this.target.control;
    if (control === null) throw new Error('the target offers no control capability');
    return control;
  }

  /** which protocol "the team signs in with the simulated IdP" chose: SSO steps follow it (issue #14) */
  ssoProtocol: 'saml' | 'oidc' = 'saml';

  get oidc(): OidcDriver {
    const oidc = this.target.oidc;
    if (oidc === null) throw new Error('the target offers no oidc capability');
    return oidc;
  }

  get saml(): SamlDriver {
    const saml = this.target.saml;
    if (saml === null) throw new Error('the target offers no saml capability');
    return saml;
  }

  get teamFixture(): TeamFixture {
    if (this.team === null)
      throw new Error('no team yet: start the scenario with "Given a team on the ... plan"');
    return this.team;
  }

  /** SCIM driver of this scenario: the IdP's key for product scenarios, a ready tenant for @scim-core. */
  async scim(): Promise<ScimDriver> {
    if (this.scimDriver === null) {
      const driver = await this.target.openScim();
      if (driver === null) throw new Error('the target offers no scim capability');
      this.scimDriver = driver;
    }
    return this.scimDriver;
  }

  person(name: string): NamedPerson {
    const known = this.people.get(name);
    if (known !== undefined) return known;
    const domain = this.team?.domain ?? 'example.test';
    const person: NamedPerson = {
      name,
      email: `${name.toLowerCase()}@${domain}`,
      accountId: null,
      scimId: null,
      password: `${name.toLowerCase()}-password-1`,
    };
    this.people.set(name, person);
    return person;
  }

  /** The account id of a named person, looked up on the target when the scenario did not create it directly. */
  async accountIdOf(name: string): Promise<string> {
    const person = this.person(name);
    if (person.accountId !== null) return person.accountId;
    const account = await this.control.findAccountByEmail(person.email);
    if (account === null) throw new Error(`${name} has no account on the target`);
    person.accountId = account.id;
    return account.id;
  }

  /** The person's browser (cookie jar), kept for the whole scenario. */
  browserOf(name: string): CookieJar {
    let jar = this.browsers.get(name);
    if (jar === undefined) {
      jar = new CookieJar();
      this.browsers.set(name, jar);
    }
    return jar;
  }

  workspaceId(name: string): string {
    const id = this.workspaces.get(name);
    if (id === undefined) throw new Error(`unknown workspace "${name}"`);
    return id;
  }

  /**
   * For a step that finds the target offers its capability only in part (e.g. no password sign-in form): marks
   * the scenario n/a exactly like the Before hook does. Return its value from the step.
   */
  notApplicable(note: NotApplicableNote): 'skipped' {
    this.attach(JSON.stringify(note), NOT_APPLICABLE_MEDIA_TYPE);
    return 'skipped';
  }

  /** The last attempt's outcome, for a Then step: reading it marks a refusal as checked. */
  checkedOutcome(): ActionOutcome | null {
    this.outcomeChecked = true;
    return this.lastOutcome;
  }

  /** A refusal that no step checked: the scenario must not pass on it (cucumber-js hooks habit, style.md). */
  uncheckedRefusal(): string | null {
    const outcome = this.lastOutcome;
    return outcome !== null && !outcome.ok && !this.outcomeChecked ? outcome.code : null;
  }

  /** Runs an action that the target may refuse, keeping the outcome for the Then steps. */
  async attempt(action: () => Promise<unknown>): Promise<void> {
    this.outcomeChecked = false;
    try {
      this.lastOutcome = { ok: true, value: await action() };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string') throw error;
      const status = (error as { status?: unknown }).status;
      this.lastOutcome = { ok: false, code, status: typeof status === 'number' ? status : null };
    }
  }
}
