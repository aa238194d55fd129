// `idsim push` end to end against the in-memory SCIM service: exit codes, transcript file (key redacted), and a
// saved mapping that makes the re-run send no writes. KEY-04, OKT-03.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeScimServer } from '../simulator/scim/test/fake-scim-server.ts';
import { startFakeScimServer } from '../simulator/scim/test/fake-scim-server.ts';
import type { PushCommandOptions } from './push.ts';
import { runPush } from './push.ts';

let server: FakeScimServer;
let dir: string;

beforeEach(async () => {
  server = await startFakeScimServer({ key: 'cli-key' });
  dir = await mkdtemp(join(tmpdir(), 'idsim-push-'));
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'table').mockImplementation(() => {});
});

afterEach(async () => {
  vi.restoreAllMocks();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function options(overrides: Partial<PushCommandOptions>): PushCommandOptions {
  return {
    baseUrl: server.baseUrl,
    key: 'cli-key',
    dialect: 'okta',
    updateMode: 'patch',
    entraCompliance: false,
    groups: 0,
    seedValue: 1,
    concurrency: 4,
    deleteRemovedGroups: false,
    testOnly: false,
    ...overrides,
  };
}

describe('idsim push', () => {
  it('pushes a CSV file, writes the transcript and the mapping, and re-runs without writes', async () => {
    const from = join(dir, 'people.csv');
    await writeFile(
      from,
      'userName,givenName,familyName,groups\nada@example.com,Ada,L,Eng\nbob@example.com,Bob,B,Eng\n',
    );
    const transcript = join(dir, 'transcript.json');
    const state = join(dir, 'state.json');
    await expect(runPush(options({ from, transcript, state }))).resolves.toBe(0);
    expect(server.created).toEqual({ users: 2, groups: 1 });
    const exchanges = JSON.parse(await readFile(transcript, 'utf8')) as {
      requestHeaders: Record<string, string>;
    }[];
    expect(exchanges.length).toBeGreaterThan(4);
    expect(JSON.stringify(exchanges)).not.toContain('cli-key');

    const before = server.requests.length;
    await expect(runPush(options({ from, state }))).resolves.toBe(0);
    // Only the credentials probe went out: the saved mapping says everything is in place.
    expect(server.requests.slice(before).map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /scim/v2/Users',
    ]);
  });

  it.each(['entra', 'onelogin', 'jumpcloud', 'rippling', 'ping'] as const)(
    '--dialect %s pushes a seeded population and groups with that personality',
    async (dialect) => {
      const transcript = join(dir, `${dialect}.json`);
      await expect(runPush(options({ dialect, seed: 12, groups: 2, transcript }))).resolves.toBe(0);
      expect(server.users.size).toBe(12);
      const exchanges = JSON.parse(await readFile(transcript, 'utf8')) as {
        requestHeaders: Record<string, string>;
      }[];
      // OneLogin sends application/json, the others the SCIM media type
      const accept = exchanges[0]?.requestHeaders.accept;
      expect(accept).toBe(dialect === 'onelogin' ? 'application/json' : 'application/scim+json');
    },
  );

  it('reports a server that ignores filters as a target defect and writes nothing for the people it would merge', async () => {
    await server.close();
    server = await startFakeScimServer({ key: 'cli-key', ignoreFilters: true });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const from = join(dir, 'first.csv');
    await writeFile(from, 'userName,givenName,familyName\nfirst@example.com,First,One\n');
    await expect(runPush(options({ from }))).resolves.toBe(0);
    const writes = server.requests.filter((request) => request.method !== 'GET').length;
    await expect(runPush(options({ seed: 5 }))).resolves.toBe(1);
    expect(server.requests.filter((request) => request.method !== 'GET').length).toBe(writes);
    expect(errors.mock.calls.flat().join('\n')).toMatch(/TARGET DEFECT: userName\/displayName lookups/);
  });

  it('exits 2 when Test API Credentials fails, and pushes nothing', async () => {
    await expect(runPush(options({ key: 'wrong', seed: 3 }))).resolves.toBe(2);
    expect(server.created.users).toBe(0);
  });

  it('exits 1 when some pushes fail', async () => {
    await server.close();
    server = await startFakeScimServer({
      key: 'cli-key',
      fault: (request) => (request.method === 'POST' ? { status: 400 } : null),
    });
    await expect(runPush(options({ baseUrl: server.baseUrl, seed: 2 }))).resolves.toBe(1);
  });
});
