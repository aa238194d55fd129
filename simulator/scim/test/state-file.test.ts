// The CLI's input files (JSON, RFC 4180 CSV) and the seeded population: parsed values, and refusals with a reason.
// OKT-02 (mapped attributes only).
import { describe, expect, it } from 'vitest';
import { seededDesiredState } from '../seeded-state.ts';
import { parseCsvRecords, parseStateCsv, parseStateJson } from '../state-file.ts';

describe('JSON state file', () => {
  it('fills defaults and resolves members by id or userName', () => {
    const state = parseStateJson(
      JSON.stringify({
        people: [
          { id: 'p1', userName: 'ada@example.com', givenName: 'Ada', familyName: 'L' },
          {
            userName: 'bob@example.com',
            givenName: 'Bob',
            familyName: 'B',
            active: false,
            email: 'b@x.test',
          },
        ],
        groups: [{ displayName: 'Eng', memberIds: ['p1', 'bob@example.com'] }],
      }),
    );
    expect(state.people[1]).toEqual({
      id: 'bob@example.com',
      userName: 'bob@example.com',
      givenName: 'Bob',
      familyName: 'B',
      email: 'b@x.test',
      active: false,
    });
    expect(state.groups).toEqual([
      { id: 'group:Eng', displayName: 'Eng', memberIds: ['p1', 'bob@example.com'] },
    ]);
  });

  it('refuses a missing userName and an unknown member', () => {
    expect(() => parseStateJson('{"people":[{"givenName":"x","familyName":"y"}]}')).toThrow(/userName/);
    expect(() =>
      parseStateJson('{"people":[],"groups":[{"displayName":"G","memberIds":["ghost"]}]}'),
    ).toThrow(/unknown member ghost/);
  });
});

describe('CSV state file (RFC 4180)', () => {
  it('reads quoted fields with commas, quotes and line breaks', () => {
    expect(parseCsvRecords('a,b\r\n"x, y","he said ""hi"""\n"multi\nline",z\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"'],
      ['multi\nline', 'z'],
    ]);
  });

  it('makes people and groups from the groups column', () => {
    const state = parseStateCsv(
      'userName,givenName,familyName,active,groups\nada@example.com,Ada,"Lovelace, Countess",true,Eng;Ops\nbob@example.com,Bob,B,false,Eng\n',
    );
    expect(state.people.map((person) => [person.userName, person.familyName, person.active])).toEqual([
      ['ada@example.com', 'Lovelace, Countess', true],
      ['bob@example.com', 'B', false],
    ]);
    expect(state.groups).toEqual([
      { id: 'group:Eng', displayName: 'Eng', memberIds: ['ada@example.com', 'bob@example.com'] },
      { id: 'group:Ops', displayName: 'Ops', memberIds: ['ada@example.com'] },
    ]);
  });

  it('refuses a header without userName and a bad active value', () => {
    expect(() => parseStateCsv('givenName,familyName\nA,B\n')).toThrow(/userName/);
    expect(() => parseStateCsv('userName,givenName,familyName,active\na@x,A,B,yes\n')).toThrow(/active/);
  });
});

describe('seeded population', () => {
  it('is repeatable, unique and spreads people over the groups', () => {
    const one = seededDesiredState({ people: 250, groups: 10, seed: 7 });
    const two = seededDesiredState({ people: 250, groups: 10, seed: 7 });
    expect(one).toEqual(two);
    expect(new Set(one.people.map((person) => person.userName)).size).toBe(250);
    expect(one.groups.map((group) => group.memberIds.length)).toEqual(Array(10).fill(25));
  });
});
