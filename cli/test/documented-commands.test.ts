// Every shell command in README.md and docs/*.md works as written on the demo: each fenced sh/bash block is parsed,
// each command is run (or named below with the reason it is not run here), and the clone is as clean afterwards as
// before (no key files, no lockfile or mode churn). idsim issue #15 items 3, 10 and 11.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Spawned } from './spawned.ts';
import { killLeftovers, REPO_ROOT as ROOT, spawnUntil } from './spawned.ts';

const DOC_FILES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface Documented {
  file: string;
  line: number;
  /** one command (continuation lines joined), or a whole script when the block starts with #! */
  text: string;
  script: boolean;
}

/** The commands of every ```sh / ```bash block, comments dropped. */
function documentedCommands(file: string, markdown: string): Documented[] {
  const out: Documented[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(sh|bash|shell|console)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] ?? '').startsWith('```')) end += 1;
    const block = lines.slice(start, end);
    if ((block[0] ?? '').startsWith('#!')) {
      out.push({ file, line: start + 1, text: block.join('\n'), script: true });
    } else {
      let pending = '';
      let pendingLine = 0;
      block.forEach((raw, offset) => {
        const text = raw.replace(/\s+#\s.*$/, '').trimEnd();
        if (pending === '') pendingLine = start + offset + 1;
        if (text.trim() === '' || text.trimStart().startsWith('#')) return;
        pending += `${pending ? ' ' : ''}${text.replace(/\\$/, '').trim()}`;
        if (!text.endsWith('\\')) {
          out.push({ file, line: pendingLine, text: pending, script: false });
          pending = '';
        }
      });
    }
    i = end;
  }
  return out;
}

const ALL = DOC_FILES.flatMap((file) => documentedCommands(file, readFileSync(join(ROOT, file), 'utf8')));

/** Commands not run by this test, each with its reason. Anything else documented must run here. */
const NOT_RUN_HERE: [RegExp, string][] = [
  [
    /^npm install$/,
    "CI's `npm ci` on a fresh clone is this install; .ci/run checks the clone stays clean after it",
  ],
  [/^npm test$/, 'the command that runs this test'],
  [/^npm run bench/, 'benchmarks take minutes; each checks its own target in reports/bench/'],
  [/^npm run conformance( -- --quiet)?$/, 'npm test runs it against the reference server'],
  [/^npm run conformance -- --target my-service/, "needs the reader's own service and target file"],
  [/^npx idsim saml-audit --target my-sp/, "needs the reader's own SP and target file"],
  [
    /^npm run conformance(:idps| -- --idp \w+| -- --tags "@saml-sp-security")$/,
    'subsets of the suite npm test runs; conformance/test and the personalities feature run them against the reference server',
  ],
];

function notRunReason(command: string): string | undefined {
  return NOT_RUN_HERE.find(([pattern]) => pattern.test(command))?.[1];
}

/** `a && b` runs both; documented chains are split so each part gets its own rule. */
const COMMANDS = ALL.flatMap((doc) =>
  doc.script ? [doc] : doc.text.split(/\s+&&\s+/).map((text) => ({ ...doc, text })),
);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'idsim-docs-'));
  dirs.push(dir);
  return dir;
}

function gitStatus(): string {
  return execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' });
}

/** A documented command started through bash, as a reader's shell would. */
function startShell(command: string, ready: RegExp, env: Record<string, string> = {}): Promise<Spawned> {
  return spawnUntil('bash', ['-c', `exec ${command}`], ready, env);
}

function runShell(command: string, env: Record<string, string> = {}): { code: number; out: string } {
  try {
    const out = execFileSync('bash', ['-c', `set -euo pipefail\n${command}`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    return { code: 0, out };
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    return { code: failed.status ?? 1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** `npm start` as documented, with its demo in a temporary directory instead of the developer's .idsim/. */
function inTempDir(command: string): string {
  return command.includes(' -- ') ? `${command} --dir ${tempDir()}` : `${command} -- --dir ${tempDir()}`;
}

function bannerValue(banner: string, label: string): string {
  const value = new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm').exec(banner)?.[1];
  if (value === undefined) throw new Error(`the banner has no ${label}:\n${banner}`);
  return value;
}

/** Live processes whose environment carries `IDSIM_DOC_SCRIPT=<mark>` (from /proc). */
function processesMarked(mark: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (environ.split('\0').includes(`IDSIM_DOC_SCRIPT=${mark}`) && !stat.includes(') Z '))
        found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

let statusBefore: string;
let demo: Spawned;
let values: Record<string, string>;
let demoBase: string;

beforeAll(async () => {
  statusBefore = gitStatus();
  demo = await startShell(inTempDir('npm start'), /Ctrl-C stops it/);
  const banner = demo.out();
  demoBase = bannerValue(banner, 'reference');
  values = {
    '<control token>': bannerValue(banner, 'control token'),
    '<team id>': bannerValue(banner, 'team id'),
    '<admin account id>': bannerValue(banner, 'admin account'),
    '<SCIM key>': bannerValue(banner, 'SCIM key'),
  };
}, 60_000);

afterAll(async () => {
  killLeftovers();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The documented command with the demo's values for the placeholders the banner prints. */
function onTheDemo(command: string): string {
  let text = command.replace(/http:\/\/(?:127\.0\.0\.1|localhost):4000/g, demoBase);
  for (const [placeholder, value] of Object.entries(values)) text = text.split(placeholder).join(value);
  return text;
}

describe('documented commands (README.md, docs/*.md)', () => {
  it('finds the documented commands, and every one is either run below or named with a reason', () => {
    expect(COMMANDS.length).toBeGreaterThanOrEqual(10);
    const unknown = COMMANDS.filter(
      (c) =>
        !c.script &&
        notRunReason(c.text) === undefined &&
        !/^(npm start|npm run -s serve|npm run --silent serve|npm run push|curl) /.test(`${c.text} `),
    );
    expect(unknown.map((c) => `${c.file}:${c.line} ${c.text}`)).toEqual([]);
    expect(COMMANDS.some((c) => c.script)).toBe(true);
  });

  it('the README and docs say `npm run -s serve` (npm prints its own banner on stdout otherwise)', () => {
    const bare = COMMANDS.filter((c) => /^npm run serve\b/.test(c.text));
    expect(bare.map((c) => `${c.file}:${c.line}`)).toEqual([]);
  });

  it('runs the curl and push commands on the demo: the 500-people push fits once seats are bought', () => {
    const onDemo = COMMANDS.filter((c) => !c.script && /^(npm run push|curl) /.test(c.text));
    expect(onDemo.length).toBeGreaterThanOrEqual(3);
    const env = {
      token: values['<control token>'] ?? '',
      control: `${demoBase}/control/v1`,
    };
    for (const command of onDemo) {
      const result = runShell(onTheDemo(command.text), env);
      const where = `${command.file}:${command.line} ${command.text}\n${result.out.slice(-2000)}`;
      expect(result.code, where).toBe(0);
      expect(result.out, where).not.toMatch(/"error"\s*:|refused|[1-9]\d* failed/i);
    }
  }, 120_000);

  it("runs the banner's own Try lines as printed", () => {
    const tries = demo
      .out()
      .split('\n')
      .filter((line) => /^ {2}(curl|npm run push) /.test(line))
      .map((line) => line.trim());
    expect(tries.length).toBeGreaterThanOrEqual(3);
    for (const line of tries) {
      const result = runShell(line);
      expect(result.code, `${line}\n${result.out.slice(-1500)}`).toBe(0);
      expect(result.out, line).not.toMatch(/"error"\s*:|refused/i);
    }
  }, 60_000);

  it('runs every documented `npm start` variant (its demo in a temporary directory) and stops it with SIGTERM', async () => {
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    const variants = [...new Set(COMMANDS.filter((c) => /^npm start\b/.test(c.text)).map((c) => c.text))];
    expect(variants.length).toBeGreaterThanOrEqual(2);
    // side by side (each in its own directory; the demo above was the plain `npm start`)
    const codes = await Promise.all(
      variants
        .filter((variant) => variant !== 'npm start')
        .map(async (variant) => {
          const started = await startShell(inTempDir(variant), /Ctrl-C stops it/);
          started.child.kill('SIGTERM');
          return [variant, await started.exited] as const;
        }),
    );
    for (const [variant, code] of codes) expect(code, variant).toBe(0);
  }, 90_000);

  it('`npm run -s serve` as documented prints exactly one JSON line', async () => {
    const serves = COMMANDS.filter((c) => !c.script && /^npm run (-s|--silent) serve\b/.test(c.text));
    expect(serves.length).toBeGreaterThanOrEqual(1);
    for (const command of serves) {
      const started = await startShell(command.text, /\n/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const lines = started
        .out()
        .split('\n')
        .filter((line) => line !== '');
      expect(lines, command.text).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ baseUrl: expect.stringMatching(/^http:/) });
      started.child.kill('SIGTERM');
      expect(await started.exited).toBe(0);
    }
  }, 60_000);

  it('runs the documented shell scripts to the end (exit 0), leaving no server running', () => {
    for (const [index, script] of COMMANDS.filter((c) => c.script).entries()) {
      // every process the script starts inherits this mark, so one left running can be found afterwards
      const mark = `idsim-doc-script-${process.pid}-${index}`;
      const result = runShell(script.text, { IDSIM_DOC_SCRIPT: mark });
      expect(result.code, `${script.file}:${script.line}\n${result.out.slice(-2000)}`).toBe(0);
      expect(processesMarked(mark), `${script.file}:${script.line} left processes running`).toEqual([]);
    }
  }, 60_000);

  it('left the clone as it was: no key files, no lockfile or file-mode changes', () => {
    expect(gitStatus()).toBe(statusBefore);
  });
});
