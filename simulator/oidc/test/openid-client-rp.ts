// A minimal relying party on openid-client 6 (an independent client) for the simulator's OIDC tests, on loopback.
// OIDC core 3.1 (code flow), RFC 7636 (PKCE S256); GET /login starts, GET /callback answers JSON with the claims.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';

export interface TestRp {
  baseUrl: string;
  loginUrl: string;
  redirectUri: string;
  /** Discovery again (after a key rotation the JWKS is refetched on an unknown kid anyway). */
  close(): Promise<void>;
}

export async function startTestRp(options: {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}): Promise<TestRp> {
  const pending = new Map<string, { verifier: string; nonce: string }>();
  let config: client.Configuration | undefined;
  const configuration = async (): Promise<client.Configuration> => {
    if (config === undefined) {
      config = await client.discovery(
        new URL(options.issuer),
        options.clientId,
        options.clientSecret,
        undefined,
        { execute: [client.allowInsecureRequests] },
      );
    }
    return config;
  };
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const answer = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    void (async () => {
      try {
        const cfg = await configuration();
        if (url.pathname === '/login') {
          const verifier = client.randomPKCECodeVerifier();
          const state = client.randomState();
          const nonce = client.randomNonce();
          pending.set(state, { verifier, nonce });
          const params: Record<string, string> = {
            redirect_uri: `${baseUrl}/callback`,
            scope: options.scope ?? 'openid email profile',
            code_challenge: await client.calculatePKCECodeChallenge(verifier),
            code_challenge_method: 'S256',
            state,
            nonce,
          };
          for (const key of ['prompt', 'max_age']) {
            const value = url.searchParams.get(key);
            if (value !== null) params[key] = value;
          }
          res.writeHead(302, { location: client.buildAuthorizationUrl(cfg, params).href }).end();
          return;
        }
        if (url.pathname === '/callback') {
          const state = url.searchParams.get('state') ?? '';
          const check = pending.get(state);
          if (check === undefined) return answer(400, { code: 'state_mismatch' });
          pending.delete(state);
          const tokens = await client.authorizationCodeGrant(cfg, url, {
            pkceCodeVerifier: check.verifier,
            expectedState: state,
            expectedNonce: check.nonce,
          });
          const claims = tokens.claims();
          const userinfo = await client.fetchUserInfo(cfg, tokens.access_token, claims?.sub ?? '');
          return answer(200, { claims, userinfo, idToken: tokens.id_token });
        }
        answer(404, { code: 'not_found' });
      } catch (error) {
        answer(400, { code: (error as { code?: string }).code ?? 'error', message: String(error) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    loginUrl: `${baseUrl}/login`,
    redirectUri: `${baseUrl}/callback`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
