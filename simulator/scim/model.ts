// The pusher's input model: the people and groups an IdP has assigned to one app, as plain values.
// OKT-02 / PRV-04: only userName, givenName and familyName are mapped (plus email, display name, active as Okta sends).

/** A person assigned to the app in the IdP. `id` is the IdP's own id (sent as SCIM externalId). */
export interface PushPerson {
  id: string;
  /** PRV-01: the email is the SCIM userName */
  userName: string;
  givenName: string;
  familyName: string;
  email: string;
  /** false once unassigned / deactivated in the IdP (OKT-03, DEA-01) */
  active: boolean;
  /** IdP id of the person's manager (Entra sends it as the enterprise extension's manager, RFC 7643 4.3) */
  managerId?: string | null | undefined;
}

/** A group pushed to the app. memberIds are IdP person ids. */
export interface PushGroup {
  id: string;
  displayName: string;
  memberIds: string[];
}

/** What the IdP wants the app to hold after a reconcile run. */
export interface DesiredState {
  people: PushPerson[];
  groups: PushGroup[];
}

/** How a pushed group is joined to the app (GRP-02 create, GRP-03 link to an existing empty group). */
export type GroupPushMode = 'create' | 'link';

export function displayNameOf(person: PushPerson): string {
  const joined = `${person.givenName} ${person.familyName}`.trim();
  return joined === '' ? person.userName : joined;
}
