// Shared pieces of the benchmarks: start a server under test in its own process (so the load generator never
// shares its event loop) and drive it with autocannon from this process.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

export const repoRoot = join(import.meta.dirname, '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

export interface ChildServer<Info> {
  info: Info;
  stop(): Promise<void>;
}

/** Spawns `tsx <script> ...args` and resolves with the first JSON line it prints on stdout. */
export function startChild<Info>(script: string, args: string[] = []): Promise<ChildServer<Info>> {
  const child: ChildProcess = spawn(tsx, [join(repoRoot, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: repoRoot,
  });
  return new Promise((resolve, reject) => {
    const stdout = child.stdout;
    if (!stdout) throw new Error('child has no stdout');
    const lines = createInterface({ input: stdout });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    lines.once('line', (line) => {
      const stop = (): Promise<void> =>
        new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        });
      resolve({ info: JSON.parse(line) as Info, stop });
    });
  });
}

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  /** autocannon's latency histogram counts whole milliseconds: p50 0 means under 1 ms */
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface LoadOptions {
  name: string;
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  /** Called per request: returns the path (and body) so each request can differ. */
  next?: () => { path: string; body?: string };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { next } = options;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    requests: next
      ? [
          {
            setupRequest: (request) => {
              const { path, body } = next();
              return body === undefined ? { ...request, path } : { ...request, path, body };
            },
          },
        ]
      : undefined,
  });
  return {
    name: options.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * Runs every load once per round, `rounds` times, interleaved, and keeps each load's median run (by requests/s;
 * errors and non-2xx summed over all runs). The machines are shared: a noisy moment then lands on one sample of
 * every load instead of on one whole load, which matters most for ratios between loads. Each load first runs for
 * a second unmeasured: the first run of a process otherwise pays for JIT warm-up (autocannon's and the server's).
 */
export async function measureInRounds(loads: readonly LoadOptions[], rounds: number): Promise<LoadResult[]> {
  for (const load of loads) await runLoad({ ...load, name: `${load.name} (warm-up)`, durationSeconds: 1 });
  const samples: LoadResult[][] = loads.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, load] of loads.entries()) samples[index]?.push(await runLoad(load));
  }
  return samples.map((results) => {
    const sorted = [...results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    const middle = sorted[Math.floor(sorted.length / 2)];
    if (middle === undefined) throw new Error('no samples');
    const sum = (field: 'errors' | 'non2xx') => results.reduce((total, result) => total + result[field], 0);
    return { ...middle, errors: sum('errors'), non2xx: sum('non2xx') };
  });
}

export function writeReport(relativePath: string, report: unknown): string {
  const path = join(repoRoot, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
