// Test support: starts a command as a person would from the repository root and waits until its stdout says it is
// ready, keeping what it printed; the CLI tests of process handling and of the documented commands share it.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface Spawned {
  child: ChildProcess;
  /** stdout so far */
  out: () => string;
  /** resolves with the exit code (null when a signal ended it) */
  exited: Promise<number | null>;
}

/** Every process started here, so a test file's afterAll can SIGKILL what a failed test left running. */
export const spawnedChildren: ChildProcess[] = [];

export function killLeftovers(): void {
  for (const child of spawnedChildren)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export function spawnUntil(
  command: string,
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<Spawned> {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  spawnedChildren.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const name = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: not ready in ${timeoutMs} ms\n${out}\n${err}`)),
      timeoutMs,
    );
    child.stdout?.on('data', () => {
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve({ child, out: () => out, exited });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name}: exited ${code} before it was ready\n${out}\n${err}`));
    });
  });
}
