// Baseline for the SCIM benchmark: express 5, one route, `res.end` of the same fixed body, etag off.
// Prints one JSON line {"port"} once listening (shared/targets.md baseline).
import express from 'express';
import { fixedBody } from './fixed-body.ts';

const body = Buffer.from(JSON.stringify(fixedBody));
const app = express();
app.set('etag', false);
app.disable('x-powered-by');
app.get('/Users/:id', (_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(body);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(JSON.stringify({ port: address.port }));
});
