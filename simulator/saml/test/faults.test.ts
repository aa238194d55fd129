// Each deliberately faulty Response variant (faults.ts) must be refused by the node-saml SP over real HTTP.
// SAML profiles 4.1.4.3 (SP processing rules), core 5 (signatures); saml-notes.md (checks node-saml leaves to SPs).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESPONSE_FAULTS, type ResponseFault } from '../faults.ts';
import { type Rig, startRig } from './harness.ts';
import type { SpSignInBody } from './node-saml-sp.ts';

/** What the SP says for each fault: proves the refusal is for the planted reason, not any reason. */
const EXPECTED_REFUSAL: Readonly<Record<ResponseFault, RegExp>> = {
  'tamper-after-signing': /signature/i,
  'wrong-key': /signature/i,
  unsigned: /signature/i,
  // node-saml checks SubjectConfirmationData/@NotOnOrAfter first: "No valid subject confirmation found".
  expired: /expired|subject confirmation/i,
  'wrong-audience': /audience/i,
  'wrong-recipient': /Recipient/,
  'wrong-destination': /Destination/,
  'replay-assertion-id': /replayed/,
};

describe('faulty responses are rejected by node-saml (+ the SP checks node-saml leaves out)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ validateInResponseTo: 'always' });
  });
  afterAll(() => rig.close());

  it('the same sign-in without a fault is accepted (the baseline)', async () => {
    const result = await rig.signIn(rig.sp.loginUrl);
    expect(result.status).toBe(200);
    expect((result.json as SpSignInBody).ok).toBe(true);
  });

  it.each(RESPONSE_FAULTS.map((f) => [f]))('%s is refused', async (fault) => {
    if (fault === 'replay-assertion-id') {
      const first = await rig.signIn(rig.sp.loginUrl);
      expect(first.status).toBe(200);
    }
    rig.sim.idp.armFaults(rig.app.id, [fault]);
    const result = await rig.signIn(rig.sp.loginUrl);
    expect(result.samlResponse).toBeDefined();
    expect(result.landedAt).toBe(rig.sp.acsUrl);
    expect(result.status).toBe(401);
    const body = result.json as { code: string; message: string };
    expect(body.code).toBe('saml_rejected');
    expect(body.message).toMatch(EXPECTED_REFUSAL[fault]);
    // Faults are one-shot: the next sign-in is clean again.
    const next = await rig.signIn(rig.sp.loginUrl);
    expect(next.status).toBe(200);
  });

  it('faults can be armed through the JSON API and show up in the issued-responses log', async () => {
    const res = await fetch(`${rig.sim.baseUrl}/api/apps/${rig.app.id}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faults: ['wrong-audience'] }),
    });
    expect(res.status).toBe(200);
    const refused = await rig.signIn(rig.sp.loginUrl);
    expect(refused.status).toBe(401);
    const log = (await (await fetch(`${rig.sim.baseUrl}/api/signins`)).json()) as { faults: string[] }[];
    expect(log[0]?.faults).toEqual(['wrong-audience']);
  });

  it('an unknown fault name is refused by the API with invalid_input', async () => {
    const res = await fetch(`${rig.sim.baseUrl}/api/apps/${rig.app.id}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faults: ['nope'] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_input');
  });
});
