// Runs one acceptance profile against a target outside cucumber (`idsim conformance --profile`): one session, the
// tests in order, the readiness report under reports/<run-id>/. The same profiles also run as @scim-profile scenarios.
import type { ResolvedTarget } from '../config.ts';
import type { HttpExchange } from '../target.ts';
import { createTargetFactory } from '../targets/factory.ts';
import type { AcceptanceProfile, ReadinessResult } from './profile.ts';
import { runProfile } from './profile.ts';
import { writeReadinessReport } from './readiness-report.ts';

export interface ProfileRun {
  result: ReadinessResult;
  htmlFile: string;
}

export async function runProfileAgainst(
  profile: AcceptanceProfile,
  target: ResolvedTarget,
  reportDir: string,
): Promise<ProfileRun> {
  const factory = await createTargetFactory(target);
  if (!factory.capabilities.has('scim'))
    throw new Error(`the target "${target.name}" offers no scim capability`);
  const exchanges: HttpExchange[] = [];
  const session = await factory.open((exchange) => exchanges.push(exchange));
  try {
    const scim = await session.openScim();
    if (scim === null) throw new Error(`the target "${target.name}" offers no scim capability`);
    const result = await runProfile(profile, scim, () => exchanges, target.name);
    return { result, htmlFile: await writeReadinessReport(result, reportDir) };
  } finally {
    await session.close();
  }
}
