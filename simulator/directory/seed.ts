// Repeatable demo and test data: people (and optional groups) from @faker-js/faker seeded with a fixed number.
// idsim issue #3 ("seeded with @faker-js/faker from a fixed seed so demos and tests are repeatable").

import { DEFAULT_PASSWORD, Directory } from './directory.ts';
import { createSeededFaker, loginPart } from './fake-names.ts';

export interface SeedOptions {
  /** Same seed, same people, same ids (ids come from the directory's counter, so seed an empty directory). */
  seed: number;
  /** How many people to create. */
  people: number;
  /** Group names to create; each person joins one of them, picked by the seeded faker. Default: none. */
  groups?: string[] | undefined;
  /** Email domain of the generated logins. Default `example.com` (RFC 2606, never routable). */
  emailDomain?: string | undefined;
  /** Password of every seeded person. Default {@link DEFAULT_PASSWORD}. */
  password?: string | undefined;
  /** Directory to fill; a new one when omitted. */
  into?: Directory | undefined;
}

/** Fills a directory from a private Faker instance seeded with `seed` (the global faker is never touched). */
export function seedDirectory(options: SeedOptions): Directory {
  const faker = createSeededFaker(options.seed);
  const directory = options.into ?? new Directory();
  const domain = options.emailDomain ?? 'example.com';
  const groups = (options.groups ?? []).map((name) => directory.addGroup({ name }));
  for (let i = 0; i < options.people; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const base = `${loginPart(firstName)}.${loginPart(lastName)}`;
    let login = `${base}@${domain}`;
    for (let n = 2; directory.findPersonByLogin(login) !== undefined; n++) login = `${base}${n}@${domain}`;
    const person = directory.addPerson({
      login,
      firstName,
      lastName,
      password: options.password ?? DEFAULT_PASSWORD,
    });
    if (groups.length > 0) {
      const group = faker.helpers.arrayElement(groups);
      directory.addGroupMembers(group.id, [person.id]);
    }
  }
  return directory;
}
