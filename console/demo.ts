// startDemo(): the whole system on localhost, seeded: the reference server (with the console at /console), the
// simulator IdP, the SCIM pusher wired to the IdP directory. idsim issue #6; seeds per KEY-01..03 and OKT-03.
import type { RequestHandler } from 'express';
import type { ServerHandle } from '../server/http/app.ts';
import { launchServer, readDemoState } from '../server/http/launch.ts';
import type { Logger } from '../server/http/logger.ts';
import { createJsonLineLogger } from '../server/http/logger.ts';
import { seedDemo } from '../server/service/index.ts';
import { DEFAULT_PASSWORD, parseSpMetadata } from '../simulator/directory/index.ts';
import type { SimulatorHandle } from '../simulator/http/simulator.ts';
import { createSimulator } from '../simulator/http/simulator.ts';
import { LiveSystem } from './live-system.ts';
import type { ConsoleHandle } from './server.ts';
import { createConsole } from './server.ts';
import { Timeline } from './timeline.ts';

export interface DemoOptions {
  host?: string;
  /** the reference server's port (the console is served there at /console); default 0 */
  port?: number;
  /** the simulator's port; default 0 */
  idpPort?: number;
  /** SQLite file of the reference server; default ':memory:'. A file keeps the demo team across restarts. */
  dbPath?: string;
  /** where a file database's demo team and control token are recorded; default `<dbPath>.demo.json` */
  demoStateFile?: string;
  /** seed of the IdP directory's fake people */
  seed?: number;
  /** people in the IdP directory; default 12 */
  people?: number;
  /** how many of them are assigned to the app at start; default 5 */
  assigned?: number;
  logger?: Logger;
  /** when `port` is busy (EADDRINUSE), listen on a free port instead (npm start) */
  fallbackToFreePort?: boolean;
  /** when `idpPort` is busy, give the IdP a free port instead (npm start keeps the IdP's port across restarts) */
  idpFallbackToFreePort?: boolean;
}

export interface DemoUrls {
  console: string;
  server: string;
  health: string;
  scim: string;
  control: string;
  idp: string;
  idpMetadata: string;
  spLogin: string;
}

export interface DemoInfo {
  /** true when the demo team of an earlier run was reused (file database) */
  reused: boolean;
  controlToken: string;
  teamId: string;
  /** the team's Super Admin: send as X-Idsim-Actor for admin actions of the control API */
  adminAccountId: string;
  adminEmail: string;
  adminPassword: string;
  scimKey: string;
  /** the IdP people's password (a test IdP: everyone has the same one) */
  idpPassword: string;
}

export interface Demo {
  urls: DemoUrls;
  info: DemoInfo;
  system: LiveSystem;
  close(): Promise<void>;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? createJsonLineLogger(process.stderr, { includeInfo: false });
  const dbPath = options.dbPath ?? ':memory:';
  const demoStateFile = options.demoStateFile ?? (dbPath === ':memory:' ? undefined : `${dbPath}.demo.json`);
  // The control token is recorded with the demo team, so scripts written against one run keep working after a restart.
  const previousToken = demoStateFile ? readDemoState(demoStateFile)?.controlToken : undefined;
  let consoleHandle: ConsoleHandle | null = null;
  const consoleMount = {
    path: '/console',
    create: (): RequestHandler => (req, res, next) => {
      if (consoleHandle === null) next();
      else consoleHandle.router(req, res, next);
    },
    indexLink: 'web console: drive the IdP and the team, follow SCIM and SAML on the timeline',
  };
  // ORG-03/04 scenarios move the IdP's clock back to show an IdP session made hours ago.
  const idpClock = { offsetMs: 0 };
  const makeSimulator = (port: number): SimulatorHandle =>
    createSimulator({
      now: () => new Date(Date.now() + idpClock.offsetMs),
      host,
      port,
      seed: options.seed ?? 7,
      people: options.people ?? 12,
      groups: ['Engineering', 'Design', 'Sales'],
      loginHint: `This is idsim's test IdP: every person's password is ${DEFAULT_PASSWORD}`,
    });
  let simulator: SimulatorHandle = makeSimulator(options.idpPort ?? 0);
  const system: { current: LiveSystem | null } = { current: null };
  let server: ServerHandle | null = null;
  let samlMethodIdForIndex: string | undefined;
  let idpUrlForIndex: string | undefined;
  try {
    let idpUrl: string;
    try {
      idpUrl = (await simulator.listen()).baseUrl;
    } catch (error) {
      if (!options.idpFallbackToFreePort || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE')
        throw error;
      await simulator.close();
      simulator = makeSimulator(0);
      idpUrl = (await simulator.listen()).baseUrl;
    }
    idpUrlForIndex = idpUrl;
    const launched = await launchServer({
      server: {
        host,
        port: options.port ?? 0,
        dbPath,
        logger,
        extraRouters: [consoleMount],
        indexLinks: () => [
          ...(samlMethodIdForIndex === undefined
            ? []
            : [{ href: `/saml/${samlMethodIdForIndex}/metadata`, text: "the demo team's SAML SP metadata" }]),
          ...(idpUrlForIndex === undefined
            ? []
            : [
                { href: `${idpUrlForIndex}/metadata`, text: `simulator IdP metadata (${idpUrlForIndex})` },
                { href: `${idpUrlForIndex}/`, text: `simulator IdP sign-in (password ${DEFAULT_PASSWORD})` },
              ]),
        ],
        ...(previousToken === undefined ? {} : { controlToken: previousToken }),
      },
      seed: 'demo',
      seeder: (service) => seedDemo(service, { idpBaseUrl: idpUrl }),
      ...(demoStateFile === undefined ? {} : { demoStateFile, persistControlToken: true }),
      fallbackToFreePort: options.fallbackToFreePort ?? false,
    });
    server = launched.handle;
    const seeded = launched.demo;
    const samlMethodId = seeded
      ? server.service.listAuthMethods(seeded.teamId).find((method) => method.kind === 'saml')?.id
      : undefined;
    if (!seeded || samlMethodId === undefined) throw new Error('the demo team has no SAML method');
    samlMethodIdForIndex = samlMethodId;
    // The SAML method trusts this simulator (its URLs change with every start; its signing certificate is fixed).
    server.service.updateAuthMethod(seeded.teamId, seeded.adminAccountId, samlMethodId, {
      saml: {
        idpEntityId: `${idpUrl}/metadata`,
        idpSsoUrl: `${idpUrl}/saml/sso`,
        idpSloUrl: `${idpUrl}/saml/slo`,
        idpCertificates: [simulator.idp.credentials.certPem],
      },
    });
    const urls = server.urls;
    const spMetadataUrl = `${urls.base}/saml/${samlMethodId}/metadata`;
    const referenceSpMetadata = async (): Promise<string> => {
      const response = await fetch(spMetadataUrl);
      if (!response.ok) throw new Error(`SP metadata answered ${response.status}`);
      return response.text();
    };
    const app = simulator.directory.addApp({
      name: 'Acme team app',
      sp: parseSpMetadata(await referenceSpMetadata()),
    });
    const timeline = new Timeline();
    const live = new LiveSystem({
      simulator,
      appId: app.id,
      timeline,
      idpClock,
      reference: {
        service: server.service,
        teamId: seeded.teamId,
        adminAccountId: seeded.adminAccountId,
        samlMethodId,
        baseUrl: urls.base,
        scimBaseUrl: urls.scim,
        scimKey: seeded.scimKey,
        signIn: server.signIn,
        oidc: server.oidc,
        traffic: server.traffic,
      },
    });
    system.current = live;
    live.startProvisioning();
    for (const person of simulator.directory.listPeople().slice(0, options.assigned ?? 5)) {
      simulator.directory.assign(app.id, { kind: 'person', id: person.id });
    }
    await live.settle();
    if (!launched.info.reusedDemo) {
      server.service.createWorkspace(seeded.teamId, seeded.adminAccountId, {
        name: 'Acme handbook',
        type: 'internal',
      });
    }
    consoleHandle = createConsole({
      system: live,
      logger,
      referenceSpMetadata,
      allowedHosts: [new URL(urls.base).host],
    });
    return {
      urls: {
        console: `${urls.base}/console/`,
        server: urls.base,
        health: urls.health,
        scim: urls.scim,
        control: urls.control,
        idp: idpUrl,
        idpMetadata: `${idpUrl}/metadata`,
        spLogin: `${urls.base}/saml/${samlMethodId}/login`,
      },
      info: {
        reused: launched.info.reusedDemo === true,
        controlToken: server.config.controlToken,
        teamId: seeded.teamId,
        adminAccountId: seeded.adminAccountId,
        adminEmail: seeded.adminEmail,
        adminPassword: seeded.adminPassword ?? '',
        scimKey: seeded.scimKey,
        idpPassword: DEFAULT_PASSWORD,
      },
      system: live,
      async close() {
        consoleHandle?.close();
        live.close();
        await simulator.close();
        await launched.handle.close();
      },
    };
  } catch (error) {
    system.current?.close();
    await simulator.close();
    await server?.close();
    throw error;
  }
}
