// The SCIM HTTP client on its own: bounded concurrency, the transcript (Authorization redacted) and its live
// listener, and query encoding as Okta sends it (RFC 3986 percent-encoding, spaces as %20).
import { describe, expect, it } from 'vitest';
import type { ScimExchange } from '../client.ts';
import { encodeQuery, ScimHttpClient } from '../client.ts';
import type { TransportRequest, TransportResponse } from '../transport.ts';

describe('bounded concurrency', () => {
  it('never has more than `concurrency` requests on the wire', async () => {
    let inFlight = 0;
    let peak = 0;
    const pending: (() => void)[] = [];
    const client = new ScimHttpClient({
      baseUrl: 'http://127.0.0.1:9/scim/v2/',
      headers: () => ({ authorization: 'Bearer secret-key' }),
      concurrency: 3,
      transport: (_request: TransportRequest) =>
        new Promise<TransportResponse>((resolve) => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          pending.push(() => {
            inFlight -= 1;
            resolve({ status: 200, headers: {}, text: '{}' });
          });
        }),
    });
    const all = Promise.all(
      Array.from({ length: 10 }, (_, i) => client.send({ method: 'GET', path: `/Users/${i}` })),
    );
    // Release the requests one by one as they arrive, until all ten have been answered.
    for (let answered = 0; answered < 10; ) {
      await new Promise((resolve) => setImmediate(resolve));
      const next = pending.shift();
      if (next) {
        next();
        answered += 1;
      }
    }
    await all;
    expect(peak).toBe(3);
  });
});

describe('transcript', () => {
  it('records request, response, timing and attempt, with the key redacted, and tells the listener live', async () => {
    const seen: ScimExchange[] = [];
    const client = new ScimHttpClient({
      baseUrl: 'http://127.0.0.1:9/scim/v2',
      headers: (hasBody) => ({
        authorization: 'Bearer secret-key',
        ...(hasBody ? { 'content-type': 'application/scim+json' } : {}),
      }),
      onExchange: (exchange) => seen.push(exchange),
      transport: async () => ({ status: 201, headers: { location: '/Users/1' }, text: '{"id":"1"}' }),
    });
    await client.send({ method: 'POST', path: '/Users', body: { userName: 'a@example.com' } });
    expect(client.transcript).toHaveLength(1);
    expect(seen).toEqual(client.transcript);
    expect(client.transcript[0]).toMatchObject({
      id: 1,
      method: 'POST',
      url: 'http://127.0.0.1:9/scim/v2/Users',
      requestHeaders: { authorization: 'Bearer [redacted]', 'content-type': 'application/scim+json' },
      requestBody: { userName: 'a@example.com' },
      status: 201,
      responseHeaders: { location: '/Users/1' },
      responseBody: { id: '1' },
      attempt: 1,
    });
    expect(client.transcript[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(client.transcript)).not.toContain('secret-key');
  });

  it('keeps nothing when keepTranscript is false, but still calls the listener', async () => {
    let calls = 0;
    const client = new ScimHttpClient({
      baseUrl: 'http://127.0.0.1:9',
      headers: () => ({}),
      keepTranscript: false,
      onExchange: () => {
        calls += 1;
      },
      transport: async () => ({ status: 204, headers: {}, text: '' }),
    });
    await expect(client.send({ method: 'DELETE', path: '/Groups/1' })).resolves.toMatchObject({
      status: 204,
      body: null,
    });
    expect(client.transcript).toEqual([]);
    expect(calls).toBe(1);
  });
});

describe('query encoding', () => {
  it('percent-encodes each value in order', () => {
    expect(
      encodeQuery([
        ['filter', 'userName eq "a+b@example.com"'],
        ['startIndex', '1'],
      ]),
    ).toBe('?filter=userName%20eq%20%22a%2Bb%40example.com%22&startIndex=1');
    expect(encodeQuery([])).toBe('');
  });
});
