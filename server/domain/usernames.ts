// Portal usernames for accounts created by organisation portal JIT: `firstname-lastname`, slugged.
// Catalogue ORG-02; project decision: collisions get `-2`, `-3`, ...

/** Lower-case ASCII slug: diacritics dropped, every run of other characters becomes one '-'. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** ORG-02 base username; falls back to `user` when both names slug to nothing. */
export function baseUsername(givenName: string, familyName: string): string {
  const slug = [slugify(givenName), slugify(familyName)].filter((part) => part !== '').join('-');
  return slug === '' ? 'user' : slug;
}

/** ORG-02 decision: the first free of `base`, `base-2`, `base-3`, ... */
export function firstFreeUsername(base: string, isTaken: (candidate: string) => boolean): string {
  if (!isTaken(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base}-${suffix}`;
    if (!isTaken(candidate)) return candidate;
  }
}
