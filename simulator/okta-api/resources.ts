// Directory records as Okta management API resources (User, Group, Application, Application User) and back.
// Okta Users / Groups / Applications API object shapes (status names, profile, credentials.provider, _links).

import type { App, Group, Person, PersonStatus } from '../directory/index.ts';

/** Timestamps the directory does not keep; the API remembers them per resource id. */
export interface ResourceTimes {
  created: string;
  lastUpdated: string;
  statusChanged: string | null;
  activated: string | null;
}

const STATUS: Readonly<Record<PersonStatus, string>> = {
  staged: 'STAGED',
  active: 'ACTIVE',
  suspended: 'SUSPENDED',
  deprovisioned: 'DEPROVISIONED',
};

export function oktaUser(person: Person, times: ResourceTimes, baseUrl: string): Record<string, unknown> {
  const self = `${baseUrl}/api/v1/users/${person.id}`;
  return {
    id: person.id,
    status: STATUS[person.status],
    created: times.created,
    activated: times.activated,
    statusChanged: times.statusChanged,
    lastLogin: null,
    lastUpdated: times.lastUpdated,
    passwordChanged: times.created,
    type: { id: 'oty00000000000000000' },
    profile: {
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      login: person.login,
      mobilePhone: null,
      secondEmail: null,
    },
    credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
    _links: { self: { href: self } },
  };
}

export function oktaGroup(group: Group, times: ResourceTimes, baseUrl: string): Record<string, unknown> {
  return {
    id: group.id,
    created: times.created,
    lastUpdated: times.lastUpdated,
    lastMembershipUpdated: times.lastUpdated,
    objectClass: ['okta:user_group'],
    type: 'OKTA_GROUP',
    profile: { name: group.name, description: null },
    _links: {
      self: { href: `${baseUrl}/api/v1/groups/${group.id}` },
      users: { href: `${baseUrl}/api/v1/groups/${group.id}/users` },
      apps: { href: `${baseUrl}/api/v1/groups/${group.id}/apps` },
    },
  };
}

/** Okta's sign-on modes: SAML_2_0 and OPENID_CONNECT (an app offering both shows its OIDC client too). */
export function oktaApp(app: App, baseUrl: string): Record<string, unknown> {
  return {
    id: app.id,
    name: app.template === 'catalogue' ? 'idsim_catalogue_app' : 'scim2testapp',
    label: app.name,
    status: 'ACTIVE',
    signOnMode: app.sp !== undefined ? 'SAML_2_0' : 'OPENID_CONNECT',
    ...(app.oidc === undefined
      ? {}
      : {
          credentials: { oauthClient: { client_id: app.oidc.clientId } },
          settings: {
            oauthClient: {
              redirect_uris: app.oidc.redirectUris,
              post_logout_redirect_uris: app.oidc.postLogoutRedirectUris,
              grant_types: ['authorization_code'],
              response_types: ['code'],
            },
          },
        }),
    _links: {
      users: { href: `${baseUrl}/api/v1/apps/${app.id}/users` },
      groups: { href: `${baseUrl}/api/v1/apps/${app.id}/groups` },
    },
  };
}

/** Okta Application User: the assignment of a person, directly (scope USER) or through a group (scope GROUP). */
export function oktaAppUser(
  app: App,
  person: Person,
  scope: 'USER' | 'GROUP',
  baseUrl: string,
): Record<string, unknown> {
  return {
    id: person.id,
    scope,
    status: person.status === 'active' ? 'ACTIVE' : 'INACTIVE',
    syncState: 'DISABLED',
    credentials: { userName: person.login },
    profile: { email: person.email, firstName: person.firstName, lastName: person.lastName },
    _links: {
      app: { href: `${baseUrl}/api/v1/apps/${app.id}` },
      user: { href: `${baseUrl}/api/v1/users/${person.id}` },
    },
  };
}

export function oktaAppGroup(app: App, groupId: string, baseUrl: string): Record<string, unknown> {
  return {
    id: groupId,
    priority: app.assignments.groups.indexOf(groupId),
    profile: {},
    _links: {
      app: { href: `${baseUrl}/api/v1/apps/${app.id}` },
      group: { href: `${baseUrl}/api/v1/groups/${groupId}` },
    },
  };
}
