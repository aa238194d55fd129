// A repeatable population to push (CLI --seed, the push benchmark): people and groups from a seeded faker.
// OKT-02 attributes only; userNames are unique by construction (index suffix), so large seeds stay linear.
import { createSeededFaker, loginPart } from '../directory/fake-names.ts';
import type { DesiredState, PushGroup, PushPerson } from './model.ts';

export interface SeededStateOptions {
  people: number;
  /** groups to make; every person joins exactly one, round robin (default 0) */
  groups?: number;
  seed?: number;
  /** RFC 2606 domain by default */
  emailDomain?: string;
}

export function seededDesiredState(options: SeededStateOptions): DesiredState {
  const faker = createSeededFaker(options.seed ?? 1);
  const domain = options.emailDomain ?? 'example.com';
  const people: PushPerson[] = [];
  for (let i = 0; i < options.people; i += 1) {
    const givenName = faker.person.firstName();
    const familyName = faker.person.lastName();
    const userName = `${loginPart(givenName)}.${loginPart(familyName)}.${i + 1}@${domain}`;
    people.push({
      id: `00u${String(i + 1).padStart(7, '0')}`,
      userName,
      givenName,
      familyName,
      email: userName,
      active: true,
    });
  }
  const groupCount = options.groups ?? 0;
  const groups: PushGroup[] = Array.from({ length: groupCount }, (_, g) => ({
    id: `00g${String(g + 1).padStart(7, '0')}`,
    displayName: `${faker.commerce.department()} ${g + 1}`,
    memberIds: [],
  }));
  people.forEach((person, index) => {
    groups[index % Math.max(1, groupCount)]?.memberIds.push(person.id);
  });
  return { people, groups };
}
