// `npm start`: the demo. Starts the reference server on localhost (port 4000, or a free one if busy) with demo data
// in .idsim/demo.sqlite (seeded once, kept across restarts) and prints its URLs, the control token and a SCIM key.

import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { LaunchInfo } from '../server/http/launch.ts';
import { closeOnSignals, launchServer, readDemoState } from '../server/http/launch.ts';
import { createJsonLineLogger } from '../server/http/logger.ts';

const DEMO_DIR = '.idsim';
const DEFAULT_PORT = 4000;

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('a port from 0 to 65535');
  return port;
}

interface StartFlags {
  port: number;
  dir: string;
  reset?: boolean;
  verbose?: boolean;
}

const program = new Command()
  .name('idsim start')
  .description('Start the idsim reference server with demo data and print how to use it.')
  .option('--port <port>', 'preferred port; a free one is used if it is busy', portNumber, DEFAULT_PORT)
  .option('--dir <dir>', 'where the demo database and its state live', DEMO_DIR)
  .option('--reset', 'delete the demo database first and seed a fresh one')
  .option('--verbose', 'log lifecycle events to stderr too (errors are always logged there)')
  .showHelpAfterError();

function banner(info: LaunchInfo, preferredPort: number, adminPassword: string | undefined): string {
  const port = Number(new URL(info.baseUrl).port);
  const lines = [
    '',
    `idsim reference server ${info.reusedDemo ? '(demo data from an earlier run)' : '(demo data seeded now)'}`,
    port === preferredPort ? '' : `  port ${preferredPort} was busy, so it listens on ${port}`,
    `  base URL        ${info.baseUrl}`,
    `  SCIM base URL   ${info.scimBaseUrl}`,
    `  control API     ${info.controlBaseUrl}   (docs/control-api.openapi.yaml)`,
    `  health          ${info.healthUrl}`,
    '',
    `  control token   ${info.controlToken}`,
    `  team id         ${info.teamId ?? '-'}`,
    `  admin           ${info.adminEmail ?? '-'}  (account ${info.adminAccountId ?? '-'})${adminPassword ? `  password ${adminPassword}` : ''}`,
    `  SCIM key        ${info.scimKey ?? '-'}`,
    '                  (new on every start: keys are shown once; earlier keys stay ACTIVE until revoked)',
    '',
    'Try:',
    `  curl -s -H 'Authorization: Bearer ${info.scimKey ?? '<key>'}' '${info.scimBaseUrl}/Users?startIndex=1&count=2'`,
    `  curl -s -H 'Authorization: Bearer ${info.controlToken}' '${info.controlBaseUrl}/teams/${info.teamId ?? '<teamId>'}/members'`,
    '',
    'Ctrl-C stops it; the data stays in the demo database. `npm start -- --reset` starts over.',
    '',
  ];
  return lines.filter((line, index) => line !== '' || lines[index - 1] !== '').join('\n');
}

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<StartFlags>();
  const dir = resolve(flags.dir);
  const dbPath = resolve(dir, 'demo.sqlite');
  const stateFile = resolve(dir, 'demo.json');
  if (flags.reset) {
    for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, stateFile]) rmSync(file, { force: true });
  }
  // The control token is kept in the state file, so scripts written against one run keep working after a restart.
  const previous = readDemoState(stateFile);
  const { handle, info, demo } = await launchServer({
    server: {
      host: '127.0.0.1',
      port: flags.port,
      dbPath,
      ...(previous?.controlToken === undefined ? {} : { controlToken: previous.controlToken }),
      logger: createJsonLineLogger(process.stderr, { includeInfo: flags.verbose === true }),
    },
    seed: 'demo',
    demoStateFile: stateFile,
    persistControlToken: true,
    fallbackToFreePort: true,
  });
  process.stdout.write(`${banner(info, flags.port, demo?.adminPassword)}\n`);
  closeOnSignals(handle, (code) => process.exit(code));
}

main().catch((error: unknown) => {
  console.error(`idsim start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
