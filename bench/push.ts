// `npm run bench:push`: 10,000 people and 100 groups pushed by the simulator's SCIM pusher into the reference
// server over loopback; prints users/s and total time, writes reports/bench/push.json (targets.md: <= 15 s).

import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServer } from '../server/http/app.ts';
import { silentLogger } from '../server/http/logger.ts';
import { createScimReadyTeam } from '../server/service/index.ts';
import { createEntraDialect } from '../simulator/scim/entra.ts';
import { createOktaDialect } from '../simulator/scim/okta.ts';
import { ScimPusher } from '../simulator/scim/pusher.ts';
import { seededDesiredState } from '../simulator/scim/seeded-state.ts';

const TARGET_SECONDS = 15;
const ROLE_ENV = 'IDSIM_PUSH_BENCH_ROLE';

interface TargetReady {
  scimBaseUrl: string;
  key: string;
}

/**
 * The reference server runs in a child process, as a real app would run apart from its IdP: the pusher and the
 * server then each have a core of this 2-core machine instead of sharing one event loop.
 */
async function serveTarget(seats: number): Promise<void> {
  const server = createServer({ logger: silentLogger });
  await server.listen({ port: 0 });
  const { service } = server;
  const { key } = createScimReadyTeam(service, {
    name: 'Bench',
    licensedSeats: seats,
    owner: { email: 'owner@bench.test', givenName: 'Bench', familyName: 'Owner' },
  });
  const ready: TargetReady = { scimBaseUrl: server.urls.scim, key };
  process.send?.(ready);
  process.on('disconnect', () => {
    void server.close().then(() => process.exit(0));
  });
}

function startTarget(seats: number): Promise<{ child: ChildProcess; ready: TargetReady }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, [ROLE_ENV]: 'target', IDSIM_PUSH_BENCH_SEATS: String(seats) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, ready: message as TargetReady }));
    child.once('exit', (code) => reject(new Error(`the target process exited early (${code})`)));
    child.once('error', reject);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '10000' },
      groups: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '32' },
      dialect: { type: 'string', default: 'okta' },
    },
  });
  const people = Number(values.people);
  const groups = Number(values.groups);
  const concurrency = Number(values.concurrency);
  const desired = seededDesiredState({ people, groups, seed: 42 });
  const { child, ready } = await startTarget(people + 10);
  try {
    const dialect =
      values.dialect === 'entra' ? createEntraDialect() : createOktaDialect({ updateMode: 'patch' });
    const pusher = new ScimPusher({
      baseUrl: ready.scimBaseUrl,
      key: ready.key,
      dialect,
      concurrency,
      keepTranscript: false,
    });
    const check = await pusher.testCredentials();
    if (!check.ok) throw new Error(`Test API Credentials failed: ${check.message}`);

    console.log(
      `pushing ${people} people and ${groups} groups (${dialect.name}, concurrency ${concurrency})`,
    );
    const cpuBefore = process.cpuUsage();
    const first = await pusher.reconcile(desired);
    const cpu = process.cpuUsage(cpuBefore);
    const pusherCpuSeconds = (cpu.user + cpu.system) / 1e6;
    const seconds = first.durationMs / 1000;
    const usersPerSecond = people / seconds;
    console.log(
      `first push: ${seconds.toFixed(2)} s, ${usersPerSecond.toFixed(0)} users/s, ${first.requests} requests ` +
        `(pusher CPU ${pusherCpuSeconds.toFixed(2)} s; load average ${os.loadavg()[0]?.toFixed(2)})`,
    );

    const rerun = await pusher.reconcile(desired);
    console.log(
      `re-run of the same state: ${(rerun.durationMs / 1000).toFixed(3)} s, ${rerun.writes} writes`,
    );

    const failures = first.failures.length + rerun.failures.length;
    const pass = failures === 0 && rerun.writes === 0 && seconds <= TARGET_SECONDS;
    const report = {
      bench: 'push',
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      dialect: dialect.name,
      concurrency,
      people,
      groups,
      firstPush: {
        seconds,
        usersPerSecond,
        requests: first.requests,
        writes: first.writes,
        pusherCpuSeconds,
        loadAverage1m: os.loadavg()[0],
        users: first.users,
        groups: first.groups,
        failures: first.failures.length,
      },
      rerun: { seconds: rerun.durationMs / 1000, requests: rerun.requests, writes: rerun.writes },
      target: { maxSeconds: TARGET_SECONDS, pass },
    };
    await mkdir(new URL('../reports/bench/', import.meta.url), { recursive: true });
    await writeFile(
      new URL('../reports/bench/push.json', import.meta.url),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    console.log(
      `${pass ? 'PASS' : 'FAIL'}: ${seconds.toFixed(2)} s for ${people} people + ${groups} groups (target <= ${TARGET_SECONDS} s); ` +
        `${failures} failures; reports/bench/push.json written`,
    );
    if (first.failures[0]) console.error('first failure:', first.failures[0]);
    if (!pass) process.exitCode = 1;
  } finally {
    child.disconnect();
  }
}

if (process.env[ROLE_ENV] === 'target') {
  await serveTarget(Number(process.env.IDSIM_PUSH_BENCH_SEATS ?? '20000'));
} else {
  await main();
}
