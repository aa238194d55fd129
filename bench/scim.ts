// `npm run bench`: SCIM throughput and latency of the reference server at 100,000 users, against baselines
// measured in the same run (shared/targets.md): bare node:http and a minimal express route, all interleaved in rounds
// (medians). Writes reports/bench/scim.json.
import { type LoadOptions, type LoadResult, measureInRounds, startChild, writeReport } from './load.ts';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** Interleaved rounds; each load keeps its median (bench/load.ts measureInRounds). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Same concurrency for every throughput run, so the ratios compare like with like (50: shared/targets.md). */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/**
 * Latency targets are read at one connection: at 50 connections p50 is mostly queueing (50 / throughput), so a
 * "p50 <= 2 ms" at that load would need 25,000 req/s from any server.
 */
const LATENCY_CONNECTIONS = 1;

interface ScimServerInfo {
  port: number;
  key: string;
  ids: string[];
  userNames: string[];
  seededMs: number;
  users: number;
}

function cycle<T>(values: readonly T[]): () => T {
  let i = 0;
  return () => values[i++ % values.length] as T;
}

/** Same header names and sizes as the SCIM requests (a key is ~50 characters). */
const BASELINE_HEADERS = {
  authorization: `Bearer ${'k'.repeat(50)}`,
  'content-type': 'application/scim+json',
};

// Every server runs for the whole bench, so the loads can be interleaved round by round (measureInRounds).
const bareServer = await startChild<{ port: number }>('bench/servers/bare-http.ts');
const expressServer = await startChild<{ port: number }>('bench/servers/express-min.ts');
const scim = await startChild<ScimServerInfo>('bench/servers/scim-server.ts', [String(USERS)]);
let results: LoadResult[];
try {
  /**
   * Baselines are driven exactly like the SCIM runs: a different id per request and the same headers, so the load
   * generator does the same work per request and the ratio measures the servers, not autocannon's request building.
   */
  const nextBaselineId = cycle(
    Array.from({ length: 1000 }, (_, i) => `5f1e2d3c-0000-4000-8000-${String(i).padStart(12, '0')}`),
  );
  const baseline = (name: string, port: number): LoadOptions => ({
    name,
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    durationSeconds: SECONDS,
    headers: BASELINE_HEADERS,
    next: () => ({ path: `/Users/${nextBaselineId()}` }),
  });
  const base = `http://127.0.0.1:${scim.info.port}/scim/v2`;
  const headers = { authorization: `Bearer ${scim.info.key}`, 'content-type': 'application/scim+json' };
  const nextId = cycle(scim.info.ids);
  const nextName = cycle(scim.info.userNames);
  const load = (
    name: string,
    next: () => { path: string; body?: string },
    method: 'GET' | 'POST' = 'GET',
    connections = CONNECTIONS,
  ): LoadOptions => ({ name, url: base, connections, durationSeconds: SECONDS, headers, method, next });
  const userNameFilter = () => ({
    path: `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${nextName()}"`)}`,
  });
  let created = 0;
  const newUser = () => {
    created += 1;
    const body = JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: `bench-new-${process.pid}-${created}@bench.example`,
      name: { givenName: 'New', familyName: `User${created}` },
      emails: [{ primary: true, value: `bench-new-${created}@bench.example`, type: 'work' }],
      active: true,
    });
    return { path: '/scim/v2/Users', body };
  };
  results = await measureInRounds(
    [
      baseline('bare node:http, fixed JSON', bareServer.info.port),
      baseline('express 5, one route, res.end', expressServer.info.port),
      load('SCIM GET /Users/{id}', () => ({ path: `/scim/v2/Users/${nextId()}` })),
      load('SCIM GET /Users?filter=userName eq', userNameFilter),
      load(
        `SCIM GET /Users?filter=userName eq, ${LATENCY_CONNECTIONS} connection (latency)`,
        userNameFilter,
        'GET',
        LATENCY_CONNECTIONS,
      ),
      load('SCIM GET /Users?filter=complex', () => ({
        path: `/scim/v2/Users?count=10&filter=${encodeURIComponent(
          `emails[type eq "work" and value eq "${nextName()}"] and active eq true and name.familyName pr`,
        )}`,
      })),
      load('SCIM POST /Users', newUser, 'POST'),
    ],
    ROUNDS,
  );
} finally {
  await Promise.all([bareServer.stop(), expressServer.stop(), scim.stop()]);
}

const byName = (name: string): LoadResult => {
  const found = results.find((r) => r.name.startsWith(name));
  if (!found) throw new Error(`no result ${name}`);
  return found;
};
const bare = byName('bare node:http');
const minimalExpress = byName('express 5, one route');
const getById = byName('SCIM GET /Users/{id}');
const filter = byName('SCIM GET /Users?filter=userName eq');
const filterLatency = byName(`SCIM GET /Users?filter=userName eq, ${LATENCY_CONNECTIONS} connection`);
const create = byName('SCIM POST /Users');
const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;

const checks = [
  {
    target: 'GET /Users/{id} >= 70% of minimal express req/s',
    value: ratio(getById.requestsPerSecond, minimalExpress.requestsPerSecond),
    pass: getById.requestsPerSecond >= 0.7 * minimalExpress.requestsPerSecond,
  },
  {
    target: 'GET /Users/{id} vs bare node:http (informative; issue #2 asked >= 40%)',
    value: ratio(getById.requestsPerSecond, bare.requestsPerSecond),
    pass: getById.requestsPerSecond >= 0.4 * bare.requestsPerSecond,
  },
  {
    // autocannon's histogram counts whole milliseconds, so the value shown is the mean latency of the closed loop on
    // one connection (1000 / req/s, in ms), the figure with sub-millisecond resolution; p50 itself must be <= 2 too.
    target: `userName eq filter p50 <= 2 ms at ${scim.info.users} users (${LATENCY_CONNECTIONS} connection; mean ms shown)`,
    value: Math.round((1000 / filterLatency.requestsPerSecond) * 1000) / 1000,
    pass: filterLatency.p50Ms <= 2 && 1000 / filterLatency.requestsPerSecond <= 2,
  },
  {
    target: 'userName eq filter >= 50% of GET by id req/s',
    value: ratio(filter.requestsPerSecond, getById.requestsPerSecond),
    pass: filter.requestsPerSecond >= 0.5 * getById.requestsPerSecond,
  },
  {
    target: 'POST /Users >= 2,000 creates/s',
    value: create.requestsPerSecond,
    pass: create.requestsPerSecond >= 2000,
  },
];

const failed = results.filter((r) => r.errors > 0 || r.non2xx > 0);
const report = {
  at: new Date().toISOString(),
  node: process.version,
  users: scim.info.users,
  seededMs: scim.info.seededMs,
  connections: CONNECTIONS,
  latencyConnections: LATENCY_CONNECTIONS,
  durationSeconds: SECONDS,
  rounds: ROUNDS,
  results,
  checks,
};
const path = writeReport('reports/bench/scim.json', report);

console.table(results.map((r) => ({ ...r })));
console.table(checks);
console.log(`seeded ${scim.info.users} users in ${scim.info.seededMs} ms; report: ${path}`);
if (failed.length > 0) {
  console.error(
    `requests failed in: ${failed.map((r) => `${r.name} (${r.non2xx} non-2xx, ${r.errors} errors)`).join(', ')}`,
  );
  process.exitCode = 1;
}
