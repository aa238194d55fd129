// The simulator's in-memory directory (one per simulator instance): people, groups, apps and assignments.
// idsim issue #3; catalogue JIT-08 / ORG-06 (assigned directly or through a group), OKT-04 (app templates).

import { DirectoryError } from './errors.ts';
import { type AssignmentSubject, DirectoryEvents } from './events.ts';
import { IDP_APP_TEMPLATES } from './idp-app-templates.ts';
import type {
  App,
  AppTemplate,
  AttributeStatement,
  Group,
  IdpPersonality,
  OidcApp,
  OidcClient,
  Person,
  PersonStatus,
  ProvisioningSettings,
  ResponseSigning,
  SamlApp,
  ServiceProvider,
} from './types.ts';

export interface NewPerson {
  login: string;
  email?: string | undefined;
  firstName: string;
  lastName: string;
  password?: string | undefined;
  status?: PersonStatus | undefined;
}

export type PersonChanges = Partial<Omit<Person, 'id'>>;

export interface NewApp {
  name: string;
  template?: AppTemplate | undefined;
  /** the IdP personality (default okta): its attribute names and signing are the app's defaults */
  idp?: IdpPersonality | undefined;
  /** SAML, OIDC or both; at least one. */
  sp?: ServiceProvider | undefined;
  oidc?: OidcClient | undefined;
  attributeStatements?: AttributeStatement[] | undefined;
  signing?: Partial<ResponseSigning> | undefined;
  assertionEncryption?: boolean | undefined;
  defaultRelayState?: string | undefined;
  provisioning?: ProvisioningSettings | undefined;
}

export type AppChanges = Partial<Omit<NewApp, 'sp' | 'oidc' | 'signing'>> & {
  sp?: Partial<ServiceProvider> | undefined;
  oidc?: Partial<OidcClient> | undefined;
  signing?: Partial<ResponseSigning> | undefined;
};

/** Encryption on needs a key to encrypt to; checked before an app is stored, so a refused change writes nothing. */
function assertEncryptable(app: App): void {
  if (app.assertionEncryption && app.sp?.encryptionCert === undefined) {
    throw new DirectoryError(
      'invalid_input',
      'assertion encryption needs the SP encryption certificate (KeyDescriptor use="encryption")',
    );
  }
}

/** Default password of people created without one (documented in simulator/README.md). */
export const DEFAULT_PASSWORD = 'Passw0rd!';

/** Okta-style 20-character ids (`00u` people, `00g` groups, `0oa` apps), from a per-directory counter. */
function oktaStyleId(prefix: string, n: number): string {
  return `${prefix}${n.toString(36).padStart(17, '0')}`;
}

export class Directory {
  readonly events = new DirectoryEvents();
  readonly #people = new Map<string, Person>();
  readonly #groups = new Map<string, Group>();
  readonly #apps = new Map<string, App>();
  #counter = 0;

  // ---- people ----

  addPerson(input: NewPerson): Person {
    const login = input.login.trim();
    if (login === '' || input.firstName.trim() === '' || input.lastName.trim() === '') {
      throw new DirectoryError('invalid_input', 'login, firstName and lastName are required');
    }
    if (this.findPersonByLogin(login) !== undefined) {
      throw new DirectoryError('login_taken', `a person with login ${login} already exists`);
    }
    const person: Person = {
      id: oktaStyleId('00u', ++this.#counter),
      login,
      email: input.email ?? login,
      firstName: input.firstName,
      lastName: input.lastName,
      password: input.password ?? DEFAULT_PASSWORD,
      status: input.status ?? 'active',
    };
    this.#people.set(person.id, person);
    this.events.emit({ type: 'person.created', person: structuredClone(person) });
    return structuredClone(person);
  }

  getPerson(id: string): Person {
    return structuredClone(this.#person(id));
  }

  /** Logins compare case-insensitively, as Okta's do. */
  findPersonByLogin(login: string): Person | undefined {
    const wanted = login.trim().toLowerCase();
    for (const person of this.#people.values()) {
      if (person.login.toLowerCase() === wanted) return structuredClone(person);
    }
    return undefined;
  }

  listPeople(): Person[] {
    return [...this.#people.values()].map((p) => structuredClone(p));
  }

  updatePerson(id: string, changes: PersonChanges): Person {
    const person = this.#person(id);
    if (changes.login !== undefined) {
      const other = this.findPersonByLogin(changes.login);
      if (other !== undefined && other.id !== id) {
        throw new DirectoryError('login_taken', `a person with login ${changes.login} already exists`);
      }
    }
    const previous = structuredClone(person);
    for (const key of ['login', 'email', 'firstName', 'lastName', 'password', 'status'] as const) {
      const value = changes[key];
      if (value !== undefined) (person as Record<typeof key, string>)[key] = value;
    }
    this.events.emit({ type: 'person.updated', person: structuredClone(person), previous });
    return structuredClone(person);
  }

  deletePerson(id: string): void {
    const person = this.#person(id);
    this.#people.delete(id);
    for (const group of this.#groups.values()) {
      if (group.memberIds.includes(id)) this.removeGroupMembers(group.id, [id]);
    }
    for (const app of this.#apps.values()) {
      if (app.assignments.people.includes(id)) this.unassign(app.id, { kind: 'person', id });
    }
    this.events.emit({ type: 'person.deleted', person });
  }

  // ---- groups ----

  addGroup(input: { name: string; memberIds?: string[] | undefined }): Group {
    if (input.name.trim() === '') throw new DirectoryError('invalid_input', 'group name is required');
    const memberIds = [...new Set(input.memberIds ?? [])];
    for (const id of memberIds) this.#person(id);
    const group: Group = { id: oktaStyleId('00g', ++this.#counter), name: input.name, memberIds };
    this.#groups.set(group.id, group);
    this.events.emit({ type: 'group.created', group: structuredClone(group) });
    return structuredClone(group);
  }

  getGroup(id: string): Group {
    return structuredClone(this.#group(id));
  }

  listGroups(): Group[] {
    return [...this.#groups.values()].map((g) => structuredClone(g));
  }

  renameGroup(id: string, name: string): Group {
    if (name.trim() === '') throw new DirectoryError('invalid_input', 'group name is required');
    const group = this.#group(id);
    group.name = name;
    this.events.emit({ type: 'group.updated', group: structuredClone(group), addedIds: [], removedIds: [] });
    return structuredClone(group);
  }

  addGroupMembers(id: string, personIds: string[]): Group {
    const group = this.#group(id);
    for (const personId of personIds) this.#person(personId);
    const added = [...new Set(personIds)].filter((p) => !group.memberIds.includes(p));
    group.memberIds.push(...added);
    if (added.length > 0) {
      this.events.emit({
        type: 'group.updated',
        group: structuredClone(group),
        addedIds: added,
        removedIds: [],
      });
    }
    return structuredClone(group);
  }

  removeGroupMembers(id: string, personIds: string[]): Group {
    const group = this.#group(id);
    const removed = group.memberIds.filter((p) => personIds.includes(p));
    group.memberIds = group.memberIds.filter((p) => !personIds.includes(p));
    if (removed.length > 0) {
      this.events.emit({
        type: 'group.updated',
        group: structuredClone(group),
        addedIds: [],
        removedIds: removed,
      });
    }
    return structuredClone(group);
  }

  deleteGroup(id: string): void {
    const group = this.#group(id);
    for (const app of this.#apps.values()) {
      if (app.assignments.groups.includes(id)) this.unassign(app.id, { kind: 'group', id });
    }
    this.#groups.delete(id);
    this.events.emit({ type: 'group.deleted', group });
  }

  /** The groups a person belongs to, in creation order. */
  groupsOf(personId: string): Group[] {
    return [...this.#groups.values()]
      .filter((g) => g.memberIds.includes(personId))
      .map((g) => structuredClone(g));
  }

  // ---- apps ----

  addApp(input: NewApp): App {
    if (input.name.trim() === '') throw new DirectoryError('invalid_input', 'app name is required');
    if (input.sp === undefined && input.oidc === undefined) {
      throw new DirectoryError('invalid_input', 'an app offers SAML (sp), OpenID Connect (oidc) or both');
    }
    if (input.sp !== undefined && (input.sp.entityId === '' || input.sp.acsUrl === '')) {
      throw new DirectoryError('invalid_input', 'the SP needs an entityId and an ACS URL');
    }
    if (input.oidc !== undefined) this.#assertOidcClient(input.oidc, undefined);
    const idp = input.idp ?? 'okta';
    const template = IDP_APP_TEMPLATES[idp];
    const app: App = {
      id: oktaStyleId('0oa', ++this.#counter),
      name: input.name,
      template: input.template ?? 'scim-test-app',
      idp,
      sp: input.sp === undefined ? undefined : { ...input.sp, signingCerts: [...input.sp.signingCerts] },
      oidc: input.oidc === undefined ? undefined : structuredClone(input.oidc),
      assignments: { people: [], groups: [] },
      attributeStatements: (input.attributeStatements ?? template.attributeStatements).map((a) => ({ ...a })),
      signing: { ...template.signing, ...input.signing },
      assertionEncryption: input.assertionEncryption ?? false,
      defaultRelayState: input.defaultRelayState,
      provisioning: input.provisioning ?? { enabled: false },
    };
    assertEncryptable(app);
    this.#apps.set(app.id, app);
    this.events.emit({ type: 'app.created', app: structuredClone(app) });
    return structuredClone(app);
  }

  getApp(id: string): App {
    return structuredClone(this.#app(id));
  }

  listApps(): App[] {
    return [...this.#apps.values()].map((a) => structuredClone(a));
  }

  /** The app whose SP has this entityID (the Issuer of an AuthnRequest or LogoutRequest). */
  findAppByEntityId(entityId: string): SamlApp | undefined {
    for (const app of this.#apps.values())
      if (app.sp?.entityId === entityId) return structuredClone(app) as SamlApp;
    return undefined;
  }

  /** The app whose OIDC client has this client_id (OIDC core 3.1.2.1). */
  findAppByClientId(clientId: string): OidcApp | undefined {
    for (const app of this.#apps.values())
      if (app.oidc?.clientId === clientId) return structuredClone(app) as OidcApp;
    return undefined;
  }

  /** Client ids are unique across apps; redirect URIs are absolute (OIDC core 3.1.2.1, RFC 6749 3.1.2). */
  #assertOidcClient(client: OidcClient, appId: string | undefined): void {
    if (client.clientId.trim() === '')
      throw new DirectoryError('invalid_input', 'the OIDC client needs a clientId');
    const other = this.findAppByClientId(client.clientId);
    if (other !== undefined && other.id !== appId) {
      throw new DirectoryError('invalid_input', `another app already has client_id ${client.clientId}`);
    }
    if (client.redirectUris.length === 0) {
      throw new DirectoryError('invalid_input', 'the OIDC client needs at least one redirect URI');
    }
    for (const uri of [...client.redirectUris, ...client.postLogoutRedirectUris]) {
      if (!URL.canParse(uri)) throw new DirectoryError('invalid_input', `${uri} is not an absolute URL`);
    }
    if (client.tokenEndpointAuthMethod !== 'none' && (client.clientSecret ?? '') === '') {
      throw new DirectoryError('invalid_input', 'a confidential OIDC client needs a clientSecret');
    }
  }

  updateApp(id: string, changes: AppChanges): App {
    // Changes apply to a copy that replaces the app only once it passes the checks.
    const app = structuredClone(this.#app(id));
    if (changes.name !== undefined) app.name = changes.name;
    if (changes.template !== undefined) app.template = changes.template;
    // a personality change keeps the app's own attributes and signing (they may have been edited)
    if (changes.idp !== undefined) app.idp = changes.idp;
    if (changes.sp !== undefined) {
      const sp = { ...app.sp, ...changes.sp };
      if (sp.entityId === undefined || sp.acsUrl === undefined) {
        throw new DirectoryError('invalid_input', 'the SP needs an entityId and an ACS URL');
      }
      app.sp = {
        signingCerts: [],
        authnRequestsSigned: false,
        wantAssertionsSigned: true,
        ...sp,
      } as ServiceProvider;
    }
    if (changes.oidc !== undefined) {
      const oidc = {
        redirectUris: [],
        postLogoutRedirectUris: [],
        tokenEndpointAuthMethod: 'client_secret_basic',
        ...app.oidc,
        ...changes.oidc,
      } as OidcClient;
      this.#assertOidcClient(oidc, app.id);
      app.oidc = oidc;
    }
    if (changes.attributeStatements !== undefined) app.attributeStatements = changes.attributeStatements;
    if (changes.signing !== undefined) app.signing = { ...app.signing, ...changes.signing };
    if (changes.assertionEncryption !== undefined) app.assertionEncryption = changes.assertionEncryption;
    if (changes.defaultRelayState !== undefined) app.defaultRelayState = changes.defaultRelayState;
    if (changes.provisioning !== undefined) app.provisioning = changes.provisioning;
    assertEncryptable(app);
    this.#apps.set(id, app);
    this.events.emit({ type: 'app.updated', app: structuredClone(app) });
    return structuredClone(app);
  }

  deleteApp(id: string): void {
    const app = this.#app(id);
    this.#apps.delete(id);
    this.events.emit({ type: 'app.deleted', app });
  }

  assign(appId: string, subject: AssignmentSubject): App {
    const app = this.#app(appId);
    const list = subject.kind === 'person' ? app.assignments.people : app.assignments.groups;
    if (subject.kind === 'person') this.#person(subject.id);
    else this.#group(subject.id);
    if (!list.includes(subject.id)) {
      list.push(subject.id);
      this.events.emit({ type: 'app.assigned', app: structuredClone(app), subject });
    }
    return structuredClone(app);
  }

  unassign(appId: string, subject: AssignmentSubject): App {
    const app = this.#app(appId);
    const key = subject.kind === 'person' ? 'people' : 'groups';
    if (app.assignments[key].includes(subject.id)) {
      app.assignments[key] = app.assignments[key].filter((x) => x !== subject.id);
      this.events.emit({ type: 'app.unassigned', app: structuredClone(app), subject });
    }
    return structuredClone(app);
  }

  /** JIT-08: a person may use an app when assigned directly or through a group they belong to. */
  isAssigned(app: App | string, person: Person | string): boolean {
    const stored = this.#app(typeof app === 'string' ? app : app.id);
    const personId = typeof person === 'string' ? person : person.id;
    if (stored.assignments.people.includes(personId)) return true;
    return stored.assignments.groups.some(
      (gid) => this.#groups.get(gid)?.memberIds.includes(personId) ?? false,
    );
  }

  /** Everyone who can use the app (direct and through groups), e.g. for the SCIM pusher's full push. */
  assignedPeople(appId: string): Person[] {
    const app = this.#app(appId);
    return [...this.#people.values()].filter((p) => this.isAssigned(app, p)).map((p) => structuredClone(p));
  }

  #person(id: string): Person {
    const person = this.#people.get(id);
    if (person === undefined) throw new DirectoryError('person_not_found', `no person with id ${id}`);
    return person;
  }

  #group(id: string): Group {
    const group = this.#groups.get(id);
    if (group === undefined) throw new DirectoryError('group_not_found', `no group with id ${id}`);
    return group;
  }

  #app(id: string): App {
    const app = this.#apps.get(id);
    if (app === undefined) throw new DirectoryError('app_not_found', `no app with id ${id}`);
    return app;
  }
}
