// The system under test of `npm run bench`: the reference server on a throw-away store seeded with N users.
// Prints one JSON line {port, key, ids, userNames} once listening; runs until killed.
import { createServer } from '../../server/http/app.ts';
import { silentLogger } from '../../server/http/logger.ts';
import { seedBenchTeam } from './bench-team.ts';

const team = seedBenchTeam(Number(process.argv[2] ?? 100_000));
const handle = createServer({ logger: silentLogger }, { service: team.service });
// BENCH_TRAFFIC=1: a subscriber on the traffic recorder, as the demo console has (every request copied to it).
if (process.env.BENCH_TRAFFIC === '1') handle.traffic.subscribe(() => {});
const { port } = await handle.listen();
const { key, ids, userNames, seededMs, users } = team;
console.log(JSON.stringify({ port, key, ids, userNames, seededMs, users }));
process.once('SIGTERM', () => {
  void handle.close().then(() => process.exit(0));
});
