// `npm run bench:scim-steps`: where the time of GET /Users/{id} goes. Runs the minimal express baseline, then each
// step of bench/servers/scim-steps-server.ts, all driven alike (same connections, rotating ids, same headers), and
// prints requests/s (median of interleaved rounds), the ratio to the baseline, and the server time each step adds per
// request (1/rps differences).
// Writes reports/bench/scim-steps.json.
import { type LoadOptions, type LoadResult, runLoad, startChild, warmUp, writeReport } from './load.ts';

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

// The machine is shared: the steps run in ROUNDS interleaved rounds and each keeps its median, so a noisy moment
// lands on one sample of every step instead of on one whole step.
const samples: LoadResult[][] = STEPS.map(() => []);
try {
  for (const step of STEPS) await warmUp(options(step), 1);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [index, step] of STEPS.entries()) samples[index]?.push(await runLoad(options(step)));
  }
} finally {
  await Promise.all([baseline.stop(), steps.stop()]);
}
const median = (results: LoadResult[]): LoadResult => {
  const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle === undefined) throw new Error('no samples');
  return { ...middle, errors: sum(results, 'errors'), non2xx: sum(results, 'non2xx') };
};
const sum = (results: LoadResult[], field: 'errors' | 'non2xx'): number =>
  results.reduce((total, result) => total + result[field], 0);
const runs = samples.map(median);

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
