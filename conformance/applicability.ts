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

/**
 * RFC 7644 4 / RFC 7643 5: the optional SCIM features a ServiceProviderConfig declares. A scenario tagged with one
 * of these needs the target to declare `<feature>.supported: true`; otherwise it is n/a (RFC 7644 3.14 makes
 * ETags optional, 3.4.2.3 sorting, 3.7 bulk, 3.5.2 PATCH, 3.4.2.2 filtering; RFC 7643 5 changePassword).
 */
export const SCIM_FEATURES = ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag'] as const;
export type ScimFeature = (typeof SCIM_FEATURES)[number];

/** The tag that names a ScimFeature, e.g. `@scim-etag`, `@scim-changePassword`. */
export function scimFeatureTag(feature: ScimFeature): string {
  return `@scim-${feature}`;
}

export function requiredScimFeatures(tags: readonly string[]): ScimFeature[] {
  return SCIM_FEATURES.filter((feature) => tags.includes(scimFeatureTag(feature)));
}

/** True only when the ServiceProviderConfig document says `<feature>: { supported: true }`. */
export function scimFeatureSupported(serviceProviderConfig: unknown, feature: ScimFeature): boolean {
  if (typeof serviceProviderConfig !== 'object' || serviceProviderConfig === null) return false;
  const entry = (serviceProviderConfig as Record<string, unknown>)[feature];
  return typeof entry === 'object' && entry !== null && (entry as { supported?: unknown }).supported === true;
}

/** The required features the target's ServiceProviderConfig does not declare supported, as an n/a note. */
export function unsupportedScimFeatures(
  tags: readonly string[],
  serviceProviderConfig: unknown,
): NotApplicableNote | null {
  const missing = requiredScimFeatures(tags).filter(
    (feature) => !scimFeatureSupported(serviceProviderConfig, feature),
  );
  if (missing.length === 0) return null;
  return {
    missing: ['scim'],
    detail: `ServiceProviderConfig does not declare ${missing.map((feature) => `${feature}.supported: true`).join(', ')}`,
  };
}
