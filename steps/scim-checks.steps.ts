// The one step of the generated schema-driven scenarios: run the named check against this scenario's SCIM driver.
// conformance/scim-checks (idsim issue #12); the check's notes are attached to the scenario.
import assert from 'node:assert/strict';
import { When } from '@cucumber/cucumber';
import { generateChecks, runCheck } from '../conformance/scim-checks/checks.ts';
import { CheckRun } from '../conformance/scim-checks/fixtures.ts';
import { loadDiscovery } from '../conformance/scim-checks/prepare.ts';
import type { IdsimWorld } from './world.ts';

When('the schema-driven check {string} runs', async function (this: IdsimWorld, id: string) {
  const snapshotFile = this.parameters.scimChecks?.snapshotFile;
  assert.ok(snapshotFile, 'no discovery snapshot: run the generated checks through idsim conformance');
  const discovery = await loadDiscovery(snapshotFile);
  const check = generateChecks(discovery).find((candidate) => candidate.id === id);
  assert.ok(check !== undefined, `no check "${id}" for this target's discovery documents`);
  const run = new CheckRun(await this.scim(), discovery);
  const outcome = await runCheck(check, run);
  if (run.notes.length > 0) this.attach(run.notes.join('\n'), 'text/plain');
  if (outcome.status === 'not-applicable')
    return this.notApplicable({ missing: ['scim'], detail: outcome.detail });
  return undefined;
});
