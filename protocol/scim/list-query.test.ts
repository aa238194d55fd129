// Tests of list query parsing, projection and ETags.
// RFC 7644 3.4.2.4 (startIndex/count clamping), 3.4.2.5 (attributes/excludedAttributes), 3.14 (ETags).

import { describe, expect, it } from 'vitest';
import { ScimError } from './error.ts';
import { formatScimEtag, parseScimPrecondition, preconditionMatches } from './etag.ts';
import { parseScimListQuery, parseScimProjectionQuery, searchRequestToQuery } from './list-query.ts';
import { projectScimResource } from './projection.ts';

const OPTIONS = { maxCount: 200, defaultCount: 100 };

describe('RFC 7644 3.4.2.4 paging', () => {
  it('defaults to startIndex 1, the default count, ascending', () => {
    expect(parseScimListQuery({}, OPTIONS)).toEqual({ startIndex: 1, count: 100, sortOrder: 'ascending' });
  });

  it('clamps startIndex < 1 to 1, count < 0 to 0, count > max to max', () => {
    expect(parseScimListQuery({ startIndex: '0', count: '-5' }, OPTIONS)).toMatchObject({
      startIndex: 1,
      count: 0,
    });
    expect(parseScimListQuery({ startIndex: '-3', count: '5000' }, OPTIONS)).toMatchObject({
      startIndex: 1,
      count: 200,
    });
    expect(parseScimListQuery({ startIndex: '101', count: '100' }, OPTIONS)).toMatchObject({
      startIndex: 101,
      count: 100,
    });
  });

  it('parses filter, sortBy, sortOrder and attribute lists; names case-insensitive', () => {
    const params = parseScimListQuery(
      {
        filter: 'userName eq "a"',
        sortBy: 'name.familyName',
        sortorder: 'descending',
        attributes: 'userName, name.givenName',
        excludedAttributes: 'members',
      },
      OPTIONS,
    );
    expect(params).toMatchObject({
      filter: { op: 'eq', attribute: 'userName', value: 'a' },
      sortBy: 'name.familyName',
      sortOrder: 'descending',
      attributes: ['userName', 'name.givenName'],
      excludedAttributes: ['members'],
    });
  });

  it.each([
    [{ count: 'ten' }, 'invalidValue'],
    [{ startIndex: '1.5' }, 'invalidValue'],
    [{ sortOrder: 'up' }, 'invalidValue'],
    [{ count: ['1', '2'] }, 'invalidValue'],
    [{ filter: 'userName eq' }, 'invalidFilter'],
  ])('%j → 400 %s', (query, scimType) => {
    try {
      parseScimListQuery(query, OPTIONS);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(ScimError);
      expect((error as ScimError).status).toBe(400);
      expect((error as ScimError).scimType).toBe(scimType);
    }
  });
});

describe('RFC 7644 3.4.2.5 projection', () => {
  const user = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: 'u1',
    userName: 'a@x.io',
    name: { givenName: 'A', familyName: 'B' },
    emails: [{ value: 'a@x.io', type: 'work', primary: true }],
    active: true,
    password: 'never',
    meta: { resourceType: 'User' },
  };

  it('attributes keeps only those plus id and schemas; never-returned password is dropped', () => {
    expect(projectScimResource(user, { attributes: ['userName', 'name.givenName', 'emails.value'] })).toEqual(
      {
        schemas: user.schemas,
        id: 'u1',
        userName: 'a@x.io',
        name: { givenName: 'A' },
        emails: [{ value: 'a@x.io' }],
      },
    );
  });

  it('attributes matches names case-insensitively and with the schema URN', () => {
    expect(
      projectScimResource(user, { attributes: ['urn:ietf:params:scim:schemas:core:2.0:User:USERNAME'] }),
    ).toEqual({ schemas: user.schemas, id: 'u1', userName: 'a@x.io' });
  });

  it('excludedAttributes drops those but never id or schemas', () => {
    const projected = projectScimResource(user, {
      excludedAttributes: ['emails', 'id', 'name.familyName', 'meta'],
    });
    expect(projected).toEqual({
      schemas: user.schemas,
      id: 'u1',
      userName: 'a@x.io',
      name: { givenName: 'A' },
      active: true,
    });
    expect(user.name.familyName).toBe('B');
  });

  it('parseScimProjectionQuery reads only the projection', () => {
    expect(parseScimProjectionQuery({ excludedAttributes: 'members', count: 'x' })).toEqual({
      excludedAttributes: ['members'],
    });
  });
});

describe('RFC 7644 3.14 ETags', () => {
  it('formats weak tags and parses If-Match', () => {
    expect(formatScimEtag(7)).toBe('W/"7"');
    expect(parseScimPrecondition(undefined)).toEqual({ kind: 'none' });
    expect(parseScimPrecondition('*')).toEqual({ kind: 'any' });
    expect(parseScimPrecondition('W/"7", "8"')).toEqual({ kind: 'versions', versions: [7, 8] });
    expect(parseScimPrecondition('W/"abc"')).toEqual({ kind: 'versions', versions: [-1] });
    expect(parseScimPrecondition('garbage')).toEqual({ kind: 'versions', versions: [-1] });
  });

  it('matches versions weakly', () => {
    expect(preconditionMatches(parseScimPrecondition('W/"7"'), 7)).toBe(true);
    expect(preconditionMatches(parseScimPrecondition('"7"'), 7)).toBe(true);
    expect(preconditionMatches(parseScimPrecondition('W/"6"'), 7)).toBe(false);
    expect(preconditionMatches(parseScimPrecondition('*'), 7)).toBe(true);
  });
});

describe('searchRequestToQuery (RFC 7644 3.4.3)', () => {
  const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

  it('maps every member to its query parameter; null and unknown members are ignored', () => {
    expect(
      searchRequestToQuery({
        schemas: [SEARCH],
        filter: 'active eq true',
        sortBy: 'userName',
        sortOrder: 'descending',
        startIndex: 3,
        count: 0,
        attributes: ['userName', 'name.givenName'],
        excludedAttributes: null,
        unknown: { x: 1 },
      }),
    ).toEqual({
      filter: 'active eq true',
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: '3',
      count: '0',
      attributes: 'userName,name.givenName',
    });
  });

  it('refuses a non-integer number and a name that would split into two', () => {
    expect(() => searchRequestToQuery({ schemas: [SEARCH], startIndex: 1.5 })).toThrow(/integer/);
    expect(() => searchRequestToQuery({ schemas: [SEARCH], attributes: ['a,b'] })).toThrow(/comma/);
  });
});
