// Plans and what they unlock: SCIM provisioning only on Enterprise.
// Catalogue KEY-01 (source 001: "SCIM is available to Enterprise teams").
import type { PlanName } from '../control/port.ts';
import { DomainError } from './errors.ts';

export const PLAN_NAMES: readonly PlanName[] = ['Free', 'Basic', 'Professional', 'Enterprise'];

export function isPlanName(value: string): value is PlanName {
  return (PLAN_NAMES as readonly string[]).includes(value);
}

/** KEY-01: only Enterprise teams may enable SCIM or generate a SCIM API key. */
export function planAllowsScim(plan: PlanName): boolean {
  return plan === 'Enterprise';
}

export function assertPlanAllowsScim(plan: PlanName): void {
  if (!planAllowsScim(plan)) {
    throw new DomainError(
      'plan_not_eligible',
      `SCIM provisioning is available on the Enterprise plan only (plan: ${plan})`,
      {
        plan,
      },
    );
  }
}
