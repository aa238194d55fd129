// The pusher against the reference server over loopback, with both dialects: KEY-04 credentials test, create,
// idempotent re-run, update, deactivate/reactivate (DEA-01), group push and membership (GRP-02/04), import (GRP-06).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerHandle } from '../../../server/http/app.ts';
import { createServer } from '../../../server/http/app.ts';
import { silentLogger } from '../../../server/http/logger.ts';
import { createScimReadyTeam } from '../../../server/service/index.ts';
import type { ScimDialect } from '../dialect.ts';
import { createEntraDialect } from '../entra.ts';
import { createOktaDialect } from '../okta.ts';
import { createPersonality } from '../personalities.ts';
import { createPingDialect } from '../ping.ts';
import { ScimPusher } from '../pusher.ts';
import { createRipplingDialect } from '../rippling.ts';
import { seededDesiredState } from '../seeded-state.ts';

const IDP_CERT = readFileSync(new URL('../../saml/fixtures/idp-signing.crt', import.meta.url), 'utf8');

interface ReferenceTarget {
  server: ServerHandle;
  scimBaseUrl: string;
  key: string;
  revoke(): void;
  disableScim(): void;
  enableScim(): void;
}

let running: ServerHandle | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** An Enterprise team with one SSO method, SCIM on and an ACTIVE key (KEY-01..03), on port 0. */
async function referenceTarget(): Promise<ReferenceTarget> {
  const server = createServer({ logger: silentLogger });
  running = server;
  await server.listen({ port: 0 });
  const { service } = server;
  const {
    teamId,
    ownerId: actor,
    key,
    keyId,
  } = createScimReadyTeam(service, { idpCertificates: [IDP_CERT] });
  return {
    server,
    scimBaseUrl: server.urls.scim,
    key,
    revoke: () => void service.revokeScimKey(teamId, actor, keyId),
    disableScim: () => void service.setScimEnabled(teamId, actor, false),
    enableScim: () => void service.setScimEnabled(teamId, actor, true),
  };
}

describe.each([
  ['okta PATCH', () => createOktaDialect({ updateMode: 'patch' })],
  ['okta PUT (AIW)', () => createOktaDialect({ updateMode: 'put' })],
  ['entra', () => createEntraDialect()],
  ['entra aadOptscim062020', () => createEntraDialect({ scim2020Compliance: true })],
  ...(['onelogin', 'jumpcloud', 'rippling', 'ping'] as const).map((name): [string, () => ScimDialect] => [
    name,
    () => createPersonality(name).dialect,
  ]),
  [
    'rippling, groups by PUT, no pagination',
    () => createRipplingDialect({ usePatchForGroups: false, supportsPagination: false }),
  ],
  ['ping, provisioning disabled users', () => createPingDialect({ provisionDisabledUsers: true })],
])('reference server with the %s dialect', (_name, makeDialect: () => ScimDialect) => {
  it('provisions, re-runs without writes, updates, deactivates, and pushes groups', async () => {
    const target = await referenceTarget();
    const pusher = new ScimPusher({ baseUrl: target.scimBaseUrl, key: target.key, dialect: makeDialect() });
    await expect(pusher.testCredentials()).resolves.toMatchObject({ ok: true, status: 200 });

    const desired = seededDesiredState({ people: 30, groups: 3, seed: 11 });
    const first = await pusher.reconcile(desired);
    expect(first.failures).toEqual([]);
    expect(first.users.created).toBe(30);
    expect(first.groups.created).toBe(3);

    const again = await pusher.reconcile(desired);
    expect(again.failures).toEqual([]);
    expect(again.writes).toBe(0);

    // The server holds what was pushed: read it back through SCIM with a fresh pusher (GRP-06 import).
    const reader = new ScimPusher({
      baseUrl: target.scimBaseUrl,
      key: target.key,
      dialect: createOktaDialect(),
    });
    const groups = await reader.importGroups();
    expect(groups.map((group) => group.displayName).sort()).toEqual(
      desired.groups.map((g) => g.displayName).sort(),
    );
    for (const group of desired.groups) {
      const imported = groups.find((item) => item.displayName === group.displayName);
      expect(imported?.members.map((member) => member.value).sort()).toEqual(
        group.memberIds.map((id) => pusher.appIdOfUser(id)).sort(),
      );
    }

    // Profile change, unassignment of one person (deactivate) and a membership change.
    const [first0, second, ...rest] = desired.people;
    if (!first0 || !second) throw new Error('seed too small');
    const changed = {
      people: [{ ...first0, familyName: 'Renamed' }, ...rest],
      groups: desired.groups.map((group) => ({
        ...group,
        memberIds: group.memberIds.filter((id) => id !== second.id),
      })),
    };
    const third = await pusher.reconcile(changed);
    expect(third.failures).toEqual([]);
    expect(third.users).toMatchObject({ updated: 1, deactivated: 1 });

    const secondId = pusher.appIdOfUser(second.id);
    const read = await fetch(`${target.scimBaseUrl}/Users/${secondId}`, {
      headers: { authorization: `Bearer ${target.key}` },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ active: false, userName: second.userName });
    const renamed = await fetch(`${target.scimBaseUrl}/Users/${pusher.appIdOfUser(first0.id)}`, {
      headers: { authorization: `Bearer ${target.key}` },
    });
    expect(await renamed.json()).toMatchObject({ name: { familyName: 'Renamed' } });

    await expect(pusher.reactivateUser(second.id)).resolves.toMatchObject({ action: 'reactivated' });
    expect(await pusher.reconcile(changed)).toMatchObject({ failures: [] });
  });
});

describe('KEY-04 Test API Credentials against the reference server', () => {
  it('fails with a reason for a wrong key, SCIM turned off and a revoked key', async () => {
    const target = await referenceTarget();
    const check = (key: string) =>
      new ScimPusher({ baseUrl: target.scimBaseUrl, key, dialect: createOktaDialect() }).testCredentials();
    await expect(check('not-the-key')).resolves.toMatchObject({
      ok: false,
      status: 401,
      reason: 'invalid_key',
    });
    await expect(check(target.key)).resolves.toMatchObject({ ok: true });
    target.disableScim();
    await expect(check(target.key)).resolves.toMatchObject({ ok: false, reason: 'scim_not_enabled' });
    target.enableScim();
    await expect(check(target.key)).resolves.toMatchObject({ ok: true });
    target.revoke();
    await expect(check(target.key)).resolves.toMatchObject({
      ok: false,
      status: 401,
      reason: 'key_not_active',
    });
  });
});

describe('Entra managers against the reference server (issue #13)', () => {
  it('sets, changes and removes managers through the enterprise extension without failures or repeats', async () => {
    const target = await referenceTarget();
    const pusher = new ScimPusher({
      baseUrl: target.scimBaseUrl,
      key: target.key,
      dialect: createEntraDialect(),
    });
    const { people } = seededDesiredState({ people: 6, groups: 0, seed: 5 });
    const [boss, other, ...staff] = people;
    if (!boss || !other) throw new Error('seed too small');
    const withManager = (managerId: string | null) => [
      boss,
      other,
      ...staff.map((person) => ({ ...person, managerId })),
    ];
    for (const managerId of [boss.id, other.id, null]) {
      const summary = await pusher.reconcile({ people: withManager(managerId), groups: [] });
      expect(summary.failures).toEqual([]);
      expect(summary.writes).toBe(managerId === boss.id ? people.length + staff.length : staff.length);
    }
    expect((await pusher.reconcile({ people: withManager(null), groups: [] })).writes).toBe(0);
  });
});
