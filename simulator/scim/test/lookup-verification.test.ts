// The pusher links a looked-up user only when its userName is the one asked for (issue #12 part 3): a server that
// ignores filters is reported as a target defect and nothing is written; a 409 with nothing to link is reported once.
import { afterEach, describe, expect, it } from 'vitest';
import { createEntraDialect } from '../entra.ts';
import type { PushPerson } from '../model.ts';
import { createOktaDialect } from '../okta.ts';
import { ScimPusher } from '../pusher.ts';
import type { FakeScimOptions, FakeScimServer } from './fake-scim-server.ts';
import { startFakeScimServer } from './fake-scim-server.ts';

const KEY = 'lookup-key';
let server: FakeScimServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function person(i: number, userName = `person${i}@example.com`): PushPerson {
  return { id: `idp-${i}`, userName, givenName: `G${i}`, familyName: `F${i}`, email: userName, active: true };
}

async function start(options: Omit<FakeScimOptions, 'key'> = {}): Promise<FakeScimServer> {
  server = await startFakeScimServer({ key: KEY, ...options });
  return server;
}

function pusherFor(target: FakeScimServer, dialect = createOktaDialect()): ScimPusher {
  return new ScimPusher({ baseUrl: target.baseUrl, key: KEY, dialect, sleep: async () => {} });
}

function writesTo(target: FakeScimServer): number {
  return target.requests.filter((request) => request.method !== 'GET').length;
}

describe('userName lookups are verified before linking', () => {
  it.each([
    ['okta', createOktaDialect()],
    ['entra', createEntraDialect()],
  ])(
    '%s: a server that ignores filters gets no write and a filter_ignored failure per person',
    async (_name, dialect) => {
      const target = await start({ ignoreFilters: true });
      // the app already holds one unrelated user: every "filtered" lookup answers it
      await pusherFor(target, dialect).pushUser(person(0, 'first@example.com'));
      const before = target.users.size;
      const writesBefore = writesTo(target);

      const summary = await pusherFor(target, dialect).reconcile({
        people: Array.from({ length: 25 }, (_, i) => person(i + 1)),
        groups: [],
      });

      expect(summary.failures).toHaveLength(25);
      expect(new Set(summary.failures.map((failure) => failure.code))).toEqual(new Set(['filter_ignored']));
      expect(summary.failures[0]?.message).toMatch(/ignores SCIM filters/);
      expect(summary.users.linked).toBe(0);
      expect(writesTo(target)).toBe(writesBefore);
      expect(target.users.size).toBe(before);
      const only = [...target.users.values()][0];
      expect(only?.userName).toBe('first@example.com');
    },
  );

  it('links a user whose userName differs only in ASCII case', async () => {
    const target = await start();
    await pusherFor(target).pushUser(person(1, 'ANA.Lind@Example.com'));
    const result = await pusherFor(target).pushUser(person(2, 'ana.lind@example.com'));
    expect(result.action).toBe('linked');
    expect(target.created.users).toBe(1);
  });

  it('does not link a user whose userName differs beyond ASCII case (no Unicode folding)', async () => {
    const target = await start({ ignoreFilters: true });
    await pusherFor(target).pushUser(person(1, 'strasse@example.com'));
    await expect(pusherFor(target).pushUser(person(2, 'STRAßE@example.com'))).rejects.toMatchObject({
      code: 'filter_ignored',
    });
    expect(target.created.users).toBe(1);
  });

  it('a target that answers 409 to every create with nothing to link is reported once, not looped', async () => {
    const target = await start({ conflictForever: true });
    await expect(pusherFor(target).pushUser(person(1))).rejects.toMatchObject({
      code: 'conflict_unresolved',
      status: 409,
    });
    // one lookup, one POST, one lookup after the 409: no retry loop on 409
    expect(target.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'GET']);
  });
});
