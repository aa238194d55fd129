// Proves the OIDC target contract: @oidc-rp-security runs against a relying party this project did not write the
// checks of (openid-client 6 used plainly, as many RPs do) through a target file naming its redirect URI. That RP
// trusts TLS for the ID token's signature and ignores at_hash/c_hash, and the run must say exactly so.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRp, type TestRp } from '../../simulator/oidc/test/openid-client-rp.ts';
import { resolveTarget } from '../config.ts';
import { type ConformanceResult, runConformance } from '../run.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('target contract: @oidc-rp-security against a plain openid-client RP', () => {
  let rp: TestRp;
  let reportsRoot: string;
  let result: ConformanceResult;

  beforeAll(async () => {
    const port = await freePort();
    rp = await startTestRp({
      issuer: `http://127.0.0.1:${port}/oauth2/default`,
      clientId: '0oaPlainRp',
      clientSecret: 'plain-rp-secret-0123456789',
    });
    reportsRoot = await mkdtemp(path.join(tmpdir(), 'idsim-oidc-rp-'));
    const target = resolveTarget(
      {
        name: 'plain openid-client RP',
        oidc: {
          loginUrl: rp.loginUrl,
          redirectUri: rp.redirectUri,
          clientId: '0oaPlainRp',
          clientSecret: 'plain-rp-secret-0123456789',
          simulatorPort: port,
        },
      },
      reportsRoot,
    );
    result = await runConformance({
      target,
      tags: '@oidc-rp-security',
      parallel: 0,
      reportsRoot,
      runId: 'rp',
    });
  }, 90_000);

  afterAll(async () => {
    await rp?.close();
    if (reportsRoot !== undefined) await rm(reportsRoot, { recursive: true, force: true });
  });

  it('gives a verdict for every fault; the ones openid-client leaves to the RP fail, the rest pass', () => {
    const failed = result.outcomes
      .filter((o) => o.status === 'failed')
      .map((o) => o.name.replace('OIDC fault ', ''))
      .sort();
    const passed = result.outcomes.filter((o) => o.status === 'passed').length;
    expect(failed).toEqual(['unknown-kid', 'wrong-at-hash', 'wrong-c-hash']);
    expect(passed).toBe(9);
    const unsound = result.oidcVerdicts
      .filter((v) => !v.sound)
      .map((v) => v.fault)
      .sort();
    expect(unsound).toEqual(failed);
    expect(result.oidcVerdicts.find((v) => v.fault === 'wrong-iss')?.verdict).toMatch(/^refuse \(/);
  });
});
