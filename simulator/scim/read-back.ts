// Reads what a SCIM server sends back into the few values the pusher needs: resources, ListResponses, members
// and the IdP-side view of a found user. RFC 7643 4.1/4.2 (User, Group), RFC 7644 3.4.2 (ListResponse).
import type { PushPerson } from './model.ts';
import type { JsonValue, ScimMember, ScimResourceJson } from './wire.ts';
import { isJsonObject } from './wire.ts';

export function stringOf(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

export function asResource(body: JsonValue | null): ScimResourceJson | null {
  if (!isJsonObject(body) || typeof body.id !== 'string') return null;
  return body as ScimResourceJson;
}

/** RFC 7644 3.4.2: a ListResponse; Resources may be absent when there are none. */
export function asList(
  body: JsonValue | null,
): { totalResults: number; resources: ScimResourceJson[] } | null {
  if (!isJsonObject(body) || typeof body.totalResults !== 'number') return null;
  const raw = Array.isArray(body.Resources) ? body.Resources : [];
  const resources = raw.map(asResource).filter((item): item is ScimResourceJson => item !== null);
  return { totalResults: body.totalResults, resources };
}

export function membersOf(resource: ScimResourceJson): ScimMember[] {
  const raw = resource.members;
  if (!Array.isArray(raw)) return [];
  const members: ScimMember[] = [];
  for (const item of raw) {
    if (isJsonObject(item) && typeof item.value === 'string') {
      const member: ScimMember = { value: item.value };
      if (typeof item.display === 'string') member.display = item.display;
      members.push(member);
    }
  }
  return members;
}

/** The IdP-side view of a user resource found in the app, to tell whether linking it needs an update. */
export function personFromResource(resource: ScimResourceJson, idpId: string): PushPerson {
  const name = isJsonObject(resource.name) ? resource.name : {};
  const emails = Array.isArray(resource.emails) ? resource.emails.filter(isJsonObject) : [];
  const email = emails.find((item) => item.primary === true) ?? emails[0];
  const active = resource.active;
  return {
    id: idpId,
    userName: stringOf(resource.userName),
    givenName: stringOf(name.givenName),
    familyName: stringOf(name.familyName),
    email: stringOf(email?.value),
    // Entra-era servers may echo "True"/"False" strings.
    active: active === true || active === 'True' || active === 'true',
  };
}
