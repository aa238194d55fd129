// `idsim push`: pushes a directory (a JSON/CSV file, or a seeded population) to any SCIM 2.0 base URL with a key,
// as Okta, Entra, OneLogin, JumpCloud, Rippling or PingFederate would (OKT-01..04, KEY-04, issue #13), with a
// progress bar on a TTY and a summary (rate, errors, Entra's quarantine) at the end.
import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { DesiredState } from '../simulator/scim/model.ts';
import type { PersonalityName, ScimPersonality } from '../simulator/scim/personalities.ts';
import {
  createPersonality,
  createPersonalityPusher,
  PERSONALITY_NAMES,
} from '../simulator/scim/personalities.ts';
import type { PushMappingSnapshot, ReconcileSummary } from '../simulator/scim/pusher.ts';
import { seededDesiredState } from '../simulator/scim/seeded-state.ts';
import { readStateFile } from '../simulator/scim/state-file.ts';
import { transcriptStats } from '../simulator/scim/transcript-stats.ts';

export interface PushCommandOptions {
  baseUrl: string;
  key?: string;
  dialect: PersonalityName;
  updateMode: 'patch' | 'put';
  entraCompliance: boolean;
  /** JumpCloud: the Test Connection user */
  testUserEmail?: string;
  /** PingFederate: basic authentication instead of the bearer key, as user:password */
  basicAuth?: string;
  /** PingFederate: "Provision disabled users" */
  provisionDisabledUsers?: boolean;
  /** ms before a request is abandoned and retried (default: the personality's, 60 s) */
  timeout?: number;
  from?: string;
  seed?: number;
  groups: number;
  seedValue: number;
  /** default: the personality's own */
  concurrency?: number;
  transcript?: string;
  state?: string;
  deleteRemovedGroups: boolean;
  testOnly: boolean;
}

function nonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new InvalidArgumentError('expected a non-negative integer');
  return number;
}

function personalityOf(options: PushCommandOptions): ScimPersonality {
  const [username = '', ...rest] = (options.basicAuth ?? '').split(':');
  const client: { requestTimeoutMs?: number; concurrency?: number } = {};
  if (options.timeout !== undefined) client.requestTimeoutMs = options.timeout;
  if (options.concurrency !== undefined) client.concurrency = options.concurrency;
  return createPersonality(options.dialect, {
    okta: { updateMode: options.updateMode },
    entra: { scim2020Compliance: options.entraCompliance },
    ...(options.testUserEmail ? { jumpcloud: { testUserEmail: options.testUserEmail } } : {}),
    ping: {
      provisionDisabledUsers: options.provisionDisabledUsers ?? false,
      ...(options.basicAuth
        ? { authentication: { kind: 'basic', username, password: rest.join(':') } as const }
        : {}),
    },
    client,
  });
}

async function desiredStateOf(options: PushCommandOptions): Promise<DesiredState> {
  if (options.from) return readStateFile(options.from);
  return seededDesiredState({ people: options.seed ?? 0, groups: options.groups, seed: options.seedValue });
}

async function readMapping(path: string | undefined): Promise<PushMappingSnapshot | undefined> {
  if (!path) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PushMappingSnapshot;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function printSummary(summary: ReconcileSummary): void {
  const rows = [
    ...Object.entries(summary.users).map(([action, count]) => ({ resource: 'users', action, count })),
    ...Object.entries(summary.groups).map(([action, count]) => ({ resource: 'groups', action, count })),
  ].filter((row) => row.count > 0);
  console.table(rows);
  const seconds = summary.durationMs / 1000;
  console.log(
    `${summary.requests} requests (${summary.writes} writes) in ${seconds.toFixed(2)} s; ${summary.failures.length} failed`,
  );
  // target defects: the server ignores filters, or refuses creates with 409 and hides the conflicting resource
  const defects = new Set(
    summary.failures
      .filter((failure) => failure.code === 'filter_ignored' || failure.code === 'conflict_unresolved')
      .map((failure) => failure.code),
  );
  for (const code of defects) {
    console.error(
      code === 'filter_ignored'
        ? 'TARGET DEFECT: userName/displayName lookups answer resources that do not match; nothing was linked or written'
        : 'TARGET DEFECT: creates answer 409 but the conflicting resource cannot be found; those people were not provisioned',
    );
  }
  for (const failure of summary.failures.slice(0, 20)) {
    console.error(`  ${failure.kind} ${failure.id}: [${failure.code}] ${failure.message}`);
  }
  if (summary.failures.length > 20) console.error(`  ... and ${summary.failures.length - 20} more`);
}

/** Runs one push; resolves to the process exit code (0 ok, 1 some failures, 2 credentials refused). */
export async function runPush(options: PushCommandOptions): Promise<number> {
  // PingFederate with basic authentication sends no bearer key
  const key = options.key ?? process.env.IDSIM_SCIM_KEY ?? (options.basicAuth ? '' : undefined);
  if (key === undefined || (key === '' && !options.basicAuth)) {
    console.error('no API key: pass --key or set IDSIM_SCIM_KEY');
    return 2;
  }
  if (!options.testOnly && options.from === undefined && options.seed === undefined) {
    console.error('nothing to push: pass --from <file.json|file.csv> or --seed <people>');
    return 2;
  }
  const mapping = await readMapping(options.state);
  const pusher = createPersonalityPusher(personalityOf(options), {
    baseUrl: options.baseUrl,
    key,
    ...(mapping ? { mapping } : {}),
  });
  try {
    const check = await pusher.testCredentials();
    if (!check.ok) {
      console.error(
        `Test API Credentials failed (${check.status ?? 'no response'}, ${check.reason}): ${check.message}`,
      );
      return 2;
    }
    console.log(`Test API Credentials: ok (${check.totalResults} users already in the app)`);
    if (options.testOnly) return 0;

    const desired = await desiredStateOf(options);
    console.log(
      `pushing ${desired.people.length} people and ${desired.groups.length} groups with ${pusher.dialect.name}`,
    );
    const bar = process.stdout.isTTY
      ? new SingleBar({
          format: 'push [{bar}] {percentage}% | {value}/{total} | {duration}s',
          hideCursor: true,
        })
      : null;
    bar?.start(desired.people.length + desired.groups.length, 0);
    const summary = await pusher.reconcile(desired, {
      removedGroups: options.deleteRemovedGroups ? 'delete' : 'keep',
      onProgress: (done, total) => {
        bar?.setTotal(total);
        bar?.update(done);
      },
    });
    bar?.stop();
    printSummary(summary);
    const stats = transcriptStats(pusher.transcript);
    console.log(
      `${stats.requestsPerSecond.toFixed(1)} req/s (peak ${stats.peakRequestsPerSecond}/s); ${stats.errors} error answers, ` +
        `${stats.retries} retries; statuses ${JSON.stringify(stats.byStatus)}`,
    );
    const status = pusher.provisioningStatus();
    if (status.state !== 'healthy') {
      console.error(`provisioning is ${status.state} (next attempt ${status.nextAttempt ?? 'none'})`);
    }
    if (options.state)
      await writeFile(options.state, `${JSON.stringify(pusher.mappingSnapshot(), null, 2)}\n`);
    return summary.failures.length > 0 ? 1 : 0;
  } finally {
    if (options.transcript) {
      await writeFile(options.transcript, `${JSON.stringify(pusher.transcript, null, 2)}\n`);
      console.log(`transcript: ${pusher.transcript.length} exchanges written to ${options.transcript}`);
    }
  }
}

export function buildPushCommand(): Command {
  return new Command('push')
    .description(
      'push people and groups to a SCIM 2.0 endpoint as the provisioning client of Okta, Entra, OneLogin, JumpCloud, Rippling or PingFederate',
    )
    .requiredOption('--base-url <url>', 'SCIM base URL, e.g. http://127.0.0.1:3000/scim/v2')
    .option('--key <key>', 'SCIM API key (Bearer); default: $IDSIM_SCIM_KEY')
    .addOption(
      new Option('--dialect <name>', 'IdP personality: request shapes and client behaviour')
        .choices([...PERSONALITY_NAMES])
        .default('okta'),
    )
    .addOption(
      new Option('--update-mode <mode>', 'Okta: patch (catalogue app) or put (AIW / SCIM test app)')
        .choices(['patch', 'put'])
        .default('patch'),
    )
    .option('--entra-compliance', 'Entra: the aadOptscim062020 flag (lower-case ops, booleans)', false)
    .option('--from <file>', 'people and groups from a .json or .csv file')
    .option('--seed <people>', 'push a seeded population of this many people', nonNegativeInteger)
    .option('--groups <n>', 'with --seed: number of groups', nonNegativeInteger, 0)
    .option('--seed-value <n>', 'with --seed: faker seed', nonNegativeInteger, 1)
    .option(
      '--concurrency <n>',
      "requests in flight at once (default: the personality's)",
      nonNegativeInteger,
    )
    .option(
      '--timeout <ms>',
      'abandon and retry a request after this long (default 60000)',
      nonNegativeInteger,
    )
    .option('--test-user-email <email>', 'JumpCloud: the user its Test Connection creates and deletes')
    .option('--basic-auth <user:password>', 'PingFederate: basic authentication instead of the bearer key')
    .option('--provision-disabled-users', 'PingFederate: create inactive people with active false', false)
    .option('--transcript <path>', 'write every request/response exchange to this JSON file')
    .option('--state <path>', 'remember the IdP→app mapping here, so that re-runs send only changes')
    .option('--delete-removed-groups', 'DELETE groups the pusher holds that the input no longer lists', false)
    .option('--test-only', 'only run Test API Credentials', false)
    .action(async (options: PushCommandOptions) => {
      process.exitCode = await runPush(options);
    });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await buildPushCommand().parseAsync(process.argv);
}
