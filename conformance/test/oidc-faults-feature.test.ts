// The @oidc-rp-security feature runs every fault of the simulator's OIDC catalogue, and the target file's oidc part
// resolves (secrets from the environment, the simulator port). Issue #14.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OIDC_FAULT_IDS } from '../../simulator/oidc/faults.ts';
import { resolveTarget } from '../config.ts';
import { readOidcOutcome } from '../oidc-http.ts';

describe('the OIDC fault catalogue and its feature', () => {
  it('lists every catalogue fault in the Examples, and nothing else', () => {
    const feature = readFileSync(
      new URL('../../features/oidc/oidc-rp-security.feature', import.meta.url),
      'utf8',
    );
    const examples = [...feature.matchAll(/^\s*\|\s*([a-z0-9-]+)\s*\|\s*$/gm)]
      .map((m) => m[1])
      .filter((v) => v !== 'fault');
    expect([...examples].sort()).toEqual([...OIDC_FAULT_IDS].sort());
  });
});

describe('target file: oidc', () => {
  it('resolves the client secret from the environment and keeps the simulator port', () => {
    const target = resolveTarget(
      {
        name: 'my rp',
        oidc: {
          loginUrl: 'https://rp.example/login/oidc',
          redirectUri: 'https://rp.example/oidc/callback',
          clientId: '0oaRp',
          clientSecret: { env: 'RP_SECRET' },
          simulatorPort: 4555,
        },
      },
      '.',
      { RP_SECRET: 's3cret' },
    );
    expect(target.kind === 'http' && target.oidc).toMatchObject({
      clientSecret: 's3cret',
      simulatorPort: 4555,
      outcome: { mode: 'auto', errorParam: 'error' },
    });
  });

  it('refuses an oidc part without its redirect URI', () => {
    expect(() =>
      resolveTarget(
        {
          name: 'x',
          oidc: { loginUrl: 'https://a.example/', clientId: 'c', clientSecret: 's', simulatorPort: 1 },
        },
        '.',
      ),
    ).toThrow(/oidc.redirectUri/);
  });

  it('reads a refusal from a redirect query and a landing from the page', () => {
    const refused = readOidcOutcome(
      {
        status: 200,
        body: '<p>no</p>',
        json: null,
        landedAt: 'https://rp.example/error?error=nonce_mismatch',
      },
      { mode: 'auto', errorParam: 'error' },
    );
    expect(refused).toMatchObject({ accepted: false, code: 'nonce_mismatch' });
    const accepted = readOidcOutcome(
      { status: 200, body: '<body data-landing="team">', json: null, landedAt: 'https://rp.example/home' },
      { mode: 'auto', errorParam: 'error' },
    );
    expect(accepted).toMatchObject({ accepted: true, landing: 'team' });
  });
});
