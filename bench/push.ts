// `npm run bench:push`: 10,000 people and 100 groups pushed by the simulator's SCIM pusher into the reference
// server over loopback, once per IdP personality (issue #13); prints each time, writes reports/bench/push.json
// (targets.md: <= 15 s for Okta). `--dialect okta` runs one personality.

import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServer } from '../server/http/app.ts';
import { silentLogger } from '../server/http/logger.ts';
import { createScimReadyTeam } from '../server/service/index.ts';
import type { DesiredState } from '../simulator/scim/model.ts';
import type { PersonalityName } from '../simulator/scim/personalities.ts';
import {
  createPersonality,
  createPersonalityPusher,
  PERSONALITY_NAMES,
  personalityNamed,
} from '../simulator/scim/personalities.ts';
import type { ReconcileSummary } from '../simulator/scim/pusher.ts';
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

interface PersonalityRun {
  personality: PersonalityName;
  dialect: string;
  seconds: number;
  usersPerSecond: number;
  requests: number;
  writes: number;
  pusherCpuSeconds: number;
  loadAverage1m: number | undefined;
  users: ReconcileSummary['users'];
  groups: ReconcileSummary['groups'];
  failures: number;
  firstFailure: ReconcileSummary['failures'][number] | null;
  rerun: { seconds: number; requests: number; writes: number };
}

/** One personality into a fresh reference server (its own child process), first push then an idempotent re-run. */
async function runPersonality(
  name: PersonalityName,
  desired: DesiredState,
  concurrency: number,
  seats: number,
): Promise<PersonalityRun> {
  const { child, ready } = await startTarget(seats);
  try {
    // the same concurrency for every personality, so the times compare (their own defaults are smaller)
    const personality = createPersonality(name, { client: { concurrency } });
    const pusher = createPersonalityPusher(personality, {
      baseUrl: ready.scimBaseUrl,
      key: ready.key,
      keepTranscript: false,
    });
    const check = await pusher.testCredentials();
    if (!check.ok) throw new Error(`${name}: Test API Credentials failed: ${check.message}`);
    const cpuBefore = process.cpuUsage();
    const first = await pusher.reconcile(desired);
    const cpu = process.cpuUsage(cpuBefore);
    const rerun = await pusher.reconcile(desired);
    const seconds = first.durationMs / 1000;
    return {
      personality: name,
      dialect: personality.dialect.name,
      seconds,
      usersPerSecond: desired.people.length / seconds,
      requests: first.requests,
      writes: first.writes,
      pusherCpuSeconds: (cpu.user + cpu.system) / 1e6,
      loadAverage1m: os.loadavg()[0],
      users: first.users,
      groups: first.groups,
      failures: first.failures.length + rerun.failures.length,
      firstFailure: first.failures[0] ?? rerun.failures[0] ?? null,
      rerun: { seconds: rerun.durationMs / 1000, requests: rerun.requests, writes: rerun.writes },
    };
  } finally {
    child.disconnect();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '10000' },
      groups: { type: 'string', default: '100' },
      concurrency: { type: 'string', default: '32' },
      dialect: { type: 'string', default: 'all' },
    },
  });
  const people = Number(values.people);
  const groups = Number(values.groups);
  const concurrency = Number(values.concurrency);
  const names: PersonalityName[] =
    values.dialect === 'all' ? [...PERSONALITY_NAMES] : [personalityNamed(values.dialect ?? '') ?? 'okta'];
  const desired = seededDesiredState({ people, groups, seed: 42 });
  const runs: PersonalityRun[] = [];
  for (const name of names) {
    console.log(`pushing ${people} people and ${groups} groups as ${name} (concurrency ${concurrency})`);
    const run = await runPersonality(name, desired, concurrency, people + 10);
    runs.push(run);
    console.log(
      `  ${run.dialect}: ${run.seconds.toFixed(2)} s, ${run.usersPerSecond.toFixed(0)} users/s, ${run.requests} requests ` +
        `(pusher CPU ${run.pusherCpuSeconds.toFixed(2)} s; load ${run.loadAverage1m?.toFixed(2)}); ` +
        `re-run ${run.rerun.seconds.toFixed(3)} s with ${run.rerun.writes} writes; ${run.failures} failures`,
    );
    if (run.firstFailure) console.error('  first failure:', run.firstFailure);
  }

  // targets.md: <= 15 s for Okta; every personality must finish without failures and re-run without writes
  const okta = runs.find((run) => run.personality === 'okta');
  const sound = runs.every((run) => run.failures === 0 && run.rerun.writes === 0);
  const pass = sound && (okta === undefined || okta.seconds <= TARGET_SECONDS);
  const report = {
    bench: 'push',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    concurrency,
    people,
    groups,
    personalities: runs,
    target: { maxSecondsOkta: TARGET_SECONDS, oktaSeconds: okta?.seconds ?? null, pass },
  };
  await mkdir(new URL('../reports/bench/', import.meta.url), { recursive: true });
  await writeFile(
    new URL('../reports/bench/push.json', import.meta.url),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  console.table(
    runs.map((run) => ({
      personality: run.personality,
      seconds: Number(run.seconds.toFixed(2)),
      requests: run.requests,
      failures: run.failures,
    })),
  );
  console.log(
    `${pass ? 'PASS' : 'FAIL'}: Okta ${okta ? `${okta.seconds.toFixed(2)} s` : 'not run'} for ${people} people + ${groups} groups ` +
      `(target <= ${TARGET_SECONDS} s); reports/bench/push.json written`,
  );
  if (!pass) process.exitCode = 1;
}

if (process.env[ROLE_ENV] === 'target') {
  await serveTarget(Number(process.env.IDSIM_PUSH_BENCH_SEATS ?? '20000'));
} else {
  await main();
}
