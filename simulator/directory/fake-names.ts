// Repeatable fake people for demos, tests and push runs: a private seeded Faker and login parts from names.
// idsim issue #3 ("seeded with @faker-js/faker from a fixed seed"); the global faker is never touched.
import { base, en, Faker } from '@faker-js/faker';

export function createSeededFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  return faker;
}

/** ASCII login part of a name ("Zoë" → "zoe"), never empty. */
export function loginPart(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase() || 'user'
  );
}
