#!/usr/bin/env -S node --import tsx
// The idsim command line: idsim conformance [--target file] [--tags expr] [--profile name] runs the features (or an
// acceptance profile) against a target; idsim saml-audit replays the SAML fault catalogue (issue #11); idsim push.
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { ResolvedTarget } from '../conformance/config.ts';
import { loadTargetFile, REFERENCE_TARGET, TargetConfigError } from '../conformance/config.ts';
import { PROFILES, profileNamed } from '../conformance/profiles/registry.ts';
import { runProfileAgainst } from '../conformance/profiles/run-profile.ts';
import { DEFAULT_TAGS, defaultRunId, REPO_ROOT, runConformance } from '../conformance/run.ts';
import { DEFAULT_IDENTITIES, runSamlAudit } from '../conformance/saml-audit/audit.ts';
import { writeReportCard } from '../conformance/saml-audit/report-card.ts';
import { screenshotReportCard } from '../conformance/saml-audit/screenshot.ts';
import { createTargetFactory } from '../conformance/targets/factory.ts';
import { FAULT_IDS } from '../simulator/saml/faults/index.ts';
import { personalityNamed } from '../simulator/scim/personalities.ts';
import { buildPushCommand } from './push.ts';

function parseCount(value: string): number {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number');
  return parsed;
}

/** The target named by --target (the reference server without one); a bad file prints why and exits 2. */
async function targetOrExit(file: string | undefined): Promise<ResolvedTarget | null> {
  try {
    return file === undefined ? REFERENCE_TARGET : await loadTargetFile(file);
  } catch (error) {
    if (!(error instanceof TargetConfigError) && (error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw error;
    console.error(`idsim: ${(error as Error).message}`);
    process.exitCode = 2;
    return null;
  }
}

const program = new Command('idsim').description('identity simulator and conformance harness');

program
  .command('conformance')
  .description('run the conformance features against a target (the reference server by default)')
  .option('--target <file>', 'target file (YAML or JSON) naming the scim, saml and control capabilities')
  .option('--tags <expression>', 'cucumber tag expression', DEFAULT_TAGS)
  .option('--parallel <workers>', 'worker processes (0 runs in this process)', parseCount)
  .option('--reports <dir>', 'reports root folder (default reports/)')
  .option('--run-id <id>', 'name of the report folder under the reports root')
  .option('--catalogue <file>', 'behaviour catalogue markdown (default ../shared/spec/catalogue.md)')
  .option('--quiet', 'no progress output')
  .option(
    '--profile <name>',
    `run an IdP acceptance profile instead of the features (${PROFILES.map((profile) => profile.name).join(', ')})`,
  )
  .option(
    '--idp <name>',
    'provision as this IdP: okta, entra, onelogin, jumpcloud, rippling or ping (issue #13)',
  )
  .action(
    async (options: {
      target?: string;
      tags: string;
      parallel?: number;
      reports?: string;
      runId?: string;
      catalogue?: string;
      quiet?: boolean;
      idp?: string;
      profile?: string;
    }) => {
      const idp = options.idp === undefined ? undefined : personalityNamed(options.idp);
      if (idp === null) {
        console.error(
          `idsim: unknown IdP "${options.idp}" (okta, entra, onelogin, jumpcloud, rippling, ping)`,
        );
        process.exitCode = 2;
        return;
      }
      const target = await targetOrExit(options.target);
      if (target === null) return;
      if (options.profile !== undefined) {
        const profile = profileNamed(options.profile);
        if (profile === undefined) {
          console.error(
            `idsim: unknown profile "${options.profile}" (${PROFILES.map((known) => known.name).join(', ')})`,
          );
          process.exitCode = 2;
          return;
        }
        const runId = options.runId ?? defaultRunId(profile.name);
        const reportDir = path.resolve(options.reports ?? path.join(REPO_ROOT, 'reports'), runId);
        const { result, htmlFile } = await runProfileAgainst(profile, target, reportDir);
        for (const row of result.rows)
          console.log(`${row.status.toUpperCase().padEnd(4)} ${row.id}  ${row.title}\n       ${row.got}`);
        console.log(
          `\n${result.title} against ${target.name}: ${result.counts.pass} passed, ${result.counts.fail} failed, ` +
            `${result.counts.notApplicable} n/a (${result.wallSeconds.toFixed(1)} s)\nreadiness report: ${htmlFile}`,
        );
        process.exitCode = result.ready ? 0 : 1;
        return;
      }
      const result = await runConformance({
        target,
        tags: options.tags,
        ...(options.parallel === undefined ? {} : { parallel: options.parallel }),
        ...(options.reports === undefined ? {} : { reportsRoot: options.reports }),
        ...(options.runId === undefined ? {} : { runId: options.runId }),
        ...(options.catalogue === undefined ? {} : { cataloguePath: options.catalogue }),
        ...(options.quiet === true ? {} : { progress: process.stdout }),
        ...(idp === undefined ? {} : { idp }),
      });
      const { counts } = result;
      console.log(
        `\n${target.name}: ${counts.total} scenarios — ${counts.passed} passed, ${counts.failed} failed, ` +
          `${counts.notApplicable} n/a, ${counts.other} other (${result.wallSeconds.toFixed(1)} s)`,
      );
      for (const outcome of result.outcomes) {
        if (outcome.status !== 'passed' && outcome.status !== 'not-applicable') {
          console.log(`  ${outcome.status}: ${outcome.name} (${outcome.uri})`);
        }
      }
      console.log(`reports: ${result.reportDir}`);
      // The plain closing line CI reads: scenarios that did not pass (and were applicable) count as failed.
      const skipped = counts.notApplicable;
      console.log(
        `conformance: ${counts.passed} passed, ${counts.total - counts.passed - skipped} failed, ${skipped} skipped`,
      );
      process.exitCode = result.success ? 0 : 1;
    },
  );

program
  .command('saml-audit')
  .description(
    'replay the SAML fault catalogue against a target SP and write a report card (HTML, JSON, JUnit)',
  )
  .option(
    '--target <file>',
    'target file naming the SP (saml: metadataUrl or entityId + acsUrl); default the reference server',
  )
  .option('--faults <ids>', 'comma-separated fault ids (default: the whole catalogue)')
  .option('--victim <email>', 'an existing account the forgeries aim at', DEFAULT_IDENTITIES.victim)
  .option(
    '--attacker <email>',
    'the person whose genuine IdP account the attacker holds',
    DEFAULT_IDENTITIES.attacker,
  )
  .option('--reports <dir>', 'reports root folder (default reports/)')
  .option('--run-id <id>', 'name of the report folder under the reports root')
  .option('--screenshot <png>', 'also save a PNG of the report card (Chromium)')
  .action(
    async (options: {
      target?: string;
      faults?: string;
      victim: string;
      attacker: string;
      reports?: string;
      runId?: string;
      screenshot?: string;
    }) => {
      const faults = options.faults
        ?.split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      const unknown = (faults ?? []).filter((id) => !FAULT_IDS.includes(id));
      if (unknown.length > 0) {
        console.error(
          `idsim: unknown fault ids: ${unknown.join(', ')} (see GET /api/faults or simulator/saml/faults)`,
        );
        process.exitCode = 2;
        return;
      }
      const target = await targetOrExit(options.target);
      if (target === null) return;
      let factory: Awaited<ReturnType<typeof createTargetFactory>>;
      try {
        factory = await createTargetFactory(target);
      } catch (error) {
        // e.g. the SP metadata URL does not answer
        console.error(`idsim: cannot reach the target: ${(error as Error).message}`);
        process.exitCode = 2;
        return;
      }
      const result = await runSamlAudit({
        factory,
        identities: { victim: options.victim, attacker: options.attacker },
        ...(faults === undefined ? {} : { faults }),
      });
      const dir = path.resolve(
        options.reports ?? path.join(REPO_ROOT, 'reports'),
        options.runId ?? `${defaultRunId(target.name)}-saml-audit`,
      );
      const files = await writeReportCard(result, dir);
      const s = result.summary;
      console.log(
        `${target.name}: grade ${s.grade}, ${s.passed} safe, ${s.failed} not safe (${s.critical} account takeovers), ${s.notApplicable} n/a, ${(result.wallMs / 1000).toFixed(1)} s`,
      );
      console.log(`control sign-in: ${result.control.detail}`);
      for (const row of result.rows) {
        if (!row.pass && row.verdict !== 'not-applicable')
          console.log(`  ${row.verdict}: ${row.id}: ${row.note}`);
      }
      if (options.screenshot !== undefined) {
        await screenshotReportCard(files.html, path.resolve(options.screenshot));
        console.log(`screenshot: ${path.resolve(options.screenshot)}`);
      }
      console.log(`report card: ${files.html}\njson: ${files.json}\njunit: ${files.junit}`);
      process.exitCode = result.control.ok && s.failed === 0 ? 0 : 1;
    },
  );

// `idsim push --dialect <personality>`: the SCIM pusher (cli/push.ts), issue #4 / #13
program.addCommand(buildPushCommand());

await program.parseAsync(process.argv);
