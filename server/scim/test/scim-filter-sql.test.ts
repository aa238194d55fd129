// Tests of the SCIM filter → SQL compiler, run on a real node:sqlite in-memory database (not string comparison).
// RFC 7644 3.4.2.2 (operators, complex filters), 3.4.2.3 (sort); RFC 7643 2.1 (userName case-insensitive).

import { DatabaseSync } from 'node:sqlite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScimError } from '../../../protocol/scim/error.ts';
import { parseScimFilter } from '../../../protocol/scim/filter.ts';
import type { ScimSqlMapping } from '../../store/scim-filter-sql.ts';
import { compileScimFilter, compileScimSort } from '../../store/scim-filter-sql.ts';

const db = new DatabaseSync(':memory:');

const USER_MAPPING: ScimSqlMapping = {
  attributes: {
    id: { expr: 'u.id', type: 'string', caseExact: true },
    username: { expr: 'u.user_name', type: 'string', caseExact: false },
    externalid: { expr: 'u.external_id', type: 'string', caseExact: true },
    'name.givenname': { expr: 'u.given_name', type: 'string', caseExact: false },
    'name.familyname': { expr: 'u.family_name', type: 'string', caseExact: false },
    active: { expr: 'u.active', type: 'boolean', caseExact: false },
    'emails.value': { expr: 'u.user_name', type: 'string', caseExact: false },
    'emails.type': { expr: "'work'", type: 'string', caseExact: false },
    'emails.primary': { expr: '1', type: 'boolean', caseExact: false },
    'meta.created': { expr: 'u.created', type: 'datetime', caseExact: false },
    'meta.lastmodified': { expr: 'u.last_modified', type: 'datetime', caseExact: false },
    'meta.version': { expr: 'u.version', type: 'integer', caseExact: false },
  },
};

const GROUP_MAPPING: ScimSqlMapping = {
  attributes: {
    id: { expr: 'g.id', type: 'string', caseExact: true },
    displayname: { expr: 'g.display_name', type: 'string', caseExact: false },
  },
  multiValued: {
    members: {
      exists: (inner) => `EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND (${inner}))`,
      attributes: {
        value: { expr: 'm.user_id', type: 'string', caseExact: true },
        display: { expr: 'm.display', type: 'string', caseExact: false },
      },
    },
  },
};

beforeAll(() => {
  db.exec(`
    CREATE TABLE users (id TEXT PRIMARY KEY, user_name TEXT NOT NULL, external_id TEXT, given_name TEXT,
      family_name TEXT, active INTEGER NOT NULL, created TEXT NOT NULL, last_modified TEXT NOT NULL, version INTEGER);
    CREATE INDEX users_user_name ON users (user_name COLLATE NOCASE);
    CREATE TABLE groups (id TEXT PRIMARY KEY, display_name TEXT NOT NULL);
    CREATE TABLE group_members (group_id TEXT, user_id TEXT, display TEXT);
  `);
  const insert = db.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  insert.run(
    'u1',
    'Babs.Jensen@Example.com',
    'ext-1',
    'Barbara',
    'Jensen',
    1,
    '2026-01-01T00:00:00.000Z',
    '2026-03-01T00:00:00.000Z',
    1,
  );
  insert.run(
    'u2',
    'jsmith@example.org',
    null,
    'John',
    'Smith',
    0,
    '2026-02-01T00:00:00.000Z',
    '2026-02-15T00:00:00.000Z',
    4,
  );
  insert.run(
    'u3',
    'a_b%c@x.io',
    'EXT-1',
    '',
    'Percent',
    1,
    '2026-03-01T00:00:00.000Z',
    '2026-03-02T00:00:00.000Z',
    2,
  );
  insert.run(
    'u4',
    'star*[x]@x.io',
    '',
    'Star',
    'Glob',
    1,
    '2026-04-01T00:00:00.000Z',
    '2026-04-02T00:00:00.000Z',
    3,
  );
  db.exec(`
    INSERT INTO groups VALUES ('g1', 'Engineering'), ('g2', 'Sales'), ('g3', 'Empty');
    INSERT INTO group_members VALUES ('g1', 'u1', 'Barbara Jensen'), ('g1', 'u2', 'John Smith'), ('g2', 'u3', 'Percent');
  `);
});

function userIds(filterText: string): string[] {
  const { where, params } = compileScimFilter(parseScimFilter(filterText), USER_MAPPING);
  const rows = db.prepare(`SELECT u.id AS id FROM users u WHERE ${where} ORDER BY u.id`).all(...params);
  return rows.map((row) => String(row.id));
}

function groupIds(filterText: string): string[] {
  const { where, params } = compileScimFilter(parseScimFilter(filterText), GROUP_MAPPING);
  const rows = db.prepare(`SELECT g.id AS id FROM groups g WHERE ${where} ORDER BY g.id`).all(...params);
  return rows.map((row) => String(row.id));
}

function compileError(filterText: string, mapping: ScimSqlMapping = USER_MAPPING): ScimError {
  try {
    compileScimFilter(parseScimFilter(filterText), mapping);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error(`expected '${filterText}' to be refused`);
}

describe('RFC 7644 3.4.2.2 operators as SQL', () => {
  it('eq on userName ignores case (RFC 7643 4.1.1: caseExact false)', () => {
    expect(userIds('userName eq "babs.jensen@example.com"')).toEqual(['u1']);
    expect(userIds('USERNAME Eq "BABS.JENSEN@EXAMPLE.COM"')).toEqual(['u1']);
  });

  it('eq on a caseExact attribute respects case', () => {
    expect(userIds('externalId eq "ext-1"')).toEqual(['u1']);
    expect(userIds('externalId eq "EXT-1"')).toEqual(['u3']);
  });

  it('ne matches absent values too (it is not eq)', () => {
    expect(userIds('externalId ne "ext-1"')).toEqual(['u2', 'u3', 'u4']);
  });

  it('co / sw / ew, case-insensitive, with LIKE wildcards in the value taken literally', () => {
    expect(userIds('userName co "EXAMPLE"')).toEqual(['u1', 'u2']);
    expect(userIds('userName sw "JS"')).toEqual(['u2']);
    expect(userIds('userName ew ".ORG"')).toEqual(['u2']);
    expect(userIds('userName co "_b%"')).toEqual(['u3']);
    expect(userIds('userName co "%"')).toEqual(['u3']);
  });

  it('co / sw / ew on a caseExact attribute respect case, with glob characters taken literally', () => {
    expect(userIds('externalId sw "ext"')).toEqual(['u1']);
    expect(userIds('externalId sw "EXT"')).toEqual(['u3']);
    expect(userIds('id co "*"')).toEqual([]);
  });

  it('gt / ge / lt / le on strings and dateTimes', () => {
    expect(userIds('meta.lastModified gt "2026-03-01T00:00:00Z"')).toEqual(['u3', 'u4']);
    expect(userIds('meta.lastModified ge "2026-03-01T00:00:00Z"')).toEqual(['u1', 'u3', 'u4']);
    expect(userIds('meta.created lt "2026-02-01T00:00:00Z"')).toEqual(['u1']);
    expect(userIds('meta.created le "2026-02-01T00:00:00Z"')).toEqual(['u1', 'u2']);
    expect(userIds('name.familyName gt "p"')).toEqual(['u2', 'u3']);
  });

  it('integers and booleans', () => {
    expect(userIds('meta.version ge 3')).toEqual(['u2', 'u4']);
    expect(userIds('active eq false')).toEqual(['u2']);
    expect(userIds('active ne true')).toEqual(['u2']);
  });

  it('pr is not null and not empty', () => {
    expect(userIds('externalId pr')).toEqual(['u1', 'u3']);
    expect(userIds('name.givenName pr')).toEqual(['u1', 'u2', 'u4']);
  });

  it('and / or / not / grouping', () => {
    expect(userIds('active eq true and userName co "x.io"')).toEqual(['u3', 'u4']);
    expect(userIds('userName sw "js" or externalId eq "ext-1"')).toEqual(['u1', 'u2']);
    expect(userIds('not (externalId eq "ext-1")')).toEqual(['u2', 'u3', 'u4']);
    expect(userIds('active eq true and (externalId pr or name.givenName eq "star")')).toEqual([
      'u1',
      'u3',
      'u4',
    ]);
    expect(userIds('not (externalId pr)')).toEqual(['u2', 'u4']);
  });

  it('full URN paths work like short names', () => {
    expect(userIds('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "JSMITH@example.org"')).toEqual([
      'u2',
    ]);
  });

  it('complex filters on a single-valued email mapping compile by prefixing', () => {
    expect(userIds('emails[type eq "work" and value co "@example"]')).toEqual(['u1', 'u2']);
    expect(userIds('emails[type eq "home"]')).toEqual([]);
    expect(userIds('emails[type eq "work"].value eq "jsmith@example.org"')).toEqual(['u2']);
    expect(userIds('emails.value ew ".io"')).toEqual(['u3', 'u4']);
  });

  it('multi-valued child tables compile to EXISTS', () => {
    expect(groupIds('members[value eq "u1"]')).toEqual(['g1']);
    expect(groupIds('members.value eq "u3"')).toEqual(['g2']);
    expect(groupIds('members[display co "smith" or value eq "u3"]')).toEqual(['g1', 'g2']);
    expect(groupIds('members pr')).toEqual(['g1', 'g2']);
    expect(groupIds('not (members pr)')).toEqual(['g3']);
    expect(groupIds('displayName eq "sales" or members[value eq "u2"]')).toEqual(['g1', 'g2']);
  });

  it('the largest accepted filter still runs on SQLite', () => {
    const widest = Array.from({ length: 100 }, (_, index) => `userName eq "n${index}"`).join(' or ');
    expect(userIds(widest)).toEqual([]);
    const deepest = `${'not ('.repeat(30)}userName pr${')'.repeat(30)}`;
    expect(userIds(deepest)).toEqual(['u1', 'u2', 'u3', 'u4']);
  });

  it('uses the NOCASE index for userName eq', () => {
    const { where, params } = compileScimFilter(parseScimFilter('userName eq "x"'), USER_MAPPING);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT u.id FROM users u WHERE ${where}`).all(...params);
    expect(plan.map((row) => String(row.detail)).join(' ')).toContain('users_user_name');
  });

  it('keeps hostile values in parameters, never in the SQL text', () => {
    const { where, params } = compileScimFilter(parseScimFilter(`userName eq "x' OR 1=1 --"`), USER_MAPPING);
    expect(where).not.toContain('OR 1=1');
    expect(params).toEqual(["x' OR 1=1 --"]);
    expect(userIds(`userName eq "x' OR 1=1 --"`)).toEqual([]);
  });
});

describe('RFC 7644 3.4.2.2 invalid filters for the store', () => {
  it.each([
    'nickName eq "x"',
    'active gt true',
    'active eq "yes"',
    'meta.version eq "3"',
    'meta.created gt "not a date"',
    'userName eq 5',
    'active co "t"',
    'phoneNumbers[type eq "work"]',
  ])('%s → 400 invalidFilter', (text) => {
    const error = compileError(text);
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidFilter');
  });

  it('unknown member sub-attribute → invalidFilter', () => {
    expect(compileError('members[type eq "x"]', GROUP_MAPPING).scimType).toBe('invalidFilter');
  });
});

describe('RFC 7644 3.4.2.3 sorting as SQL', () => {
  function sorted(sortBy: string, order: 'ascending' | 'descending'): string[] {
    const orderBy = compileScimSort(sortBy, order, USER_MAPPING);
    return db
      .prepare(`SELECT u.id AS id FROM users u ORDER BY ${orderBy}, u.id`)
      .all()
      .map((row) => String(row.id));
  }

  it('sorts case-insensitively, ascending and descending; values missing last ascending, first descending', () => {
    expect(sorted('userName', 'ascending')).toEqual(['u3', 'u1', 'u2', 'u4']);
    expect(sorted('userName', 'descending')).toEqual(['u4', 'u2', 'u1', 'u3']);
    expect(sorted('externalId', 'ascending')).toEqual(['u3', 'u1', 'u2', 'u4']);
    expect(sorted('externalId', 'descending')).toEqual(['u4', 'u2', 'u1', 'u3']);
    expect(sorted('active', 'ascending')).toEqual(['u2', 'u1', 'u3', 'u4']);
    expect(sorted('emails', 'ascending')).toEqual(['u3', 'u1', 'u2', 'u4']);
  });

  it('no sortBy → empty; unknown attribute → 400 invalidValue', () => {
    expect(compileScimSort(undefined, 'ascending', USER_MAPPING)).toBe('');
    expect(() => compileScimSort('nickName', 'ascending', USER_MAPPING)).toThrow(ScimError);
  });
});

describe('atMostOneRow: an eq on a unique attribute needs no sort and no count', () => {
  const mapping: ScimSqlMapping = {
    attributes: {
      username: { expr: 'u.user_name', type: 'string', caseExact: false, unique: true },
      active: { expr: 'u.active', type: 'boolean', caseExact: false },
      'emails.value': { expr: 'u.email', type: 'string', caseExact: false },
    },
  };
  const single = (text: string) => compileScimFilter(parseScimFilter(text), mapping).atMostOneRow;

  it('is true for userName eq, alone or AND-ed with anything', () => {
    expect(single('userName eq "a@x.io"')).toBe(true);
    expect(single('active eq true and userName eq "a@x.io"')).toBe(true);
    expect(single('(userName eq "a@x.io" and active eq true) and emails.value co "x"')).toBe(true);
  });

  it('is false for other operators, OR, NOT and attributes that are not unique', () => {
    expect(single('userName co "a"')).toBe(false);
    expect(single('userName eq "a@x.io" or active eq true')).toBe(false);
    expect(single('not (userName eq "a@x.io")')).toBe(false);
    expect(single('emails.value eq "a@x.io"')).toBe(false);
    expect(single('userName ne "a@x.io"')).toBe(false);
  });
});
