// Resource versions as HTTP entity tags, and If-Match / If-None-Match header parsing.
// RFC 7644 3.14 (versioning: meta.version, weak ETags, 412 on mismatch); RFC 7232 2.3 and 3.1 (entity-tag syntax).

/** RFC 7644 3.14: meta.version and the ETag header carry the same value; this product uses weak tags. */
export function formatScimEtag(version: number): string {
  return `W/"${version}"`;
}

/** What a conditional header asks for: nothing, any current version (`*`), or one of a list of versions. */
export type ScimPrecondition = { kind: 'none' } | { kind: 'any' } | { kind: 'versions'; versions: number[] };

/**
 * Parses If-Match or If-None-Match. Tags are compared weakly (RFC 7644 3.14 sends weak tags in If-Match), so
 * `W/"3"` and `"3"` both mean version 3. A tag that is not one of this server's versions is kept as -1, which
 * matches no resource; a header that is not an entity-tag list at all also matches nothing.
 */
export function parseScimPrecondition(header: string | undefined): ScimPrecondition {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  if (header.trim() === '*') return { kind: 'any' };
  const versions: number[] = [];
  for (const part of header.split(',')) {
    const match = /^\s*(?:W\/)?"([^"]*)"\s*$/.exec(part);
    const text = match?.[1];
    versions.push(text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : -1);
  }
  return { kind: 'versions', versions };
}

/** True when a resource at `version` satisfies the precondition (for If-Match; negate for If-None-Match). */
export function preconditionMatches(precondition: ScimPrecondition, version: number): boolean {
  if (precondition.kind === 'none' || precondition.kind === 'any') return true;
  return precondition.versions.includes(version);
}
