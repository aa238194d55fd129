// A scenario whose capability the target lacks is reported n/a, never passed (design.md "The target contract").
// Runs real features against a target file that offers no capability at all.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../config.ts';
import type { ConformanceResult } from '../run.ts';
import { runConformance } from '../run.ts';

describe('n/a handling: a target without the needed capabilities', () => {
  let reportsRoot: string;
  let result: ConformanceResult;

  beforeAll(async () => {
    reportsRoot = await mkdtemp(path.join(tmpdir(), 'idsim-na-'));
    const target = resolveTarget({ name: 'nothing offered', kind: 'http' }, reportsRoot);
    result = await runConformance({
      target,
      tags: '(@KEY-01 or @ORG-07) and not @wip',
      parallel: 0,
      reportsRoot,
      runId: 'na',
    });
  }, 60_000);

  afterAll(async () => {
    if (reportsRoot !== undefined) await rm(reportsRoot, { recursive: true, force: true });
  });

  it('marks every scenario not applicable and none passed', () => {
    expect(result.counts.total).toBeGreaterThanOrEqual(5);
    expect(result.outcomes.every((outcome) => outcome.status === 'not-applicable')).toBe(true);
    expect(result.counts.passed).toBe(0);
  });

  it('does not fail the run for n/a scenarios', () => {
    expect(result.success).toBe(true);
  });

  it('shows n/a rows, and gaps for rows no scenario ran', async () => {
    const key = result.matrix.find((line) => line.row.id === 'KEY-01');
    expect(key?.verdict).toBe('n/a');
    const markdown = await readFile(path.join(result.reportDir, 'conformance.md'), 'utf8');
    expect(markdown).toMatch(/\| KEY-01 \|[^\n]*\| n\/a \|/);
    expect(markdown).toContain('0 passed');
  });
});
