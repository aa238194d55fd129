// `npm run bench:scim-steps`: where the time of GET /Users/{id} goes. Runs the minimal express baseline, then each
// step of bench/servers/scim-steps-server.ts, all driven alike (same connections, rotating ids, same headers), and
// prints requests/s, the ratio to the baseline, and the server time each step adds per request (1/rps differences).
// Writes reports/bench/scim-steps.json.
import { type LoadOptions, type LoadResult, runLoad, startChild, warmUp, writeReport } from './load.ts';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
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
const measure = async (name: string, port: number, prefix: string) => {
  const options: LoadOptions = {
    name,
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    durationSeconds: SECONDS,
    headers,
    next: () => ({ path: `${prefix}${nextId()}` }),
  };
  await warmUp(options, 1);
  return runLoad(options);
};

const runs: LoadResult[] = [];
try {
  runs.push(await measure('minimal express route (own process)', baseline.info.port, '/Users/'));
  runs.push(await measure('fixed SCIM-sized body', steps.info.port, '/steps/fixed/'));
  runs.push(await measure('+ bearer key check', steps.info.port, '/steps/auth/'));
  runs.push(await measure('+ SQLite member row read', steps.info.port, '/steps/read/'));
  runs.push(await measure('SCIM handler + JSON, flat route', steps.info.port, '/steps/render/'));
  runs.push(await measure('real SCIM router GET /Users/{id}', steps.info.port, '/scim/v2/Users/'));
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
  steps: rows,
});
console.table(rows);
console.log(`report: ${path}`);
if (rows.some((row) => row.errors > 0)) process.exitCode = 1;
