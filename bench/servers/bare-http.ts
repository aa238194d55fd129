// Baseline for the SCIM benchmark: a bare node:http server answering a fixed ~250-byte JSON body.
// Prints one JSON line {"port"} once listening (shared/targets.md baseline).
import { createServer } from 'node:http';
import { fixedBody } from './fixed-body.ts';

const body = Buffer.from(JSON.stringify(fixedBody));
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(JSON.stringify({ port: address.port }));
});
