// Decides whether a scenario applies to a target: its capability tags (@scim, @saml, @control) must all be offered.
// design.md "The target contract": a scenario needing a missing capability is reported n/a, never as passed.
import type { Capability } from './target.ts';
import { CAPABILITIES } from './target.ts';

/** Media type of the attachment that marks a skipped scenario as not applicable (read back by the report). */
export const NOT_APPLICABLE_MEDIA_TYPE = 'application/vnd.idsim.not-applicable+json';

export interface NotApplicableNote {
  missing: Capability[];
  /** what part of the capability is missing, when the target offers the capability only in part */
  detail?: string;
}

export function requiredCapabilities(tags: readonly string[]): Capability[] {
  return CAPABILITIES.filter((capability) => tags.includes(`@${capability}`));
}

export function missingCapabilities(tags: readonly string[], offered: ReadonlySet<Capability>): Capability[] {
  return requiredCapabilities(tags).filter((capability) => !offered.has(capability));
}
