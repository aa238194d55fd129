// Unit tests of the per-attribute validation the generated checks use, on the reference server's own documents.
// RFC 7643 2, 3, 7; idsim issue #12 (members.type returned but not declared).
import { describe, expect, it } from 'vitest';
import { buildResourceTypes, buildSchemas } from '../../../protocol/scim/discovery.ts';
import { toScimGroup } from '../../../server/scim/group-mapping.ts';
import { toScimUser } from '../../../server/scim/user-mapping.ts';
import type { DiscoverySnapshot } from '../discovery.ts';
import { indexDiscovery } from '../discovery.ts';
import { resourceProblems } from '../resource-validation.ts';

const BASE = 'https://team.example/scim/v2';
const options = { baseUrl: BASE, maxResults: 100 };

function snapshot(schemas = buildSchemas(options)): DiscoverySnapshot {
  return { serviceProviderConfig: {}, schemas, resourceTypes: buildResourceTypes(options), problems: [] };
}

const record = {
  id: 'u1',
  version: 1,
  created: '2026-01-01T00:00:00Z',
  lastModified: '2026-01-01T00:00:00Z',
};
const user = toScimUser(
  {
    ...record,
    userName: 'ada@acme.test',
    givenName: 'Ada',
    familyName: 'L',
    active: true,
    externalId: 'okta-1',
  },
  BASE,
);
const group = toScimGroup(
  { ...record, id: 'g1', displayName: 'Eng', externalId: null, members: [{ value: 'u1', display: 'Ada L' }] },
  BASE,
);

describe('RFC 7643 7: returned resources against their own /Schemas', () => {
  const discovery = indexDiscovery(snapshot());
  const typeNamed = (name: string, from = discovery) => {
    const found = from.resourceTypes.find((type) => type.name === name);
    if (found === undefined) throw new Error(`no resource type ${name}`);
    return found;
  };
  const userType = typeNamed('User');
  const groupType = typeNamed('Group');

  it('the reference server renders Users and Groups that its /Schemas fully declare', () => {
    expect(resourceProblems(user, userType, discovery)).toEqual([]);
    expect(resourceProblems(group, groupType, discovery)).toEqual([]);
  });

  it('issue #12: a Group schema without members.type rejects a group with members', () => {
    const schemas = buildSchemas(options).map((schema) => ({
      ...schema,
      attributes: (schema.attributes as Record<string, unknown>[]).map((attribute) =>
        attribute.name === 'members'
          ? {
              ...attribute,
              subAttributes: (attribute.subAttributes as { name: string }[]).filter(
                (sub) => sub.name !== 'type',
              ),
            }
          : attribute,
      ),
    }));
    const broken = indexDiscovery(snapshot(schemas));
    expect(resourceProblems(group, typeNamed('Group', broken), broken)).toEqual([
      'members[0].type is returned but not declared in the schema',
    ]);
  });

  it('finds undeclared, mistyped, missing required, non-canonical and null attributes', () => {
    const bad = {
      ...user,
      nickName: 'x',
      active: 'yes',
      name: { givenName: 'Ada' },
      emails: [{ value: 'a@b.c', type: 'private', primary: true }],
      externalId: null,
      schemas: [...user.schemas, 'urn:other'],
    };
    const problems = resourceProblems(bad, userType, discovery);
    expect(problems).toEqual(
      expect.arrayContaining([
        'nickName is returned but not declared in urn:ietf:params:scim:schemas:core:2.0:User or as a common attribute',
        'active (boolean) is "yes", not a JSON boolean',
        'name.familyName is required by the schema but missing',
        'emails[0].type is "private", not one of its canonical values ["work"]',
        'externalId is null: RFC 7643 2.5 says an unassigned attribute is left out',
        'schemas lists "urn:other", which /ResourceTypes/User does not name',
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('a projected response (attributes=) is not held to required, but still to returned "always" (id)', () => {
    expect(
      resourceProblems({ schemas: user.schemas, userName: 'x' }, userType, discovery, { projected: true }),
    ).toEqual(['id is missing, but its schema says returned "always"']);
  });
});
