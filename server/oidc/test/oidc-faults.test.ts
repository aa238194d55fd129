// The reference RP against every fault of the simulator's OIDC catalogue: each `refuse` fault is refused with its
// own stable code and signs nobody in; `jwks-rotation` is coped with. OIDC core 3.1.3.7/3.1.3.8, RFC 8725.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OIDC_FAULTS, type OidcFaultId } from '../../../simulator/oidc/faults.ts';
import { addIdpPerson, browserSignIn, type Harness, startHarness } from '../../signin/test/harness.ts';
import { setUpOidcTeam } from './oidc-team.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** The code the reference RP gives each refused fault (what a per-fault verdict reports). */
const EXPECTED_CODE: Record<OidcFaultId, string | null> = {
  'wrong-iss': 'issuer_mismatch',
  'wrong-aud': 'audience_mismatch',
  'missing-nonce': 'nonce_mismatch',
  'wrong-nonce': 'nonce_mismatch',
  expired: 'id_token_expired',
  'alg-none': 'algorithm_not_allowed',
  'hs256-public-key': 'algorithm_not_allowed',
  'unknown-kid': 'unknown_signing_key',
  'jwks-rotation': null,
  'wrong-at-hash': 'token_hash_mismatch',
  'wrong-c-hash': 'token_hash_mismatch',
  'state-mismatch': 'state_mismatch',
};

describe.each(OIDC_FAULTS.map((f) => [f.id, f] as const))('OIDC fault %s', (id, fault) => {
  it(`the reference RP's verdict is ${fault.expectedVerdict}`, async () => {
    const t = setUpOidcTeam(h, { autoAddUsers: true });
    const email = `fault-${id}@corp.example`;
    const person = addIdpPerson(h, { email, assignTo: t.appId });
    // a first sign-in warms the RP's JWKS cache, so that rotation and unknown kids meet a cached key set
    const warm = addIdpPerson(h, { email: `warm-${id}@corp.example`, assignTo: t.appId });
    await browserSignIn(`${h.serverUrl}/oidc/${t.methodId}/login`, warm);
    h.simulator.oidc.armFaults(t.appId, [id]);
    const result = await browserSignIn(`${h.serverUrl}/oidc/${t.methodId}/login`, person);
    const expected = EXPECTED_CODE[id];
    if (fault.expectedVerdict === 'accept') {
      expect(result.landedAt, result.body).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
      return;
    }
    expect(result.errorCode, result.body).toBe(expected);
    expect(result.landedAt).toContain('/callback');
    expect(h.service.findAccountByEmail(email)).toBeNull();
    if (id !== 'state-mismatch') {
      expect(h.signInOidc?.rp.records()[0]?.verdict).toBe(expected);
      expect(h.signInOidc?.rp.records()[0]?.claims?.email).toBe(email);
    }
  });
});
