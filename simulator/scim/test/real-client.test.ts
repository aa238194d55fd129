// Real-client behaviour per personality over loopback (issue #13): a timed-out create is retried and its 409
// reconciled by linking; Entra's quarantine and back-off; storms (bulk unassignment, a large group deleted, a mass
// change) under faults, with bounded concurrency, ending with nothing lost or duplicated.
import { afterEach, describe, expect, it } from 'vitest';
import type { DesiredState, PushPerson } from '../model.ts';
import type { PersonalityName } from '../personalities.ts';
import { createPersonality, createPersonalityPusher, PERSONALITY_NAMES } from '../personalities.ts';
import { QuarantineMonitor } from '../quarantine.ts';
import { transcriptStats } from '../transcript-stats.ts';
import type { JsonObject } from '../wire.ts';
import type { FakeScimOptions, FakeScimServer } from './fake-scim-server.ts';
import { startFakeScimServer } from './fake-scim-server.ts';

const KEY = 'real-client-key';
let server: FakeScimServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: Omit<FakeScimOptions, 'key'> = {}): Promise<FakeScimServer> {
  server = await startFakeScimServer({ key: KEY, ...options });
  return server;
}

function people(count: number, prefix = 'p'): PushPerson[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    userName: `${prefix}${i}@example.com`,
    givenName: `Given${i}`,
    familyName: `Family${i}`,
    email: `${prefix}${i}@example.com`,
    active: true,
  }));
}

/** A clock the test moves by hand; sleeps advance it, so back-off never waits for real. */
function manualClock(start = Date.parse('2026-12-02T09:00:00Z')) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('a request that times out is retried; a retried create meeting 409 is linked', () => {
  it.each(PERSONALITY_NAMES)('%s', async (name) => {
    let postsSeen = 0;
    const target = await start({
      // the first create lands, but its answer never comes: the client times out and sends it again
      fault: (request) => {
        if (request.method === 'POST' && request.path.endsWith('/Users') && postsSeen++ === 0)
          return 'apply-then-hang';
        return null;
      },
    });
    const clock = manualClock();
    const pusher = createPersonalityPusher(createPersonality(name, { client: { requestTimeoutMs: 100 } }), {
      baseUrl: target.baseUrl,
      key: KEY,
      sleep: clock.sleep,
    });
    const [ada] = people(1);
    if (!ada) throw new Error('no person');
    await expect(pusher.pushUser(ada)).resolves.toMatchObject({ action: 'linked' });
    expect(target.created.users).toBe(1);
    const trail = pusher.transcript.map((exchange) => [exchange.method, exchange.status ?? exchange.error]);
    expect(trail.slice(0, 4)).toEqual([
      ['GET', 200],
      ['POST', 'timed out after 100 ms'],
      ['POST', 409],
      ['GET', 200],
    ]);
  });
});

describe("Entra's quarantine", () => {
  const policy = { windowSize: 10, failureRatio: 0.8 };

  it('repeated 5xx quarantine the app with a growing back-off, shown in the transcript and the status; a clean cycle releases it', async () => {
    let healthy = false;
    const target = await start({ fault: () => (healthy ? null : { status: 503 }) });
    const clock = manualClock();
    const quarantine = new QuarantineMonitor(policy, clock.now);
    const pusher = createPersonalityPusher(createPersonality('entra'), {
      baseUrl: target.baseUrl,
      key: KEY,
      sleep: clock.sleep,
      now: clock.now,
      quarantine,
      concurrency: 1,
    });
    const desired: DesiredState = { people: people(8), groups: [] };

    const first = await pusher.reconcile(desired);
    expect(first.failures.length).toBe(8);
    expect(first.failures.some((failure) => failure.code === 'quarantined')).toBe(true);
    const status = pusher.provisioningStatus();
    expect(status).toMatchObject({
      state: 'quarantined',
      reason: 'EncounteredQuarantineException',
      lastFailure: 'server_error',
    });
    const began = Date.parse(status.currentBegan ?? '');
    expect(Date.parse(status.nextAttempt ?? '') - began).toBe(80 * 60_000);
    const stats = transcriptStats(pusher.transcript);
    expect(stats.notes).toHaveLength(1);
    expect(stats.notes[0]).toMatch(/^quarantine: \d+ of the last 10 calls failed/);
    expect(stats.byStatus['503']).toBe(stats.requests);
    // once quarantined nothing more went out in that cycle
    const sentWhileQuarantined = target.requests.length;

    // the next cycle before nextAttempt does not run at all
    await expect(pusher.reconcile(desired)).rejects.toMatchObject({ code: 'quarantined' });
    expect(target.requests.length).toBe(sentWhileQuarantined);

    // still failing at the next attempt: quarantined again, the delay doubled
    clock.advance(80 * 60_000);
    await pusher.reconcile(desired);
    const again = pusher.provisioningStatus();
    expect(Date.parse(again.nextAttempt ?? '') - Date.parse(again.currentBegan ?? '')).toBe(160 * 60_000);
    expect(again.seriesBegan).toBe(status.seriesBegan);

    // the target recovers: the next cycle succeeds and lifts the quarantine
    healthy = true;
    clock.advance(160 * 60_000);
    const recovered = await pusher.reconcile(desired);
    expect(recovered.failures).toEqual([]);
    expect(recovered.users.created).toBe(8);
    expect(pusher.provisioningStatus().state).toBe('healthy');
  });

  it('timeouts count too, and four weeks in quarantine disable provisioning', async () => {
    const target = await start({ fault: () => 'hang' });
    const clock = manualClock();
    const quarantine = new QuarantineMonitor({ ...policy, windowSize: 4 }, clock.now);
    const pusher = createPersonalityPusher(
      createPersonality('entra', { client: { requestTimeoutMs: 30, retry: { maxAttempts: 2 } } }),
      {
        baseUrl: target.baseUrl,
        key: KEY,
        sleep: clock.sleep,
        now: clock.now,
        quarantine,
      },
    );
    const desired: DesiredState = { people: people(4), groups: [] };
    await pusher.reconcile(desired);
    expect(pusher.provisioningStatus()).toMatchObject({ state: 'quarantined', lastFailure: 'timeout' });
    for (let cycle = 0; cycle < 40 && pusher.provisioningStatus().state === 'quarantined'; cycle += 1) {
      clock.advance(24 * 60 * 60_000);
      await pusher.reconcile(desired);
    }
    expect(pusher.provisioningStatus().state).toBe('disabled');
    clock.advance(365 * 24 * 60 * 60_000);
    await expect(pusher.reconcile(desired)).rejects.toMatchObject({ code: 'quarantined' });
  });

  it('other personalities have no quarantine: they retry and report', async () => {
    const target = await start({ fault: () => ({ status: 503 }) });
    const clock = manualClock();
    const pusher = createPersonalityPusher(
      createPersonality('okta', { client: { retry: { maxAttempts: 2 } } }),
      {
        baseUrl: target.baseUrl,
        key: KEY,
        sleep: clock.sleep,
        now: clock.now,
      },
    );
    const summary = await pusher.reconcile({ people: people(30), groups: [] });
    expect(new Set(summary.failures.map((failure) => failure.code))).toEqual(new Set(['retries_exhausted']));
    expect(pusher.provisioningStatus().state).toBe('healthy');
    await expect(pusher.reconcile({ people: people(1), groups: [] })).resolves.toBeDefined();
  });
});

function membersOf(group: JsonObject | undefined): string[] {
  return (Array.isArray(group?.members) ? group.members : [])
    .map((member) => String((member as JsonObject).value))
    .sort();
}

describe('storms under faults end with nothing lost or duplicated, within each personality concurrency', () => {
  it.each(PERSONALITY_NAMES)('%s', async (name: PersonalityName) => {
    const target = await start({
      fault: (request, index) => {
        if (index % 13 === 7) return { status: 429, headers: { 'retry-after': '1' } };
        if (index % 17 === 3) return { status: 503 };
        if (index % 97 === 50) return 'reset';
        if (index % 211 === 100 && request.method === 'PATCH') return 'apply-then-hang';
        return null;
      },
    });
    const clock = manualClock();
    const personality = createPersonality(name, {
      client: { requestTimeoutMs: 200, retry: { maxAttempts: 10 } },
    });
    const pusher = createPersonalityPusher(personality, {
      baseUrl: target.baseUrl,
      key: KEY,
      sleep: clock.sleep,
      keepTranscript: true,
    });
    const everyone = people(1500);
    const big = {
      id: 'grp-big',
      displayName: 'Everyone',
      memberIds: everyone.slice(0, 1200).map((p) => p.id),
    };
    const small = {
      id: 'grp-small',
      displayName: 'Pilots',
      memberIds: everyone.slice(1200, 1240).map((p) => p.id),
    };
    const initial = await pusher.reconcile({ people: everyone, groups: [big, small] });
    expect(initial.failures).toEqual([]);

    // the storm: 1,000 people unassigned at once, the 1,200-member group deleted, 300 family names changed
    const kept = everyone
      .slice(1000)
      .map((person, i) => (i < 300 ? { ...person, familyName: `Moved${i}` } : person));
    const storm = await pusher.reconcile(
      { people: kept, groups: [{ ...small, memberIds: small.memberIds }] },
      { removedGroups: 'delete' },
    );
    expect(storm.failures).toEqual([]);

    const users = [...target.users.values()];
    // nothing duplicated: one resource per userName, each created once
    expect(new Set(users.map((user) => String(user.userName).toLowerCase())).size).toBe(users.length);
    expect(target.created.users).toBe(1500);
    // nothing lost: the 1,000 unassigned are inactive, the rest active with their latest names
    const byName = new Map(users.map((user) => [String(user.userName), user]));
    for (const person of everyone.slice(0, 1000))
      expect(byName.get(person.userName)?.active, person.userName).toBe(false);
    for (const person of kept) {
      const held = byName.get(person.userName);
      expect(held?.active).toBe(true);
      expect((held?.name as JsonObject | undefined)?.familyName).toBe(person.familyName);
    }
    const groups = [...target.groups.values()];
    expect(groups.map((group) => group.displayName)).toEqual(['Pilots']);
    expect(membersOf(groups[0])).toEqual(small.memberIds.map((id) => pusher.appIdOfUser(id)).sort());
    // bounded concurrency, and a transcript that tells the rate and the errors
    expect(target.peakInFlight).toBeLessThanOrEqual(personality.client.concurrency);
    const stats = transcriptStats(pusher.transcript);
    expect(stats.errors).toBeGreaterThan(0);
    expect(stats.retries).toBeGreaterThan(0);
    expect(stats.byStatus['429']).toBeGreaterThan(0);
    expect(stats.requestsPerSecond).toBeGreaterThan(0);
    // an idempotent re-run
    const again = await pusher.reconcile({ people: kept, groups: [small] });
    expect(again.writes).toBe(0);
  });
});
