// `npm run serve`: the non-interactive way to start the reference server for scripts, CI jobs and other tools.
// Prints exactly one JSON line on stdout (docs/running.md) and runs until SIGINT/SIGTERM; logs go to stderr.
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { closeOnSignals, launchServer } from '../server/http/launch.ts';
import { createJsonLineLogger } from '../server/http/logger.ts';
import { stopWhenNpmParentDies } from './npm-parent.ts';
import { portNumber } from './options.ts';

interface ServeFlags {
  port: number;
  host: string;
  db: string;
  controlToken?: string;
  scimKeyFile?: string;
  scimKey?: string;
  seed: 'demo' | 'none';
  publicBaseUrl?: string;
  spKeyFile?: string;
  spCertFile?: string;
  quiet?: boolean;
}

const program = new Command()
  .name('idsim serve')
  .description('Start the idsim reference server and print its URLs and credentials as one JSON line.')
  .option('--port <port>', 'TCP port, 0 for a free one', portNumber, 0)
  .option('--host <host>', 'interface to bind', '127.0.0.1')
  .option('--db <file>', "SQLite file, or ':memory:'", ':memory:')
  .option('--control-token <token>', 'control API bearer token (default: random)')
  .option('--scim-key-file <path>', 'write the SCIM key to this file (mode 0600) instead of the JSON line')
  .option(
    '--scim-key <key>',
    'a known SCIM key the demo team accepts (32+ random characters; needs --seed demo)',
  )
  .addOption(
    new Option('--seed <what>', 'demo: an Enterprise team with SSO, SCIM on and a key')
      .choices(['demo', 'none'])
      .default('demo'),
  )
  .option('--public-base-url <url>', 'externally visible base URL (behind a proxy)')
  .option(
    '--sp-key-file <path>',
    'SAML SP private key (PEM); default: the test-only pair in server/saml/fixtures',
  )
  .option('--sp-cert-file <path>', 'SAML SP certificate (PEM) matching --sp-key-file')
  .option('--quiet', 'log only errors on stderr')
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<ServeFlags>();
  const dbPath = flags.db === ':memory:' ? flags.db : resolve(flags.db);
  const { handle, info } = await launchServer({
    server: {
      host: flags.host,
      port: flags.port,
      dbPath,
      ...(flags.controlToken === undefined ? {} : { controlToken: flags.controlToken }),
      ...(flags.publicBaseUrl === undefined ? {} : { publicBaseUrl: flags.publicBaseUrl }),
      ...(flags.spKeyFile === undefined && flags.spCertFile === undefined
        ? {}
        : {
            signIn: {
              ...(flags.spKeyFile === undefined ? {} : { spKeyFile: resolve(flags.spKeyFile) }),
              ...(flags.spCertFile === undefined ? {} : { spCertFile: resolve(flags.spCertFile) }),
            },
          }),
      logger: createJsonLineLogger(process.stderr, { includeInfo: flags.quiet !== true }),
    },
    seed: flags.seed,
    // A file database keeps its demo team across runs: the sidecar file remembers which team that is.
    ...(dbPath === ':memory:' ? {} : { demoStateFile: `${dbPath}.demo.json` }),
    ...(flags.scimKeyFile === undefined ? {} : { scimKeyFile: resolve(flags.scimKeyFile) }),
    ...(flags.scimKey === undefined ? {} : { scimKey: flags.scimKey }),
  });
  process.stdout.write(`${JSON.stringify(info)}\n`);
  closeOnSignals(handle, (code) => process.exit(code));
  stopWhenNpmParentDies(() => process.kill(process.pid, 'SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`idsim serve: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
