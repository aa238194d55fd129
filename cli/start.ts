// `npm start`: the whole system on localhost, seeded: the reference server with the web console at /console, the
// simulator IdP and its SCIM pusher (idsim issues #2 and #6). Demo data lives in .idsim/ and survives a restart.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { Demo } from '../console/demo.ts';
import { startDemo } from '../console/demo.ts';
import { createJsonLineLogger } from '../server/http/logger.ts';
import { stopWhenNpmParentDies } from './npm-parent.ts';
import { portNumber } from './options.ts';

const DEFAULT_PORT = 4000;

interface StartFlags {
  port: number;
  idpPort?: number;
  dir: string;
  reset?: boolean;
  verbose?: boolean;
}

const program = new Command()
  .name('idsim start')
  .description('Start the reference server, the simulator IdP and the web console, seeded, on localhost.')
  .option(
    '--port <port>',
    'reference server and console port; a free one is used if it is busy',
    portNumber,
    DEFAULT_PORT,
  )
  .option(
    '--idp-port <port>',
    "simulator IdP port (0: any free port); default: the last run's port when free, so IdP URLs stay put",
    portNumber,
  )
  .option('--dir <dir>', 'where the demo database and its state live', '.idsim')
  .option('--reset', 'delete the demo database first and seed a fresh one')
  .option('--verbose', 'log lifecycle events to stderr too (errors are always logged there)')
  .showHelpAfterError();

function banner(demo: Demo, preferredPort: number): string {
  const { urls, info } = demo;
  const oktaToken = demo.system.simulator.config.oktaApiToken;
  const port = Number(new URL(urls.server).port);
  const lines = [
    '',
    `idsim ${info.reused ? '(demo data from an earlier run)' : '(demo data seeded now)'}`,
    port === preferredPort || preferredPort === 0
      ? ''
      : `  port ${preferredPort} was busy, so it listens on ${port}`,
    `  console         ${urls.console}`,
    `  reference       ${urls.server}   (index page; health ${urls.health})`,
    `  SCIM base URL   ${urls.scim}`,
    `  control API     ${urls.control}   (docs/control-api.openapi.yaml)`,
    `  simulator IdP   ${urls.idp}   (metadata ${urls.idpMetadata})`,
    `  SP sign-in      ${urls.spLogin}`,
    `  OIDC issuer     ${urls.idp}/oauth2/default   (the console's OpenID Connect card signs in over it)`,
    `  Okta API        ${urls.idp}/api/v1   token ${oktaToken}`,
    `  IdP people      password ${info.idpPassword}   (every person of the test IdP; logins in the console)`,
    '',
    `  control token   ${info.controlToken}`,
    `  team id         ${info.teamId}`,
    `  admin           ${info.adminEmail}${info.adminPassword ? `  password ${info.adminPassword}` : ''}`,
    `  admin account   ${info.adminAccountId}   (X-Idsim-Actor of admin actions)`,
    `  SCIM key        ${info.scimKey}`,
    '                  (new on every start: keys are shown once; earlier keys stay ACTIVE until revoked)',
    '',
    'Try:',
    `  curl -s -H 'Authorization: Bearer ${info.scimKey}' '${urls.scim}/Users?startIndex=1&count=2'`,
    `  curl -s -H 'Authorization: Bearer ${info.controlToken}' '${urls.control}/teams/${info.teamId}/members'`,
    `  curl -s -H 'Authorization: SSWS ${oktaToken}' '${urls.idp}/api/v1/users?limit=2'`,
    `  npm run push -- --base-url ${urls.scim} --key ${info.scimKey} --seed 20 --dialect okta`,
    '',
    'Ctrl-C stops it; the data stays in the demo database. `npm start -- --reset` starts over.',
    '',
  ];
  return lines.filter((line, index) => line !== '' || lines[index - 1] !== '').join('\n');
}

/** The IdP port of the last run, so bookmarks and SP configurations pointing at it keep working (`idp.json`). */
function rememberedIdpPort(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const port: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { idpPort?: unknown }).idpPort;
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65_536 ? port : 0;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<StartFlags>();
  const dir = resolve(flags.dir);
  const dbPath = resolve(dir, 'demo.sqlite');
  const demoStateFile = resolve(dir, 'demo.json');
  const idpStateFile = resolve(dir, 'idp.json');
  if (flags.reset) {
    for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, demoStateFile, idpStateFile])
      rmSync(file, { force: true });
  }
  mkdirSync(dir, { recursive: true });
  // Signals are handled from the first moment: one that arrives while the demo starts stops it once it is up.
  let started: Demo | null = null;
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    if (started === null) return;
    started.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  stopWhenNpmParentDies(stop);
  const demo = await startDemo({
    port: flags.port,
    idpPort: flags.idpPort ?? rememberedIdpPort(idpStateFile),
    // an explicit --idp-port must be honoured or fail; a remembered one gives way when something else took it
    idpFallbackToFreePort: flags.idpPort === undefined,
    dbPath,
    demoStateFile,
    fallbackToFreePort: true,
    logger: createJsonLineLogger(process.stderr, { includeInfo: flags.verbose === true }),
  });
  started = demo;
  if (closing) {
    closing = false;
    stop();
    return;
  }
  writeFileSync(idpStateFile, `${JSON.stringify({ idpPort: Number(new URL(demo.urls.idp).port) })}\n`);
  process.stdout.write(`${banner(demo, flags.port)}\n`);
}

main().catch((error: unknown) => {
  console.error(`idsim start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
