// Benchmark of the SAML fault audit: the whole catalogue against the reference server, wall seconds, report card
// included. shared/targets.md: "SAML fault audit: the whole catalogue against one target SP ≤ 10 s wall".
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../conformance/run.ts';
import { runSamlAudit } from '../conformance/saml-audit/audit.ts';
import { writeReportCard } from '../conformance/saml-audit/report-card.ts';
import { createReferenceTargetFactory } from '../conformance/targets/reference.ts';

const TARGET_SECONDS = 10;
const ROUNDS = 3;

const walls: number[] = [];
let last: Awaited<ReturnType<typeof runSamlAudit>> | null = null;
let reportMs = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  const started = performance.now();
  last = await runSamlAudit({ factory: createReferenceTargetFactory() });
  const audited = performance.now();
  await writeReportCard(last, path.join(REPO_ROOT, 'reports', `bench-audit-${Date.now()}`));
  reportMs = performance.now() - audited;
  walls.push((performance.now() - started) / 1000);
}
if (last === null) throw new Error('no round ran');
const sorted = [...walls].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
const perFault = last.rows.map((r) => r.ms);
const summary = {
  faults: last.rows.length,
  rounds: ROUNDS,
  wallSecondsMedian: Number(median.toFixed(2)),
  wallSecondsAll: walls.map((w) => Number(w.toFixed(2))),
  reportCardMs: Math.round(reportMs),
  perFaultMsMean: Number((perFault.reduce((a, b) => a + b, 0) / perFault.length).toFixed(1)),
  perFaultMsMax: Math.max(...perFault),
  grade: last.summary.grade,
  failed: last.summary.failed,
  targetSeconds: TARGET_SECONDS,
  withinTarget: median <= TARGET_SECONDS,
  measuredAt: new Date().toISOString(),
};
const benchDir = path.join(REPO_ROOT, 'reports', 'bench');
await mkdir(benchDir, { recursive: true });
await writeFile(path.join(benchDir, 'audit.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  `saml-audit: ${summary.faults} faults against the reference server in ${summary.wallSecondsMedian} s wall ` +
    `(median of ${ROUNDS}; target ≤ ${TARGET_SECONDS} s: ${summary.withinTarget ? 'met' : 'MISSED'})`,
);
