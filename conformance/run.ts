// The conformance runner: runs the features against one target with cucumber's programmatic API and writes the
// run's reports under reports/<run-id>/ (cucumber HTML, messages NDJSON, JUnit XML, transcripts, conformance.md/html).

import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import type { ResolvedTarget } from './config.ts';
import { REFERENCE_TARGET } from './config.ts';
import type { CatalogueRow } from './report/catalogue.ts';
import { loadCatalogue, rowsFromTags } from './report/catalogue.ts';
import { declaredInFolder } from './report/declared.ts';
import type { MatrixRow } from './report/matrix.ts';
import { buildMatrix, renderMarkdown } from './report/matrix.ts';
import { collectOidcVerdicts, type OidcFaultVerdict, renderOidcVerdicts } from './report/oidc-verdicts.ts';
import type { OutcomeCounts, ScenarioOutcome } from './report/outcomes.ts';
import { countOutcomes, everyApplicablePassed, summariseEnvelopes } from './report/outcomes.ts';
import { renderHtml } from './report/page.ts';
import { prepareScimChecks } from './scim-checks/prepare.ts';
import { createTargetFactory } from './targets/factory.ts';
import { transcriptFileName } from './transcript-file.ts';

/** The repository root (this file lives in <root>/conformance). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Scenarios still waiting for a dependency carry @wip and are left out unless the caller asks for them. */
export const DEFAULT_TAGS = 'not @wip';

export interface ConformanceOptions {
  target?: ResolvedTarget;
  /** cucumber tag expression; default `not @wip` */
  tags?: string;
  /** feature files or globs, relative to the repo root; default every file under features/ */
  paths?: string[];
  /** default <repo>/reports */
  reportsRoot?: string;
  /** default: an ISO timestamp plus the target name */
  runId?: string;
  /** worker processes; default: available cores (at least 2), 0 runs in-process */
  parallel?: number;
  /** catalogue markdown; default $IDSIM_CATALOGUE or ../shared/spec/catalogue.md from the repo root */
  cataloguePath?: string;
  /** where cucumber's progress output goes; default: nowhere */
  progress?: Writable;
  /** issue #13: every provisioning step speaks this IdP personality's dialect (default: the steps' own Okta requests) */
  idp?: string;
  /** generate the schema-driven checks from the target's discovery documents (default true) */
  scimChecks?: boolean;
}

export interface ConformanceResult {
  runId: string;
  reportDir: string;
  outcomes: ScenarioOutcome[];
  counts: OutcomeCounts;
  matrix: MatrixRow[];
  /** @oidc-rp-security: what the RP did with each fault (also written as oidc-faults.md) */
  oidcVerdicts: OidcFaultVerdict[];
  /** every applicable scenario passed */
  success: boolean;
  wallSeconds: number;
}

export function defaultRunId(target: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const slug = target
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${stamp}-${slug}`;
}

function nullStream(): Writable {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

export async function runConformance(options: ConformanceOptions = {}): Promise<ConformanceResult> {
  const started = performance.now();
  const target = options.target ?? REFERENCE_TARGET;
  const tags = options.tags ?? DEFAULT_TAGS;
  const runId = options.runId ?? defaultRunId(target.name);
  const reportDir = path.resolve(options.reportsRoot ?? path.join(REPO_ROOT, 'reports'), runId);
  const transcriptDir = path.join(reportDir, 'transcripts');
  await mkdir(transcriptDir, { recursive: true });
  // An OIDC RP configured with a fixed issuer needs the simulator on its one port: scenarios run one at a time.
  const fixedIssuerPort = target.kind === 'http' && target.oidc !== null;
  const parallel = fixedIssuerPort ? 0 : (options.parallel ?? Math.max(2, availableParallelism()));
  // The schema-driven checks are generated from this target's own discovery documents, read once here.
  const prepared =
    options.scimChecks === false
      ? null
      : await prepareScimChecks(await createTargetFactory(target), path.join(reportDir, 'generated'));
  const paths = [...(options.paths ?? ['features/**/*.feature'])];
  if (prepared !== null) paths.push(path.relative(REPO_ROOT, prepared.featureFile));

  const { runConfiguration } = await loadConfiguration(
    {
      file: false,
      provided: {
        paths,
        import: ['steps/**/*.ts'],
        tags,
        parallel,
        format: [
          'progress',
          `html:${path.join(reportDir, 'cucumber.html')}`,
          `message:${path.join(reportDir, 'cucumber-messages.ndjson')}`,
          `junit:${path.join(reportDir, 'junit.xml')}`,
        ],
        formatOptions: { junit: { suiteName: `idsim conformance: ${target.name}` } },
        // a JSON round trip: cucumber wants a JsonObject, and workers receive exactly this
        worldParameters: JSON.parse(
          JSON.stringify({
            target,
            transcriptDir,
            idp: options.idp,
            scimChecks: prepared === null ? null : { snapshotFile: prepared.snapshotFile },
          }),
        ),
      },
    },
    { cwd: REPO_ROOT },
  );

  const envelopes: unknown[] = [];
  const output = options.progress ?? nullStream();
  await runCucumber(runConfiguration, { cwd: REPO_ROOT, stdout: output, stderr: output }, (envelope) => {
    envelopes.push(envelope);
  });

  const outcomes = summariseEnvelopes(envelopes);
  const counts = countOutcomes(outcomes);
  const cataloguePath =
    options.cataloguePath ??
    process.env.IDSIM_CATALOGUE ??
    path.resolve(REPO_ROOT, '../shared/spec/catalogue.md');
  const declared = await declaredInFolder(path.join(REPO_ROOT, 'features'), REPO_ROOT);
  const catalogue: CatalogueRow[] =
    (await loadCatalogue(cataloguePath)) ??
    rowsFromTags([...outcomes, ...declared].flatMap((scenario) => scenario.tags));
  const input = { target: target.name, runId, tags, rows: catalogue, outcomes, declared, counts };
  const matrix = buildMatrix(input);
  await writeFile(path.join(reportDir, 'conformance.md'), renderMarkdown(input, matrix));
  const written = new Set(await readdir(transcriptDir));
  const transcriptOf = (outcome: ScenarioOutcome): string | null => {
    const file = transcriptFileName(outcome.uri, outcome.name, outcome.pickleId);
    return written.has(file) ? `transcripts/${file}` : null;
  };
  await writeFile(path.join(reportDir, 'conformance.html'), renderHtml({ ...input, transcriptOf }, matrix));
  const oidcVerdicts = collectOidcVerdicts(envelopes);
  if (oidcVerdicts.length > 0) {
    await writeFile(path.join(reportDir, 'oidc-faults.md'), renderOidcVerdicts(target.name, oidcVerdicts));
  }

  return {
    runId,
    reportDir,
    outcomes,
    counts,
    matrix,
    oidcVerdicts,
    success: everyApplicablePassed(outcomes),
    wallSeconds: (performance.now() - started) / 1000,
  };
}
