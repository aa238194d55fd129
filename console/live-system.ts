// The live system the console drives: the simulator IdP (people, groups, the app, sessions), the SCIM pusher wired to
// the directory, and the team side (reference server's team service, or an external target). idsim issue #6;
// catalogue rows OKT-03/04 (push on assign), GRP-02/03 (push groups), KEY-04 (Test API Credentials), JIT-01..08.
import type {
  ApiKeyView,
  AuthMethodView,
  GroupView,
  InviteView,
  MemberView,
  TeamRole,
  TeamView,
  WorkspaceView,
} from '../server/control/port.ts';
import type { OidcSignIn } from '../server/oidc/oidc-signin.ts';
import type { TeamService } from '../server/service/index.ts';
import type { SignInService } from '../server/signin/signin-service.ts';
import type { TrafficRecorder } from '../server/traffic/recorder.ts';
import type { Person } from '../simulator/directory/index.ts';
import { IDP_APP_TEMPLATES, type IdpPersonality, parseSpMetadata } from '../simulator/directory/index.ts';
import type { SimulatorHandle } from '../simulator/http/simulator.ts';
import { lineDiff } from '../simulator/saml/faults/diff.ts';
import { findFault } from '../simulator/saml/faults/index.ts';
import { CookieJar, headlessSignIn } from '../simulator/saml/headless.ts';
import type { ScimExchange } from '../simulator/scim/client.ts';
import { createPusherForApp, DirectorySync } from '../simulator/scim/directory-sync.ts';
import type { GroupPushMode } from '../simulator/scim/model.ts';
import type {
  CredentialsCheck,
  GroupPushResult,
  PushMappingSnapshot,
  ScimPusher,
} from '../simulator/scim/pusher.ts';
import type { QuarantineStatus } from '../simulator/scim/quarantine.ts';
import { ConsoleError } from './errors.ts';
import type { SamlTimelineEntry, Timeline } from './timeline.ts';
import {
  decodePostMessage,
  decodeRedirectMessage,
  decryptedAssertionOf,
  prettyPrintXml,
  samlMessageName,
  signatureVerdict,
} from './timeline.ts';

/** The reference server's team, as the demo seeded it. */
export interface ReferenceTeam {
  service: TeamService;
  teamId: string;
  adminAccountId: string;
  samlMethodId: string;
  /** the server's base URL (SP-initiated sign-in starts at `${baseUrl}/saml/${methodId}/login`) */
  baseUrl: string;
  scimBaseUrl: string;
  scimKey: string;
  /** the server's sign-in service (password sign-in, SP metadata, invite SSO, resets); null when sign-in is off */
  signIn: SignInService | null;
  /** the server's OIDC sign-in (issue #14); null or absent when sign-in is off */
  oidc?: OidcSignIn | null;
  /** what the server received (SCIM) and validated (SAML), whatever the client: recorded on the timeline */
  traffic?: TrafficRecorder;
}

/** Another implementation to drive: its SCIM base URL and key, and optionally its SP metadata and login URL. */
export interface ExternalTarget {
  scimBaseUrl: string;
  scimKey: string;
  spMetadataXml?: string;
  /** where SP-initiated sign-in starts on that SP; without it only IdP-initiated sign-in is offered */
  spLoginUrl?: string;
}

export interface TargetView {
  kind: 'reference' | 'external';
  scimBaseUrl: string;
  spEntityId: string;
  spLoginUrl: string | null;
  provisioning: boolean;
}

export interface IdpPersonView {
  id: string;
  login: string;
  /** the test IdP's password of the person, shown so a newcomer can sign in through a real browser */
  password: string;
  name: string;
  status: string;
  assigned: boolean;
  directlyAssigned: boolean;
  groups: string[];
  pushedAs: string | null;
  sessions: number;
}

export interface IdpGroupView {
  id: string;
  name: string;
  memberCount: number;
  assigned: boolean;
  pushedAs: string | null;
}

export interface IdpStateView {
  app: {
    id: string;
    name: string;
    template: string;
    assertionEncryption: boolean;
    spOffersEncryption: boolean;
  };
  people: IdpPersonView[];
  groups: IdpGroupView[];
}

export interface TeamStateView {
  team: TeamView;
  methods: AuthMethodView[];
  members: MemberView[];
  invites: InviteView[];
  workspaces: WorkspaceView[];
  groups: GroupView[];
  scimKeys: ApiKeyView[];
}

/** A group push and where it left the app's group once the assignment's own push ran (GRP-04). */
export interface GroupPushOutcome {
  result: GroupPushResult;
  appGroupId: string | null;
  appMemberCount: number;
  /** the push assigned the group to the app (the caller confirmed it) */
  assignedNow: boolean;
  /** people the assignment provisioned into the team */
  provisionedPeople: number;
}

export interface SignInOutcome {
  personId: string;
  mode: 'sp' | 'idp';
  landedAt: string;
  status: number;
  errorCode: string | null;
  /** the page's heading or the JSON message, for the console to show */
  headline: string;
  /** JIT-06: the SP asked the existing account to confirm its password (the ticket of `/link/{ticket}`) */
  linkTicket: string | null;
}

export interface LiveSystemOptions {
  simulator: SimulatorHandle;
  appId: string;
  timeline: Timeline;
  reference: ReferenceTeam;
  /** the simulator's clock offset (its `now` adds it), for showing IdP sessions made hours ago (ORG-04) */
  idpClock?: { offsetMs: number };
}

function headlineOf(body: string, json: unknown): string {
  if (typeof json === 'object' && json !== null) {
    const message = (json as Record<string, unknown>).message;
    if (typeof message === 'string') return message;
  }
  const error = /data-error-code="[^"]*"[^>]*>([^<]+)</.exec(body)?.[1];
  const heading = /<h1[^>]*>([^<]+)</.exec(body)?.[1];
  const paragraph = /<p[^>]*>([^<]+)</.exec(body)?.[1];
  return (error ?? paragraph ?? heading ?? '').trim();
}

function linkTicketOf(body: string): string | null {
  const ticket = /\/link\/([^"'&?\s<>]+)/.exec(body)?.[1];
  return ticket === undefined ? null : decodeURIComponent(ticket);
}

/** How the console's headless sign-ins name themselves to the SP and the IdP. */
export const CONSOLE_BROWSER_USER_AGENT = 'idsim-console-browser/1 (headless sign-in from the console)';

export class LiveSystem {
  readonly simulator: SimulatorHandle;
  readonly appId: string;
  readonly timeline: Timeline;
  readonly reference: ReferenceTeam;
  readonly idpClock: { offsetMs: number };
  #target: ExternalTarget | null = null;
  #pusher: ScimPusher | null = null;
  #sync: DirectorySync | null = null;
  readonly #jars = new Map<string, CookieJar>();
  readonly #unsubscribeTraffic: () => void;

  constructor(options: LiveSystemOptions) {
    this.simulator = options.simulator;
    this.appId = options.appId;
    this.timeline = options.timeline;
    this.reference = options.reference;
    this.idpClock = options.idpClock ?? { offsetMs: 0 };
    const baseUrl = this.reference.baseUrl;
    this.#unsubscribeTraffic =
      options.reference.traffic?.subscribe((record) => {
        if (record.kind === 'scim') this.timeline.addServerScim(record, baseUrl);
        else this.timeline.addServerSaml(record, baseUrl, (id) => this.plaintextAssertion(id));
      }) ?? (() => {});
  }

  /** The assertion the simulator encrypted into the Response `responseId`, as it was before encryption. */
  plaintextAssertion(responseId: string): string | undefined {
    return this.simulator.idp.issuedResponses().find((issued) => issued.responseId === responseId)
      ?.plaintextAssertion;
  }

  /**
   * The pusher's own record of an exchange. Requests that reached the reference server are recorded by the server
   * as it received them (one entry per request, whatever the client), so only other targets' and failed connections
   * are recorded from the IdP's side.
   */
  recordPusherExchange(exchange: ScimExchange): void {
    if (this.#target !== null || exchange.status === null || this.reference.traffic === undefined)
      this.timeline.addScimExchange(exchange);
  }

  // ---- provisioning (OKT-03: the IdP pushes every assignment change) ----

  /** Points the app's provisioning at the current target and starts pushing (a first full push runs now). */
  startProvisioning(options: { keepMapping?: boolean; mapping?: PushMappingSnapshot } = {}): void {
    const mapping = options.mapping ?? (options.keepMapping ? this.#pusher?.mappingSnapshot() : undefined);
    this.stopProvisioning();
    const target = this.#target ?? {
      scimBaseUrl: this.reference.scimBaseUrl,
      scimKey: this.reference.scimKey,
    };
    const app = this.simulator.directory.updateApp(this.appId, {
      provisioning: { enabled: true, scimBaseUrl: target.scimBaseUrl, bearerToken: target.scimKey },
    });
    const pusher = createPusherForApp(app, {
      onExchange: (exchange) => this.recordPusherExchange(exchange),
      keepTranscript: false,
      ...(mapping === undefined ? {} : { mapping }),
    });
    if (pusher === null) throw new ConsoleError('provisioning_off', 'the app has no SCIM base URL or key');
    this.#pusher = pusher;
    this.#sync = new DirectorySync(this.simulator.directory, this.appId, pusher);
    this.#sync.start();
  }

  stopProvisioning(): void {
    this.#sync?.stop();
    this.#sync = null;
    this.#pusher = null;
    const app = this.simulator.directory.getApp(this.appId);
    if (app.provisioning.enabled) {
      this.simulator.directory.updateApp(this.appId, {
        provisioning: { ...app.provisioning, enabled: false },
      });
    }
  }

  /** What the pusher knows it created in the app (IdP ids → SCIM ids), or undefined while provisioning is off. */
  pushMapping(): PushMappingSnapshot | undefined {
    return this.#pusher?.mappingSnapshot();
  }

  get provisioning(): boolean {
    return this.#sync !== null;
  }

  async setProvisioning(on: boolean): Promise<void> {
    await this.settle();
    if (on) this.startProvisioning();
    else this.stopProvisioning();
    this.timeline.add({
      kind: 'note',
      title: `Provisioning to the app turned ${on ? 'on' : 'off'}`,
      detail: on ? 'assignment changes are pushed over SCIM' : 'assignment changes are no longer pushed',
    });
    await this.settle();
  }

  /**
   * issue #13: the app behaves as another IdP: its attribute names and signing from that IdP's template, and (when
   * provisioning is on) the pusher restarts as that personality, keeping what it already pushed.
   */
  async setIdpPersonality(idp: IdpPersonality): Promise<void> {
    await this.settle();
    const template = IDP_APP_TEMPLATES[idp];
    this.simulator.directory.updateApp(this.appId, {
      idp,
      attributeStatements: template.attributeStatements.map((statement) => ({ ...statement })),
      signing: template.signing,
    });
    if (this.provisioning) this.startProvisioning({ keepMapping: true });
    this.timeline.add({
      kind: 'note',
      title: `The IdP now behaves as ${idp}`,
      detail: 'SAML attribute names, signing and SCIM requests follow that IdP',
    });
    await this.settle();
  }

  /** The app's IdP personality and its provisioning health (Entra's quarantine), for the console. */
  personalityState(): { idp: IdpPersonality; status: QuarantineStatus | null } {
    return {
      idp: this.simulator.directory.getApp(this.appId).idp,
      status: this.#sync?.status() ?? null,
    };
  }

  /** Okta's "Assertion Encryption" app setting: assertions encrypted to the SP's metadata key (core 2.3.4). */
  setAssertionEncryption(on: boolean): void {
    this.simulator.directory.updateApp(this.appId, { assertionEncryption: on });
    this.timeline.add({
      kind: 'note',
      title: `Assertion encryption turned ${on ? 'on' : 'off'}`,
      detail: on
        ? "assertions are encrypted to the SP's encryption certificate; only the Response signature shows here"
        : 'assertions are sent in the clear, signed',
    });
  }

  /** Waits until every scheduled push has run. */
  async settle(): Promise<void> {
    if (this.#sync) await this.#sync.flush();
  }

  #requirePusher(): ScimPusher {
    if (this.#pusher === null) throw new ConsoleError('provisioning_off', 'provisioning to the app is off');
    return this.#pusher;
  }

  // ---- IdP side ----

  idpState(): IdpStateView {
    const directory = this.simulator.directory;
    const app = directory.getApp(this.appId);
    const sessions = this.simulator.idp.sessions.list();
    const people = directory.listPeople().map((person) => ({
      id: person.id,
      login: person.login,
      password: person.password,
      name: `${person.firstName} ${person.lastName}`,
      status: person.status,
      assigned: directory.isAssigned(app, person),
      directlyAssigned: app.assignments.people.includes(person.id),
      groups: directory.groupsOf(person.id).map((group) => group.name),
      pushedAs: this.#pusher?.appIdOfUser(person.id) ?? null,
      sessions: sessions.filter((session) => session.personId === person.id).length,
    }));
    const groups = directory.listGroups().map((group) => ({
      id: group.id,
      name: group.name,
      memberCount: group.memberIds.length,
      assigned: app.assignments.groups.includes(group.id),
      pushedAs: this.#pusher?.appIdOfGroup(group.id) ?? null,
    }));
    return {
      app: {
        id: app.id,
        name: app.name,
        template: app.template,
        assertionEncryption: app.assertionEncryption,
        spOffersEncryption: app.sp?.encryptionCert !== undefined,
      },
      people,
      groups,
    };
  }

  async assign(subject: { kind: 'person' | 'group'; id: string }): Promise<void> {
    this.simulator.directory.assign(this.appId, subject);
    await this.settle();
  }

  async unassign(subject: { kind: 'person' | 'group'; id: string }): Promise<void> {
    this.simulator.directory.unassign(this.appId, subject);
    await this.settle();
  }

  addPerson(input: { firstName: string; lastName: string; email: string }): Person {
    return this.simulator.directory.addPerson({
      login: input.email,
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
    });
  }

  /**
   * GRP-02 (create) / GRP-03 (link): pushes the group with those of its members the app is assigned to (Okta pushes
   * only assigned, provisioned members: "Group Push prerequisites"). In this simulator a pushed group is an assigned
   * group (its membership changes are pushed from then on, GRP-04), and assigning it provisions its members, so a
   * push of an unassigned group is refused with `group_not_assigned` unless the caller confirmed `assign: true`;
   * a second "create" of a pushed group is refused with `already_pushed` (Okta shows it as pushed already).
   */
  async pushGroup(
    groupId: string,
    mode: GroupPushMode,
    linkTo?: string,
    options: { assign?: boolean } = {},
  ): Promise<GroupPushOutcome> {
    const pusher = this.#requirePusher();
    await this.settle();
    const directory = this.simulator.directory;
    const group = directory.getGroup(groupId);
    const app = directory.getApp(this.appId);
    const alreadyAssigned = app.assignments.groups.includes(group.id);
    const pushedAs = pusher.appIdOfGroup(group.id);
    if (mode === 'create' && pushedAs !== undefined && pushedAs !== null) {
      throw new ConsoleError(
        'already_pushed',
        `${group.name} is already pushed (app group ${pushedAs}); its membership changes are pushed on their own. ` +
          'Use "Push (link)" to link it to another team group.',
      );
    }
    const unassignedMembers = group.memberIds.filter((id) => !directory.isAssigned(app, id)).length;
    if (!alreadyAssigned && options.assign !== true) {
      throw new ConsoleError(
        'group_not_assigned',
        `${group.name} is not assigned to the app. Pushing it assigns it, which provisions ${unassignedMembers} ` +
          'of its members who are not assigned yet. Assign it first, or confirm "assign and push".',
      );
    }
    const peopleBefore = new Set(
      directory
        .listPeople()
        .filter((p) => pusher.appIdOfUser(p.id))
        .map((p) => p.id),
    );
    const memberIds = group.memberIds.filter((id) => directory.isAssigned(app, id));
    const result = await pusher.pushGroup({ id: group.id, displayName: group.name, memberIds }, mode, linkTo);
    if (!alreadyAssigned) directory.assign(this.appId, { kind: 'group', id: group.id });
    await this.settle();
    const provisioned = directory
      .listPeople()
      .filter((p) => !peopleBefore.has(p.id) && this.#pusher?.appIdOfUser(p.id)).length;
    const pushed = this.#pusher?.mappingSnapshot().groups[group.id];
    return {
      result,
      appGroupId: pushed?.appId ?? null,
      appMemberCount: pushed?.memberAppIds.length ?? 0,
      assignedNow: !alreadyAssigned,
      provisionedPeople: provisioned,
    };
  }

  /** KEY-04: "Test API Credentials" (a GET /Users probe with the key). */
  async testCredentials(): Promise<CredentialsCheck> {
    return this.#requirePusher().testCredentials();
  }

  spLoginUrl(): string | null {
    if (this.#target) return this.#target.spLoginUrl ?? null;
    return `${this.reference.baseUrl}/saml/${this.reference.samlMethodId}/login`;
  }

  /** Signs a person in through the browser dance (SP- or IdP-initiated), recording every SAML message seen. */
  async signIn(personId: string, mode: 'sp' | 'idp'): Promise<SignInOutcome> {
    let startUrl: string;
    if (mode === 'sp') {
      const url = this.spLoginUrl();
      if (url === null) {
        throw new ConsoleError(
          'not_available_for_target',
          'SP-initiated sign-in needs the target SP login URL',
        );
      }
      startUrl = url;
    } else {
      startUrl = `${this.simulator.baseUrl}/apps/${encodeURIComponent(this.appId)}/sso`;
    }
    return this.signInAt(personId, startUrl, mode);
  }

  /**
   * The browser dance from any start URL (another team's SP login, an organisation portal's SSO link, an invite's
   * SSO start), with the person's cookie jar kept between sign-ins (ORG-03 reuses the IdP session).
   */
  async signInAt(personId: string, startUrl: string, mode: 'sp' | 'idp' = 'sp'): Promise<SignInOutcome> {
    const person = this.simulator.directory.getPerson(personId);
    const jar = this.#jars.get(personId) ?? new CookieJar();
    this.#jars.set(personId, jar);
    const result = await headlessSignIn({
      startUrl,
      credentials: { login: person.login, password: person.password },
      jar,
      fetchImpl: this.#recordingFetch(),
    });
    const outcome: SignInOutcome = {
      personId,
      mode,
      landedAt: result.landedAt,
      status: result.status,
      errorCode: result.errorCode ?? null,
      headline: headlineOf(result.body, result.json),
      linkTicket: linkTicketOf(result.body),
    };
    this.timeline.add({
      kind: 'note',
      title: `Sign-in of ${person.login} (${mode === 'sp' ? 'SP' : 'IdP'}-initiated): ${outcome.status}${
        outcome.errorCode ? ` ${outcome.errorCode}` : ''
      }`,
      detail: `landed at ${outcome.landedAt}\n${outcome.headline}`,
    });
    return outcome;
  }

  /** Ends the person's IdP session by IdP-initiated single logout (GET /saml/slo), which tells the SPs too. */
  async endSessions(personId: string): Promise<number> {
    const sessions = this.simulator.idp.sessions.list().filter((session) => session.personId === personId);
    const jar = this.#jars.get(personId);
    if (jar !== undefined && sessions.length > 0) {
      await headlessSignIn({
        startUrl: `${this.simulator.baseUrl}/saml/slo`,
        jar,
        fetchImpl: this.#recordingFetch(),
      });
    }
    this.simulator.idp.sessions.endAllFor(personId);
    this.#jars.delete(personId);
    this.timeline.add({
      kind: 'note',
      title: `IdP session of ${personId} ended`,
      detail: `${sessions.length} session(s)`,
    });
    return sessions.length;
  }

  /** A fetch that records SAML messages on the way: redirect-binding queries and POSTed forms. */
  #recordingFetch(): typeof fetch {
    const certPem = this.simulator.idp.credentials.certPem;
    return async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      for (const name of ['SAMLRequest', 'SAMLResponse']) {
        const value = url.searchParams.get(name);
        if (value !== null) this.#recordSaml(decodeRedirectMessage(value), 'HTTP-Redirect', url, certPem);
      }
      const body = init?.body;
      if (typeof body === 'string' || body instanceof URLSearchParams) {
        const form = new URLSearchParams(body);
        for (const name of ['SAMLRequest', 'SAMLResponse']) {
          const value = form.get(name);
          if (value !== null) this.#recordSaml(decodePostMessage(value), 'HTTP-POST', url, certPem);
        }
      }
      // The server's timeline entry names its client: this is the console's headless browser, not a person's.
      const headers = new Headers(init?.headers);
      if (!headers.has('user-agent')) headers.set('user-agent', CONSOLE_BROWSER_USER_AGENT);
      return fetch(input, { ...init, headers });
    };
  }

  /** A Response the IdP made faulty on purpose (its issued log keeps the genuine one): marked, with the diff. */
  #faultOf(xml: string): SamlTimelineEntry['fault'] {
    const issued = this.simulator.idp.issuedResponses().find((r) => r.fault !== null && r.xml === xml);
    const definition =
      issued?.fault === undefined || issued.fault === null ? undefined : findFault(issued.fault);
    if (issued === undefined || definition === undefined) return undefined;
    return {
      id: definition.id,
      title: definition.title,
      expected: definition.expected,
      diff: lineDiff(issued.genuineXml ?? '', xml),
    };
  }

  #recordSaml(xml: string, binding: 'HTTP-Redirect' | 'HTTP-POST', url: URL, idpCertPem: string): void {
    const message = samlMessageName(xml);
    // Bindings 3.4.4.1: a redirect message is signed in the query (Signature + SigAlg), not in the XML.
    const verdict =
      binding === 'HTTP-Redirect'
        ? url.searchParams.has('Signature')
          ? `query-signed (${url.searchParams.get('SigAlg')?.split('#')[1] ?? 'unknown'})`
          : 'unsigned'
        : signatureVerdict(xml, idpCertPem);
    const fault = message === 'Response' ? this.#faultOf(xml) : undefined;
    this.timeline.add({
      kind: 'saml',
      ...(fault === undefined ? {} : { fault }),
      title: `${fault === undefined ? '' : `FAULT ${fault.id}: `}${message} → ${url.origin}${url.pathname} (${binding}, ${verdict})`,
      message,
      binding,
      url: `${url.origin}${url.pathname}`,
      source: 'idp',
      rawXml: xml,
      prettyXml: prettyPrintXml(xml),
      signatureVerdict: verdict,
      spVerdict: null,
      decryptedAssertion: decryptedAssertionOf(xml, (id) => this.plaintextAssertion(id)),
    });
  }

  // ---- team side (reference server only) ----

  #requireReference(): ReferenceTeam {
    if (this.#target) {
      throw new ConsoleError(
        'not_available_for_target',
        'the team side is only shown for the reference server',
      );
    }
    return this.reference;
  }

  teamState(): TeamStateView | null {
    if (this.#target) return null;
    const { service, teamId } = this.reference;
    return {
      team: service.getTeam(teamId),
      methods: service.listAuthMethods(teamId),
      members: service.listMembers(teamId),
      invites: service.listInvites(teamId),
      workspaces: service.listWorkspaces(teamId),
      groups: service.listGroups(teamId),
      scimKeys: service.listScimKeys(teamId),
    };
  }

  /** `allowSha1` (SAML methods only) is the legacy SHA-1 opt-in kept with the method's IdP settings. */
  updateAuthMethod(
    methodId: string,
    patch: { label?: string; enabled?: boolean; autoAddUsers?: boolean; allowSha1?: boolean },
  ): void {
    const { service, teamId, adminAccountId } = this.#requireReference();
    const { allowSha1, ...rest } = patch;
    const saml = service.listAuthMethods(teamId).find((m) => m.id === methodId)?.saml ?? null;
    service.updateAuthMethod(teamId, adminAccountId, methodId, {
      ...rest,
      ...(allowSha1 === undefined || saml === null ? {} : { saml: { ...saml, allowSha1 } }),
    });
  }

  setScimEnabled(enabled: boolean): void {
    const { service, teamId, adminAccountId } = this.#requireReference();
    service.setScimEnabled(teamId, adminAccountId, enabled);
  }

  /** KEY-01..03: a new key, shown once; the app is given it so pushing keeps working. */
  async generateScimKey(): Promise<string> {
    const reference = this.#requireReference();
    const { key } = reference.service.generateScimKey(reference.teamId, reference.adminAccountId);
    await this.settle();
    reference.scimKey = key;
    if (this.provisioning) this.startProvisioning({ keepMapping: true });
    await this.settle();
    return key;
  }

  updatePlan(patch: { plan?: TeamView['plan']; licensedSeats?: number }): void {
    const { service, teamId, adminAccountId } = this.#requireReference();
    service.updateTeam(teamId, adminAccountId, patch);
  }

  setMemberRole(accountId: string, role: TeamRole): void {
    const { service, teamId, adminAccountId } = this.#requireReference();
    service.setMemberRole(teamId, adminAccountId, accountId, role);
  }

  invite(email: string, role: TeamRole): InviteView {
    const { service, teamId, adminAccountId } = this.#requireReference();
    return service.createInvite(teamId, adminAccountId, { email, role }).invite;
  }

  // ---- target switching ----

  target(): TargetView {
    const app = this.simulator.directory.getApp(this.appId);
    return {
      kind: this.#target ? 'external' : 'reference',
      scimBaseUrl: this.#target?.scimBaseUrl ?? this.reference.scimBaseUrl,
      spEntityId: app.sp?.entityId ?? '',
      spLoginUrl: this.spLoginUrl(),
      provisioning: this.provisioning,
    };
  }

  /** Drives another implementation: the app pushes to its SCIM URL with its key, and trusts its SP metadata. */
  async useExternalTarget(target: ExternalTarget): Promise<void> {
    if (!/^https?:\/\//.test(target.scimBaseUrl))
      throw new ConsoleError('invalid_input', 'SCIM base URL must be http(s)');
    if (target.scimKey.trim() === '') throw new ConsoleError('invalid_input', 'a SCIM key is needed');
    const sp = target.spMetadataXml?.trim() ? parseSpMetadata(target.spMetadataXml) : undefined;
    await this.settle();
    this.#target = target;
    if (sp) this.simulator.directory.updateApp(this.appId, { sp });
    this.startProvisioning();
    this.timeline.add({
      kind: 'note',
      title: `Target switched to ${target.scimBaseUrl}`,
      detail: sp?.entityId ?? '',
    });
    await this.settle();
  }

  async useReferenceTarget(spMetadataXml: string): Promise<void> {
    await this.settle();
    this.#target = null;
    this.simulator.directory.updateApp(this.appId, { sp: parseSpMetadata(spMetadataXml) });
    this.startProvisioning();
    this.timeline.add({ kind: 'note', title: 'Target switched back to the reference server', detail: '' });
    await this.settle();
  }

  close(): void {
    this.#unsubscribeTraffic();
    this.#sync?.stop();
  }
}
