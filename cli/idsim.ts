#!/usr/bin/env -S node --import tsx
import path from 'node:path';
// The idsim command line: `idsim conformance [--target file] [--tags expr]` runs the features against a target.
// Exit code 0 only when every applicable scenario passed (design.md "The target contract", idsim issue #5).
import { Command, InvalidArgumentError } from 'commander';
import type { ResolvedTarget } from '../conformance/config.ts';
import { loadTargetFile, REFERENCE_TARGET, TargetConfigError } from '../conformance/config.ts';
import { PROFILES, profileNamed } from '../conformance/profiles/registry.ts';
import { runProfileAgainst } from '../conformance/profiles/run-profile.ts';
import { DEFAULT_TAGS, REPO_ROOT, runConformance } from '../conformance/run.ts';
import { personalityNamed } from '../simulator/scim/personalities.ts';
import { buildPushCommand } from './push.ts';

function parseCount(value: string): number {
  const parsed = Number.parseInt(value, 10);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected a whole number');
  return parsed;
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
      let target: ResolvedTarget = REFERENCE_TARGET;
      try {
        if (options.target !== undefined) target = await loadTargetFile(options.target);
      } catch (error) {
        if (!(error instanceof TargetConfigError) && (error as NodeJS.ErrnoException).code !== 'ENOENT')
          throw error;
        console.error(`idsim: ${(error as Error).message}`);
        process.exitCode = 2;
        return;
      }
      if (options.profile !== undefined) {
        const profile = profileNamed(options.profile);
        if (profile === undefined) {
          console.error(
            `idsim: unknown profile "${options.profile}" (${PROFILES.map((known) => known.name).join(', ')})`,
          );
          process.exitCode = 2;
          return;
        }
        const runId = options.runId ?? `${new Date().toISOString().replace(/[:.]/g, '-')}-${profile.name}`;
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

// `idsim push --dialect <personality>`: the SCIM pusher (cli/push.ts), issue #4 / #13
program.addCommand(buildPushCommand());

await program.parseAsync(process.argv);
