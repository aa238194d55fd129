// The system under test of `npm run bench`: the reference server on a throw-away store seeded with N users.
// Prints one JSON line {port, key, ids, userNames} once listening; runs until killed.
import { createServer } from '../../server/http/app.ts';
import { silentLogger } from '../../server/http/logger.ts';
import { createScimReadyTeam, createTeamService, seedUsers } from '../../server/service/index.ts';
import { openSqliteStore } from '../../server/store/index.ts';

const userCount = Number(process.argv[2] ?? 100_000);
const sampleSize = 1000;

const store = openSqliteStore({ path: ':memory:' });
const service = createTeamService(store);
const team = createScimReadyTeam(service, {
  name: 'Bench',
  licensedSeats: userCount + sampleSize * 100,
  owner: { email: 'owner@bench.example', givenName: 'Bench', familyName: 'Owner' },
});
const { key } = team;
const seeding = Date.now();
seedUsers(store, team.teamId, userCount);
const seededMs = Date.now() - seeding;

// Spread the sample across the whole table so lookups do not all hit hot pages (one query, then every k-th row).
const everyone = service.listUsers(team.teamId, {
  sortOrder: 'ascending',
  startIndex: 1,
  count: userCount,
}).resources;
const stride = Math.max(1, Math.floor(everyone.length / sampleSize));
const sample = everyone.filter((_, index) => index % stride === 0).slice(0, sampleSize);
const ids = sample.map((user) => user.id);
const userNames = sample.map((user) => user.userName);

const handle = createServer({ logger: silentLogger }, { service });
const { port } = await handle.listen();
console.log(JSON.stringify({ port, key, ids, userNames, seededMs, users: userCount }));
process.once('SIGTERM', () => {
  void handle.close().then(() => process.exit(0));
});
