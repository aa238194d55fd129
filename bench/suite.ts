// Benchmark of the whole conformance suite against the reference server: scenarios and wall seconds.
// shared/targets.md: "full default conformance run (features, schema-driven checks, profiles) against the reference server ≤ 30 s wall"; writes reports/bench/suite.json.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REFERENCE_TARGET } from '../conformance/config.ts';
import { REPO_ROOT, runConformance } from '../conformance/run.ts';

const TARGET_SECONDS = 30;

const result = await runConformance({ target: REFERENCE_TARGET, runId: `bench-suite-${Date.now()}` });
const summary = {
  scenarios: result.counts.total,
  passed: result.counts.passed,
  failed: result.counts.failed,
  notApplicable: result.counts.notApplicable,
  wallSeconds: Number(result.wallSeconds.toFixed(2)),
  targetSeconds: TARGET_SECONDS,
  withinTarget: result.wallSeconds <= TARGET_SECONDS,
  reportDir: result.reportDir,
  measuredAt: new Date().toISOString(),
};
const benchDir = path.join(REPO_ROOT, 'reports', 'bench');
await mkdir(benchDir, { recursive: true });
await writeFile(path.join(benchDir, 'suite.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  `conformance suite: ${summary.scenarios} scenarios (${summary.passed} passed, ${summary.failed} failed) ` +
    `in ${summary.wallSeconds} s wall (target ≤ ${TARGET_SECONDS} s: ${summary.withinTarget ? 'met' : 'MISSED'})`,
);
process.exitCode = result.success ? 0 : 1;
