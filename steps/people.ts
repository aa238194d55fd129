// Reads the lists of people a step names ("Ana", "Ana and Ben", "Ana, Ben and Cy") and checks member sets.
// Shared by the group steps (GRP-02..06) so that every list in the features reads the same way.

/** "Ana, Ben and Cy" → ['Ana', 'Ben', 'Cy'] */
export function parseNames(list: string): string[] {
  return list
    .split(/,\s*|\s+and\s+/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

export function sameSet(actual: readonly string[], expected: readonly string[]): boolean {
  if (actual.length !== expected.length) return false;
  const wanted = new Set(expected);
  return actual.every((value) => wanted.has(value));
}

/** A per-scenario suffix keeps names unique on targets whose store outlives a scenario. */
export function scenarioSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}
