// `idsim demo`: starts the whole system on localhost (reference server + console, simulator IdP, SCIM pusher),
// seeded, and prints the URLs. idsim issue #6; the lead wires `npm start` to startDemo().
import { Command, InvalidArgumentError } from 'commander';
import { startDemo } from '../console/demo.ts';

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('a port from 0 to 65535');
  return port;
}

const program = new Command()
  .name('idsim demo')
  .description('Start the reference server, the simulator IdP and the web console, seeded.')
  .option('--port <port>', 'reference server (and console) port', portNumber, 4000)
  .option('--idp-port <port>', 'simulator IdP port', portNumber, 0)
  .option('--db <path>', 'SQLite file for the reference server (wiped at start); default in memory')
  .showHelpAfterError();

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<{ port: number; idpPort: number; db?: string }>();
  const demo = await startDemo({
    port: flags.port,
    idpPort: flags.idpPort,
    fallbackToFreePort: true,
    ...(flags.db === undefined ? {} : { dbPath: flags.db }),
  });
  const { urls, info } = demo;
  console.log(
    [
      '',
      'idsim demo',
      `  console         ${urls.console}`,
      `  reference       ${urls.server}   (SCIM ${urls.scim}, control ${urls.control})`,
      `  simulator IdP   ${urls.idp}   (metadata ${urls.idpMetadata})`,
      `  SP sign-in      ${urls.spLogin}`,
      `  control token   ${info.controlToken}`,
      `  admin           ${info.adminEmail}  password ${info.adminPassword}`,
      `  SCIM key        ${info.scimKey}`,
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`idsim demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
