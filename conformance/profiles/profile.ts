// An IdP's published acceptance test as a list of named tests run in order against one SCIM target, and the runner
// that turns each into a readiness row: pass/fail/n/a, the exchanges, what the IdP expects and what came back.
import type { HttpExchange, HttpReply, ScimDriver } from '../target.ts';

export type ReadinessStatus = 'pass' | 'fail' | 'n/a';

/** What one test found: `got` says in plain words what the target returned. */
export interface TestVerdict {
  status: ReadinessStatus;
  got: string;
}

export interface ProfileContext {
  scim: ScimDriver;
  /** values the tests of one run hand on to later ones (ids, userNames) */
  state: Map<string, string>;
  /** unique per run, for userNames and group names */
  unique: string;
}

export interface ProfileTest {
  /** the published test's number or name in its source, e.g. `spec-06` */
  id: string;
  title: string;
  /** what the IdP expects, in plain language */
  expects: string;
  run(context: ProfileContext): Promise<TestVerdict>;
}

export interface AcceptanceProfile {
  name: string;
  title: string;
  /** the published documents the tests follow */
  sources: string[];
  tests: ProfileTest[];
}

export interface ReadinessRow {
  id: string;
  title: string;
  expects: string;
  status: ReadinessStatus;
  got: string;
  ms: number;
  exchanges: HttpExchange[];
}

export interface ReadinessResult {
  profile: string;
  title: string;
  target: string;
  sources: string[];
  startedAt: string;
  wallSeconds: number;
  rows: ReadinessRow[];
  counts: { pass: number; fail: number; notApplicable: number };
  /** every applicable test passed */
  ready: boolean;
}

export const pass = (got: string): TestVerdict => ({ status: 'pass', got });
export const fail = (got: string): TestVerdict => ({ status: 'fail', got });
export const notApplicable = (got: string): TestVerdict => ({ status: 'n/a', got });

/** A short plain description of a reply for the "what you returned" column. */
export function described(reply: HttpReply): string {
  const text = reply.text.length > 240 ? `${reply.text.slice(0, 240)}…` : reply.text;
  return `HTTP ${reply.status}${text === '' ? ' with no body' : `: ${text}`}`;
}

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Runs every test in order; a test that throws fails with the error's message. `exchanges` returns everything the
 * SCIM driver recorded so far; each row keeps the slice its test produced.
 */
export async function runProfile(
  profile: AcceptanceProfile,
  scim: ScimDriver,
  exchanges: () => readonly HttpExchange[],
  target: string,
): Promise<ReadinessResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const context: ProfileContext = { scim, state: new Map(), unique: Math.random().toString(36).slice(2, 10) };
  const rows: ReadinessRow[] = [];
  for (const test of profile.tests) {
    const before = exchanges().length;
    const testStarted = performance.now();
    let verdict: TestVerdict;
    try {
      verdict = await test.run(context);
    } catch (error) {
      verdict = fail(`the test could not finish: ${(error as Error).message}`);
    }
    rows.push({
      id: test.id,
      title: test.title,
      expects: test.expects,
      ...verdict,
      ms: Math.round(performance.now() - testStarted),
      exchanges: exchanges().slice(before),
    });
  }
  const counts = {
    pass: rows.filter((row) => row.status === 'pass').length,
    fail: rows.filter((row) => row.status === 'fail').length,
    notApplicable: rows.filter((row) => row.status === 'n/a').length,
  };
  return {
    profile: profile.name,
    title: profile.title,
    target,
    sources: profile.sources,
    startedAt,
    wallSeconds: (performance.now() - started) / 1000,
    rows,
    counts,
    ready: counts.fail === 0,
  };
}
