// launchServer (behind npm run serve / npm start): the JSON line's fields, the SCIM key file (0600), reuse of a
// file database's demo team across restarts with a fresh key each time, and the busy-port fallback.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TeamService } from '../../service/index.ts';
import type { ServerHandle } from '../app.ts';
import type { DemoSeed } from '../launch.ts';
import { launchServer, readDemoState } from '../launch.ts';
import { silentLogger } from '../logger.ts';

const IDP_CERT = readFileSync(
  new URL('../../../simulator/saml/fixtures/idp-signing.crt', import.meta.url),
  'utf8',
);

let seedCalls = 0;
/** A small demo seed through the ControlService port (Enterprise, one SSO method, SCIM on, a key). */
function testSeeder(service: TeamService): DemoSeed {
  seedCalls += 1;
  const { team, owner } = service.createTeam({
    name: 'Demo',
    plan: 'Enterprise',
    licensedSeats: 10,
    owner: { email: 'admin@demo.test', givenName: 'Ada', familyName: 'Admin', password: 'Passw0rd!Passw0rd' },
  });
  const actor = owner.account.id;
  service.addAuthMethod(team.id, actor, {
    kind: 'saml',
    saml: {
      idpEntityId: 'https://idp.test/m',
      idpSsoUrl: 'https://idp.test/sso',
      idpCertificates: [IDP_CERT],
    },
  });
  service.setScimEnabled(team.id, actor, true);
  const { key } = service.generateScimKey(team.id, actor);
  return {
    organisationId: team.organisationId,
    teamId: team.id,
    adminAccountId: actor,
    adminEmail: 'admin@demo.test',
    adminPassword: 'Passw0rd!Passw0rd',
    scimKey: key,
  };
}

let dir: string;
const running: ServerHandle[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'idsim-launch-'));
  seedCalls = 0;
});
afterEach(async () => {
  for (const handle of running.splice(0)) await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scimStatus(scimBaseUrl: string, key: string): Promise<number> {
  const response = await fetch(`${scimBaseUrl}/Users?startIndex=1&count=2`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return response.status;
}

describe('launchServer', () => {
  it("seed 'none': URLs and the control token, no team and no key", async () => {
    const { handle, info } = await launchServer({
      server: { logger: silentLogger, controlToken: 'known-control-token' },
      seed: 'none',
      seeder: testSeeder,
    });
    running.push(handle);
    expect(Object.keys(info).sort()).toEqual([
      'baseUrl',
      'controlBaseUrl',
      'controlToken',
      'healthUrl',
      'scimBaseUrl',
    ]);
    expect(info.controlToken).toBe('known-control-token');
    expect(info.scimBaseUrl).toBe(`${info.baseUrl}/scim/v2`);
    expect(seedCalls).toBe(0);
    expect((await fetch(info.healthUrl)).status).toBe(200);
  });

  it("seed 'demo': the printed key opens the SCIM API of the printed team", async () => {
    const { handle, info } = await launchServer({
      server: { logger: silentLogger },
      seed: 'demo',
      seeder: testSeeder,
    });
    running.push(handle);
    expect(info).toMatchObject({
      teamId: expect.any(String),
      adminAccountId: expect.any(String),
      reusedDemo: false,
    });
    expect(await scimStatus(info.scimBaseUrl, info.scimKey ?? '')).toBe(200);
    const team = await fetch(`${info.controlBaseUrl}/teams/${info.teamId}`, {
      headers: { authorization: `Bearer ${info.controlToken}` },
    });
    expect(await team.json()).toMatchObject({ id: info.teamId, scimEnabled: true });
  });

  it('writes the key to --scim-key-file with mode 0600 and leaves it out of the JSON line', async () => {
    const keyFile = join(dir, 'nested', 'scim.key');
    const { handle, info } = await launchServer({
      server: { logger: silentLogger },
      seed: 'demo',
      seeder: testSeeder,
      scimKeyFile: keyFile,
    });
    running.push(handle);
    expect(info.scimKey).toBeUndefined();
    expect(info.scimKeyFile).toBe(keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    expect(key).not.toMatch(/\s/);
    expect(await scimStatus(info.scimBaseUrl, key)).toBe(200);
  });

  it('seeds a file database once, then reuses its demo team with a fresh key (old keys stay valid)', async () => {
    const dbPath = join(dir, 'demo.sqlite');
    const stateFile = join(dir, 'demo.json');
    const options = {
      server: { logger: silentLogger, dbPath },
      seed: 'demo' as const,
      seeder: testSeeder,
      demoStateFile: stateFile,
      persistControlToken: true,
    };
    const first = await launchServer(options);
    const firstKey = first.info.scimKey ?? '';
    expect(first.info.reusedDemo).toBe(false);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(readDemoState(stateFile)).toMatchObject({
      teamId: first.info.teamId,
      controlToken: first.info.controlToken,
    });
    await first.handle.close();

    const second = await launchServer({
      ...options,
      server: { ...options.server, controlToken: readDemoState(stateFile)?.controlToken ?? '' },
    });
    running.push(second.handle);
    expect(seedCalls).toBe(1);
    expect(second.info).toMatchObject({
      teamId: first.info.teamId,
      reusedDemo: true,
      controlToken: first.info.controlToken,
    });
    expect(second.info.scimKey).not.toBe(firstKey);
    expect(await scimStatus(second.info.scimBaseUrl, second.info.scimKey ?? '')).toBe(200);
    expect(await scimStatus(second.info.scimBaseUrl, firstKey)).toBe(200);
  });

  it('seeds again when the recorded team is gone (a fresh database)', async () => {
    const stateFile = join(dir, 'demo.json');
    const first = await launchServer({
      server: { logger: silentLogger },
      seed: 'demo',
      seeder: testSeeder,
      demoStateFile: stateFile,
    });
    await first.handle.close();
    const second = await launchServer({
      server: { logger: silentLogger },
      seed: 'demo',
      seeder: testSeeder,
      demoStateFile: stateFile,
    });
    running.push(second.handle);
    expect(seedCalls).toBe(2);
    expect(second.info.reusedDemo).toBe(false);
    expect(readDemoState(stateFile)?.teamId).toBe(second.info.teamId);
  });

  it('falls back to a free port when the preferred one is busy, only when asked to', async () => {
    const busy = await launchServer({ server: { logger: silentLogger }, seed: 'none', seeder: testSeeder });
    running.push(busy.handle);
    const port = Number(new URL(busy.info.baseUrl).port);
    await expect(
      launchServer({ server: { logger: silentLogger, port }, seed: 'none', seeder: testSeeder }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const fallback = await launchServer({
      server: { logger: silentLogger, port },
      seed: 'none',
      seeder: testSeeder,
      fallbackToFreePort: true,
    });
    running.push(fallback.handle);
    expect(Number(new URL(fallback.info.baseUrl).port)).not.toBe(port);
    expect((await fetch(fallback.info.healthUrl)).status).toBe(200);
  });
});
