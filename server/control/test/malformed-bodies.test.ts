// Every control API route, with unknown ids and bodies of every JSON shape: a typed 4xx error, never a 500, and no
// stack trace (developers' brief). The routes come from the router's own table, so a new route is covered at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ServerHandle } from '../../http/app.ts';
import { silentLogger } from '../../http/logger.ts';
import { controlRoutes } from '../routes.ts';

const TOKEN = 'malformed-bodies-token';
let server: ServerHandle;
let actorId: string;
let teamId: string;

beforeAll(async () => {
  server = createServer({ controlToken: TOKEN, logger: silentLogger });
  await server.listen();
  const { team, owner } = server.service.createTeam({
    name: 'Shapes',
    plan: 'Enterprise',
    licensedSeats: 3,
    owner: { email: 'owner@shapes.example', givenName: 'O', familyName: 'W' },
  });
  teamId = team.id;
  actorId = owner.account.id;
});

afterAll(async () => {
  await server.close();
});

const BODIES: unknown[] = [
  null,
  [],
  'text',
  42,
  true,
  {},
  { unexpected: 1 },
  { email: 7, name: [], plan: {} },
];

describe('control API: malformed requests never give a 500', () => {
  it.each(controlRoutes.map((route) => [route.method.toUpperCase(), route.path, route] as const))(
    '%s %s',
    async (_method, _path, route) => {
      // Unknown ids, and the real team id where the route needs one that exists to reach body validation.
      for (const id of ['no-such-id', 'REAL']) {
        const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
          id === 'REAL' && name === 'teamId' ? teamId : encodeURIComponent(id),
        );
        const bodies = route.method === 'get' || route.method === 'delete' ? [undefined] : BODIES;
        for (const body of bodies) {
          const response = await fetch(`${server.urls.base}/control/v1${path}?count=abc&startIndex=-1`, {
            method: route.method.toUpperCase(),
            headers: {
              authorization: `Bearer ${TOKEN}`,
              'x-idsim-actor': actorId,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await response.text();
          const what = `${route.method} ${path} ${JSON.stringify(body)} → ${response.status} ${text.slice(0, 160)}`;
          expect(response.status, what).toBeLessThan(500);
          expect(text, what).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules/);
          if (response.status >= 400) expect(JSON.parse(text).error.code, what).toMatch(/^[a-z_]+$/);
        }
      }
    },
  );
});
