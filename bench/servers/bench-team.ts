// The team every SCIM benchmark server runs against: a throw-away store seeded with N users, and a sample of ids and
// userNames spread across the whole table so lookups do not all hit hot pages.
import {
  createScimReadyTeam,
  createTeamService,
  seedUsers,
  type TeamService,
} from '../../server/service/index.ts';
import { openSqliteStore, type Store } from '../../server/store/index.ts';

export interface BenchTeam {
  store: Store;
  service: TeamService;
  teamId: string;
  key: string;
  ids: string[];
  userNames: string[];
  seededMs: number;
  users: number;
}

export function seedBenchTeam(userCount: number, sampleSize = 1000): BenchTeam {
  const store = openSqliteStore({ path: ':memory:' });
  const service = createTeamService(store);
  const team = createScimReadyTeam(service, {
    name: 'Bench',
    licensedSeats: userCount + sampleSize * 100,
    owner: { email: 'owner@bench.example', givenName: 'Bench', familyName: 'Owner' },
  });
  const seeding = Date.now();
  seedUsers(store, team.teamId, userCount);
  const seededMs = Date.now() - seeding;
  // One query, then every k-th row.
  const everyone = service.listUsers(team.teamId, {
    sortOrder: 'ascending',
    startIndex: 1,
    count: userCount,
  }).resources;
  const stride = Math.max(1, Math.floor(everyone.length / sampleSize));
  const sample = everyone.filter((_, index) => index % stride === 0).slice(0, sampleSize);
  return {
    store,
    service,
    teamId: team.teamId,
    key: team.key,
    ids: sample.map((user) => user.id),
    userNames: sample.map((user) => user.userName),
    seededMs,
    users: userCount,
  };
}
