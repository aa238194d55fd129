// `npm start` and `npm run serve` as a person or a script runs them: one signal to the PID they started stops every
// process and port it started and closes the store (no -wal left); a scenario left unfinished by a kill -9 is gone on
// the next start; the IdP keeps its port across restarts. idsim issue #15 items 1, 2 and 13.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Spawned } from './spawned.ts';
import { killLeftovers, spawnUntil } from './spawned.ts';

const dirs: string[] = [];

afterAll(() => {
  killLeftovers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'idsim-lifecycle-'));
  dirs.push(dir);
  return dir;
}

/** Every process whose parent chain leads to `pid` (from /proc), so the test sees what the command started. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop() as number;
    for (const [child, ppid] of parentOf) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        frontier.push(child);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Runs npm as a user would (from PATH, in the repository) until stdout matches `ready`. */
function run(args: string[], ready: RegExp): Promise<Spawned> {
  return spawnUntil('npm', args, ready);
}

function portOf(text: string, label: RegExp): number {
  const match = label.exec(text);
  if (!match?.[1]) throw new Error(`no ${label} in ${text}`);
  return Number(new URL(match[1]).port);
}

const REFERENCE = /reference\s+(http:\/\/\S+)/;
const IDP = /simulator IdP\s+(http:\/\/\S+)/;

async function expectAllStopped(running: Spawned, pids: number[], ports: number[]): Promise<void> {
  await running.exited;
  for (const pid of pids) expect(alive(pid), `process ${pid} left running`).toBe(false);
  for (const port of ports) expect(await portOpen(port), `port ${port} still listening`).toBe(false);
}

describe('npm start', () => {
  it('SIGTERM to the PID `npm start` gave stops the server, the IdP and every child, and closes the store', async () => {
    const dir = tempDir();
    const demo = await run(['start', '--', '--dir', dir, '--port', '0'], /Ctrl-C stops it/);
    const text = demo.out();
    const ports = [portOf(text, REFERENCE), portOf(text, IDP)];
    for (const port of ports) expect(await portOpen(port)).toBe(true);
    const pids = descendants(demo.child.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/IdP people\s+password \S+/);
    expect(text).toMatch(/health http:\/\/\S+\/health/);
    demo.child.kill('SIGTERM');
    await expectAllStopped(demo, pids, ports);
    expect(existsSync(join(dir, 'demo.sqlite'))).toBe(true);
    expect(existsSync(join(dir, 'demo.sqlite-wal'))).toBe(false);
  });

  it('keeps the IdP port across restarts, and a scenario cut short by kill -9 leaves nothing behind', async () => {
    const dir = tempDir();
    const first = await run(['start', '--', '--dir', dir, '--port', '0'], /Ctrl-C stops it/);
    const idpPort = portOf(first.out(), IDP);
    const base = `http://127.0.0.1:${portOf(first.out(), REFERENCE)}`;
    const act = async (name: string, body: unknown = {}) =>
      (await fetch(`${base}/console/api/actions/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json())) as { scenario?: { nextStep: number } };
    await act('scenario-start', { row: 'JIT-01' });
    // JIT-01's first steps turn "Automatically add new users" off and add a person
    for (let i = 0; i < 3; i += 1) await act('scenario-next');
    const autoAdd = async (url: string): Promise<boolean | undefined> => {
      const state = (await fetch(`${url}/console/api/state`).then((r) => r.json())) as {
        team: { methods: { kind: string; autoAddUsers: boolean }[]; members: unknown[] };
      };
      return state.team.methods.find((m) => m.kind === 'saml')?.autoAddUsers;
    };
    expect(await autoAdd(base)).toBe(false);
    // kill -9 the node process itself: no handler runs, nothing is closed
    const pids = descendants(first.child.pid as number);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await first.exited;

    const second = await run(['start', '--', '--dir', dir, '--port', '0'], /Ctrl-C stops it/);
    expect(portOf(second.out(), IDP)).toBe(idpPort);
    const secondBase = `http://127.0.0.1:${portOf(second.out(), REFERENCE)}`;
    expect(await autoAdd(secondBase)).toBe(true);
    const secondPids = descendants(second.child.pid as number);
    second.child.kill('SIGINT');
    await expectAllStopped(second, secondPids, [idpPort]);
  });
});

describe('when npm itself is killed (kill -9, no signal forwarded)', () => {
  it('the server notices its npm parent is gone and stops, closing its port', async () => {
    const dir = tempDir();
    const serve = await run(
      ['run', '-s', 'serve', '--', '--port', '0', '--db', join(dir, 'orphan.sqlite'), '--quiet'],
      /\n/,
    );
    const info = JSON.parse(serve.out().trim()) as { baseUrl: string };
    const port = Number(new URL(info.baseUrl).port);
    const pids = descendants(serve.child.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(1);
    serve.child.kill('SIGKILL');
    await serve.exited;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids) expect(alive(pid), `process ${pid} outlived npm`).toBe(false);
    expect(await portOpen(port)).toBe(false);
    expect(existsSync(join(dir, 'orphan.sqlite-wal'))).toBe(false);
  });
});

describe('npm run serve', () => {
  it('prints exactly one JSON line as the README writes the command, and SIGINT stops it', async () => {
    const dir = tempDir();
    const serve = await run(
      ['run', '-s', 'serve', '--', '--port', '0', '--db', join(dir, 'serve.sqlite'), '--quiet'],
      /\n/,
    );
    const lines = serve
      .out()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines).toHaveLength(1);
    const info = JSON.parse(lines[0] ?? '') as { baseUrl: string };
    const port = Number(new URL(info.baseUrl).port);
    const pids = descendants(serve.child.pid as number);
    serve.child.kill('SIGINT');
    await expectAllStopped(serve, pids, [port]);
    expect(existsSync(join(dir, 'serve.sqlite-wal'))).toBe(false);
  });
});
