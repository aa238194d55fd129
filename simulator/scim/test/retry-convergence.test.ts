// Real-client behaviour over loopback: 429 + Retry-After, 503s and dropped connections are retried and the push
// converges with nothing lost or duplicated; other 4xx are not retried; re-runs send no writes. RFC 6585 4, RFC 9110 10.2.3.
import { afterEach, describe, expect, it } from 'vitest';
import { parseRetryAfter, ScimHttpClient } from '../client.ts';
import type { ScimDialect } from '../dialect.ts';
import { createEntraDialect } from '../entra.ts';
import type { DesiredState, PushPerson } from '../model.ts';
import { createOktaDialect } from '../okta.ts';
import { ScimPusher } from '../pusher.ts';
import type { FakeScimOptions, FakeScimServer } from './fake-scim-server.ts';
import { startFakeScimServer } from './fake-scim-server.ts';

const KEY = 'loopback-key';
let server: FakeScimServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function people(count: number): PushPerson[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `idp-${i}`,
    userName: `person${i}@example.com`,
    givenName: `Given${i}`,
    familyName: `Family${i}`,
    email: `person${i}@example.com`,
    active: true,
  }));
}

function desiredState(count: number): DesiredState {
  const all = people(count);
  return {
    people: all,
    groups: Array.from({ length: 5 }, (_, g) => ({
      id: `grp-${g}`,
      displayName: `Group ${g}`,
      memberIds: all.filter((_, i) => i % 5 === g).map((person) => person.id),
    })),
  };
}

async function start(options: Omit<FakeScimOptions, 'key'>): Promise<FakeScimServer> {
  server = await startFakeScimServer({ key: KEY, ...options });
  return server;
}

function pusherFor(target: FakeScimServer, dialect: ScimDialect, sleeps: number[] = []): ScimPusher {
  return new ScimPusher({
    baseUrl: target.baseUrl,
    key: KEY,
    dialect,
    concurrency: 4,
    retry: { maxAttempts: 8 },
    // No real waiting in tests: record what the client would have waited.
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
}

describe('retry on 429 (Retry-After), 503 and connection errors; convergence without loss or duplicates', () => {
  it.each([
    ['okta PATCH', createOktaDialect({ updateMode: 'patch' })],
    ['okta PUT', createOktaDialect({ updateMode: 'put' })],
    ['entra', createEntraDialect()],
    ['entra 2020', createEntraDialect({ scim2020Compliance: true })],
  ])(
    '%s: the pushed state equals the desired state and every resource is created once',
    async (_name, dialect) => {
      const target = await start({
        fault: (_request, index) => {
          if (index % 7 === 3) return { status: 429, headers: { 'retry-after': '1' } };
          if (index % 11 === 5) return { status: 503 };
          if (index === 20) return 'reset';
          return null;
        },
      });
      const sleeps: number[] = [];
      const pusher = pusherFor(target, dialect, sleeps);
      const desired = desiredState(40);
      const summary = await pusher.reconcile(desired);

      expect(summary.failures).toEqual([]);
      expect(summary.users.created).toBe(40);
      expect(summary.groups.created).toBe(5);
      expect(target.created).toEqual({ users: 40, groups: 5 });
      expect(target.users.size).toBe(40);
      expect(target.groups.size).toBe(5);
      for (const group of desired.groups) {
        const held = [...target.groups.values()].find((item) => item.displayName === group.displayName);
        const expectedMembers = group.memberIds.map((id) => pusher.appIdOfUser(id)).sort();
        const actual = (Array.isArray(held?.members) ? held.members : []).map(
          (m) => (m as { value: string }).value,
        );
        expect(actual.sort()).toEqual(expectedMembers);
      }
      // Retry-After: 1 was honoured as one second, and the faults really happened.
      expect(sleeps).toContain(1000);
      expect(target.requests.length).toBeGreaterThan(summary.requests - 1);
      expect(pusher.transcript.some((exchange) => exchange.status === 503)).toBe(true);
      expect(pusher.transcript.some((exchange) => exchange.status === null)).toBe(true);

      // Idempotent re-run: the same state again sends no writes.
      const again = await pusher.reconcile(desired);
      expect(again.writes).toBe(0);
      expect(again.users.unchanged).toBe(40);
      expect(again.groups.unchanged).toBe(5);
    },
  );

  it('a fresh pusher (no saved mapping) re-running the same state links everything and writes nothing', async () => {
    const target = await start({});
    const desired = desiredState(20);
    await pusherFor(target, createOktaDialect()).reconcile(desired);
    const fresh = pusherFor(target, createOktaDialect());
    const summary = await fresh.reconcile(desired);
    expect(summary.failures).toEqual([]);
    expect(summary.writes).toBe(0);
    expect(summary.users.linked).toBe(20);
    expect(target.created).toEqual({ users: 20, groups: 5 });
  });

  it('a create that landed before a dropped answer is linked on retry (409), not duplicated', async () => {
    const target = await start({});
    let dropped = false;
    const pusher = new ScimPusher({
      baseUrl: target.baseUrl,
      key: KEY,
      dialect: createOktaDialect(),
      sleep: async () => {},
      // The first POST reaches the server, but its answer is lost: the client sees a connection error.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'POST' && !dropped) {
          dropped = true;
          throw new TypeError('fetch failed');
        }
        return response;
      },
    });
    const [ada] = people(1);
    if (!ada) throw new Error('no person');
    await expect(pusher.pushUser(ada)).resolves.toMatchObject({ action: 'linked' });
    expect(target.created.users).toBe(1);
    expect(pusher.transcript.map((exchange) => [exchange.method, exchange.status])).toEqual([
      ['GET', 200],
      ['POST', null],
      ['POST', 409],
      ['GET', 200],
    ]);
  });

  it('does not retry a 4xx other than 429, and reports it', async () => {
    const target = await start({
      fault: (request) => (request.method === 'POST' ? { status: 400 } : null),
    });
    const pusher = pusherFor(target, createOktaDialect());
    const summary = await pusher.reconcile({ people: people(1), groups: [] });
    expect(summary.failures).toMatchObject([
      { kind: 'user', id: 'idp-0', code: 'request_rejected', status: 400 },
    ]);
    expect(target.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('gives up after maxAttempts on a server that always answers 503', async () => {
    const target = await start({ fault: () => ({ status: 503 }) });
    const pusher = new ScimPusher({
      baseUrl: target.baseUrl,
      key: KEY,
      dialect: createOktaDialect(),
      retry: { maxAttempts: 3 },
      sleep: async () => {},
    });
    const [person] = people(1);
    if (!person) throw new Error('no person');
    await expect(pusher.pushUser(person)).rejects.toMatchObject({
      code: 'retries_exhausted',
      status: 503,
    });
    expect(target.requests).toHaveLength(3);
  });

  it('KEY-04: tells a disabled team and a wrong key apart', async () => {
    const disabled = await start({ disabledDetail: 'SCIM provisioning is not enabled for this team' });
    await expect(pusherFor(disabled, createOktaDialect()).testCredentials()).resolves.toMatchObject({
      ok: false,
      status: 403,
      reason: 'scim_not_enabled',
    });
    await disabled.close();
    server = await startFakeScimServer({ key: KEY });
    const wrongKey = new ScimPusher({ baseUrl: server.baseUrl, key: 'nope', dialect: createOktaDialect() });
    await expect(wrongKey.testCredentials()).resolves.toMatchObject({
      ok: false,
      status: 401,
      reason: 'invalid_key',
    });
  });
});

describe('Retry-After parsing and backoff (RFC 9110 10.2.3)', () => {
  it('reads delay-seconds and HTTP-dates', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('honours an HTTP-date Retry-After against the injected clock, and backs off exponentially on 503', async () => {
    const answers = [
      new Response('', { status: 429, headers: { 'retry-after': 'Wed, 25 Nov 2026 12:00:07 GMT' } }),
      new Response('', { status: 503 }),
      new Response('', { status: 503 }),
      new Response('{"ok":true}', { status: 200 }),
    ];
    const sleeps: number[] = [];
    const client = new ScimHttpClient({
      baseUrl: 'http://127.0.0.1:9/scim/v2',
      headers: () => ({}),
      retry: { baseDelayMs: 100, maxAttempts: 5 },
      now: () => Date.parse('2026-11-25T12:00:00Z'),
      random: () => 1,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      fetch: async () => {
        const next = answers.shift();
        if (!next) throw new Error('no more answers');
        return next;
      },
    });
    const response = await client.send({ method: 'GET', path: '/Users' });
    expect(response.status).toBe(200);
    // 7 s from the date, then the shared pause gate (also 7 s, frozen clock), then 100 ms * 2^1 and 2^2 backoff.
    expect(sleeps.filter((ms) => ms !== 7000)).toEqual([200, 400]);
    expect(sleeps).toContain(7000);
    expect(client.transcript.map((exchange) => exchange.attempt)).toEqual([1, 2, 3, 4]);
  });
});
