// Tests of the PATCH applier and group member delta: RFC 7644 3.5.2 examples and the exact Okta / Entra ID shapes.
// RFC 7644 3.5.2.1-3; Okta SCIM 2.0 reference; Entra ID SCIM compliance notes (see /work/shared/spec/idp-dialects.md).

import { describe, expect, it } from 'vitest';
import { ScimError } from './error.ts';
import {
  applyScimPatch,
  extractGroupMemberDelta,
  parseScimPatchPath,
  parseScimPatchRequest,
} from './patch.ts';
import type { ScimJsonObject } from './schemas.ts';
import { SCIM_PATCH_OP_SCHEMA } from './schemas.ts';

function patchOf(...operations: unknown[]): ScimJsonObject {
  return { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: operations };
}

function user(): ScimJsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: 'u1',
    userName: 'bjensen@example.com',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    active: true,
    meta: { resourceType: 'User', version: 'W/"1"' },
  };
}

function group(): ScimJsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: 'g1',
    displayName: 'Engineering',
    members: [
      { value: 'u1', display: 'Barbara' },
      { value: 'u2', display: 'John' },
    ],
  };
}

function errorOf(action: () => unknown): ScimError {
  try {
    action();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('Okta PATCH shapes', () => {
  it('deactivates with a no-path replace {"active": false}', () => {
    const before = user();
    const after = applyScimPatch(before, patchOf({ op: 'replace', value: { active: false } }));
    expect(after.active).toBe(false);
    expect(before.active).toBe(true);
  });

  it('renames a group with a no-path replace that repeats id', () => {
    const after = applyScimPatch(
      group(),
      patchOf({ op: 'replace', value: { id: 'g1', displayName: 'Eng' } }),
    );
    expect(after.displayName).toBe('Eng');
  });

  it('removes a member with members[value eq "id"] and adds with members [{value, display}]', () => {
    const after = applyScimPatch(
      group(),
      patchOf(
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'add', path: 'members', value: [{ value: 'u3', display: 'Carol' }] },
      ),
    );
    expect(after.members).toEqual([
      { value: 'u2', display: 'John' },
      { value: 'u3', display: 'Carol' },
    ]);
  });

  it('replaces all members at path members', () => {
    const after = applyScimPatch(
      group(),
      patchOf({ op: 'replace', path: 'members', value: [{ value: 'u9' }] }),
    );
    expect(after.members).toEqual([{ value: 'u9' }]);
  });
});

describe('Entra ID PATCH shapes', () => {
  it('accepts "Replace" with "value": "False" for active', () => {
    const after = applyScimPatch(user(), patchOf({ op: 'Replace', path: 'active', value: 'False' }));
    expect(after.active).toBe(false);
  });

  it('removes members listed in value at path members', () => {
    const after = applyScimPatch(
      group(),
      patchOf({ op: 'Remove', path: 'members', value: [{ value: 'u2' }] }),
    );
    expect(after.members).toEqual([{ value: 'u1', display: 'Barbara' }]);
  });

  it('replaces emails[type eq "work"].value, and creates the element when missing', () => {
    const after = applyScimPatch(
      user(),
      patchOf({ op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' }),
    );
    expect(after.emails).toEqual([{ value: 'new@example.com', type: 'work', primary: true }]);
    const created = applyScimPatch(
      { ...user(), emails: [] },
      patchOf({ op: 'Add', path: 'emails[type eq "work"].value', value: 'w@example.com' }),
    );
    expect(created.emails).toEqual([{ type: 'work', value: 'w@example.com' }]);
  });

  it('applies a no-path multi-attribute replace with dotted keys', () => {
    const after = applyScimPatch(
      user(),
      patchOf({ op: 'replace', value: { 'name.givenName': 'Babs', active: 'True', displayName: 'B J' } }),
    );
    expect(after.name).toEqual({ givenName: 'Babs', familyName: 'Jensen' });
    expect(after.active).toBe(true);
    expect(after.displayName).toBe('B J');
  });
});

describe('RFC 7644 3.5.2 semantics', () => {
  it('add sets, merges complex values and appends without duplicates', () => {
    const after = applyScimPatch(
      user(),
      patchOf(
        { op: 'add', path: 'nickName', value: 'Babs' },
        { op: 'add', value: { name: { middleName: 'Q' } } },
        {
          op: 'add',
          path: 'emails',
          value: [{ value: 'bjensen@example.com' }, { value: 'h@x.io', type: 'home' }],
        },
      ),
    );
    expect(after.nickName).toBe('Babs');
    expect(after.name).toEqual({ givenName: 'Barbara', familyName: 'Jensen', middleName: 'Q' });
    expect(after.emails).toHaveLength(2);
  });

  it('replace a sub-attribute by dotted and URN-qualified path', () => {
    const after = applyScimPatch(
      user(),
      patchOf(
        { op: 'replace', path: 'name.familyName', value: 'Jones' },
        { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName', value: 'Barb' },
      ),
    );
    expect(after.name).toEqual({ givenName: 'Barb', familyName: 'Jones' });
  });

  it('writes extension attributes under their URN and adds the schema', () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const after = applyScimPatch(user(), patchOf({ op: 'add', path: `${urn}:employeeNumber`, value: '42' }));
    expect(after[urn]).toEqual({ employeeNumber: '42' });
    expect(after.schemas).toContain(urn);
  });

  it('remove deletes an attribute, a sub-attribute, matching elements; absent targets are no-ops', () => {
    const after = applyScimPatch(
      user(),
      patchOf(
        { op: 'remove', path: 'name.givenName' },
        { op: 'remove', path: 'emails[type eq "work"]' },
        { op: 'remove', path: 'nickName' },
      ),
    );
    expect(after.name).toEqual({ familyName: 'Jensen' });
    expect(after.emails).toEqual([]);
  });

  it('remove without path → 400 noTarget', () => {
    expect(errorOf(() => applyScimPatch(user(), patchOf({ op: 'remove' }))).scimType).toBe('noTarget');
  });

  it('replace with a filter matching nothing (not an equality seed) → 400 noTarget', () => {
    const error = errorOf(() =>
      applyScimPatch(user(), patchOf({ op: 'replace', path: 'emails[value co "zzz"].type', value: 'x' })),
    );
    expect(error.scimType).toBe('noTarget');
  });

  it('readOnly attributes → 400 mutability', () => {
    expect(
      errorOf(() => applyScimPatch(user(), patchOf({ op: 'replace', path: 'id', value: 'x' }))).scimType,
    ).toBe('mutability');
    expect(
      errorOf(() => applyScimPatch(user(), patchOf({ op: 'replace', value: { id: 'other' } }))).scimType,
    ).toBe('mutability');
  });

  it.each([
    [{}, 'invalidSyntax'],
    [{ schemas: ['urn:wrong'], Operations: [{ op: 'add', path: 'a', value: 1 }] }, 'invalidSyntax'],
    [patchOf(), 'invalidSyntax'],
    [patchOf({ op: 'move', path: 'a', value: 1 }), 'invalidSyntax'],
    [patchOf({ op: 'add', path: 'a b', value: 1 }), 'invalidPath'],
    [patchOf({ op: 'add', path: 'emails[type eq]', value: 1 }), 'invalidFilter'],
    [patchOf({ op: 'add', value: 'x' }), 'invalidValue'],
    [patchOf({ op: 'replace', path: 'active' }), 'invalidValue'],
    [patchOf({ op: 'add', path: '__proto__', value: {} }), 'invalidPath'],
  ])('malformed request %j → 400 %s', (request, scimType) => {
    const error = errorOf(() => applyScimPatch(user(), request));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe(scimType);
  });

  it('parses paths', () => {
    expect(parseScimPatchPath('emails[type eq "work"].value')).toMatchObject({
      attribute: 'emails',
      subAttribute: 'value',
      valueFilter: { op: 'eq', attribute: 'type', value: 'work' },
    });
    expect(parseScimPatchPath('urn:ietf:params:scim:schemas:core:2.0:User:userName')).toEqual({
      attribute: 'userName',
    });
  });
});

describe('group member delta (large groups are not rewritten)', () => {
  const delta = (...operations: unknown[]) =>
    extractGroupMemberDelta(parseScimPatchRequest(patchOf(...operations)), 'g1');

  it('collects Okta adds, removes and renames', () => {
    expect(
      delta(
        { op: 'replace', value: { id: 'g1', displayName: 'Eng' } },
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'add', path: 'members', value: [{ value: 'u3', display: 'C' }, { value: 'u4' }] },
      ),
    ).toEqual({ add: ['u3', 'u4'], remove: ['u1'], displayName: 'Eng' });
  });

  it('collects Entra removes by value list and or-filters; last change per id wins', () => {
    expect(
      delta(
        { op: 'Add', path: 'members', value: [{ value: 'u5' }] },
        { op: 'Remove', path: 'members', value: [{ value: 'u5' }, { value: 'u6' }] },
        { op: 'remove', path: 'members[value eq "u7" or value eq "u8"]' },
      ),
    ).toEqual({ add: [], remove: ['u5', 'u6', 'u7', 'u8'] });
  });

  it('gives up on anything else', () => {
    expect(delta({ op: 'replace', path: 'members', value: [] })).toBeUndefined();
    expect(delta({ op: 'remove', path: 'members' })).toBeUndefined();
    expect(delta({ op: 'replace', value: { id: 'other', displayName: 'x' } })).toBeUndefined();
    expect(delta({ op: 'add', path: 'nickName', value: 'x' })).toBeUndefined();
  });
});

describe('RFC 7643 2.2 / 8.7.1: members.value is immutable', () => {
  it('a replace of an existing member value is 400 mutability; adding and removing members still works', () => {
    const refused = errorOf(() =>
      applyScimPatch(group(), patchOf({ op: 'replace', path: 'members[value eq "u1"].value', value: 'u3' })),
    );
    expect([refused.status, refused.scimType]).toEqual([400, 'mutability']);
    const added = applyScimPatch(group(), patchOf({ op: 'add', path: 'members', value: [{ value: 'u3' }] }));
    expect((added.members as { value: string }[]).map((member) => member.value)).toEqual(['u1', 'u2', 'u3']);
    const removed = applyScimPatch(group(), patchOf({ op: 'remove', path: 'members[value eq "u1"].value' }));
    expect(removed.members).toBeDefined();
  });
});
