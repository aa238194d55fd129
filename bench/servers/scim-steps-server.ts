// `npm run bench:scim-steps`, the server side: one express app that answers GET by id in steps, each adding one
// piece of the real SCIM route, so the cost of each piece shows as a drop in requests/s (issue #2, targets.md).
//   /steps/fixed/:id   a SCIM-sized fixed body (the minimal route, in this process with the seeded store loaded)
//   /steps/auth/:id    + Bearer parsing and the API key check
//   /steps/read/:id    + the SQLite read of the member row
//   /steps/render/:id  the SCIM handler (read, record, resource, ETag) and JSON.stringify, on a flat route
//   /scim/v2/Users/:id the real SCIM router, as the reference server mounts it
// Prints one JSON line {port, key, ids} once listening; runs until killed.
import express, { type Request, type Response } from 'express';
import { ScimError } from '../../protocol/scim/error.ts';
import { createScimRouter } from '../../server/http/scim-router.ts';
import { DEFAULT_SCIM_HANDLER_SETTINGS } from '../../server/scim/exchange.ts';
import { createScimUserHandlers } from '../../server/scim/users.ts';
import { seedBenchTeam } from './bench-team.ts';

const team = seedBenchTeam(Number(process.argv[2] ?? 100_000));
const users = createScimUserHandlers(team.service, DEFAULT_SCIM_HANDLER_SETTINGS);
const BEARER = /^Bearer +([^\s]+) *$/i;
const CONTENT_TYPE = 'application/scim+json; charset=utf-8';

const request = (id: string, baseUrl: string) => ({
  method: 'GET',
  params: { id },
  query: {},
  headers: {},
  body: undefined,
  baseUrl,
  tenant: { teamId: team.teamId },
});
const sample = users.get(request(team.ids[0] as string, 'http://127.0.0.1/scim/v2'));
const fixedBody = JSON.stringify(sample.body);

const authenticate = (req: Request) => {
  const key = BEARER.exec(req.headers.authorization ?? '')?.[1];
  if (key === undefined) throw new ScimError(401, undefined, 'missing bearer API key');
  return team.service.authenticate(key);
};
const sendFixed = (res: Response) => {
  res.setHeader('Content-Type', CONTENT_TYPE);
  res.end(fixedBody);
};

const app = express();
app.set('etag', false);
app.disable('x-powered-by');
app.get('/steps/fixed/:id', (_req, res) => sendFixed(res));
app.get('/steps/auth/:id', (req, res) => {
  authenticate(req);
  sendFixed(res);
});
app.get('/steps/read/:id', (req, res) => {
  const tenant = authenticate(req);
  team.store.memberships.getMemberRow(tenant.teamId, req.params.id as string);
  sendFixed(res);
});
app.get('/steps/render/:id', (req, res) => {
  const tenant = authenticate(req);
  const response = users.get({
    ...request(req.params.id as string, `http://${req.headers.host}/scim/v2`),
    tenant,
  });
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', CONTENT_TYPE);
  res.end(JSON.stringify(response.body));
});
app.use('/scim/v2', createScimRouter(team.service));

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') {
    console.log(JSON.stringify({ port: address.port, key: team.key, ids: team.ids }));
  }
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
