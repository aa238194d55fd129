// Tests of the SCIM filter parser: every operator, grouping, not, complex filters, invalid filters.
// RFC 7644 3.4.2.2.

import { describe, expect, it } from 'vitest';
import { ScimError } from './error.ts';
import { canonicalAttributePath, parseScimFilter } from './filter.ts';

function invalidFilterOf(text: string): ScimError {
  try {
    parseScimFilter(text);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error(`expected '${text}' to be refused`);
}

describe('RFC 7644 3.4.2.2 filter parsing', () => {
  it.each(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'] as const)('parses the %s operator', (op) => {
    expect(parseScimFilter(`userName ${op} "bjensen"`)).toEqual({
      op,
      attribute: 'userName',
      value: 'bjensen',
    });
  });

  it('accepts redundant grouping of any depth (the parser drops it)', () => {
    expect(parseScimFilter(`${'('.repeat(1000)}a pr${')'.repeat(1000)}`)).toEqual({
      op: 'pr',
      attribute: 'a',
    });
  });

  it('parses operators in any case', () => {
    expect(parseScimFilter('userName EQ "x"')).toEqual({ op: 'eq', attribute: 'userName', value: 'x' });
  });

  it('parses pr, booleans, numbers and null', () => {
    expect(parseScimFilter('title pr')).toEqual({ op: 'pr', attribute: 'title' });
    expect(parseScimFilter('active eq false')).toEqual({ op: 'eq', attribute: 'active', value: false });
    expect(parseScimFilter('count gt 5')).toEqual({ op: 'gt', attribute: 'count', value: 5 });
    expect(parseScimFilter('externalId eq null')).toEqual({ op: 'eq', attribute: 'externalId', value: null });
  });

  it('parses and/or with precedence, grouping and not', () => {
    expect(parseScimFilter('a eq "1" and b eq "2" or c pr')).toEqual({
      op: 'or',
      filters: [
        {
          op: 'and',
          filters: [
            { op: 'eq', attribute: 'a', value: '1' },
            { op: 'eq', attribute: 'b', value: '2' },
          ],
        },
        { op: 'pr', attribute: 'c' },
      ],
    });
    expect(parseScimFilter('a eq "1" and (b eq "2" or c pr)')).toEqual({
      op: 'and',
      filters: [
        { op: 'eq', attribute: 'a', value: '1' },
        {
          op: 'or',
          filters: [
            { op: 'eq', attribute: 'b', value: '2' },
            { op: 'pr', attribute: 'c' },
          ],
        },
      ],
    });
    expect(parseScimFilter('not (a eq "1")')).toEqual({
      op: 'not',
      filter: { op: 'eq', attribute: 'a', value: '1' },
    });
  });

  it('parses complex attribute filters', () => {
    expect(parseScimFilter('emails[type eq "work" and value co "@x"]')).toEqual({
      op: 'valuePath',
      attribute: 'emails',
      filter: {
        op: 'and',
        filters: [
          { op: 'eq', attribute: 'type', value: 'work' },
          { op: 'co', attribute: 'value', value: '@x' },
        ],
      },
    });
  });

  it('keeps URN-qualified and dotted names, and canonicalises them', () => {
    const filter = parseScimFilter('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "J"');
    expect(filter).toMatchObject({ attribute: 'urn:ietf:params:scim:schemas:core:2.0:User:name.familyName' });
    expect(canonicalAttributePath('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName')).toBe(
      'name.familyname',
    );
    expect(canonicalAttributePath('meta.lastModified')).toBe('meta.lastmodified');
    expect(
      canonicalAttributePath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber'),
    ).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:employeenumber');
  });

  it.each(
    [
      '',
      '   ',
      'userName',
      'userName eq',
      'userName foo "x"',
      '(userName eq "x"',
      'userName eq "x" extra',
      'userName eq bare',
      'active gt true',
      'userName co 5',
      'emails[value sw true]',
      'a[b[c eq "1"]]',
      'x'.repeat(5000),
      '1abc eq "x"',
      `${'not ('.repeat(40)}a pr${')'.repeat(40)}`,
      Array.from({ length: 101 }, (_, index) => `a eq "${index}"`).join(' or '),
    ].map((text) => [text.length > 60 ? `${text.slice(0, 60)}…` : text, text]),
  )('refuses %j as 400 invalidFilter', (_label, text) => {
    const error = invalidFilterOf(text);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).not.toMatch(/\n\s+at /);
  });
});
