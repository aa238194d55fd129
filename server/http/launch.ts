// Starts the reference server for the CLIs (npm run serve, npm start): listen, seed or reuse the demo team, issue a
// fresh SCIM key, and describe the result as the one-line JSON that scripts read (docs/running.md).
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServerConfigInput } from '../config.ts';
import { isDomainError } from '../domain/errors.ts';
import { assertImportableScimKey } from '../service/imported-scim-key.ts';
import type { TeamService } from '../service/index.ts';
import { seedDemo } from '../service/index.ts';
import type { ServerHandle } from './app.ts';
import { createServer } from './app.ts';

/** The demo data a seeder made: enough to drive the control API (actor) and SCIM (key). */
export interface DemoSeed {
  organisationId: string;
  teamId: string;
  /** the team's Super Admin: send as X-Idsim-Actor */
  adminAccountId: string;
  adminEmail: string;
  /** the admin's password, when the seed sets one (demo sign-in) */
  adminPassword?: string;
  /** a fresh SCIM key (KEY-01..03 satisfied by the seed) */
  scimKey: string;
}

export type DemoSeeder = (service: TeamService) => DemoSeed;

/** What survives a restart of a file database, so the demo is seeded only once (written 0600). */
export interface DemoState {
  organisationId: string;
  teamId: string;
  adminAccountId: string;
  adminEmail: string;
  adminPassword?: string;
  controlToken?: string;
}

/** The machine-readable line printed by `npm run serve` (one JSON object, one line). */
export interface LaunchInfo {
  baseUrl: string;
  scimBaseUrl: string;
  controlBaseUrl: string;
  healthUrl: string;
  controlToken: string;
  organisationId?: string;
  teamId?: string;
  adminAccountId?: string;
  adminEmail?: string;
  /** absent when the key went to scimKeyFile, or when nothing was seeded */
  scimKey?: string;
  scimKeyFile?: string;
  /** true when an existing demo team was reused (file database), false when seeded now */
  reusedDemo?: boolean;
}

export interface LaunchOptions {
  server: ServerConfigInput<TeamService>;
  /** 'demo': seed (or reuse) the demo team and issue a SCIM key; 'none': empty server */
  seed: 'demo' | 'none';
  /** default: seedDemo of server/service (the "Acme" demo team) */
  seeder?: DemoSeeder;
  /** reuse the demo team recorded here when it still exists in the database; record a new seed here */
  demoStateFile?: string;
  /** record the control token in demoStateFile too, so a restarted demo keeps it (npm start) */
  persistControlToken?: boolean;
  /** write the SCIM key to this file (mode 0600) and leave it out of the JSON line */
  scimKeyFile?: string;
  /**
   * idsim issue #2, "a known SCIM key": the demo team accepts this caller-chosen key (stored as a digest) and it is
   * the key reported; the seed's random key is revoked. Needs seed 'demo'; checked before anything starts.
   */
  scimKey?: string;
  /** when listening on config.port fails with EADDRINUSE, listen on a free port instead */
  fallbackToFreePort?: boolean;
}

export interface Launched {
  handle: ServerHandle;
  info: LaunchInfo;
  demo: DemoSeed | null;
}

/** Writes a secret file readable by its owner only. */
export function writeSecretFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function readDemoState(path: string): DemoState | null {
  if (!existsSync(path)) return null;
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) return null;
  const state = parsed as Partial<DemoState>;
  if (
    typeof state.organisationId !== 'string' ||
    typeof state.teamId !== 'string' ||
    typeof state.adminAccountId !== 'string' ||
    typeof state.adminEmail !== 'string'
  ) {
    return null;
  }
  return state as DemoState;
}

/** The recorded demo team if it still exists (same database), with a fresh key; otherwise null. */
function reuseDemo(service: TeamService, state: DemoState): DemoSeed | null {
  try {
    service.getTeam(state.teamId);
    service.getMember(state.teamId, state.adminAccountId);
  } catch (error) {
    if (isDomainError(error) && error.code === 'not_found') return null;
    throw error;
  }
  // Keys are shown once and stored as digests, so a restart cannot show the old key again: issue a new one.
  // Earlier keys stay ACTIVE (an IdP may be configured with one); revoke them through the control API.
  const { key } = service.generateScimKey(state.teamId, state.adminAccountId);
  return {
    organisationId: state.organisationId,
    teamId: state.teamId,
    adminAccountId: state.adminAccountId,
    adminEmail: state.adminEmail,
    ...(state.adminPassword === undefined ? {} : { adminPassword: state.adminPassword }),
    scimKey: key,
  };
}

async function listenWithFallback(handle: ServerHandle, fallback: boolean): Promise<void> {
  try {
    await handle.listen();
  } catch (error) {
    if (!fallback || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    await handle.listen({ port: 0 });
  }
}

/** Swaps the seed's fresh random key for the caller's known key (KEY-01..03 hold: the demo team satisfies them). */
function useKnownScimKey(service: TeamService, demo: DemoSeed, key: string): DemoSeed {
  const imported = service.importScimKey(demo.teamId, demo.adminAccountId, key);
  const random = service
    .listScimKeys(demo.teamId)
    .find((k) => k.id !== imported.id && k.status === 'ACTIVE' && demo.scimKey.startsWith(k.prefix));
  if (random !== undefined) service.revokeScimKey(demo.teamId, demo.adminAccountId, random.id);
  return { ...demo, scimKey: key };
}

export async function launchServer(options: LaunchOptions): Promise<Launched> {
  if (options.scimKey !== undefined) {
    if (options.seed !== 'demo') throw new Error('a known SCIM key needs the demo seed (--seed demo)');
    assertImportableScimKey(options.scimKey);
  }
  const handle = createServer(options.server);
  try {
    await listenWithFallback(handle, options.fallbackToFreePort ?? false);
    let demo: DemoSeed | null = null;
    let reusedDemo = false;
    if (options.seed === 'demo') {
      const previous = options.demoStateFile ? readDemoState(options.demoStateFile) : null;
      demo = previous ? reuseDemo(handle.service, previous) : null;
      reusedDemo = demo !== null;
      if (demo === null) {
        demo = (options.seeder ?? seedDemo)(handle.service);
        if (options.demoStateFile) {
          const state: DemoState = {
            organisationId: demo.organisationId,
            teamId: demo.teamId,
            adminAccountId: demo.adminAccountId,
            adminEmail: demo.adminEmail,
            ...(demo.adminPassword === undefined ? {} : { adminPassword: demo.adminPassword }),
            ...(options.persistControlToken ? { controlToken: handle.config.controlToken } : {}),
          };
          writeSecretFile(options.demoStateFile, `${JSON.stringify(state, null, 2)}\n`);
        }
      }
      if (options.scimKey !== undefined) demo = useKnownScimKey(handle.service, demo, options.scimKey);
      if (options.scimKeyFile) writeSecretFile(options.scimKeyFile, demo.scimKey);
    }
    const urls = handle.urls;
    const info: LaunchInfo = {
      baseUrl: urls.base,
      scimBaseUrl: urls.scim,
      controlBaseUrl: urls.control,
      healthUrl: urls.health,
      controlToken: handle.config.controlToken,
    };
    if (demo) {
      info.organisationId = demo.organisationId;
      info.teamId = demo.teamId;
      info.adminAccountId = demo.adminAccountId;
      info.adminEmail = demo.adminEmail;
      if (options.scimKeyFile) info.scimKeyFile = options.scimKeyFile;
      else info.scimKey = demo.scimKey;
      info.reusedDemo = reusedDemo;
    }
    return { handle, info, demo };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Closes the server on the first SIGINT, SIGTERM or SIGHUP (terminal closed), then calls `exit`. */
export function closeOnSignals(handle: ServerHandle, exit: (code: number) => void): void {
  let closing = false;
  const onSignal = (): void => {
    if (closing) return;
    closing = true;
    handle.close().then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
}
