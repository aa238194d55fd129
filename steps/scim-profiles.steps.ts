// Steps of the acceptance-profile scenarios: run a profile on this scenario's SCIM driver, write its readiness report
// next to the transcripts, and fail with the tests that did not pass (conformance/profiles, idsim issue #12).
import assert from 'node:assert/strict';
import path from 'node:path';
import { Then, When } from '@cucumber/cucumber';
import type { ReadinessResult } from '../conformance/profiles/profile.ts';
import { runProfile } from '../conformance/profiles/profile.ts';
import { writeReadinessReport } from '../conformance/profiles/readiness-report.ts';
import { profileNamed } from '../conformance/profiles/registry.ts';
import type { IdsimWorld } from './world.ts';

When('the acceptance profile {string} runs', async function (this: IdsimWorld, name: string) {
  const profile = profileNamed(name);
  assert.ok(profile !== undefined, `no acceptance profile "${name}"`);
  const result = await runProfile(profile, await this.scim(), () => this.transcript, this.target.name);
  this.remembered.set('readiness', JSON.stringify(result));
  const dir = this.parameters.transcriptDir;
  if (dir !== null && dir !== undefined) {
    await writeReadinessReport(result, path.join(path.dirname(dir), 'readiness'));
  }
  this.attach(
    result.rows.map((row) => `${row.status.toUpperCase()} ${row.id} ${row.title}: ${row.got}`).join('\n'),
    'text/plain',
  );
});

Then('every applicable test of the profile passed', function (this: IdsimWorld) {
  const kept = this.remembered.get('readiness');
  assert.ok(kept !== undefined, 'no profile ran');
  const result = JSON.parse(kept) as ReadinessResult;
  const failed = result.rows.filter((row) => row.status === 'fail');
  assert.deepEqual(
    failed.map((row) => `${row.id}: expected ${row.expects} Returned ${row.got}`),
    [],
    `${failed.length} of ${result.rows.length} tests of ${result.title} failed`,
  );
});
