// End-to-end test of `npm run serve` (cli/serve.ts) as a script would use it: spawn it with --port 0, read the one
// JSON line, call /health, SCIM discovery and the control API, then SIGTERM it and expect a clean exit.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchInfo } from '../launch.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(repoRoot, 'node_modules/.bin/tsx');

interface Spawned {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function spawnServe(args: string[]): Spawned {
  const child = spawn(tsx, ['cli/serve.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  let resolveLine: (line: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => {
    resolveLine = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const newline = stdout.indexOf('\n');
    if (newline >= 0) resolveLine(stdout.slice(0, newline));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolveLine('');
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, firstLine, exit };
}

describe('cli/serve.ts (npm run serve)', () => {
  it('prints one JSON line, serves /health, SCIM and the control API, and exits 0 on SIGTERM', async () => {
    const serve = spawnServe(['--port', '0', '--control-token', 'cli-test-control-token']);
    const line = await serve.firstLine;
    expect(line, 'no JSON line on stdout').not.toBe('');
    const info = JSON.parse(line) as LaunchInfo;
    expect(info).toMatchObject({
      baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      controlToken: 'cli-test-control-token',
      teamId: expect.any(String),
      adminAccountId: expect.any(String),
      scimKey: expect.any(String),
    });
    expect(info.scimBaseUrl).toBe(`${info.baseUrl}/scim/v2`);
    expect(info.controlBaseUrl).toBe(`${info.baseUrl}/control/v1`);

    const health = await fetch(`${info.baseUrl}/health`);
    expect(await health.json()).toEqual({ ok: true });

    const discovery = await fetch(`${info.scimBaseUrl}/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${info.scimKey}` },
    });
    expect(discovery.status).toBe(200);
    expect(await discovery.json()).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    });

    const team = await fetch(`${info.controlBaseUrl}/teams/${info.teamId}`, {
      headers: { authorization: 'Bearer cli-test-control-token' },
    });
    expect(await team.json()).toMatchObject({ id: info.teamId, scimEnabled: true });

    serve.child.kill('SIGTERM');
    const exit = await serve.exit;
    expect(exit.code).toBe(0);
    expect(exit.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--scim-key-file writes the key (0600) instead of printing it; --seed none prints no team', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idsim-serve-'));
    try {
      const keyFile = join(dir, 'scim.key');
      const serve = spawnServe(['--port', '0', '--scim-key-file', keyFile, '--quiet']);
      const info = JSON.parse(await serve.firstLine) as LaunchInfo;
      expect(info.scimKey).toBeUndefined();
      expect(info.scimKeyFile).toBe(keyFile);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const users = await fetch(`${info.scimBaseUrl}/Users?startIndex=1&count=2`, {
        headers: { authorization: `Bearer ${readFileSync(keyFile, 'utf8')}` },
      });
      expect(users.status).toBe(200);
      serve.child.kill('SIGINT');
      expect((await serve.exit).code).toBe(0);

      const empty = spawnServe(['--port', '0', '--seed', 'none', '--quiet']);
      const emptyInfo = JSON.parse(await empty.firstLine) as LaunchInfo;
      expect(emptyInfo.teamId).toBeUndefined();
      expect(emptyInfo.controlToken.length).toBeGreaterThanOrEqual(32);
      empty.child.kill('SIGTERM');
      expect((await empty.exit).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--scim-key: the demo team accepts exactly the known key (idsim issue #2), the seed key is revoked', async () => {
    const known = 'known-key-0123456789abcdefghijklmnopqrstuvwxyz';
    const serve = spawnServe(['--port', '0', '--scim-key', known, '--control-token', 'cli-known-key-token']);
    const info = JSON.parse(await serve.firstLine) as LaunchInfo;
    expect(info.scimKey).toBe(known);
    const users = await fetch(`${info.scimBaseUrl}/Users?startIndex=1&count=1`, {
      headers: { authorization: `Bearer ${known}` },
    });
    expect(users.status).toBe(200);
    const wrong = await fetch(`${info.scimBaseUrl}/Users`, {
      headers: { authorization: `Bearer ${known}x` },
    });
    expect(wrong.status).toBe(401);
    const keys = (await fetch(`${info.controlBaseUrl}/teams/${info.teamId}/scim/keys`, {
      headers: { authorization: 'Bearer cli-known-key-token' },
    }).then((r) => r.json())) as { status: string; prefix: string }[];
    expect(keys.filter((k) => k.status === 'ACTIVE')).toHaveLength(1);
    expect(keys.every((k) => !k.prefix.includes(known.slice(12)))).toBe(true);
    serve.child.kill('SIGTERM');
    expect((await serve.exit).code).toBe(0);
  });

  it('--scim-key refuses a short or predictable key, and --seed none, before starting', async () => {
    for (const args of [
      ['--scim-key', 'too-short'],
      ['--scim-key', 'a'.repeat(64)],
      ['--scim-key', 'known-key-0123456789abcdefghijklmnopqrstuvwxyz', '--seed', 'none'],
    ]) {
      const exit = await spawnServe(['--port', '0', ...args]).exit;
      expect(exit.code).toBe(1);
      expect(exit.stdout).toBe('');
      expect(exit.stderr).toMatch(/SCIM key|scim key|--seed demo/i);
    }
  });

  it('--sp-key-file / --sp-cert-file: a pair that does not match stops the start (exit 1)', async () => {
    const exit = await spawnServe([
      '--port',
      '0',
      '--sp-key-file',
      'server/saml/fixtures/sp.key',
      '--sp-cert-file',
      'server/saml/test/fixtures/rogue.crt',
    ]).exit;
    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe('');
    expect(exit.stderr).toMatch(/SP certificate does not match/);
  });

  it('exits 1 with a message on stderr and nothing on stdout for a bad flag', async () => {
    const serve = spawnServe(['--port', 'eighty']);
    const exit = await serve.exit;
    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe('');
    expect(exit.stderr).toMatch(/port/);
  });
});
