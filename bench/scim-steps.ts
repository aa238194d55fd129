// `npm run bench:scim-steps`: where the time of GET /Users/{id} goes. Runs the minimal express baseline, then each
// step of bench/servers/scim-steps-server.ts, all driven alike (same connections, rotating ids, same headers), and
// prints requests/s (median of interleaved rounds), the ratio to the baseline, and the server time each step adds per
// request (1/rps differences).
// Writes reports/bench/scim-steps.json.
import { type LoadOptions, type LoadResult, measureInRounds, startChild, writeReport } from './load.ts';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

interface StepsServerInfo {
  port: number;
  key: string;
  ids: string[];
}

function cycle<T>(values: readonly T[]): () => T {
  let i = 0;
  return () => values[i++ % values.length] as T;
}

const baseline = await startChild<{ port: number }>('bench/servers/express-min.ts');
const steps = await startChild<StepsServerInfo>('bench/servers/scim-steps-server.ts', [String(USERS)]);
const headers = { authorization: `Bearer ${steps.info.key}`, 'content-type': 'application/scim+json' };
const nextId = cycle(steps.info.ids);
const STEPS: { name: string; port: number; prefix: string }[] = [
  { name: 'minimal express route (own process)', port: baseline.info.port, prefix: '/Users/' },
  { name: 'fixed SCIM-sized body', port: steps.info.port, prefix: '/steps/fixed/' },
  { name: '+ bearer key check', port: steps.info.port, prefix: '/steps/auth/' },
  { name: '+ SQLite member row read', port: steps.info.port, prefix: '/steps/read/' },
  { name: 'SCIM handler + JSON, flat route', port: steps.info.port, prefix: '/steps/render/' },
  { name: 'real SCIM router GET /Users/{id}', port: steps.info.port, prefix: '/scim/v2/Users/' },
];
const options = (step: (typeof STEPS)[number]): LoadOptions => ({
  name: step.name,
  url: `http://127.0.0.1:${step.port}`,
  connections: CONNECTIONS,
  durationSeconds: SECONDS,
  headers,
  next: () => ({ path: `${step.prefix}${nextId()}` }),
});

let runs: LoadResult[];
try {
  runs = await measureInRounds(STEPS.map(options), ROUNDS);
} finally {
  await Promise.all([baseline.stop(), steps.stop()]);
}

const base = runs[0]?.requestsPerSecond ?? 1;
const rows = runs.map((run, index) => {
  const previous = runs[index - 1];
  return {
    step: run.name,
    requestsPerSecond: run.requestsPerSecond,
    ratioToMinimalExpress: Math.round((run.requestsPerSecond / base) * 1000) / 1000,
    microsecondsPerRequest: Math.round(1e6 / run.requestsPerSecond),
    addedMicroseconds:
      previous === undefined || index === 1
        ? null
        : Math.round(1e6 / run.requestsPerSecond - 1e6 / previous.requestsPerSecond),
    errors: run.errors + run.non2xx,
  };
});
const path = writeReport('reports/bench/scim-steps.json', {
  at: new Date().toISOString(),
  node: process.version,
  users: USERS,
  connections: CONNECTIONS,
  durationSeconds: SECONDS,
  rounds: ROUNDS,
  steps: rows,
});
console.table(rows);
console.log(`report: ${path}`);
if (rows.some((row) => row.errors > 0)) process.exitCode = 1;
