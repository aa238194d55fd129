// Tests of in-memory filter evaluation: same semantics as the SQL compiler.
// RFC 7644 3.4.2.2; RFC 7643 2.1 (case rules).

import { describe, expect, it } from 'vitest';
import { parseScimFilter } from './filter.ts';
import { matchesScimFilter } from './filter-eval.ts';

const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'U1',
  externalId: 'ext-1',
  userName: 'Babs.Jensen@Example.com',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [
    { value: 'babs@example.com', type: 'work', primary: true },
    { value: 'babs@home.org', type: 'home' },
  ],
  active: true,
  meta: { created: '2026-01-01T00:00:00Z', lastModified: '2026-03-01T10:00:00.000Z' },
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '42' },
};

const matches = (text: string) => matchesScimFilter(user, parseScimFilter(text));

describe('RFC 7644 3.4.2.2 in-memory evaluation', () => {
  it('userName is case-insensitive; id and externalId are caseExact', () => {
    expect(matches('userName eq "babs.jensen@example.com"')).toBe(true);
    expect(matches('USERNAME eq "BABS.JENSEN@EXAMPLE.COM"')).toBe(true);
    expect(matches('externalId eq "EXT-1"')).toBe(false);
    expect(matches('id eq "u1"')).toBe(false);
  });

  it('string operators', () => {
    expect(matches('userName co "jensen"')).toBe(true);
    expect(matches('userName sw "babs"')).toBe(true);
    expect(matches('userName ew ".COM"')).toBe(true);
    expect(matches('userName ne "x"')).toBe(true);
    expect(matches('name.familyName gt "J"')).toBe(true);
    expect(matches('name.familyName lt "J"')).toBe(false);
  });

  it('dateTimes compare as instants, not text', () => {
    expect(matches('meta.lastModified gt "2026-03-01T09:00:00Z"')).toBe(true);
    expect(matches('meta.lastModified eq "2026-03-01T10:00:00Z"')).toBe(true);
    expect(matches('meta.created ge "2026-01-02T00:00:00Z"')).toBe(false);
  });

  it('booleans, pr, absent attributes, not', () => {
    expect(matches('active eq true')).toBe(true);
    expect(matches('active eq false')).toBe(false);
    expect(matches('nickName pr')).toBe(false);
    expect(matches('nickName eq "x"')).toBe(false);
    expect(matches('nickName ne "x"')).toBe(true);
    expect(matches('not (nickName pr)')).toBe(true);
  });

  it('multi-valued attributes match when any element does; complex filters need one element to match all', () => {
    expect(matches('emails.value ew "home.org"')).toBe(true);
    expect(matches('emails[type eq "work" and value co "@example"]')).toBe(true);
    expect(matches('emails[type eq "home" and value co "@example"]')).toBe(false);
    expect(matches('emails co "home"')).toBe(true);
  });

  it('URN-qualified core and extension paths', () => {
    expect(matches('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "babs"')).toBe(true);
    expect(matches('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "42"')).toBe(
      true,
    );
  });

  it('and / or / grouping', () => {
    expect(matches('active eq false or (userName pr and name.givenName eq "barbara")')).toBe(true);
    expect(matches('active eq false and userName pr')).toBe(false);
  });
});
