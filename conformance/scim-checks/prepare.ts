// Before a run: reads the target's discovery documents once and writes the snapshot and the generated feature file
// into the run's folder, so every worker rebuilds exactly the same checks (RFC 7644 4; idsim issue #12).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TargetFactory } from '../target.ts';
import { generateChecks } from './checks.ts';
import type { Discovery, DiscoverySnapshot } from './discovery.ts';
import { indexDiscovery, readDiscovery } from './discovery.ts';
import { renderChecksFeature } from './feature-file.ts';

export interface PreparedScimChecks {
  featureFile: string;
  snapshotFile: string;
  checks: number;
}

/** null when the target offers no SCIM capability (the generated scenarios would all be n/a anyway). */
export async function prepareScimChecks(
  factory: TargetFactory,
  dir: string,
): Promise<PreparedScimChecks | null> {
  if (!factory.capabilities.has('scim')) return null;
  const session = await factory.open(() => undefined);
  let snapshot: DiscoverySnapshot;
  try {
    const scim = await session.openScim();
    if (scim === null) return null;
    snapshot = await readDiscovery(scim);
  } finally {
    await session.close();
  }
  await mkdir(dir, { recursive: true });
  const snapshotFile = path.join(dir, 'scim-discovery.json');
  const featureFile = path.join(dir, 'scim-checks.feature');
  const checks = generateChecks(indexDiscovery(snapshot));
  await writeFile(snapshotFile, `${JSON.stringify(snapshot, null, 2)}\n`);
  await writeFile(featureFile, renderChecksFeature(checks, factory.name));
  return { featureFile, snapshotFile, checks: checks.length };
}

export async function loadDiscovery(snapshotFile: string): Promise<Discovery> {
  return indexDiscovery(JSON.parse(await readFile(snapshotFile, 'utf8')) as DiscoverySnapshot);
}
